"""Every write on a question: receiving it, and each step the office takes with it.

Each step locks the question's row, checks who acts and where the question
stands, changes it, and records a `SubmissionEvent`, in one transaction. Steps
that move the answer clock (pause, resume, extend) only add events: the due
date is then computed again from the received time, all the events and the
working-day calendar (`due_sync`), so nothing ever resets the clock.

The answer's text goes through the editorial workflow (editorial.question_views
writes it; `kind.after_step` follows its steps here).
"""

import logging
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cangxanh.inbox.models import CLOSED_STATES, OPEN_STATES, Action, State, SubmissionEvent

from . import clock, codes
from .models import CodeCounter, Question, WorkCalendarDay

logger = logging.getLogger(__name__)

MAX_EXTENSION_DAYS = 15  # one extension; the law's extensions are of this order
REASON_MAX = 2_000
# Questions whose due date follows the calendar: not yet closed (those set aside too,
# since a released question keeps the time it arrived).
DUE_STATES = (State.QUARANTINED, *OPEN_STATES)
CHANGE = "questions.change_question"
MODERATE = "inbox.moderate_submission"


class QuestionError(Exception):
    """A step that is not possible now; the message is for the person who tried."""


def may_work(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(CHANGE))


def may_moderate(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(MODERATE))


def _require(user, check) -> None:
    if not check(user):
        raise PermissionDenied(_("You cannot do this with questions."))


# --- the calendar and the clock ------------------------------------------------------


def calendar() -> dict[date, str]:
    """The administrators' calendar: {date: "off" | "work"}."""
    return dict(WorkCalendarDay.objects.values_list("date", "kind"))


def clock_inputs(events) -> tuple[list[tuple[date, date | None]], list[int]]:
    """The pauses and extensions in a question's events (in order)."""
    pauses: list[tuple[date, date | None]] = []
    extensions: list[int] = []
    opened: date | None = None
    for event in events:
        if event.action == Action.PAUSED and opened is None:
            opened = date.fromisoformat(event.data["on"])
        elif event.action == Action.RESUMED and opened is not None:
            resumed = max(opened, date.fromisoformat(event.data["on"]))
            pauses.append((opened, resumed))
            opened = None
        elif event.action == Action.EXTENDED:
            extensions.append(int(event.data["days"]))
    if opened is not None:
        pauses.append((opened, None))
    return pauses, extensions


_CLOCK_ACTIONS = (Action.PAUSED, Action.RESUMED, Action.EXTENDED)


def _clock_events(question: Question) -> list:
    cache = getattr(question, "_prefetched_objects_cache", {})
    if "events" in cache:
        return sorted(
            (e for e in question.events.all() if e.action in _CLOCK_ACTIONS),
            key=lambda e: (e.created_at, e.pk),
        )
    return list(question.events.filter(action__in=_CLOCK_ACTIONS).order_by("created_at", "id"))


def clock_of(
    question: Question, *, days: dict[date, str] | None = None, today: date | None = None
) -> clock.Clock:
    """The question's answer clock as it stands `today` (default: today, locally)."""
    pauses, extensions = clock_inputs(_clock_events(question))
    return clock.compute(
        question.created_at,
        overrides=calendar() if days is None else days,
        pauses=pauses,
        extensions=extensions,
        today=today or timezone.localdate(),
    )


def closing_event(question: Question) -> SubmissionEvent | None:
    """The event that closed the question: the first to take it from the queue to a closed
    state (an answer sent privately and published later was closed when it was sent).
    Reads the prefetched events when there are some, so a list costs no query per row."""
    cache = getattr(question, "_prefetched_objects_cache", {})
    rows = question.events.all() if "events" in cache else question.events.order_by()
    closing = [e for e in rows if e.to_state in CLOSED_STATES and e.from_state not in CLOSED_STATES]
    return min(closing, key=lambda e: (e.created_at, e.pk), default=None)


def days_late(question: Question, *, days: dict[date, str] | None = None) -> int | None:
    """Working days from the due date to the (local) day the question was closed, for a
    question closed after its due date; None for one still open or closed in time."""
    if question.state not in CLOSED_STATES or question.due_on is None:
        return None
    event = closing_event(question)
    if event is None:
        return None
    closed_on = event.created_at.astimezone(clock.TIME_ZONE).date()
    if closed_on <= question.due_on:
        return None
    overrides = calendar() if days is None else days
    return clock.working_days_between(question.due_on, closed_on, overrides)


def is_paused(question: Question) -> bool:
    pauses, _extensions = clock_inputs(_clock_events(question))
    return bool(pauses) and pauses[-1][1] is None


