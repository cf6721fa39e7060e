"""Doors pushed as an attacker would: crafted requests to the public forms and to the
newsroom's questions, and the ways personal data could slip past the redaction step.

Each test names what it defends; tests/inbox holds the defences' own tests."""

import pytest
from django.core import mail
from django.test import Client

from cangxanh.editorial import workflow
from cangxanh.editorial.editing import translation_save_text
from cangxanh.editorial.models import Action as Step
from cangxanh.news.models import ArticleTranslation, Status
from cangxanh.questions.models import Question

from .conftest import QUESTION, fresh
from .test_answers import _answer, _as

pytestmark = pytest.mark.django_db


# --- the e-mail address ------------------------------------------------------------------


def test_spellings_of_one_address_share_its_few_codes_a_day(
    ask, settings, django_capture_on_commit_callbacks
):
    """The mail library delivers all of these to minjun@example.kr; each spelling must
    not get a daily allowance of its own (a way to flood one mailbox)."""
    settings.QUESTIONS_RATE = "0"
    spellings = [
        "minjun@example.kr",
        "minjun@exa\u200bmple.kr",  # a zero-width space
        "minjun@ｅxample.kr",  # a full-width letter
        "MinJun@EXAMPLE.KR\u200d",
        "minjun+ask@example.kr",
        "minjun@exam\u00adple.kr",  # a soft hyphen
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for email in spellings:
            assert ask("en", email=email).status_code == 200, email
    assert Question.objects.count() == len(spellings)
    assert len(mail.outbox) == 3
    stored = set(Question.objects.values_list("email", flat=True))
    assert stored == {"minjun@example.kr", "MinJun@example.kr", "minjun+ask@example.kr"}


def test_an_address_pasted_with_an_invisible_character_is_found_when_typed_plainly(client, ask):
    ask("en", email="binh@exa\u200bmple.vn\u200b")
    code = Question.objects.get().code
    response = client.post("/en/questions/track/", {"code": code, "email": "binh@example.vn"})
    assert response.status_code == 200
    assert code in response.content.decode()


@pytest.mark.parametrize(
    "email",
    [
        '"binh,other"@example.vn',  # a quoted local part: commas, spaces
        '"bi\x0bnh"@example.vn',  # a control character inside quotes
        "binh@example.vn\r\nBcc: victim@example.com",
        "binh@example.vn\nBcc: victim@example.com",
    ],
)
def test_addresses_that_are_not_a_persons_are_refused_and_the_text_kept(ask, email):
    response = ask("en", email=email)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid e-mail address" in page and QUESTION in page
    assert not Question.objects.exists() and not mail.outbox


def test_the_name_never_reaches_a_mail_header(ask, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask("en", name="Binh\r\nBcc: victim@example.com")
    (message,) = mail.outbox
    assert message.recipients() == ["minjun.kim@example.kr"]
    assert "Bcc" not in message.message().as_string() and "victim" not in message.body


# --- the limit per client ----------------------------------------------------------------


def test_over_the_limit_the_form_comes_back_with_what_was_typed(ask, settings):
    settings.QUESTIONS_RATE = "1/hour"
    assert ask("en", email="one@example.vn").status_code == 200
    response = ask("en", email="two@example.vn", name="Trần Thị Bình")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "Too many questions from here" in page and "Please try again in" in page
    for typed in (QUESTION, "two@example.vn", "Trần Thị Bình"):
        assert typed in page
    assert Question.objects.count() == 1


def test_every_address_of_one_ipv6_network_is_one_client(ask, settings):
    """A /64 is one line or one server: taking a fresh address from it is free."""
    settings.QUESTIONS_RATE = "1/hour"

    def from_(address):
        return ask("en", http=Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en"))

    assert from_("2001:db8:1:2::1").status_code == 200
    assert from_("2001:db8:1:2:ffff:ffff:ffff:fffe").status_code == 429
    assert from_("2001:db8:1:3::1").status_code == 200  # another network
    assert from_("192.0.2.1").status_code == 200


def test_a_forwarded_for_header_does_not_make_a_new_client(ask, settings):
    """X-Forwarded-For is believed only from the trusted proxies, and read from the right:
    a client cannot escape its limit by naming other addresses (core.client)."""
    settings.QUESTIONS_RATE = "1/hour"
    settings.TRUSTED_PROXIES = ["127.0.0.0/8"]
    direct = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert ask("en", http=direct).status_code == 200
    direct.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.2"
    assert ask("en", http=direct).status_code == 429
    # Behind the proxy: what the client wrote first, the proxy's entry last.
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.3, 203.0.113.9")
    assert ask("en", http=proxied).status_code == 200
    proxied.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.4, 203.0.113.9"
    assert ask("en", http=proxied).status_code == 429


# --- what translators see ------------------------------------------------------------------


def test_translators_see_an_answer_only_once_its_personal_data_is_confirmed_gone(
    client, people, make_question
):
    question = make_question(
        text="Tôi ở số 12 phố Lạch Tray, Hải Phòng, xin hỏi về thị thực cho chồng tôi."
    )
    _as(client, people["editor"])
    lead = "Tôi ở số 12 phố Lạch Tray. Xin hỏi về thị thực cho chồng tôi."
    assert _answer(client, question, action="save", confirm=False, **{"answer-lead": lead})
    article_id = fresh(question).answer_id
    desk, xliff = f"/editorial/desk/{article_id}/en/", f"/editorial/desk/{article_id}/en/xliff/"
    _as(client, people["translator"])
    for url in (desk, xliff):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Lạch Tray" not in response.content.decode()
    # Someone who answers questions removed the address and confirmed it.
    _as(client, people["editor"])
    lead = "Xin hỏi về thị thực cho chồng tôi."
    _answer(client, question, action="save", **{"answer-lead": lead})
    _as(client, people["translator"])
    for url in (desk, xliff):
        assert client.get(url).status_code == 200, url


# --- the redaction step --------------------------------------------------------------------


def test_the_address_is_confirmed_with_the_words(client, people, make_question):
    """The slug is part of the answer's public address: changing it after the check (the
    admin lets one) is a text nobody confirmed."""
    question = make_question()
    _as(client, people["editor"])
    _answer(client, question, action="save")
    original = fresh(question).answer.translations.get()
    page = client.get(f"/editorial/questions/{question.pk}/").content.decode()
    assert f"/vi/questions/{original.slug}-{original.article_id}/" in page
    translation_save_text(
        translation=original,
        text={
            "title": original.title,
            "slug": "nguyen-van-an-0912345678",
            "lead": original.lead,
            "body": original.body,
        },
        user=people["editor"],
    )
    original = ArticleTranslation.objects.get(pk=original.pk)
    with pytest.raises(workflow.WorkflowError, match="no personal data remains"):
        workflow.perform(original, Step.SUBMIT, people["editor"])
    with pytest.raises(workflow.WorkflowError, match="no personal data remains"):
        workflow.perform(original, Step.PUBLISH, people["approver"])
    assert ArticleTranslation.objects.get(pk=original.pk).status == Status.DRAFT
    # The question's page names what it found in the address.
    page = client.get(f"/editorial/questions/{question.pk}/").content.decode()
    assert "nguyen-van-an-0912345678" in page and "Still looks like personal data" in page


# --- typed with another input method -------------------------------------------------------


def test_full_width_digits_and_address_from_a_japanese_keyboard_are_accepted(ask):
    response = ask(
        "ja",
        phone="０９０－１２３４ー５６７８",
        email="ｍｉｎｊｕｎ＠ｅｘａｍｐｌｅ．ｋｒ",
    )
    assert response.status_code == 200
    question = Question.objects.get()
    assert (question.phone, question.email) == ("090-1234-5678", "minjun@example.kr")


def test_nothing_of_the_asker_reaches_the_public_pages_the_sitemap_or_the_index(client, published):
    """What readers get of a published answer: the words someone confirmed, the topic and
    the day it was asked, never the asker's name, address, phone or the minute they wrote."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cangxanh.search.models import SearchEntry

    asked = datetime(2026, 3, 4, 16, 47, 13, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    Question.objects.filter(answer_id=published["vi"].article_id).update(created_at=asked)
    question = Question.objects.get(answer_id=published["vi"].article_id)
    private = [question.name, question.email, "0912 345 678", "16:47", "T09:47", "47:13"]
    pages = [
        client.get(published["vi"].get_absolute_url()),
        client.get("/vi/questions/"),
        client.get("/vi/questions/", {"q": "Incheon"}),
        client.get("/vi/sitemap-answer-vi.xml"),
        client.get("/sitemap-answer-vi.xml"),
    ]
    assert '"dateCreated":"2026-03-04"' in pages[0].content.decode()
    for page in pages:
        if page.status_code == 200:
            text = page.content.decode()
            assert not [p for p in private if p in text], page.request["PATH_INFO"]
    assert any(
        published["vi"].get_absolute_url() in p.content.decode()
        for p in pages[3:]
        if p.status_code == 200
    ), "the answers' sitemap"
    for entry in SearchEntry.objects.all():
        words = " ".join([entry.title, entry.body, entry.exact])
        assert question.email not in words and "0912" not in words
