"""The newsroom speaks its users' language: every newsroom page, walked as each role in
each language, shows no interface text left in English (user content aside)."""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.urls import reverse
from django.utils import translation

from cangxanh.editorial import editing, facts
from cangxanh.news.models import Status

from ..conftest import LANGS

DJANGO = Path(django.__file__).parent
CATALOGS = [
    DJANGO / "conf/locale/en/LC_MESSAGES/django.po",
    DJANGO / "contrib/admin/locale/en/LC_MESSAGES/django.po",
    DJANGO / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po",
    DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po",
    Path(__file__).resolve().parents[2] / "cangxanh/locale/en/LC_MESSAGES/django.po",
]
WORDS = re.compile(r"[A-Za-z]+(?:[ '’-][A-Za-z]+)+")  # two English words or more


@cache
def english_messages() -> list[tuple[str, str]]:
    """Interface strings as written in English, two words or more without placeholders:
    (the words as shown, the message that writes them), longest first."""
    found = {}
    for path in CATALOGS:
        for entry in polib.pofile(str(path)):
            if entry.msgid_plural or entry.msgctxt:
                continue  # counted or contextual: not asked for by their bare words
            text = entry.msgid
            if "%" in text or "{" in text or "<" in text:
                continue
            words = " ".join(text.split()).rstrip(".:!?")
            if WORDS.fullmatch(words):
                found[words] = text
    return sorted(found.items(), key=lambda item: len(item[0]), reverse=True)


class _Visible(HTMLParser):
    """What a person reads or hears: text, titles, labels, placeholders, button values."""

    SKIPPED = {"script", "style", "template", "textarea", "option"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skip += 1
        values = dict(attrs)
        for name in ("title", "aria-label", "placeholder", "alt"):
            if values.get(name):
                self.parts.append(values[name])
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def untranslated(page: str, lang: str) -> list[str]:
    text = visible_text(page)
    left = []
    with translation.override(lang):
        for words, message in english_messages():
            shown = re.search(rf"(?<![A-Za-z]){re.escape(words)}(?![A-Za-z])", text)
            if shown and translation.gettext(message) == message:
                left.append(words)
                text = text.replace(words, " ")
    return left


@pytest.fixture
def newsroom(make_article, image, people, make_image, django_user_model):
    article = make_article(LANGS, images=[image])
    vi = article.translations.get(language="vi")
    editing.translation_save_text(
        translation=vi,
        text={"title": vi.title, "lead": "Tóm tắt mới", "body": vi.body},
        user=people["editor"],
    )
    facts.article_save_facts(article=article, facts=facts.working(article), user=people["editor"])
    draft = make_article(["vi", "ko"], status=Status.DRAFT)
    admin = django_user_model.objects.create_superuser("admin", "a@example.test", "pw-123456")
    return {"article": article, "draft": draft, "image": image, "admin": admin}


def pages(newsroom, role) -> list[str]:
    article, draft, image = newsroom["article"], newsroom["draft"], newsroom["image"]
    vi = article.translations.get(language="vi")
    ko = article.translations.get(language="ko")
    urls = [
        reverse("admin:index"),
        reverse("admin:news_article_changelist"),
        reverse("admin:news_article_change", args=[article.pk]),
        reverse("admin:news_article_history", args=[article.pk]),
        reverse("admin:images_image_changelist"),
        reverse("admin:images_image_change", args=[image.pk]),
        reverse("admin:password_change"),
        reverse("editorial:queue"),
        reverse("editorial:board"),
        reverse("editorial:translation", args=[ko.pk]),
        reverse("editorial:revisions", args=[ko.pk]),
        reverse("editorial:desk", kwargs={"article_id": article.pk, "language": "ko"}),
        "/editorial/desk/987654/ko/",  # 404
        # Two-step sign-in: each person's page, setting the app up, backup codes (none new).
        reverse("editorial:two-step"),
        reverse("editorial:two-step-enrol"),
        reverse("editorial:two-step-codes"),
    ]
    if role != "translator":
        urls += [
            reverse("admin:news_article_add"),
            reverse("admin:images_image_add"),
            reverse("editorial:translation", args=[vi.pk]),
            reverse("editorial:translation", args=[draft.translations.get(language="vi").pk]),
            reverse("editorial:questions"),
        ]
    else:
        urls.append(reverse("editorial:translation", args=[vi.pk]))  # 403
    if role in {"approver", "admin"}:
        urls += [
            reverse("admin:news_section_changelist"),
            reverse("admin:news_person_changelist"),
            reverse("admin:news_source_changelist"),
            reverse("admin:editorial_workflowevent_changelist"),
            reverse("editorial:compliance"),
            reverse("editorial:visits"),
            reverse("admin:core_siteidentity_changelist"),
            reverse("editorial:consultations"),
        ]
    if role == "admin":
        urls += [
            reverse("admin:auth_user_changelist"),
            reverse("admin:auth_user_change", args=[newsroom["admin"].pk]),
            reverse("admin:auth_group_changelist"),
            reverse("admin:auth_user_two_step_reset", args=[newsroom["admin"].pk]),
        ]
    return urls


@pytest.mark.parametrize("lang", ["vi", "ko", "ja", "zh-hans"])
@pytest.mark.parametrize("role", ["editor", "translator", "approver", "admin"])
def test_no_english_interface_text_in_the_newsroom(client, people, newsroom, role, lang):
    user = newsroom["admin"] if role == "admin" else people[role]
    client.force_login(user)
    problems = {}
    for url in pages(newsroom, role):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code in {200, 403, 404}, url
        left = untranslated(response.content.decode(), lang)
        if left:
            problems[url] = left
    assert problems == {}


def test_the_check_itself_finds_english():
    """A page in Vietnamese with an English interface string is caught."""
    page = "<p>Xin chào</p><a title='Skip to main content'>x</a><p>Nothing is waiting for approval.</p>"
    # In English both read as English; in Vietnamese ours translates them.
    assert sorted(untranslated(page, "en")) == [
        "Nothing is waiting for approval",
        "Skip to main content",
    ]
    assert untranslated(page, "vi") == []
