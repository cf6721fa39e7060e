"""Consultations in the newsroom's admin: made over HTTP, their dates saved through
editorial.facts (so a published consultation's new dates wait for an approver), the
draft anchored when saved."""

import pytest
from django.urls import reverse

from cangxanh.consultations.models import KIND, Consultation, ConsultationFacts
from cangxanh.editorial import roles, workflow
from cangxanh.editorial.models import Action, PendingVersion
from cangxanh.news.models import Status

from .conftest import keys

pytestmark = pytest.mark.django_db

ADD = "admin:consultations_consultation_add"


def texts_post(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "translations-TOTAL_FORMS": str(len(rows)),
        "translations-INITIAL_FORMS": str(initial),
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"translations-{index}-{name}": value for name, value in row.items()}
    return data


def facts_post(opens=("2026-12-01", "08:00"), closes=("2026-12-31", "17:00")) -> dict:
    return {
        "original_language": "vi",
        "opens_at_0": opens[0],
        "opens_at_1": opens[1],
        "closes_at_0": closes[0],
        "closes_at_1": closes[1],
        "document": "",
    }


DRAFT = "<h2>Điều 1</h2><p>Phạm vi điều chỉnh.</p><p>Đối tượng áp dụng.</p>"


def test_an_editor_makes_a_consultation_over_http(client, make_user):
    editor = make_user("editor", roles.EDITOR, ["vi"])
    client.force_login(editor)
    form = client.get(reverse(ADD), HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="opens_at_0"' in html and 'name="closes_at_0"' in html
    assert "The draft&#x27;s text" in html  # the body's label for this kind
    data = facts_post() | texts_post(
        [
            {
                "language": "vi",
                "title": "Dự thảo quy chế",
                "slug": "",
                "lead": "Tóm tắt",
                "body": DRAFT,
            }
        ]
    )
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    consultation = Consultation.objects.get()
    assert consultation.kind == KIND and consultation.section_id is None
    facts = ConsultationFacts.objects.get(article=consultation)
    assert facts.opens_at.isoformat() == "2026-12-01T01:00:00+00:00"  # 08:00 in Hanoi
    row = consultation.translations.get()
    assert row.status == Status.DRAFT and len(keys(row.body)) == 3 and all(keys(row.body))
    listing = client.get(reverse("admin:consultations_consultation_changelist")).content.decode()
    assert "Dự thảo quy chế" in listing


def test_closing_before_opening_is_refused_with_a_message(client, chief):
    client.force_login(chief)
    data = facts_post(closes=("2026-11-30", "08:00")) | texts_post(
        [{"language": "vi", "title": "Dự thảo", "slug": "", "lead": "", "body": ""}]
    )
    response = client.post(reverse(ADD), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The consultation must close after it opens." in response.content.decode()
    assert not Consultation.objects.exists()


def test_new_dates_of_a_published_consultation_wait_for_approval(client, chief, make_consultation):
    article = make_consultation(langs=("vi",))
    before = article.consultation_facts.closes_at
    row = article.translations.get()
    client.force_login(chief)
    data = facts_post(closes=("2030-01-31", "17:00")) | texts_post(
        [
            {
                "id": str(row.pk),
                "article": str(article.pk),
                "language": "vi",
                "title": row.title,
                "slug": row.slug,
                "lead": row.lead,
                "body": row.body,
            }
        ],
        initial=1,
    )
    url = reverse("admin:consultations_consultation_change", args=[article.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ConsultationFacts.objects.get(article=article).closes_at == before
    assert (
        PendingVersion.objects.get(translation=row)
        .facts["extra"]["closes_at"]
        .startswith("2030-01-31T10:00")
    )
    workflow.perform(row, Action.PUBLISH, chief)
    assert ConsultationFacts.objects.get(article=article).closes_at.year == 2030