def due_sync(question: Question, *, days: dict[date, str] | None = None) -> bool:
    """Store the due date the clock gives now; True if it changed."""
    due = clock_of(question, days=days).due_on
    if due == question.due_on:
        return False
    question.due_on = due
    Question.objects.filter(pk=question.pk).update(due_on=due)
    return True


def due_recompute_open() -> int:
    """Recompute the due dates of every question not yet closed; how many moved."""
    days = calendar()
    moved = 0
    for question in Question.objects.filter(state__in=DUE_STATES).prefetch_related("events"):
        moved += due_sync(question, days=days)
    return moved


def calendar_day_save(day: WorkCalendarDay) -> int:
    """Save an administrator's calendar entry and move the open due dates with it."""
    with transaction.atomic():
        day.full_clean()
        day.save()
        return due_recompute_open()


def calendar_day_delete(day: WorkCalendarDay) -> int:
    with transaction.atomic():
        day.delete()
        return due_recompute_open()


def calendar_days_delete(days) -> int:
    """Delete several calendar entries (a queryset) and move the open due dates once."""
    with transaction.atomic():
        days.delete()
        return due_recompute_open()


def after_migrate(**kwargs) -> None:
    """A holidays library upgraded with the code may know other days: open due dates
    follow it (post_migrate, when the table exists)."""
    if Question._meta.db_table in connection.introspection.table_names():
        moved = due_recompute_open()
        if moved:
            logger.warning("Due dates of %d open questions moved with the calendar.", moved)


# --- receiving ----------------------------------------------------------------------


def code_next(year: int) -> str:
    """The next tracking code of `year`, numbered under the year's row lock."""
    with transaction.atomic():
        counter = CodeCounter.objects.select_for_update().filter(year=year).first()
        if counter is None:
            try:
                with transaction.atomic():
                    CodeCounter.objects.create(year=year, last=0)
            except IntegrityError:
                pass  # created meanwhile by another request
            counter = CodeCounter.objects.select_for_update().get(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return codes.make_code(year, counter.last)


def question_receive(
    *,
    language: str,
    name: str,
    email: str,
    phone: str,
    topic,
    text: str,
    client: str,
    flags: list[str],
    proof_ok: bool,
    consent_version: str,
    received_at: datetime | None = None,
) -> Question:
    """Keep a question from the public; set aside (quarantined) when `flags` say why."""
    received_at = received_at or timezone.now()
    with transaction.atomic():
        question = Question(
            language=language,
            name=name,
            email=email,
            phone=phone,
            topic=topic,
            text=text,
            client=client,
            flags=list(flags),
            proof_ok=proof_ok,
            consent_version=consent_version,
            created_at=received_at,
            state=State.QUARANTINED if flags else State.RECEIVED,
            code=code_next(timezone.localtime(received_at).year),
        )
        question.save()
        due_sync(question)
    # Never the text or the address: a log is read by more people than the queue.
    logger.info("Question %s received (%s).", question.pk, question.state)
    return question


# --- steps ------------------------------------------------------------------------


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


def _record(question, action, by, before, *, comment="", data=None) -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        submission=question,
        actor=by,
        action=action,
        from_state=before,
        to_state=question.state,
        comment=comment,
        data=data or {},
    )


def _reason(text: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise QuestionError(missing)
    if len(text) > REASON_MAX:
        raise QuestionError(
            _("Please keep the reason under %(max)d characters.") % {"max": REASON_MAX}
        )
    return text


def _open(question: Question) -> None:
    if question.state == State.QUARANTINED:
        raise QuestionError(_("Release the question from quarantine first."))
    if question.state not in OPEN_STATES:
        raise QuestionError(
            _("This question is closed (“%(state)s”).") % {"state": question.get_state_display()}
        )


def _sync_caller(question: Question, current: Question) -> None:
    for field in ("state", "assignee_id", "due_on"):
        setattr(question, field, getattr(current, field))


def question_release(*, question: Question, by) -> SubmissionEvent:
    """A person has read a question set aside and lets it into the queue."""
    from . import mail

    _require(by, may_moderate)
    with transaction.atomic():
        current = _locked(question)
        if current.state != State.QUARANTINED:
            raise QuestionError(_("This question is not set aside."))
        before, current.state = current.state, State.RECEIVED
        current.save(update_fields=["state"])
        event = _record(current, Action.RELEASED, by, before)
        mail.mail_queue(current, mail.MailKind.RECEIVED)
    _sync_caller(question, current)
    return event


def question_refuse(*, question: Question, by, reason: str) -> SubmissionEvent:
    """Close a question without an answer (spam, out of the office's remit…), with why."""
    reason = _reason(reason, _("Say why the question is refused."))
    with transaction.atomic():
        current = _locked(question)
        if current.state == State.QUARANTINED:
            _require(by, may_moderate)
        else:
            _require(by, may_work)
            _open(current)
        before, current.state = current.state, State.REFUSED
        current.save(update_fields=["state"])
        event = _record(current, Action.REFUSED, by, before, comment=reason)
    _sync_caller(question, current)
    return event


def assignable_users():
    """Active staff who may work on questions (their group's or their own permission)."""
    from django.contrib.auth import get_user_model

    granted = Q(groups__permissions__codename="change_question") | Q(
        user_permissions__codename="change_question"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | granted)
        .distinct()
        .order_by("username")
    )


