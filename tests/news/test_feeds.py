"""RSS 2.0 and Atom feeds, read back with a real feed parser (feedparser)."""

import html
import io
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from PIL import Image as PILImage

from cangxanh.core.models import SiteIdentity
from cangxanh.news.models import ArticleTranslation, Section, SectionTranslation, Status

from ..conftest import SECTION_NAMES, TITLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_address(settings):
    # The address these tests read addresses against; what the site does without
    # SITE_URL, and with a forged Host, is tests/core/test_site_address.py's.
    settings.SITE_URL = "http://testserver"


BCP47 = {"vi": "vi", "en": "en", "ko": "ko", "ja": "ja", "zh-hans": "zh-Hans"}
KINDS = {"rss": ("feed/", "application/rss+xml"), "atom": ("feed/atom/", "application/atom+xml")}


def read(client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def path_of(url: str) -> str:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "testserver", url
    return parts.path


def body_of(response) -> bytes:
    # Read to the end: the test client then closes the streamed file.
    return b"".join(response.streaming_content) if response.streaming else response.content


def other_section():
    section = Section.objects.create(key="kinh-te", position=2)
    for lang, name, slug in [
        ("vi", "Kinh tế", "kinh-te"),
        ("ko", "경제", "경제"),
        ("zh-hans", "经济", "经济"),
    ]:
        SectionTranslation.objects.create(section=section, language=lang, name=name, slug=slug)
    return section


@pytest.mark.parametrize("lang", ["vi", "ko", "zh-hans"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_language_feed_carries_each_public_article(
    client, site_identity, make_article, image, lang, kind
):
    article = make_article(("vi", "ko", "zh-hans"), images=[image])
    row = article.translations.get(language=lang)
    suffix, content_type = KINDS[kind]

    response, parsed = read(client, f"/{lang}/{suffix}")

    assert response["Content-Type"].startswith(content_type)
    assert parsed.version == ("rss20" if kind == "rss" else "atom10")
    assert parsed.feed.title == f"Portal {lang}"
    assert parsed.feed.subtitle == f"Slogan {lang}"
    assert parsed.feed.language == BCP47[lang]
    assert path_of(parsed.feed.link) == f"/{lang}/"
    [entry] = parsed.entries
    assert entry.title == TITLES[lang]
    assert html.unescape(entry.summary) == f"Lead {lang}"
    assert unquote(path_of(entry.link)) == unquote(row.get_absolute_url())
    assert client.get(path_of(entry.link)).status_code == 200
    # The guid is the permalink: stable across slug changes, and it leads to the article.
    assert entry.id == f"http://testserver/{lang}/a/{article.pk}/"
    permalink = client.get(path_of(entry.id))
    assert permalink.status_code == 301 and permalink["Location"] == row.get_absolute_url()
    assert entry.author == "Trần Thị Mai"
    assert [tag.term for tag in entry.tags] == [SECTION_NAMES[lang][0]]
    published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
    assert published == row.published_at.replace(microsecond=0)
    updated = datetime(*entry.updated_parsed[:6], tzinfo=UTC)
    assert updated == max(row.updated_at, row.published_at).replace(microsecond=0)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_enclosure_is_the_main_image_rendition_with_its_real_length_and_type(
    client, site_identity, make_article, image, kind
):
    make_article(("vi",), images=[image])
    _response, parsed = read(client, f"/vi/{KINDS[kind][0]}")

    [enclosure] = parsed.entries[0].enclosures
    assert enclosure.type == "image/jpeg"
    served = client.get(path_of(enclosure.href))
    assert served.status_code == 200
    data = body_of(served)
    assert int(enclosure.length) == len(data)
    picture = PILImage.open(io.BytesIO(data))
    assert picture.format == "JPEG" and picture.size == (960, 540)


def test_enclosure_length_is_asked_of_the_storage_once(
    client, site_identity, make_article, image, monkeypatch
):
    make_article(("vi",), images=[image])
    calls = []
    real_size = FileSystemStorage.size

    def size(storage, name):
        calls.append(name)
        return real_size(storage, name)

    monkeypatch.setattr(FileSystemStorage, "size", size)
    read(client, "/vi/feed/")
    read(client, "/vi/feed/atom/")
    assert len(calls) == 1


def test_article_without_image_has_no_enclosure(client, site_identity, make_article):
    make_article(("vi",))
    _response, parsed = read(client, "/vi/feed/")
    assert parsed.entries[0].enclosures == []


def test_titles_and_leads_with_markup_reach_the_reader_as_written(
    client, site_identity, make_article
):
    title = 'Q&A: "3 < 4" <b>not bold</b>'
    article = make_article(("vi",), titles={"vi": title})
    ArticleTranslation.objects.filter(article=article).update(lead="Tom & Jerry <script>x</script>")

    _response, rss = read(client, "/vi/feed/")
    _response, atom = read(client, "/vi/feed/atom/")

    # Titles are plain text in both, escaped once by the XML writer. RSS does not
    # say which an RSS title is: feedparser guesses HTML for one that holds tags,
    # and hands it back as HTML (its & written &amp;).
    assert rss.entries[0].title_detail.type == "text/html"
    assert html.unescape(rss.entries[0].title) == title
    assert atom.entries[0].title_detail.type == "text/plain"
    assert atom.entries[0].title == title
    for parsed in (rss, atom):
        assert "<script>" not in parsed.entries[0].summary
        assert html.unescape(parsed.entries[0].summary) == "Tom & Jerry <script>x</script>"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_text_is_escaped_exactly_once(client, site_identity, make_article, section, kind):
    title = "Hai Phong's Q&A: 3 < 4"
    lead = "Hai Phong's port & Incheon's <harbour>"
    name = "O'Brien & <Sons>"
    category = "Trade & Investment's <news>"
    SiteIdentity.objects.filter(language="en").update(name="Hai Phong's & <portal>")
    section.translations.filter(language="en").update(name=category)
    article = make_article(("en",), titles={"en": title})
    ArticleTranslation.objects.filter(article=article).update(lead=lead)
    article.author.name = name
    article.author.save()

    response, parsed = read(client, f"/en/{KINDS[kind][0]}")

    raw = response.content.decode()
    # What was escaped twice reads `&amp;#x27;` / `&amp;amp;`: only the lead,
    # HTML in both formats, has a second layer, and never a numeric reference.
    assert "&amp;#" not in raw
    assert "Hai Phong's Q&amp;A: 3 &lt; 4" in raw
    assert raw.count("&amp;amp;") == 1 and "Hai Phong's port &amp;amp; Incheon's" in raw
    assert parsed.feed.title == "Hai Phong's & <portal>"
    [entry] = parsed.entries
    assert entry.title == title
    assert html.unescape(entry.summary) == lead
    assert entry.author == name
    assert [tag.term for tag in entry.tags] == [category]


def test_newest_first_and_at_most_thirty(client, site_identity, make_article):
    now = timezone.now()
    for hours in range(32):
        make_article(("vi",), published_at=now - timedelta(hours=hours + 1))
    _response, parsed = read(client, "/vi/feed/")
    dates = [entry.published_parsed for entry in parsed.entries]
    assert len(dates) == 30
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_unpublished_and_scheduled_articles_are_absent_until_their_time(
    client, site_identity, make_article, kind
):
    now = timezone.now()
    public = make_article(("vi",))
    make_article(("vi",), status=Status.DRAFT, titles={"vi": "Bản nháp"})
    make_article(("vi",), status=Status.REVIEW, titles={"vi": "Chờ duyệt"})
    withdrawn = make_article(("vi",), titles={"vi": "Đã gỡ"})
    ArticleTranslation.objects.filter(article=withdrawn).update(status=Status.UNPUBLISHED)
    scheduled = make_article(
        ("vi",), published_at=now + timedelta(hours=1), titles={"vi": "Bài hẹn giờ"}
    )
    url = f"/vi/{KINDS[kind][0]}"

    response, parsed = read(client, url)
    assert [entry.id for entry in parsed.entries] == [f"http://testserver/vi/a/{public.pk}/"]

    # The schedule passes (as in the workflow tests, by moving the time).
    ArticleTranslation.objects.filter(article=scheduled).update(
        published_at=now - timedelta(minutes=1)
    )
    # A reader polling with what it had gets the new feed, not 304.
    again, parsed = read(client, url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 200
    assert [entry.id for entry in parsed.entries] == [
        f"http://testserver/vi/a/{scheduled.pk}/",
        f"http://testserver/vi/a/{public.pk}/",
    ]


def test_last_modified_moves_when_a_scheduled_article_appears(
    client, site_identity, make_article, monkeypatch
):
    now = timezone.now()
    make_article(("vi",), published_at=now - timedelta(days=2))
    scheduled = make_article(("vi",), published_at=now + timedelta(hours=1))
    first = client.get("/vi/feed/")
    seen = parsedate_to_datetime(first["Last-Modified"])
    assert seen < now + timedelta(hours=1)

    # Two hours later the scheduled article is public; a reader asking "changed since?" is told yes.
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2))
    response = client.get("/vi/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert parsedate_to_datetime(response["Last-Modified"]) == (
        scheduled.translations.get().published_at.replace(microsecond=0)
    )
    assert f"/vi/a/{scheduled.pk}/".encode() in response.content


def test_conditional_get_and_cache_headers(client, site_identity, make_article):
    make_article(("vi",))
    response = client.get("/vi/feed/")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"]

    by_etag = client.get("/vi/feed/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert by_etag.status_code == 304
    assert by_etag["ETag"] == response["ETag"]
    by_date = client.get("/vi/feed/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert by_date.status_code == 304

    make_article(("vi",), titles={"vi": "Tin mới"})
    assert client.get("/vi/feed/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_language_with_no_articles_has_a_valid_empty_feed(
    client, site_identity, make_article, kind
):
    make_article(("vi",))
    response, parsed = read(client, f"/ja/{KINDS[kind][0]}")
    assert parsed.entries == []
    assert parsed.feed.title == "Portal ja"
    assert "Last-Modified" not in response


@pytest.mark.parametrize("lang", ["vi", "ko", "zh-hans"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feed_holds_only_that_section(
    client, site_identity, make_article, section, lang, kind
):
    ours = make_article(("vi", "ko", "zh-hans"))
    theirs = make_article(
        ("vi", "ko", "zh-hans"), titles={"vi": "Kinh tế", "ko": "경제", "zh-hans": "经济"}
    )
    theirs.section = other_section()
    theirs.save()
    name, slug = SECTION_NAMES[lang]

    response, parsed = read(client, f"/{lang}/{slug}/{KINDS[kind][0]}")

    assert name in parsed.feed.title and f"Portal {lang}" in parsed.feed.title
    assert unquote(path_of(parsed.feed.link)) == f"/{lang}/{slug}/"
    assert [entry.id for entry in parsed.entries] == [f"http://testserver/{lang}/a/{ours.pk}/"]
    _response, everything = read(client, f"/{lang}/{KINDS[kind][0]}")
    assert len(everything.entries) == 2


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feed_addresses(client, site_identity, make_article, kind):
    make_article(("vi", "ko"))
    suffix = KINDS[kind][0]
    # A slug from another language: 301 to this language's section feed.
    moved = client.get(f"/ko/hop-tac-quoc-te/{suffix}")
    assert moved.status_code == 301
    assert unquote(moved["Location"]) == f"/ko/국제-협력/{suffix}"
    assert client.get(moved["Location"]).status_code == 200
    assert client.get(f"/vi/khong-co/{suffix}").status_code == 404
    # A section without a name in this language has no feed in it.
    other_section()
    assert client.get(f"/en/kinh-te/{suffix}").status_code == 404


def test_feeds_refuse_writes(client, site_identity):
    assert client.post("/vi/feed/").status_code == 405


def test_addresses_honour_site_url(client, site_identity, make_article, image, settings):
    settings.SITE_URL = "https://portal.example"
    article = make_article(("vi",), images=[image])
    _response, parsed = read(client, "/vi/feed/")
    entry = parsed.entries[0]
    assert parsed.feed.link == "https://portal.example/vi/"
    assert entry.id == f"https://portal.example/vi/a/{article.pk}/"
    assert entry.link.startswith("https://portal.example/vi/")
    assert entry.enclosures[0].href.startswith("https://portal.example/media/")


@pytest.mark.parametrize("path", ["/vi/", "/vi/hop-tac-quoc-te/", "/vi/khong-co-trang-nay/"])
def test_every_page_points_to_its_feeds(client, site_identity, make_article, path):
    make_article(("vi",))
    from lxml import html as lxml_html

    response = client.get(path)
    page = lxml_html.fromstring(response.content)
    links = {
        (link.get("type"), link.get("href"))
        for link in page.xpath('//head/link[@rel="alternate"][@type]')
    }
    assert ("application/rss+xml", "/vi/feed/") in links
    assert ("application/atom+xml", "/vi/feed/atom/") in links
    for _type, href in links:
        assert client.get(href).status_code == 200


def test_article_page_points_to_its_section_feeds(client, site_identity, make_article):
    article = make_article(("ko",))
    from lxml import html as lxml_html

    page = lxml_html.fromstring(client.get(article.translations.get().get_absolute_url()).content)
    hrefs = [
        unquote(link.get("href")) for link in page.xpath('//head/link[@rel="alternate"][@type]')
    ]
    assert hrefs == [
        "/ko/feed/",
        "/ko/feed/atom/",
        "/ko/국제-협력/feed/",
        "/ko/국제-협력/feed/atom/",
    ]
    titles = page.xpath('//head/link[@type="application/rss+xml"]/@title')
    assert len(titles) == 2
    assert "Portal ko" in titles[0] and "국제 협력" not in titles[0]
    assert "Portal ko" in titles[1] and "국제 협력" in titles[1]
