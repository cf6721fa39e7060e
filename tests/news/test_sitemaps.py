"""XML sitemaps (read with lxml), their validators, and the HTML site map."""

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit

import pytest
from django.utils import timezone
from django.utils.http import http_date
from lxml import etree
from lxml import html as lxml_html

from cangxanh.news import sitemaps
from cangxanh.news.models import ArticleTranslation, SectionTranslation, Status

from ..conftest import SECTION_NAMES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_address(settings):
    # The address these tests read addresses against; what the site does without
    # SITE_URL, and with a forged Host, is tests/core/test_site_address.py's.
    settings.SITE_URL = "http://testserver"


NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}
BCP47 = {"vi": "vi", "en": "en", "ko": "ko", "ja": "ja", "zh-hans": "zh-Hans"}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "testserver", url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def status(client, path: str) -> int:
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end: the client closes the file
    return response.status_code


def xml(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def index_locations(client) -> list[str]:
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    return root.xpath("sm:sitemap/sm:loc/text()", namespaces=NS)


def urls(client, location: str) -> dict[str, etree._Element]:
    root = xml(client, path_of(location))
    assert root.tag == f"{{{NS['sm']}}}urlset"
    return {url.findtext("sm:loc", namespaces=NS): url for url in root.findall("sm:url", NS)}


def alternates(url) -> dict[str, str]:
    return {
        link.get("hreflang"): link.get("href")
        for link in url.findall("xhtml:link", NS)
        if link.get("rel") == "alternate"
    }


def w3c(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    assert when.utcoffset() is not None, text
    return when


@pytest.fixture
def content(site_identity, make_article, image):
    """A translated article, a one-language one, a draft, a scheduled one and a withdrawn one."""
    now = timezone.now()
    translated = make_article(("vi", "en", "ko"), images=[image])
    ArticleTranslation.objects.create(
        article=translated, language="ja", title="下書き", status=Status.DRAFT
    )
    single = make_article(("zh-hans",))
    single.original_language = "zh-hans"
    single.save()
    draft = make_article(("vi",), status=Status.DRAFT)
    scheduled = make_article(("vi", "en"), published_at=now + timedelta(hours=3))
    withdrawn = make_article(("en",))
    ArticleTranslation.objects.filter(article=withdrawn).update(status=Status.UNPUBLISHED)
    return {
        "translated": translated,
        "single": single,
        "hidden": [draft, scheduled, withdrawn],
        "scheduled": scheduled,
    }


def test_index_lists_a_sitemap_per_language_with_articles_and_one_for_pages(client, content):
    locations = index_locations(client)
    assert [path_of(loc) for loc in locations] == [
        "/sitemap-articles-vi.xml",
        "/sitemap-articles-en.xml",
        "/sitemap-articles-ko.xml",
        "/sitemap-articles-zh-hans.xml",
        "/sitemap-pages.xml",
    ]
    root = xml(client, "/sitemap.xml")
    for lastmod in root.xpath("sm:sitemap/sm:lastmod/text()", namespaces=NS):
        assert w3c(lastmod) <= timezone.now()


def test_every_listed_url_answers_200_and_nothing_hidden_is_listed(client, content):
    seen = set()
    for location in index_locations(client):
        for loc, url in urls(client, location).items():
            response = client.get(path_of(loc))
            assert response.status_code == 200, loc  # no redirect, no 404
            seen.add(unquote(path_of(loc)))
            for href in alternates(url).values():
                assert status(client, path_of(href)) == 200, href
            for image in url.xpath("image:image/image:loc/text()", namespaces=NS):
                assert status(client, path_of(image)) == 200, image
    for article in content["hidden"]:
        for row in article.translations.all():
            assert unquote(row.get_absolute_url()) not in seen
    ja_draft = content["translated"].translations.get(language="ja")
    assert unquote(ja_draft.get_absolute_url()) not in seen
    assert "/vi/" in seen and "/zh-hans/sitemap/" in seen
    assert f"/ko/{SECTION_NAMES['ko'][1]}/" in seen


@pytest.mark.parametrize("lang", ["vi", "en", "ko"])
def test_article_url_carries_every_published_translation_and_x_default(client, content, lang):
    article = content["translated"]
    rows = {row.language: row for row in article.translations.all()}
    listed = urls(client, f"http://testserver/sitemap-articles-{lang}.xml")
    expected = {
        BCP47[code]: "http://testserver" + rows[code].get_absolute_url()
        for code in ("vi", "en", "ko")
    }
    url = listed[expected[BCP47[lang]]]

    # Exactly the published translations (not the Japanese draft), plus x-default.
    assert alternates(url) == expected | {"x-default": expected["vi"]}
    assert w3c(url.findtext("sm:lastmod", namespaces=NS)) == max(
        rows[lang].updated_at, rows[lang].published_at
    ).replace(microsecond=0)
    [image] = url.xpath("image:image/image:loc/text()", namespaces=NS)
    # A rendition (never the private original), from the renditions folder.
    assert image.startswith("http://testserver/media/renditions/images/")
    assert image.endswith(".jpg")


def test_x_default_is_the_original_language(client, content):
    [url] = urls(client, "http://testserver/sitemap-articles-zh-hans.xml").values()
    row = content["single"].translations.get()
    assert alternates(url) == {
        "zh-Hans": "http://testserver" + row.get_absolute_url(),
        "x-default": "http://testserver" + row.get_absolute_url(),
    }
    assert url.find("image:image", NS) is None


def test_x_default_without_a_published_original_is_the_first_language_published(
    client, site_identity, make_article
):
    article = make_article(("en", "ko"))  # original language vi, not translated into it
    listed = urls(client, "http://testserver/sitemap-articles-ko.xml")
    [url] = listed.values()
    en = article.translations.get(language="en")
    assert alternates(url)["x-default"] == "http://testserver" + en.get_absolute_url()
    # The page says the same.
    page = lxml_html.fromstring(client.get(en.get_absolute_url()).content)
    [x_default] = page.xpath('//link[@hreflang="x-default"]/@href')
    assert x_default == "http://testserver" + en.get_absolute_url()


def test_a_scheduled_article_is_listed_once_its_time_has_come(client, content):
    scheduled = content["scheduled"]
    vi = scheduled.translations.get(language="vi")
    location = "http://testserver/sitemap-articles-vi.xml"
    assert "http://testserver" + vi.get_absolute_url() not in urls(client, location)
    ArticleTranslation.objects.filter(article=scheduled).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    listed = urls(client, location)
    url = listed["http://testserver" + vi.get_absolute_url()]
    assert set(alternates(url)) == {"vi", "en", "x-default"}


def test_pages_sitemap_has_home_site_map_and_section_pages_in_every_language(client, content):
    listed = urls(client, "http://testserver/sitemap-pages.xml")
    homes = {BCP47[code]: f"http://testserver/{code}/" for code in BCP47}
    for code in BCP47:
        assert alternates(listed[f"http://testserver/{code}/"]) == homes | {
            "x-default": homes["vi"]
        }
        assert f"http://testserver/{code}/sitemap/" in listed
    section_urls = {
        BCP47[code]: "http://testserver" + row.get_absolute_url()
        for code, row in (
            (row.language, row)
            for row in SectionTranslation.objects.filter(section__key="hop-tac-quoc-te")
        )
    }
    url = listed[section_urls["ko"]]
    assert alternates(url) == section_urls | {"x-default": section_urls["vi"]}
    # The newest public change in that section and language.
    ko = content["translated"].translations.get(language="ko")
    assert w3c(url.findtext("sm:lastmod", namespaces=NS)) == max(
        ko.updated_at, ko.published_at
    ).replace(microsecond=0)
    # Japanese has nothing public: no lastmod, still listed.
    assert listed[section_urls["ja"]].find("sm:lastmod", NS) is None


def test_sitemaps_are_paginated(client, content, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 1)
    # Vietnamese gets a second public article.
    ArticleTranslation.objects.filter(article=content["scheduled"]).update(
        published_at=timezone.now() - timedelta(minutes=5)
    )
    locations = [path_of(loc) for loc in index_locations(client)]
    assert "/sitemap-articles-vi.xml" in locations
    assert "/sitemap-articles-vi.xml?p=2" in locations
    first = urls(client, "http://testserver/sitemap-articles-vi.xml")
    second = urls(client, "http://testserver/sitemap-articles-vi.xml?p=2")
    assert len(first) == len(second) == 1 and first.keys() != second.keys()
    assert client.get("/sitemap-articles-vi.xml?p=3").status_code == 404
    assert client.get("/sitemap-articles-vi.xml?p=x").status_code == 404
    assert client.get("/sitemap-articles-fr.xml").status_code == 404


def test_an_empty_language_sitemap_is_valid(client, content):
    root = xml(client, "/sitemap-articles-ja.xml")
    assert root.findall("sm:url", NS) == []


def test_sitemap_addresses_honour_site_url(client, content, settings):
    settings.SITE_URL = "https://portal.example"
    root = xml(client, "/sitemap.xml")
    locations = root.xpath("sm:sitemap/sm:loc/text()", namespaces=NS)
    assert all(loc.startswith("https://portal.example/sitemap-") for loc in locations)
    root = xml(client, "/sitemap-articles-vi.xml")
    texts = root.xpath("//sm:loc/text() | //xhtml:link/@href | //image:loc/text()", namespaces=NS)
    assert texts and all(text.startswith("https://portal.example/") for text in texts)


# --- Validators: Last-Modified, ETag, 304 ---

SITEMAP_PATHS = [
    "/sitemap.xml",
    "/sitemap-articles-vi.xml",
    "/sitemap-articles-zh-hans.xml",
    "/sitemap-pages.xml",
]


def newest_listed(response) -> datetime:
    """The newest `lastmod` a sitemap or an index lists."""
    root = etree.fromstring(response.content)
    return max(w3c(text) for text in root.xpath("//sm:lastmod/text()", namespaces=NS))


@pytest.mark.parametrize("path", SITEMAP_PATHS)
def test_sitemaps_carry_validators_and_answer_304(client, content, path):
    response = client.get(path)
    assert response.status_code == 200
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('W/"')  # weak: the gzip and brotli forms share it
    # Last-Modified is the newest change the answer lists.
    assert parsedate_to_datetime(last_modified) == newest_listed(response)
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert control == {"public", "max-age=300"}

    for headers in (
        {"HTTP_IF_NONE_MATCH": etag},
        {"HTTP_IF_MODIFIED_SINCE": last_modified},
        {"HTTP_IF_NONE_MATCH": etag, "HTTP_IF_MODIFIED_SINCE": last_modified},
    ):
        again = client.get(path, **headers)
        assert again.status_code == 304, headers
        assert again.content == b""
        assert again["ETag"] == etag and again["Last-Modified"] == last_modified
    assert client.head(path, HTTP_IF_NONE_MATCH=etag).status_code == 304

    earlier = http_date(parsedate_to_datetime(last_modified).timestamp() - 3600)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    assert client.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.parametrize("path", SITEMAP_PATHS[:3])
def test_sitemap_validators_move_with_the_content(client, content, make_article, path):
    # Everything listed changed a day ago, so a new article is seconds apart from it.
    day_ago = timezone.now() - timedelta(days=1)
    ArticleTranslation.objects.update(updated_at=day_ago, published_at=day_ago)
    before = client.get(path)
    etag, last_modified = before["ETag"], before["Last-Modified"]

    make_article(("vi", "zh-hans"))

    after = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag
    assert parsedate_to_datetime(after["Last-Modified"]) > parsedate_to_datetime(last_modified)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200


def test_a_withdrawn_article_changes_the_etag(client, content):
    before = client.get("/sitemap-articles-en.xml")
    ArticleTranslation.objects.filter(article=content["translated"], language="en").update(
        status=Status.UNPUBLISHED
    )
    after = client.get("/sitemap-articles-en.xml", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]


def test_an_empty_sitemap_has_an_etag_and_no_date(client, content):
    response = client.get("/sitemap-articles-ja.xml")
    assert response.status_code == 200
    assert "Last-Modified" not in response
    assert (
        client.get("/sitemap-articles-ja.xml", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )


# --- The HTML site map ---


def test_html_site_map_lists_sections_with_counts_and_years(client, content, make_article):
    old = make_article(("vi",), published_at=timezone.now() - timedelta(days=800))
    page = lxml_html.fromstring(client.get("/vi/sitemap/").content)
    section_link = page.xpath('//main//a[@href="/vi/hop-tac-quoc-te/"]')
    assert section_link and section_link[0].text == "Hợp tác quốc tế"
    # Two public Vietnamese articles (translated, old); the draft and the scheduled one do not count.
    assert "2" in section_link[0].getnext().text_content()
    years = page.xpath('//main//a[contains(@href, "/vi/sitemap/hop-tac-quoc-te/")]')
    new_year = timezone.localtime(
        content["translated"].translations.get(language="vi").published_at
    ).year
    old_year = timezone.localtime(old.translations.get().published_at).year
    assert [a.text for a in years] == [str(new_year), str(old_year)]
    for link in years:
        assert client.get(link.get("href")).status_code == 200
    assert client.get("/vi/feed/").status_code == 200
    assert page.xpath('//main//a[@href="/vi/hop-tac-quoc-te/feed/"]')


def test_html_site_map_year_page_lists_that_years_articles(client, content):
    vi = content["translated"].translations.get(language="vi")
    year = timezone.localtime(vi.published_at).year
    response = client.get(f"/vi/sitemap/hop-tac-quoc-te/{year}/")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content)
    links = page.xpath("//main//section//li/a")
    assert [a.get("href") for a in links] == [vi.get_absolute_url()]
    assert client.get(vi.get_absolute_url()).status_code == 200
    # A slug from another language moves; a year with nothing, or no such section, is 404.
    moved = client.get(f"/vi/sitemap/international-cooperation/{year}/")
    assert moved.status_code == 301
    assert moved["Location"] == f"/vi/sitemap/hop-tac-quoc-te/{year}/"
    assert client.get(f"/vi/sitemap/hop-tac-quoc-te/{year - 5}/").status_code == 404
    assert client.get(f"/vi/sitemap/khong-co/{year}/").status_code == 404


@pytest.mark.parametrize("lang", ["vi", "en", "ko", "ja", "zh-hans"])
def test_html_site_map_in_every_language(client, content, lang):
    response = client.get(f"/{lang}/sitemap/")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content)
    assert page.get("lang") == BCP47[lang]
    name, slug = SECTION_NAMES[lang]
    assert [
        a.text for a in page.xpath("//main//a") if unquote(a.get("href")) == f"/{lang}/{slug}/"
    ] == [name]


def test_html_site_map_without_sections(client, site_identity):
    response = client.get("/vi/sitemap/")
    assert response.status_code == 200
    assert not lxml_html.fromstring(response.content).xpath(
        '//main//a[contains(@href, "/vi/sitemap/")]'
    )
