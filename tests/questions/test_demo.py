"""The demo's questions (demo/questions.py): twelve in every state, two overdue counted in
working days from the load day, answers in two to five languages, nothing e-mailed."""

from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone

from cangxanh.demo.loader import Report, load_users
from cangxanh.demo.questions import load_questions
from cangxanh.editorial import compliance
from cangxanh.inbox.models import OPEN_STATES, State
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
        State.RECEIVED: 2,
        State.ASSIGNED: 3,  # one of them paused
        State.ANSWERED: 1,
        State.PUBLISHED: 3,
        State.ANSWERED_PRIVATELY: 1,
        State.REFUSED: 1,
        State.QUARANTINED: 1,
    }
    today = timezone.localdate()
    overdue = Question.objects.filter(state__in=OPEN_STATES, due_on__lt=today)
    assert overdue.count() == 2
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
    assert result.status == compliance.WARN and result.detail == "2 questions are overdue."
    again = Report()
    load_questions(again)
    assert again.created == {}
    for lang, count in (("vi", 3), ("en", 3), ("ko", 2), ("ja", 1), ("zh-hans", 1)):
        page = client.get(f"/{lang}/questions/").content.decode()
        assert page.count("qa-item__title") == count, lang
