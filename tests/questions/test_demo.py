"""The demo's questions (demo/questions.py): twelve in every state, none of the open ones
overdue and two closed past their deadline (counted in working days from the load day, so
the newsroom shows them late whatever the day), answers in two to five languages, nothing
e-mailed."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from cangxanh.demo.loader import Report, load_users
from cangxanh.demo.questions import load_questions
from cangxanh.editorial import compliance
from cangxanh.inbox.models import CLOSED_STATES, OPEN_STATES, State
from cangxanh.news.models import ArticleTranslation
from cangxanh.questions import services
from cangxanh.questions.models import Question, QuestionMail, Topic

pytestmark = pytest.mark.django_db


def test_the_demo_questions(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_users(Report())
        report = Report()
        load_questions(report)
    assert report.created == {"question topics": 5, "questions": 12}
    assert all(len(t.names.all()) == 5 for t in Topic.objects.prefetch_related("names"))
    states = Counter(Question.objects.values_list("state", flat=True))
    assert states == {
        State.RECEIVED: 1,
        State.ASSIGNED: 2,  # one of them paused
        State.ANSWERED: 1,
        State.PUBLISHED: 3,
        State.ANSWERED_PRIVATELY: 2,
        State.REFUSED: 2,
        State.QUARANTINED: 1,
    }
    today = timezone.localdate()
    assert not Question.objects.filter(state__in=OPEN_STATES, due_on__lt=today).exists()
    # Two were closed after their due date: answered 2 working days late, refused 1.
    days = services.calendar()
    late = {
        q.consent_version: services.days_late(q, days=days)
        for q in Question.objects.filter(state__in=CLOSED_STATES)
    }
    assert {key: n for key, n in late.items() if n is not None} == {
        "demo:answered-privately-late": 2,
        "demo:refused-late": 1,
    }
    assert sum(services.is_paused(q) for q in Question.objects.filter(state=State.ASSIGNED)) == 1
    spam = Question.objects.get(state=State.QUARANTINED)
    assert "gambling" in spam.flags and "link" in spam.flags
    languages = sorted(
        ArticleTranslation.objects.published()
        .filter(article__question__isnull=False)
        .values_list("article_id", flat=True)
    )
    assert sorted(Counter(languages).values()) == [2, 3, 5]
    # Codes follow the order of arrival.
    codes = list(Question.objects.order_by("created_at").values_list("code", flat=True))
    assert codes == sorted(codes)
    # Everything the steps e-mailed is recorded as sent back then: nothing goes out now.
    assert not mail.outbox
    assert not QuestionMail.objects.filter(sent_at=None).exists()
    result = next(r for c, r in compliance.run_all() if c.code == "questions-on-time")
    assert result.status == compliance.OK, result.detail
    assert result.detail == "4 open questions, all within their deadline."
    # The newsroom's list shows staff which closed questions were late, and by how much.
    client.force_login(get_user_model().objects.get(username="approver"))
    page = client.get("/editorial/questions/?state=all").content.decode()
    assert page.count('class="status status--late"') == 2
    for key, mark in (
        ("answered-privately-late", "answered 2 working days late"),
        ("refused-late", "refused 1 working day late"),
    ):
        code = Question.objects.get(consent_version=f"demo:{key}").code
        row = page.split(f">{code}</a>")[1].split("</tr>")[0]
        assert mark in row, key
    client.logout()
    again = Report()
    load_questions(again)
    assert again.created == {}
    for lang, count in (("vi", 3), ("en", 3), ("ko", 2), ("ja", 1), ("zh-hans", 1)):
        page = client.get(f"/{lang}/questions/").content.decode()
        assert page.count("qa-item__title") == count, lang
