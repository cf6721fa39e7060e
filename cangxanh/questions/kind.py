"""The kind "answer" (news.kinds): a question answered, as readers find it.

An answer is an `Article` of this kind: its lead is the question with personal
data removed, its body the answer. Its steps are the editorial workflow's; this
module follows them for the question it answers (`after_step`: submitted →
"answered", published → "published" and the asker is e-mailed, sent privately →
"answered privately"), and holds them back until someone has confirmed that the
text holds no personal data (`before_step`). The workflow's "send" (approve and
e-mail the asker only, review → archived) exists for this kind alone
(`private_close`).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy

from cangxanh.inbox.models import OPEN_STATES, Action, State, SubmissionEvent
from cangxanh.news import kinds
from cangxanh.news.models import reverse_in

from . import redact
from .models import KIND, MailKind, Question

# The first path word under /<lang>/ that is the questions'.
PATH_WORDS = ("questions",)
# Workflow actions, by value (editorial sits above this room: its names are not imported).
SUBMIT, WITHDRAW, REJECT, PUBLISH, SEND = "submit", "withdraw", "reject", "publish", "send"
CHECKED_STEPS = (SUBMIT, PUBLISH, SEND)


def answer_url(row) -> str:
    return reverse_in(row.language, "questions:answer", slug=row.slug, article_id=row.article_id)


def working_digest(current, pending) -> str:
    """Names the text someone confirms free of personal data: title, lead, body and the
    slug, which readers see in the answer's address."""
    text = pending if pending is not None else current
    return redact.digest(text.title, text.lead, text.body, text.slug)


def _question_of(current, *, lock: bool = False) -> Question | None:
    found = Question.objects.filter(answer_id=current.article_id)
    if lock:
        found = found.select_for_update()
    return found.first()


def before_step(current, action: str, pending) -> None:
    """Nothing leaves the writer (submit), reaches readers (publish) or the asker (send)
    before someone confirmed that exactly this text holds no personal data."""
    if action not in CHECKED_STEPS or current.language != current.article.original_language:
        return
    question = _question_of(current)
    if question is None:
        return
    from .services import redaction_confirmed

    if not redaction_confirmed(question, current, working_digest(current, pending)):
        raise ValidationError(
            gettext(
                "Confirm on the question's page that no personal data remains in this "
                "text (names, e-mail addresses, phone numbers, ID numbers) first."
            )
        )


def translatable(user, original) -> bool:
    """Translators see an answer's original (desk, XLIFF) only once someone who works on
    questions confirmed that exactly this text holds no personal data; those who work on
    questions see the asker's data anyway."""
    from .services import may_work, redaction_confirmed

    if may_work(user):
        return True
    question = _question_of(original)
    return question is None or redaction_confirmed(
        question, original, working_digest(original, None)
    )


def after_step(current, action: str, event) -> None:
    if event.new_version or current.language != current.article.original_language:
        return
    question = _question_of(current, lock=True)
    if question is None:
        return
    before = question.state
    record = None
    mail = None
    if action == SUBMIT and before in (State.RECEIVED, State.ASSIGNED):
        question.state, record = State.ANSWERED, Action.ANSWERED
    elif action in (REJECT, WITHDRAW) and before == State.ANSWERED:
        question.state, record = State.ASSIGNED, Action.RETURNED
    elif action == PUBLISH and (before in OPEN_STATES or before == State.ANSWERED_PRIVATELY):
        question.state, record = State.PUBLISHED, Action.PUBLISHED
        mail = MailKind.PUBLISHED if before in OPEN_STATES else None
    elif action == SEND and before in OPEN_STATES:
        question.state, record = State.ANSWERED_PRIVATELY, Action.SENT
        mail = MailKind.PRIVATE
    if record is None:
        return
    question.save(update_fields=["state"])
    SubmissionEvent.objects.create(
        submission=question,
        actor=event.actor,
        action=record,
        from_state=before,
        to_state=question.state,
        comment=event.comment,
    )
    if mail is not None:
        from .mail import mail_queue

        mail_queue(question, mail)  # sent once the step is committed


def _render_preview(*args, **kwargs):
    from .views import render_preview

    return render_preview(*args, **kwargs)


def register() -> None:
    kinds.register(
        kinds.Kind(
            KIND,
            pgettext_lazy("kind of content", "answer"),
            pgettext_lazy("kind of content", "answers"),
            url=answer_url,
            list_url=lambda lang: reverse_in(lang, "questions:answers"),
            render=_render_preview,
            private_close=True,
            before_step=before_step,
            after_step=after_step,
            translatable=translatable,
        )
    )
    kinds.reserve(*PATH_WORDS)
