"""The demo's consultations: one open and one closed, loaded through the moderation
service, answering in every language; loading again adds nothing."""

import pytest

from cangxanh.consultations import moderation
from cangxanh.consultations.models import KIND, Comment
from cangxanh.demo.consultations import load_consultations
from cangxanh.demo.loader import Report
from cangxanh.editorial import roles
from cangxanh.inbox.models import State
from cangxanh.news.models import Article

from ..conftest import LANGS
from .conftest import keys

pytestmark = pytest.mark.django_db


def test_the_demo_consultations(client, site_identity, chief, make_user):
    make_user("approver", roles.APPROVER)
    load_consultations(Report())
    load_consultations(Report())  # idempotent
    found = {a.import_key: a for a in Article.objects.filter(kind=KIND)}
    assert set(found) == {"consultation-reception-rules", "consultation-information-plan"}
    open_one, closed = found["consultation-reception-rules"], found["consultation-information-plan"]
    vi, en = (open_one.translations.get(language=code) for code in ("vi", "en"))
    assert keys(vi.body) == keys(en.body) and len(keys(vi.body)) == 17
    states = set(Comment.objects.filter(consultation=open_one).values_list("state", flat=True))
    assert states == {State.PUBLISHED, State.RECEIVED, State.QUARANTINED}
    summary = moderation.summary(closed.pk)
    assert (summary.received, summary.published, summary.refused, summary.waiting) == (9, 5, 4, 0)
    for lang in LANGS:
        for article in (open_one, closed):
            response = client.get(article.translations.get(language=lang).get_absolute_url())
            assert response.status_code == 200, (lang, article.import_key)
        assert client.get(f"/{lang}/consultations/").status_code == 200
    html = client.get(closed.translations.get(language="en").get_absolute_url()).content.decode()
    assert "Summary of the comments" in html
