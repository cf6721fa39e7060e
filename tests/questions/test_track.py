"""Following a question: code and e-mail by POST, one message for both wrong cases, the
check digit named, the clock shown with the days it skipped, and a limit per client."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cangxanh.inbox.models import SubmissionEvent
from cangxanh.questions import codes, services
from cangxanh.questions.models import Question, WorkCalendarDay

from .conftest import local

pytestmark = pytest.mark.django_db

NOT_FOUND = "We found no question with this tracking code and e-mail address."


def _track(client, code, email, lang="en"):
    return client.post(f"/{lang}/questions/track/", {"code": code, "email": email})


def test_the_right_code_and_email_show_the_state_the_dates_and_the_holidays(client, make_question):
    question = make_question(local(2026, 2, 11, 9, 30), email="Asker@Example.vn")
    response = _track(client, question.code.lower().replace("-", " "), "asker@example.VN")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert f"Question {question.code}" in page
    assert "Received" in page
    # Received Wednesday 11 February 2026; Tết Bính Ngọ (16–20 February) does not count.
    assert question.due_on == date(2026, 3, 11)
    assert "11/03/2026" in page or "March 11, 2026" in page or "11 March 2026" in page
    skipped = re.search(r'<ul class="qa-skipped">(.*?)</ul>', page, re.S).group(1)
    assert "Tết Nguyên Đán" in skipped and "Giao thừa Tết Nguyên Đán" in skipped
    assert skipped.count("<li>") == 5  # each day by its own name
    assert "public holiday" in skipped


def test_an_extra_day_off_is_shown_by_its_note(client, make_question):
    question = make_question(local(2026, 3, 2, 9))
    services.calendar_day_save(
        WorkCalendarDay(date=date(2026, 3, 9), kind="off", note="Ngày nghỉ thử nghiệm")
    )
    page = _track(client, question.code, "asker@example.vn").content.decode()
    assert "Ngày nghỉ thử nghiệm" in page and "extra day off" in page


@pytest.mark.parametrize("wrong", ["email", "code"])
def test_not_found_and_wrong_email_say_the_same(client, make_question, wrong):
    question = make_question(email="asker@example.vn")
    if wrong == "email":
        response = _track(client, question.code, "someone.else@example.vn")
    else:
        parsed = codes.parse_code(question.code)
        response = _track(
            client, codes.make_code(parsed.year, parsed.number + 1), "asker@example.vn"
        )
    assert response.status_code == 404
    page = response.content.decode()
    assert NOT_FOUND in page
    assert "asker@example.vn" not in page or wrong == "code"
    assert "qa-result" not in page


def test_a_mistyped_code_says_the_check_digit_does_not_match_without_a_lookup(
    client, make_question
):
    question = make_question()
    typo = question.code[:-1] + str((int(question.code[-1]) + 1) % 10)
    with CaptureQueriesContext(connection) as queries:
        response = _track(client, typo, "asker@example.vn")
    assert not [q for q in queries if "questions_question" in q["sql"]]
    assert response.status_code == 400
    page = response.content.decode()
    assert "check digit of this tracking code does not match" in page
    assert NOT_FOUND not in page
    assert typo in page  # what was typed is kept


def test_text_that_is_no_code_says_what_a_code_looks_like(client, db):
    page = _track(client, "my question about visas", "a@example.vn").content.decode()
    assert "This is not a tracking code" in page


def test_lookups_are_limited_per_client(client, make_question, settings):
    settings.QUESTIONS_TRACK_RATE = "2/hour"
    question = make_question()
    assert _track(client, question.code, "asker@example.vn").status_code == 200
    assert _track(client, question.code, "wrong@example.vn").status_code == 404
    response = _track(client, question.code, "asker@example.vn")
    assert response.status_code == 429
    assert response["Cache-Control"] == "private, no-store"
    assert int(response["Retry-After"]) > 0


def test_the_link_in_the_email_fills_in_the_code(client, make_question):
    question = make_question()
    response = client.get(f"/vi/questions/track/?code={question.code}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert f'value="{question.code}"' in response.content.decode()


def test_a_paused_question_says_the_clock_waits(client, make_question, people):
    question = make_question(local(2026, 3, 2, 9))
    services.question_pause(
        question=question, by=people["editor"], reason="Cần bản sao hộ chiếu", on=date(2026, 3, 4)
    )
    assert Question.objects.get(pk=question.pk).due_on is None
    page = _track(client, question.code, "asker@example.vn").content.decode()
    assert "The clock is paused while we wait for your clarification." in page


def test_a_refused_question_shows_why(client, make_question, people):
    question = make_question()
    services.question_refuse(
        question=question,
        by=people["editor"],
        reason="Outside our remit: ask the Department of Justice.",
    )
    page = _track(client, question.code, "asker@example.vn").content.decode()
    assert "Closed without an answer" in page
    assert "Outside our remit: ask the Department of Justice." in page


def test_a_question_closed_after_its_due_date_says_how_late(client, make_question, people):
    question = make_question(local(2026, 3, 2, 10))  # due Monday 23 March 2026
    event = services.question_refuse(question=question, by=people["editor"], reason="Trùng")
    SubmissionEvent.objects.filter(pk=event.pk).update(created_at=local(2026, 3, 26, 9))
    page = _track(client, question.code, "asker@example.vn").content.decode()
    assert "(3 working days after the due date)" in page
    SubmissionEvent.objects.filter(pk=event.pk).update(created_at=local(2026, 3, 23, 16))
    page = _track(client, question.code, "asker@example.vn").content.decode()
    assert "after the due date" not in page


def test_a_closed_question_reads_the_calendar_and_its_events_once(client, make_question, people):
    question = make_question(local(2026, 3, 2, 10))
    event = services.question_refuse(question=question, by=people["editor"], reason="Trùng")
    SubmissionEvent.objects.filter(pk=event.pk).update(created_at=local(2026, 3, 26, 9))
    with CaptureQueriesContext(connection) as queries:
        page = _track(client, question.code, "asker@example.vn").content.decode()
    assert "(3 working days after the due date)" in page
    calendar = [q for q in queries if 'FROM "questions_workcalendarday"' in q["sql"]]
    events = [q for q in queries if 'FROM "inbox_submissionevent"' in q["sql"]]
    assert len(calendar) == 1  # the clock, the skipped days' notes and the days late
    assert len(events) == 1  # the clock, the closing step and the days late