def question_assign(*, question: Question, by, to) -> SubmissionEvent:
    _require(by, may_work)
    if to is None or not may_work(to) or not to.is_staff:
        raise QuestionError(_("Choose a staff member who works on questions."))
    with transaction.atomic():
        current = _locked(question)
        _open(current)
        before = current.state
        current.assignee = to
        if current.state == State.RECEIVED:
            current.state = State.ASSIGNED
        current.save(update_fields=["assignee", "state"])
        event = _record(current, Action.ASSIGNED, by, before, data={"to": to.pk})
    _sync_caller(question, current)
    return event


def question_pause(*, question: Question, by, reason: str, on: date | None = None):
    """Stop the clock while the asker is asked to clarify (an event, not a reset)."""
    _require(by, may_work)
    reason = _reason(reason, _("Say what the asker must clarify."))
    on = on or timezone.localdate()
    with transaction.atomic():
        current = _locked(question)
        _open(current)
        if is_paused(current):
            raise QuestionError(_("The clock is already paused."))
        event = _record(
            current, Action.PAUSED, by, current.state, comment=reason, data={"on": on.isoformat()}
        )
        due_sync(current)
    _sync_caller(question, current)
    return event


def question_resume(*, question: Question, by, comment: str = "", on: date | None = None):
    """The clarification arrived: the clock runs again from `on` (that day counts)."""
    _require(by, may_work)
    on = on or timezone.localdate()
    with transaction.atomic():
        current = _locked(question)
        _open(current)
        if not is_paused(current):
            raise QuestionError(_("The clock is not paused."))
        event = _record(
            current,
            Action.RESUMED,
            by,
            current.state,
            comment=(comment or "").strip()[:REASON_MAX],
            data={"on": on.isoformat()},
        )
        due_sync(current)
    _sync_caller(question, current)
    return event


def question_extend(*, question: Question, by, days: int, reason: str) -> SubmissionEvent:
    """Give the office more working days, with the reason (added to the clock's total)."""
    _require(by, may_work)
    reason = _reason(reason, _("Say why the deadline is extended."))
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise QuestionError(
            _("An extension is from 1 to %(max)d working days.") % {"max": MAX_EXTENSION_DAYS}
        )
    with transaction.atomic():
        current = _locked(question)
        _open(current)
        event = _record(
            current, Action.EXTENDED, by, current.state, comment=reason, data={"days": days}
        )
        due_sync(current)
    _sync_caller(question, current)
    return event


def question_link_answer(*, question: Question, article, by) -> None:
    """The answer's article was just made for this question (editorial.question_views)."""
    _require(by, may_work)
    with transaction.atomic():
        current = _locked(question)
        _open(current)
        if current.answer_id is not None and current.answer_id != article.pk:
            raise QuestionError(_("This question already has an answer."))
        current.answer = article
        fields = ["answer"]
        if current.assignee_id is None:
            # Whoever writes the answer handles the question, unless someone was named.
            current.assignee = by
            fields.append("assignee")
        before = current.state
        if current.state == State.RECEIVED:
            current.state = State.ASSIGNED
            fields.append("state")
        current.save(update_fields=fields)
        if before == State.RECEIVED:
            _record(current, Action.ASSIGNED, by, before, data={"to": by.pk})
    _sync_caller(question, current)
    question.answer = article


def question_confirm_redaction(*, question: Question, translation, digest: str, by):
    """Someone who works on questions confirms that this text of the answer holds no
    personal data (kind.before_step asks for it before the text goes further)."""
    _require(by, may_work)
    with transaction.atomic():
        current = _locked(question)
        return _record(
            current,
            Action.CHECKED,
            by,
            current.state,
            data={"translation": translation.pk, "digest": digest},
        )


def redaction_confirmed(question: Question, translation, digest: str) -> bool:
    return any(
        event.data.get("translation") == translation.pk and event.data.get("digest") == digest
        for event in question.events.filter(action=Action.CHECKED)
    )
