"""HTTP behaviour of every public page type, in every language."""

import re
from datetime import UTC
from urllib.parse import unquote

import pytest
from django.utils import translation

from cangxanh.news.models import Status

pytestmark = pytest.mark.django_db

LANGS = ["vi", "en", "ko", "ja", "zh-hans"]
HTML_LANG = {"vi": "vi", "en": "en", "ko": "ko", "ja": "ja", "zh-hans": "zh-Hans"}
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def hreflangs(response) -> dict[str, str]:
    return dict(
        re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', response.content.decode()
        )
    )


def canonical(response) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.5", "/ko/"),
        ("ja", "/ja/"),
        ("zh-CN,zh;q=0.9", "/zh-hans/"),
        ("fr-FR", "/vi/"),
        ("", "/vi/"),
    ],
)
def test_root_redirects_to_the_preferred_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("lang", LANGS)
def test_home_in_every_language(client, site_identity, make_article, image, lang):
    make_article(LANGS, images=[image])
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    assert html_lang(response) == HTML_LANG[lang]
    assert f"Portal {lang}" in response.content.decode()
    assert set(hreflangs(response)) == {HTML_LANG[code] for code in LANGS} | {"x-default"}


@pytest.mark.parametrize("lang", LANGS)
def test_section_page_in_every_language(client, make_article, section, lang):
    make_article(LANGS)
    url = section.translation(lang).get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    assert html_lang(response) == HTML_LANG[lang]
    assert section.translation(lang).name in response.content.decode()


def test_section_slug_from_another_language_redirects(client, section):
    response = client.get("/en/hop-tac-quoc-te/")
    assert response.status_code == 301
    assert response["Location"] == "/en/international-cooperation/"


def test_section_pagination(client, make_article, section):
    for _ in range(13):
        make_article(["vi"])
    assert client.get("/vi/hop-tac-quoc-te/?page=2").status_code == 200
    assert client.get("/vi/hop-tac-quoc-te/?page=3").status_code == 404
    assert client.get("/vi/hop-tac-quoc-te/?page=abc").status_code == 404


@pytest.mark.parametrize("lang", LANGS)
def test_article_page_in_every_language(
    client, settings, site_identity, make_article, image, source, lang
):
    settings.SITE_URL = "http://testserver"  # absolute addresses come from the setting
    article = make_article(LANGS, images=[image], source=source, views=8033)
    url = article.translations.get(language=lang).get_absolute_url()
    response = client.get(url, HTTP_USER_AGENT=CHROME)
    assert response.status_code == 200
    body = response.content.decode()
    assert html_lang(response) == HTML_LANG[lang]
    assert body.count("<h1") == 1
    assert unquote(canonical(response)) == "http://testserver" + unquote(url)
    alternates = hreflangs(response)
    assert set(alternates) == {HTML_LANG[code] for code in LANGS} | {"x-default"}
    assert alternates["x-default"] == alternates["vi"]
    assert "Báo Thử Nghiệm" in body and 'href="https://news.example/"' in body
    assert "<figure" in body and "<figcaption" in body
    credit = {"vi": "Ảnh: ", "en": "Image: ", "ko": "이미지: ", "ja": "画像：", "zh-hans": "图片："}
    assert f"{credit[lang]}Báo Test" in body
    assert "Trần Thị Mai" in body


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("vi", "8.034 lượt xem"),
        ("en", "8,034 views"),
        ("ko", "조회수 8,034"),
        ("ja", "8,034"),
        ("zh-hans", "8,034"),
    ],
)
def test_view_counter_uses_the_locale_number_format(client, make_article, lang, label):
    article = make_article(LANGS, views=8033)
    response = client.get(
        article.translations.get(language=lang).get_absolute_url(), HTTP_USER_AGENT=CHROME
    )
    assert label in response.content.decode()


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("vi", "15/03/2024 - 09:30"),
        ("en", "15 March 2024, 9:30 AM"),
        ("ko", "2024년 3월 15일 09:30"),
        ("ja", "2024年3月15日 09:30"),
        ("zh-hans", "2024年3月15日 09:30"),
    ],
)
def test_dates_follow_the_locale_and_the_city_time_zone(client, make_article, lang, text):
    from datetime import datetime

    article = make_article(LANGS, published_at=datetime(2024, 3, 15, 2, 30, tzinfo=UTC))
    response = client.get(article.translations.get(language=lang).get_absolute_url())
    assert text in response.content.decode()


def test_switcher_links_to_the_same_article_in_each_language(client, make_article):
    article = make_article(["vi", "en"])
    vi_url = article.translations.get(language="vi").get_absolute_url()
    body = client.get(vi_url).content.decode()
    en_url = article.translations.get(language="en").get_absolute_url()
    switcher = body[
        body.index('class="switcher"') : body.index("</nav>", body.index('class="switcher"'))
    ]
    assert f'href="{en_url}"' in switcher
    assert f'href="/ko/a/{article.pk}/"' in switcher
    # Not translated: said in words, in the link's own language, not only by its look.
    korean = switcher[switcher.index(f'href="/ko/a/{article.pk}/"') :]
    korean = korean[: korean.index("</a>")]
    assert "is-missing" in korean and "한국어 — 아직 번역되지 않음" in korean, korean
    english = switcher[switcher.index(f'href="{en_url}"') :]
    assert "English</span>" in english[: english.index("</a>") + 4]


