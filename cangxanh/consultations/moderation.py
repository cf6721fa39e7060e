"""What happens to a comment: received (set aside when it looks like spam), then
published or refused by a moderator, each step an event of the message's audit
log (`inbox.SubmissionEvent`); and the summary of a consultation's comments,
counted from those events.

A comment is never public before a moderator publishes it. Receiving one changes
nothing readers see, so it leaves the cached pages alone (a flood of spam cannot
empty the page cache); publishing, or refusing a published one, changes the
consultation's page and retires the cached pages (`version.bump`).
"""

from collections import Counter
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cangxanh.delivery import edge, version
from cangxanh.inbox import spam
from cangxanh.inbox.models import Action, State, SubmissionEvent, client_hash
from cangxanh.news.models import ArticleTranslation

from .models import Comment, Refusal
from .queries import CLOSED, Summary, phase

TEXT_MAX = 5_000
NAME_MAX = 120
ORGANISATION_MAX = 200


class ModerationError(ValueError):
    """A step that cannot be taken now; the message says why."""


class ClosedError(ValueError):
    """The consultation takes no comments at this moment."""


def can_moderate(user) -> bool:
    """Approvers moderate comments, as they approve everything else readers see."""
    return user.is_active and (user.is_superuser or user.has_perm("news.approve_translation"))


def comment_receive(
    *,
    consultation: ArticleTranslation,
    name: str,
    email: str,
    text: str,
    organisation: str = "",
    name_hidden: bool = False,
    paragraph: str = "",
    revision: int | None = None,
    client: str = "",
    reasons: list[str] | None = None,
    proof_ok: bool = False,
    now: datetime | None = None,
) -> Comment:
    """Keep a comment sent on `consultation` (the translation the writer read): waiting
    for a moderator, set aside when the screening (`inbox.spam`, on the words as they
    were sent) or the form's defences (`reasons`) found something. The words are kept
    as plain text, cleaned (`spam.normalise`); `name_hidden`: readers see the comment
    without the writer's name. Refused with ClosedError outside the
    consultation's dates, checked here, on the server's clock, whatever the form said."""
    now = now or timezone.now()
    facts = consultation.article.consultation_facts
    if phase(facts.opens_at, facts.closes_at, now) != "open":
        raise ClosedError(_("This consultation is not taking comments."))
    screening = spam.screen(text, name=f"{name}\n{organisation}", email=email)
    flags = list(dict.fromkeys([*(reasons or []), *screening.reasons]))
    return Comment.objects.create(
        consultation_id=consultation.article_id,
        language=consultation.language,
        name=spam.normalise(name, NAME_MAX),
        email=email,
        text=screening.clean_text,
        organisation=spam.normalise(organisation, ORGANISATION_MAX),
        name_hidden=name_hidden,
        paragraph=paragraph,
        revision=revision,
        client=client_hash(client),
        state=State.QUARANTINED if flags else State.RECEIVED,
        flags=flags,
        proof_ok=proof_ok,
        created_at=now,
    )


def _locked(comment: Comment) -> Comment:
    return Comment.objects.select_for_update().get(pk=comment.pk)


def comment_publish(*, comment: Comment, by) -> SubmissionEvent:
    """Readers see the comment from now on (one set aside is released first)."""
    if not can_moderate(by):
        raise PermissionDenied(_("Only approvers moderate comments."))
    with transaction.atomic():
        current = _locked(comment)
        if current.state not in (State.RECEIVED, State.QUARANTINED):
            raise ModerationError(_("This comment was already moderated."))
        if current.state == State.QUARANTINED:
            SubmissionEvent.objects.create(
                submission=current,
                actor=by,
                action=Action.RELEASED,
                from_state=State.QUARANTINED,
                to_state=State.RECEIVED,
            )
        event = SubmissionEvent.objects.create(
            submission=current,
            actor=by,
            action=Action.PUBLISHED,
            from_state=State.RECEIVED,
            to_state=State.PUBLISHED,
        )
        current.state = State.PUBLISHED
        current.save(update_fields=["state"])
        version.bump()
        edge.purge({edge.app_key(__name__)})  # the consultations' pages at edges
    comment.state = current.state
    return event


def comment_refuse(*, comment: Comment, by, reason: str) -> SubmissionEvent:
    """The comment is refused for `reason` (Refusal); a published one leaves the page."""
    if not can_moderate(by):
        raise PermissionDenied(_("Only approvers moderate comments."))
    if reason not in Refusal.values:
        raise ModerationError(_("Choose why the comment is refused."))
    with transaction.atomic():
        current = _locked(comment)
        if current.state == State.REFUSED:
            raise ModerationError(_("This comment was already refused."))
        was_public = current.state == State.PUBLISHED
        event = SubmissionEvent.objects.create(
            submission=current,
            actor=by,
            action=Action.REFUSED,
            from_state=current.state,
            to_state=State.REFUSED,
            # The reason in words, as the audit log shows it; its code for counting.
            comment=str(Refusal(reason).label),
            data={"reason": reason},
        )
        current.state = State.REFUSED
        current.save(update_fields=["state"])
        if was_public:
            version.bump()
            edge.purge({edge.app_key(__name__)})
    comment.state = current.state
    return event


def summary(article_id: int) -> Summary:
    """What a consultation received, and what its moderators did: each comment counted
    by its last decision in the audit log (published, or refused for a reason); one
    without any is still waiting. Two queries."""
    received = Comment.objects.filter(consultation_id=article_id).count()
    last: dict[int, tuple[str, str]] = {}
    events = (
        SubmissionEvent.objects.filter(
            submission__comment__consultation_id=article_id,
            action__in=(Action.PUBLISHED, Action.REFUSED),
        )
        .order_by("created_at", "id")
        .values_list("submission_id", "action", "data")
    )
    for submission_id, action, data in events:
        last[submission_id] = (action, (data or {}).get("reason", ""))
    decisions = Counter(action for action, _reason in last.values())
    reasons = Counter(reason for action, reason in last.values() if action == Action.REFUSED)
    return Summary(
        received=received,
        published=decisions[Action.PUBLISHED],
        refused=decisions[Action.REFUSED],
        waiting=received - len(last),
        refused_by_reason=[(code, reasons[code]) for code in Refusal.values if reasons.get(code)],
    )


def closed(facts, now: datetime | None = None) -> bool:
    return phase(facts.opens_at, facts.closes_at, now or timezone.now()) == CLOSED
