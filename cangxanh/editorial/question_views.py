"""The newsroom's questions: the queue (`/editorial/questions/`) and each question's
page (`/editorial/questions/<id>/`), where it is assigned, paused, resumed, extended,
refused, released from quarantine, answered and approved.

Editors and approvers work the queue (`questions.change_question`); translators
do not see it. Moderating what was set aside takes `inbox.moderate_submission`
(approvers). Writing the answer makes the article of kind "answer" (its lead the
question without personal data, suggested by `questions.redact`), saved through
`editing.translation_save_text` like every text; the person writing confirms
that no personal data remains before submitting, and only approvers publish it
or send it privately (the workflow's own steps).
"""

import html
import re

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cangxanh.core import languages
from cangxanh.inbox.models import OPEN_STATES, State
from cangxanh.inbox.models import Action as EventAction
from cangxanh.news.models import Article, ArticleTranslation, Status, reverse_in
from cangxanh.questions import clock, redact, services
from cangxanh.questions.kind import working_digest
from cangxanh.questions.models import KIND, Question, Topic, WorkCalendarDay
from cangxanh.questions.services import QuestionError, may_moderate, may_work

from . import editing, workflow
from .models import Action, WorkflowEvent
from .roles import user_languages
from .views import _context

PER_PAGE = 50
_PLAIN_TAGS = re.compile(r"</?(?:p|br)\s*/?>", re.IGNORECASE)


def _require_queue(user) -> None:
    if not (user.is_superuser or user.has_perm("questions.view_question")):
        raise PermissionDenied(_("Only editors and approvers work on questions."))


def _access_question(request, question_id: int) -> Question:
    """The question, for someone who works on questions: 403 or 404 otherwise."""
    _require_queue(request.user)
    return get_object_or_404(
        Question.objects.select_related("topic", "assignee", "answer").prefetch_related(
            "events__actor", "topic__names"
        ),
        pk=question_id,
    )


# --- the queue --------------------------------------------------------------------


class QueueFilters(forms.Form):
    STATES = [
        ("open", pgettext_lazy("questions filter", "Open")),
        ("overdue", pgettext_lazy("questions filter", "Overdue")),
        ("near_due", pgettext_lazy("questions filter", "Due soon")),
        *[(s.value, s.label) for s in State if s != State.QUARANTINED],
        ("all", pgettext_lazy("questions filter", "All")),
    ]
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=STATES, required=False)
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    assignee = forms.ChoiceField(label=gettext_lazy("Handled by"), required=False)

    def __init__(self, *args, lang: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", gettext_lazy("Every topic"))] + [
            (str(topic.pk), topic.name(lang)) for topic in Topic.objects.prefetch_related("names")
        ]
        self.fields["assignee"].choices = [
            ("", gettext_lazy("Anyone")),
            ("me", gettext_lazy("Me")),
            ("nobody", gettext_lazy("Nobody yet")),
        ] + [(str(u.pk), u.get_username()) for u in services.assignable_users()]

    def value(self, name: str) -> str:
        return self.cleaned_data.get(name, "") if self.is_valid() else ""


def _with_clocks(questions, days, today, lang):
    for question in questions:
        question.topic_name = question.topic.name(lang)
        question.flag_labels = [_flag_label(flag) for flag in question.flags]
        if question.state in OPEN_STATES or question.state == State.QUARANTINED:
            question.clock = services.clock_of(question, days=days, today=today)
            question.days_late = None
        else:
            question.clock = None
            # Closed after its due date: by how many working days (from the prefetched events).
            question.days_late = services.days_late(question, days=days)
    return questions


@staff_member_required
def queue(request):
    _require_queue(request.user)
    lang = request.LANGUAGE_CODE
    today = timezone.localdate()
    filters = QueueFilters(request.GET or None, lang=lang, user=request.user)
    state = filters.value("state") or "open"
    rows = (
        Question.objects.exclude(state=State.QUARANTINED)
        .select_related("topic", "assignee")
        .prefetch_related("topic__names", "events")
    )
    if state in ("open", "overdue", "near_due"):
        rows = rows.filter(state__in=OPEN_STATES)
    elif state != "all":
        rows = rows.filter(state=state)
    if state == "overdue":
        rows = rows.filter(due_on__lt=today)
    if topic := filters.value("topic"):
        rows = rows.filter(topic_id=topic)
    assignee = filters.value("assignee")
    if assignee == "me":
        rows = rows.filter(assignee=request.user)
    elif assignee == "nobody":
        rows = rows.filter(assignee__isnull=True)
    elif assignee:
        rows = rows.filter(assignee_id=assignee)
    if state in ("open", "overdue", "near_due"):
        rows = rows.order_by(F("due_on").asc(nulls_last=True), "created_at", "id")
    else:
        rows = rows.order_by("-created_at", "-id")
    days = services.calendar()
    if state == "near_due":
        rows = [
            q for q in _with_clocks(list(rows), days, today, lang) if q.clock.state == "near_due"
        ]
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    if state != "near_due":
        _with_clocks(page.object_list, days, today, lang)
    quarantined = _with_clocks(
        list(
            Question.objects.filter(state=State.QUARANTINED)
            .select_related("topic")
            .prefetch_related("topic__names", "events")
            .order_by("created_at", "id")
        ),
        days,
        today,
        lang,
    )
    open_rows = Question.objects.filter(state__in=OPEN_STATES)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "editorial/questions.html",
        _context(
            request,
            title=_("Questions"),
            filters=filters,
            page=page,
            quarantined=quarantined,
            can_moderate=may_moderate(request.user),
            counts={
                "open": open_rows.count(),
                "overdue": open_rows.filter(due_on__lt=today).count(),
                "unassigned": open_rows.filter(assignee__isnull=True).count(),
                "quarantined": len(quarantined),
            },
            query=query.urlencode(),
            lang=lang,
        ),
    )


