"""The compliance item "Questions answered on time": amber (warn) while open questions
are overdue, never red; green once none is (as on the demo: tests/questions/test_demo.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cangxanh.editorial import compliance
from cangxanh.questions import services

pytestmark = pytest.mark.django_db


def _run():
    check = next(c for c, _r in compliance.run_all() if c.code == "questions-on-time")
    return check.run()


def test_on_time_then_overdue_is_a_warning(make_question, people):
    make_question()
    result = _run()
    assert result.status == compliance.OK
    late = [make_question(timezone.now() - timedelta(days=45), email=f"{n}@e.vn") for n in range(2)]
    result = _run()
    assert result.status == compliance.WARN
    assert result.detail == "2 questions are overdue."
    assert result.fix_url == "/editorial/questions/?state=overdue"
    # Closed questions are no longer late.
    for question in late:
        services.question_refuse(question=question, by=people["editor"], reason="Trùng lặp")
    assert _run().status == compliance.OK


def test_the_compliance_page_shows_it(client, admin_user, make_question):
    make_question(timezone.now() - timedelta(days=45))
    client.force_login(admin_user)
    page = client.get("/editorial/compliance/").content.decode()
    assert 'data-check="questions-on-time" data-status="warn"' in page
    assert "1 question is overdue." in page
