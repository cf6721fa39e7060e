"""No personal data in any answer of the API: not the names, e-mail addresses or phone
numbers of people who asked a question or commented on a draft (published or not), nor
the staff's accounts."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from cangxanh.inbox.models import State

from .conftest import API, LISTS, walk

pytestmark = pytest.mark.django_db

LANGS = ("vi", "en", "ko", "ja", "zh-hans")


def test_no_asker_or_commenter_anywhere(
    client,
    make_article,
    make_document,
    make_event,
    leaders,
    division,
    pdf_bytes,
    make_question,
    make_consultation,
    make_comment,
    approver,
    staff,
):
    make_article(LANGS)
    make_document(pdf=pdf_bytes)
    make_event(timezone.now() + timedelta(days=1), leaders=leaders, host=division)
    make_question(name="Lê Thị Riêng Tư", email="rieng.tu@example.vn", phone="0912 345 678")
    consultation = make_consultation()
    make_comment(consultation, "Góp ý công khai", state=State.PUBLISHED, by=approver)
    make_comment(consultation, "Góp ý chưa duyệt")
    secrets = (
        "Lê Thị Riêng Tư",
        "rieng.tu@example.vn",
        "0912 345 678",
        "Nguyễn Văn An",  # the commenters' name (tests/consultations)
        "an@example.test",
        "approver@example.test",
        "chief@example.test",
    )
    answers = []
    for http in (client, staff):  # signed in or not, the same open data
        for lang in LANGS:
            for key in LISTS:
                items = walk(http, f"{API}{key}/?lang={lang}")
                answers.append(json.dumps(items, ensure_ascii=False))
                if key == "sections":
                    continue
                for item in items:
                    answers.append(
                        http.get(f"{API}{key}/{item['id']}/?lang={lang}").content.decode()
                    )
        for path in ("", "openapi.json", "catalog.jsonld"):
            answers.append(http.get(f"{API}{path}").content.decode())
    text = "\n".join(answers)
    assert "Lead vi" in text  # the walk did read the content
    for secret in secrets:
        assert secret not in text, secret