# --- one question -------------------------------------------------------------------


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(label=gettext_lazy("Hand it to"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = services.assignable_users()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendForm(ReasonForm):
    days = forms.IntegerField(
        label=gettext_lazy("Working days"), min_value=1, max_value=services.MAX_EXTENSION_DAYS
    )


class ResumeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of the answer"))
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        help_text=gettext_lazy("What the question is about, in a few words."),
    )
    lead = forms.CharField(
        label=gettext_lazy("Question as published"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "The asker's question as readers will see it. Personal data found is already "
            "replaced by […]: read it all and remove anything else that tells who asked."
        ),
    )
    body = forms.CharField(
        label=gettext_lazy("Answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("Plain text; an empty line starts a new paragraph."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I have read the title, the question and the answer: no personal data remains "
            "(names, e-mail addresses, phone numbers, ID numbers, addresses)."
        ),
        required=False,
    )

    def __init__(self, *args, languages_allowed: list[str], rich: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, languages.get(code).native_name) for code in languages_allowed
        ]
        self.rich = rich
        if rich:
            # Formatting the text box cannot show is kept: the body is edited in the admin.
            del self.fields["body"]


def body_to_text(body: str) -> str:
    """A body of paragraphs as the plain text the form shows (empty line between)."""
    text = body.replace("</p>", "\n\n").replace("<br>", "\n")
    return html.unescape(strip_tags(text)).strip()


