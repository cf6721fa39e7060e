"""The newsroom's queue and each question's page: who sees them, and the steps that
move the clock only by events (pause, resume, extend), never by a reset."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cangxanh.inbox.models import Action, State, SubmissionEvent
from cangxanh.questions import clock, services
from cangxanh.questions.models import WorkCalendarDay

from .conftest import fresh, local

pytestmark = pytest.mark.django_db


def working_days_ago(count: int):
    """10:00 on the working day from which `count` working days have passed until today."""
    today = timezone.localdate()
    day = today
    while not (clock.is_working_day(day) and clock.working_days_between(day, today) == count):
        day -= timedelta(days=1)
    return local(day.year, day.month, day.day, 10)


def _as(client, user):
    client.force_login(user)
    return client


def test_translators_do_not_see_the_queue_or_a_question(client, people, make_question):
    question = make_question()
    _as(client, people["translator"])
    assert client.get("/editorial/questions/").status_code == 403
    assert client.get(f"/editorial/questions/{question.pk}/").status_code == 403
    response = client.post(
        f"/editorial/questions/{question.pk}/", {"action": "refuse", "refuse-reason": "x"}
    )
    assert response.status_code == 403
    assert fresh(question).state == State.RECEIVED


def test_strangers_are_sent_to_sign_in(client, make_question):
    question = make_question()
    response = client.get(f"/editorial/questions/{question.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_queue_marks_overdue_and_near_due_and_keeps_quarantine_apart(
    client, people, make_question
):
    today = timezone.localdate()
    late = make_question(timezone.now() - timedelta(days=40), email="late@example.vn")
    near = make_question(working_days_ago(13), email="near@example.vn")
    new = make_question(email="new@example.vn")
    spam = make_question(flags=["gambling"], email="spam@example.vn", text="nha cai uy tin so 1")
    _as(client, people["editor"])
    response = client.get("/editorial/questions/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-question="{late.pk}" data-clock="overdue"' in page
    assert services.clock_of(fresh(near)).working_days_left == 2
    assert f'data-question="{near.pk}" data-clock="near_due"' in page
    assert f'data-question="{new.pk}" data-clock="on_time"' in page
    main, quarantine = page.split('id="quarantine"')
    assert spam.code not in main and spam.code in quarantine
    assert "nha cai uy tin so 1" in quarantine
    overdue = client.get("/editorial/questions/?state=overdue").content.decode()
    assert late.code in overdue and new.code not in overdue
    assert fresh(late).due_on < today


def test_filters_by_topic_and_assignee(client, people, make_question):
    visas = make_question(email="v@example.vn")
    investment = make_question(topic="investment", email="i@example.vn")
    services.question_assign(question=investment, by=people["editor"], to=people["approver"])
    _as(client, people["editor"])
    by_topic = client.get(f"/editorial/questions/?topic={investment.topic_id}").content.decode()
    assert investment.code in by_topic and visas.code not in by_topic
    nobody = client.get("/editorial/questions/?assignee=nobody").content.decode()
    assert visas.code in nobody and investment.code not in nobody
    bad = client.get("/editorial/questions/?state=nonsense&topic=x&assignee=%00")
    assert bad.status_code == 200


def test_an_editor_assigns_a_question(client, people, make_question):
    question = make_question()
    _as(client, people["editor"])
    response = client.post(
        f"/editorial/questions/{question.pk}/",
        {"action": "assign", "assign-to": people["approver"].pk},
    )
    assert response.status_code == 302
    question = fresh(question)
    assert question.state == State.ASSIGNED and question.assignee == people["approver"]
    event = SubmissionEvent.objects.get(submission=question, action=Action.ASSIGNED)
    assert event.actor == people["editor"] and event.data == {"to": people["approver"].pk}


def test_assigning_to_someone_who_cannot_answer_is_refused(client, people, make_question):
    question = make_question()
    _as(client, people["editor"])
    response = client.post(
        f"/editorial/questions/{question.pk}/",
        {"action": "assign", "assign-to": people["translator"].pk},
    )
    assert response.status_code == 400
    assert fresh(question).assignee is None


def test_pause_resume_and_extend_are_events_that_keep_the_clock_honest(people, make_question):
    editor = people["editor"]
    # Received Monday 2 March 2026 at 10:00: due Monday 23 March without events.
    question = make_question(local(2026, 3, 2, 10))
    assert question.due_on == date(2026, 3, 23)
    services.question_pause(
        question=question, by=editor, reason="Cần hộ chiếu", on=date(2026, 3, 5)
    )
    assert fresh(question).due_on is None
    with pytest.raises(services.QuestionError):
        services.question_pause(question=question, by=editor, reason="again", on=date(2026, 3, 6))
    # Clarification on Thursday 12 March: Thu 5 … Wed 11 (5 working days) do not count.
    services.question_resume(question=question, by=editor, on=date(2026, 3, 12))
    assert fresh(question).due_on == date(2026, 3, 30)
    services.question_extend(question=question, by=editor, days=5, reason="Cần ý kiến Sở Tư pháp")
    assert fresh(question).due_on == date(2026, 4, 6)
    # Every step is kept, in order, and the clock is computed from all of them.
    actions = list(
        SubmissionEvent.objects.filter(submission=question).values_list("action", flat=True)
    )
    assert actions == [Action.PAUSED, Action.RESUMED, Action.EXTENDED]
    again = clock.compute(
        local(2026, 3, 2, 10),
        pauses=[(date(2026, 3, 5), date(2026, 3, 12))],
        extensions=[5],
        today=date(2026, 3, 2),
    )
    assert again.due_on == fresh(question).due_on


def test_pause_and_extend_need_a_reason_and_extensions_have_bounds(client, people, make_question):
    question = make_question()
    _as(client, people["editor"])
    url = f"/editorial/questions/{question.pk}/"
    assert client.post(url, {"action": "pause", "pause-reason": ""}).status_code == 400
    response = client.post(url, {"action": "extend", "extend-days": "40", "extend-reason": "x"})
    assert response.status_code == 400
    assert not SubmissionEvent.objects.filter(submission=question).exists()
    response = client.post(url, {"action": "pause", "pause-reason": "Xin bản chụp hộ chiếu"})
    assert response.status_code == 302
    assert fresh(question).due_on is None
    response = client.post(url, {"action": "resume", "resume-reason": ""})
    assert response.status_code == 302
    assert fresh(question).due_on is not None


def test_refusing_needs_a_reason_and_closes_the_question(client, people, make_question):
    question = make_question()
    _as(client, people["editor"])
    url = f"/editorial/questions/{question.pk}/"
    response = client.post(url, {"action": "refuse", "refuse-reason": "  "})
    assert response.status_code == 400
    assert fresh(question).state == State.RECEIVED
    client.post(url, {"action": "refuse", "refuse-reason": "Không thuộc thẩm quyền của Sở."})
    assert fresh(question).state == State.REFUSED
    response = client.post(url, {"action": "pause", "pause-reason": "x"})
    assert response.status_code == 400 and "closed" in response.content.decode()


def test_only_approvers_release_what_was_set_aside_and_the_code_is_mailed_then(
    client, people, make_question, django_capture_on_commit_callbacks
):
    question = make_question(flags=["no_proof"], email="nojs@example.vn")
    url = f"/editorial/questions/{question.pk}/"
    _as(client, people["editor"])
    assert client.post(url, {"action": "release"}).status_code == 403
    assert fresh(question).state == State.QUARANTINED
    _as(client, people["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "release"}).status_code == 302
    assert fresh(question).state == State.RECEIVED
    (message,) = mail.outbox
    assert message.to == ["nojs@example.vn"] and question.code in message.body


def test_question_text_is_shown_escaped_to_staff(client, people, make_question):
    question = make_question(text='<script>alert("x")</script> Xin hỏi về visa cho chuyên gia.')
    _as(client, people["editor"])
    page = client.get(f"/editorial/questions/{question.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_a_calendar_change_moves_open_due_dates_not_closed_ones(
    client, people, make_question, admin_user
):
    open_one = make_question(local(2026, 3, 2, 10), email="open@example.vn")
    closed = make_question(local(2026, 3, 2, 10), email="closed@example.vn")
    services.question_refuse(question=closed, by=people["editor"], reason="Trùng câu hỏi")
    assert fresh(open_one).due_on == fresh(closed).due_on == date(2026, 3, 23)
    # Editors and approvers do not change the calendar: administrators do.
    _as(client, people["approver"])
    assert client.get("/admin/questions/workcalendarday/add/").status_code == 403
    _as(client, admin_user)
    response = client.post(
        "/admin/questions/workcalendarday/add/",
        {"date": "2026-03-10", "kind": "off", "note": "Nghỉ thêm", "basis": "Thông báo 1/TB"},
    )
    assert response.status_code == 302
    assert fresh(open_one).due_on == date(2026, 3, 24)
    assert fresh(closed).due_on == date(2026, 3, 23)
    day = WorkCalendarDay.objects.get()
    response = client.post(f"/admin/questions/workcalendarday/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert fresh(open_one).due_on == date(2026, 3, 23)


def test_a_calendar_save_that_fails_moves_nothing(make_question, monkeypatch):
    question = make_question(local(2026, 3, 2, 10))

    def broken():
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "due_recompute_open", broken)
    with pytest.raises(RuntimeError):
        services.calendar_day_save(WorkCalendarDay(date=date(2026, 3, 10), kind="off"))
    # One transaction: the day is not kept either, so the stored dates stay true.
    assert not WorkCalendarDay.objects.exists()
    assert fresh(question).due_on == date(2026, 3, 23)


def test_the_queue_shows_closed_questions_that_were_late_with_one_query_for_all(
    client, people, make_question
):
    def refused(closed_at, email):
        question = make_question(local(2026, 3, 2, 10), email=email)  # due Monday 23 March
        event = services.question_refuse(question=question, by=people["editor"], reason="Trùng")
        SubmissionEvent.objects.filter(pk=event.pk).update(created_at=closed_at)
        return question

    in_time = refused(local(2026, 3, 23, 16), "intime@example.vn")
    late = refused(local(2026, 3, 25, 10), "late@example.vn")
    # 17:30 UTC on the due day is already the next day in Hai Phong.
    after_midnight = refused(datetime(2026, 3, 23, 17, 30, tzinfo=UTC), "night@example.vn")
    _as(client, people["editor"])
    client.get("/editorial/questions/?state=all")  # what the first visit caches
    with CaptureQueriesContext(connection) as first:
        page = client.get("/editorial/questions/?state=all").content.decode()

    def due_cell(question):
        return page.split(f">{question.code}</a>")[1].split("</tr>")[0]

    assert "late" not in due_cell(in_time)
    assert "refused 2 working days late" in due_cell(late)
    assert "refused 1 working day late" in due_cell(after_midnight)
    for n in range(3):
        refused(local(2026, 4, 1, 10), f"more{n}@example.vn")
    with CaptureQueriesContext(connection) as second:
        page = client.get("/editorial/questions/?state=all").content.decode()
    assert page.count('class="status status--late"') == 5
    assert len(second) == len(first), [q["sql"][:90] for q in second.captured_queries]