def test_wrong_slug_redirects_permanently_to_the_canonical_url(client, make_article):
    article = make_article(["vi"])
    url = article.translations.get().get_absolute_url()
    response = client.get(f"/vi/hop-tac-quoc-te/ten-cu-{article.pk}/?utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == url + "?utm_source=x"
    response = client.get(f"/vi/sai-chuyen-muc/ten-cu-{article.pk}/")
    assert response.status_code == 301


def test_permalink_resolves_to_the_canonical_url(client, make_article):
    article = make_article(["vi", "ko"])
    response = client.get(f"/ko/a/{article.pk}/")
    assert response.status_code == 301
    assert unquote(response["Location"]) == unquote(
        article.translations.get(language="ko").get_absolute_url()
    )


@pytest.mark.parametrize("status", [None, Status.DRAFT])
def test_untranslated_language_gets_a_helpful_page(client, make_article, status):
    article = make_article(["vi", "en"])
    if status:
        from cangxanh.news.models import ArticleTranslation

        ArticleTranslation.objects.create(
            article=article, language="ko", title="초안", status=status
        )
    response = client.get(f"/ko/a/{article.pk}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert html_lang(response) == "ko"
    assert "초안" not in body
    assert 'hreflang="vi"' in body and 'hreflang="en"' in body
    assert article.translations.get(language="en").get_absolute_url() in body
    assert '<meta name="robots" content="noindex">' in body


def test_drafts_and_scheduled_articles_are_not_public(client, make_article):
    from datetime import timedelta

    from django.utils import timezone

    draft = make_article(["vi"], status=Status.DRAFT)
    future = make_article(["vi"], published_at=timezone.now() + timedelta(hours=1))
    for article in (draft, future):
        response = client.get(article.translations.get().get_absolute_url())
        assert response.status_code == 404


@pytest.mark.parametrize("lang", LANGS)
def test_404_is_in_the_page_language(client, lang):
    response = client.get(f"/{lang}/khong-co/trang-nay-999/")
    assert response.status_code == 404
    assert html_lang(response) == HTML_LANG[lang]
    with translation.override(lang):
        from django.utils.translation import gettext

        assert gettext("Page not found") in response.content.decode()


def test_500_page_is_in_the_page_language(rf):
    from cangxanh.news.views import server_error

    with translation.override("ja"):
        response = server_error(rf.get("/ja/"))
    assert response.status_code == 500
    assert '<html lang="ja">' in response.content.decode()


def test_article_views_count_once_per_page_view_and_not_for_bots_or_head(client, make_article):
    article = make_article(["vi"])
    translation_row = article.translations.get()
    url = translation_row.get_absolute_url()
    # Each request from a reader of its own (as a proxy on this machine forwards them),
    # so that only what the request is explains why it is not counted.
    client.get(url, HTTP_USER_AGENT=CHROME, HTTP_X_FORWARDED_FOR="203.0.113.1")
    client.get(url, HTTP_USER_AGENT=CHROME, HTTP_X_FORWARDED_FOR="203.0.113.2")
    client.head(url, HTTP_USER_AGENT=CHROME, HTTP_X_FORWARDED_FOR="203.0.113.3")
    client.get(
        url,
        HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)",
        HTTP_X_FORWARDED_FOR="203.0.113.4",
    )
    client.get(
        url, HTTP_USER_AGENT=CHROME, HTTP_SEC_PURPOSE="prefetch", HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    client.get(url, HTTP_USER_AGENT=CHROME, HTTP_X_FORWARDED_FOR="203.0.113.1")  # read it already
    translation_row.refresh_from_db()
    assert translation_row.view_count == 2
    response = client.get(
        url, HTTP_USER_AGENT=CHROME, HTTP_ACCEPT_LANGUAGE="vi", HTTP_X_FORWARDED_FOR="203.0.113.6"
    )
    assert "3 lượt xem" in response.content.decode()


def test_share_links_are_plain_links(client, make_article):
    article = make_article(["vi"])
    body = client.get(article.translations.get().get_absolute_url()).content.decode()
    for host in (
        "facebook.com/sharer",
        "x.com/intent",
        "linkedin.com/sharing",
        "social-plugins.line.me",
        "service.weibo.com",
        "mailto:",
    ):
        assert host in body
    assert "Zalo" in body and "KakaoTalk" in body
    scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", body)
    assert all(src.startswith("/static/") for src in scripts)


def test_preview_is_for_staff_only(client, admin_client, make_article):
    article = make_article(["vi"], status=Status.DRAFT)
    row = article.translations.get()
    assert client.get(f"/preview/{row.pk}/").status_code == 302
    response = admin_client.get(f"/preview/{row.pk}/")
    assert response.status_code == 200
    assert row.title in response.content.decode()
    assert "no-store" in response["Cache-Control"]