def text_to_body(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


def is_rich(body: str) -> bool:
    """Does a body hold more than paragraphs and line breaks?"""
    return bool(re.search(r"<(?!/?(?:p|br)\b)", body, re.IGNORECASE))


def _original(question: Question) -> ArticleTranslation | None:
    if question.answer_id is None:
        return None
    article = question.answer
    return (
        ArticleTranslation.objects.select_related("article", "pending_version")
        .filter(article=article, language=article.original_language)
        .first()
    )


def _answer_languages(user, question: Question) -> list[str]:
    """Where an answer may be written: the question's language, else Vietnamese, as the
    user may write originals in it."""
    if not (user.is_superuser or user.has_perm("news.edit_original")):
        return []
    allowed = user_languages(user)
    wanted = [question.language, "vi"]
    return [code for i, code in enumerate(wanted) if code in allowed and code not in wanted[:i]]


def _timeline(question: Question, original) -> list[dict]:
    """The question's own events and its answer's workflow steps, in time order."""
    users = {}
    items = []
    names = {}
    for event in question.events.all():
        detail = ""
        if event.action == EventAction.ASSIGNED:
            who = event.data.get("to")
            if who not in users:
                from django.contrib.auth import get_user_model

                users[who] = get_user_model().objects.filter(pk=who).first()
            detail = str(users[who] or "—")
        elif event.action == EventAction.EXTENDED:
            detail = _("+%(days)s working days") % {"days": event.data.get("days")}
        elif event.action in (EventAction.PAUSED, EventAction.RESUMED):
            detail = event.data.get("on", "")
        elif event.action == EventAction.CHECKED:
            tid = event.data.get("translation")
            if tid not in names:
                row = ArticleTranslation.objects.filter(pk=tid).values_list("language", flat=True)
                names[tid] = languages.get(row[0]).native_name if row else "—"
            detail = names[tid]
        items.append(
            {
                "when": event.created_at,
                "who": event.actor,
                "what": event.get_action_display(),
                "detail": detail,
                "comment": event.comment,
            }
        )
    if question.answer_id is not None:
        steps = WorkflowEvent.objects.filter(
            translation__article_id=question.answer_id
        ).select_related("actor", "translation")
        for step in steps:
            items.append(
                {
                    "when": step.created_at,
                    "who": step.actor,
                    "what": step.get_action_display(),
                    "detail": languages.get(step.translation.language).native_name,
                    "comment": step.comment,
                    "workflow": True,
                }
            )
    return sorted(items, key=lambda item: item["when"])


def _initial_answer(question: Question, original) -> dict:
    if original is None:
        return {
            "language": question.language,
            "lead": redact.suggest(question.text, name=question.name),
        }
    text = editing.working_text(original)
    return {
        "language": original.language,
        "title": text.title,
        "lead": text.lead,
        "body": body_to_text(text.body),
    }


def _address(original, text) -> str:
    """The address readers will see for this text of the answer ("" for none yet)."""
    if original is None or text is None or not text.slug:
        return ""
    try:
        return reverse_in(
            original.language, "questions:answer", slug=text.slug, article_id=original.article_id
        )
    except NoReverseMatch:
        return ""


def _answer_state(original) -> str:
    """Where the answer's original stands: "" (none), draft, review, published…"""
    if original is None:
        return ""
    pending = editing.pending_of(original)
    return pending.state if pending is not None else original.status


def _save_answer(request, question: Question, form: AnswerForm, *, submit: bool) -> None:
    data = form.cleaned_data
    user = request.user
    with transaction.atomic():
        original = _original(question)
        if original is None:
            lang = data["language"]
            article = Article.objects.create(kind=KIND, original_language=lang)
            original = ArticleTranslation(article=article, language=lang)
            services.question_link_answer(question=question, article=article, by=user)
            slug = ""
            body = text_to_body(data.get("body", ""))
        else:
            current = editing.working_text(original)
            slug = current.slug
            body = text_to_body(data["body"]) if "body" in data else current.body
        editing.translation_save_text(
            translation=original,
            text={"title": data["title"], "slug": slug, "lead": data["lead"], "body": body},
            user=user,
        )
        original = _original(question)
        if data.get("confirm"):
            pending = editing.pending_of(original)
            services.question_confirm_redaction(
                question=question,
                translation=original,
                digest=working_digest(original, pending),
                by=user,
            )
        if submit:
            if not data.get("confirm"):
                raise QuestionError(
                    _("Confirm that no personal data remains before submitting the answer.")
                )
            if not data.get("body", "x").strip():
                raise QuestionError(_("Write the answer before submitting it."))
            workflow.perform(original, Action.SUBMIT, user)


_STEP_FORMS = {
    "assign": AssignForm,
    "pause": ReasonForm,
    "extend": ExtendForm,
    "refuse": ReasonForm,
    "resume": ResumeForm,
}
_DONE = {
    "assign": gettext_lazy("Done: the question is assigned."),
    "pause": gettext_lazy("Done: the clock is paused until the asker's clarification arrives."),
    "resume": gettext_lazy("Done: the clock runs again."),
    "extend": gettext_lazy("Done: the deadline is extended."),
    "refuse": gettext_lazy("Done: the question is refused."),
    "release": gettext_lazy("Done: the question is released into the queue and its code e-mailed."),
    "save": gettext_lazy("Done: the answer is saved."),
    "submit": gettext_lazy("Done: the answer is submitted for review."),
    "publish": gettext_lazy("Done: the answer is published and the asker will be e-mailed."),
    "send": gettext_lazy("Done: the answer is approved and e-mailed to the asker only."),
    "reject": gettext_lazy("Done: the answer is returned to its writer."),
}


def _step(request, question: Question, action: str, bound: dict):
    """Run one POSTed step; returns the error message, or "" when done."""
    user = request.user
    form = bound.get("answer" if action in ("save", "submit") else action)
    if form is not None and not form.is_valid():
        return None  # the form shows its own errors
    data = form.cleaned_data if form is not None else {}
    if action == "assign":
        services.question_assign(question=question, by=user, to=data["to"])
    elif action == "pause":
        services.question_pause(question=question, by=user, reason=data["reason"])
    elif action == "resume":
        services.question_resume(question=question, by=user, comment=data["reason"])
    elif action == "extend":
        services.question_extend(
            question=question, by=user, days=data["days"], reason=data["reason"]
        )
    elif action == "refuse":
        services.question_refuse(question=question, by=user, reason=data["reason"])
    elif action == "release":
        services.question_release(question=question, by=user)
    elif action in ("save", "submit"):
        if not may_work(user):
            raise PermissionDenied(_("You cannot do this with questions."))
        if question.state not in (State.RECEIVED, State.ASSIGNED):
            raise QuestionError(_("The answer can be written while the question is open."))
        _save_answer(request, question, bound["answer"], submit=action == "submit")
    elif action in ("publish", "send", "reject"):
        original = _original(question)
        if original is None:
            raise QuestionError(_("This question has no answer yet."))
        workflow.perform(
            original,
            {"publish": Action.PUBLISH, "send": Action.SEND, "reject": Action.REJECT}[action],
            user,
            comment=request.POST.get("comment", ""),
        )
    else:
        raise QuestionError(_("Unknown action."))
    return ""


@staff_member_required
def question(request, question_id: int):
    question_obj = _access_question(request, question_id)
    user = request.user
    lang = request.LANGUAGE_CODE
    original = _original(question_obj)
    answer_state = _answer_state(original)
    rich = original is not None and is_rich(editing.working_text(original).body)
    allowed = _answer_languages(user, question_obj)
    if original is not None:
        allowed = [original.language] if original.language in user_languages(user) else []
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action", "") if posted else ""
    bound = {
        name: cls(posted if action == name else None, prefix=name)
        for name, cls in _STEP_FORMS.items()
    }
    bound["answer"] = AnswerForm(
        posted if action in ("save", "submit") else None,
        initial=_initial_answer(question_obj, original),
        languages_allowed=allowed or [question_obj.language],
        rich=rich,
        prefix="answer",
    )
    status = 200
    error = ""
    if posted is not None:
        if not may_work(user):
            raise PermissionDenied(_("You cannot do this with questions."))
        try:
            with transaction.atomic():
                done = _step(request, question_obj, action, bound)
        except (QuestionError, workflow.WorkflowError) as problem:
            error = str(problem)
        except PermissionDenied as problem:
            error = str(problem) or _("You are not allowed to do this.")
            status = 403
        else:
            if done is not None:
                messages.success(request, str(_DONE.get(action, "")))
                return redirect("editorial:question", question_id=question_obj.pk)
        status = 400 if status == 200 else status
        question_obj = _access_question(request, question_id)
        original = _original(question_obj)
    days = services.calendar()
    found = services.clock_of(question_obj, days=days)
    notes = dict(WorkCalendarDay.objects.filter(kind="off").values_list("date", "note"))
    from cangxanh.questions.views import skipped_runs

    open_ = question_obj.state in OPEN_STATES
    writable = question_obj.state in (State.RECEIVED, State.ASSIGNED) and bool(allowed)
    text_now = editing.working_text(original) if original is not None else None
    return render(
        request,
        "editorial/question.html",
        _context(
            request,
            title=_("Question %(code)s") % {"code": question_obj.code},
            question=question_obj,
            topic_name=question_obj.topic.name(lang),
            clock=found,
            closed=not open_ and question_obj.state != State.QUARANTINED,
            skipped=skipped_runs(found, notes),
            paused=services.is_paused(question_obj),
            forms=bound,
            error=error,
            can_work=may_work(user),
            can_moderate=may_moderate(user),
            can_approve=workflow.allowed(user, original, Action.PUBLISH) if original else False,
            can_send=workflow.allowed(user, original, Action.SEND) if original else False,
            open=open_,
            writable=writable,
            rich=rich,
            original=original,
            answer_state=answer_state,
            answer_status_label=Status(answer_state).label if answer_state else "",
            findings=(
                redact.findings(
                    "\n".join(
                        [
                            text_now.title,
                            text_now.slug.replace("-", " "),
                            text_now.lead,
                            strip_tags(text_now.body),
                        ]
                    ),
                    name=question_obj.name,
                )
                if text_now is not None
                else []
            ),
            # The address readers will see is confirmed with the words (kind.working_digest).
            answer_address=_address(original, text_now),
            # What the approver approves: the new version when one waits, never the old text.
            text_now=text_now,
            suggested=redact.findings(question_obj.text, name=question_obj.name),
            timeline=_timeline(question_obj, original),
            flags=[_flag_label(flag) for flag in question_obj.flags],
            language_name=languages.get(question_obj.language).native_name,
            clock_states=clock.STATE_LABELS,
        ),
        status=status,
    )


_FLAGS = {
    "link": gettext_lazy("a link"),
    "gambling": gettext_lazy("gambling words"),
    "mixed_script": gettext_lazy("a word mixing alphabets"),
    "markup": gettext_lazy("HTML or script"),
    "hidden_characters": gettext_lazy("hidden characters"),
    "repetition": gettext_lazy("repetition"),
    "no_proof": gettext_lazy("sent without the browser check (no JavaScript, or a script)"),
    "bad_proof": gettext_lazy("a forged browser check"),
    "too_fast": gettext_lazy("sent faster than a person types"),
    "bad_token": gettext_lazy("a missing or forged form token"),
    "incomplete_form": gettext_lazy("an incomplete form"),
}


def _flag_label(flag: str) -> str:
    return str(_FLAGS.get(flag, flag))
