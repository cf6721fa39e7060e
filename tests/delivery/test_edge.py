"""The portal behind an edge, over HTTP: cache tags on every public page, exact purges
sent to a small local server standing for the edge, lifetimes ended by the next
scheduled change, and the view count as an ESI fragment (cangxanh.delivery.edge,
cangxanh.delivery.fragments). tests/delivery/test_varnish.py runs them behind a real
Varnish."""

import gzip
import http.server
import re
import threading
from datetime import timedelta

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone

from cangxanh.core.models import SiteIdentity
from cangxanh.delivery import edge, fragments
from cangxanh.delivery.front import PageCache
from cangxanh.news.models import (
    Article,
    ArticleTranslation,
    Section,
    SectionTranslation,
    Status,
)

from .conftest import call, reader

pytestmark = pytest.mark.django_db

ESI = {"surrogate_capability": 'cangxanh="ESI/1.0"'}
INCLUDE = re.compile(r'<esi:include src="(/_edge/views/[^"]+)"/>')


def keys(response) -> set[str]:
    return set(response["xkey"].split())


class Purges:
    """A stand-in for an edge: records the keys of every PURGE it gets."""

    def __init__(self):
        self.received: list[set[str]] = []
        purges = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PURGE(self):
                purges.received.append(set(self.headers["xkey-purge"].split()))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def taken(self) -> set[str]:
        """Every key purged since the last call."""
        assert edge.wait(5)
        found = set().union(*self.received) if self.received else set()
        self.received.clear()
        return found


@pytest.fixture
def purges(settings):
    edge_server = Purges()
    settings.EDGE_PURGE_URLS = [edge_server.url]
    yield edge_server
    assert edge.wait(5)
    edge_server.server.shutdown()
    edge_server.server.server_close()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block leaves for its commit (the test's own transaction never ends)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def two_sections(site_identity, section, make_article, django_capture_on_commit_callbacks):
    """Article `x` and `y` in the fixture's section, `z` alone in another."""
    other = Section.objects.create(key="culture", position=2)
    SectionTranslation.objects.create(section=other, language="vi", name="Văn hoá", slug="van-hoa")
    with django_capture_on_commit_callbacks(execute=True):
        x = make_article(["vi", "en"])
        y = make_article(["vi"], titles={"vi": "Bài thứ hai"})
        z = make_article(["vi"], titles={"vi": "Bài văn hoá"})
        z.section = other
        z.save()
    return x, y, z, other


# --- Tags --------------------------------------------------------------------------


def test_every_public_page_is_tagged_with_what_it_shows(client, two_sections, section):
    x, y, z, other = two_sections
    page = client.get(x.translations.get(language="vi").get_absolute_url())
    assert page.status_code == 200
    # Its own key, its related list's section, the related cards (y), and `cx`.
    assert keys(page) == {"cx", f"a{x.pk}", f"r{section.pk}", f"a{y.pk}"}
    assert page["Surrogate-Key"] == page["xkey"]

    listing = client.get(section.translation("vi").get_absolute_url())
    assert keys(listing) == {"cx", f"s{section.pk}", f"a{x.pk}", f"a{y.pk}"}

    home = client.get("/vi/")
    assert {"cx", "home", f"a{x.pk}", f"a{y.pk}", f"a{z.pk}"} <= keys(home)

    assert keys(client.get("/vi/feed/")) == {"cx", "feed"}
    assert keys(client.get("/sitemap.xml")) == {"cx", "sitemap"}
    assert keys(client.get("/vi/sitemap/")) == {"cx", "sitemap"}
    assert keys(client.get("/vi/documents/")) == {"cx", "k-documents"}
    assert keys(client.get("/vi/search/?q=hai")) == {"cx", "k-search"}
    assert keys(client.get("/vi/calendar/")) == {"cx", "k-agenda"}
    api = client.get("/api/v1/articles/?lang=vi")
    assert api.status_code == 200 and keys(api) == {"cx", "k-api"}


def test_what_is_not_public_carries_no_tags(client, staff, two_sections):
    x = two_sections[0]
    # A signed-in editor's page is private: no tags for any cache to file it under.
    page = staff.get(x.translations.get(language="vi").get_absolute_url())
    assert page["Cache-Control"] == "private, no-cache" and "xkey" not in page
    assert "xkey" not in client.get("/robots.txt")
    assert "xkey" not in client.get("/vi/no-such-section/")


def test_a_page_with_many_articles_is_tagged_coarsely():
    many = {"cx", "home", *(f"a{n}" for n in range(edge.MAX_ARTICLE_KEYS + 1))}
    assert edge.header_value(many) == "articles cx home"
    few = {"cx", *(f"a{n}" for n in range(edge.MAX_ARTICLE_KEYS))}
    assert len(edge.header_value(few).split()) == edge.MAX_ARTICLE_KEYS + 1


def test_the_page_cache_serves_the_tags_with_its_copies(two_sections, section, settings):
    settings.PAGE_CACHE = True
    front = PageCache(WSGIHandler())
    url = two_sections[0].translations.get(language="vi").get_absolute_url()
    first, second = call(front, url, **reader(1)), call(front, url, **reader(2))
    assert second.hit and second.headers["xkey"] == first.headers["xkey"]
    assert second.headers["surrogate-key"] == first.headers["xkey"]
    assert f"r{section.pk}" in second.headers["xkey"].split()


# --- Purges ------------------------------------------------------------------------


def test_an_edit_purges_exactly_the_pages_that_show_the_article(
    purges, committed, two_sections, section
):
    x, y, z, other = two_sections
    purges.taken()
    row = x.translations.get(language="en")
    row.title = "A better title"
    with committed():
        row.save()
    # Its pages and cards in every language, its section, the lists: not z's pages,
    # and not the related lists of its section (the set of public articles is the same).
    assert purges.taken() == {
        f"a{x.pk}",
        f"s{section.pk}",
        "home",
        "feed",
        "sitemap",
        "k-search",
        "articles",
        "k-api",
    }


def test_publishing_and_unpublishing_purge_the_related_lists_too(
    purges, committed, two_sections, section
):
    x = two_sections[0]
    purges.taken()
    row = x.translations.get(language="vi")
    row.status = Status.UNPUBLISHED
    with committed():
        row.save()
    assert {f"a{x.pk}", f"s{section.pk}", f"r{section.pk}", "home"} <= purges.taken()
    row.status, row.published_at = Status.PUBLISHED, timezone.now()
    with committed():
        row.save()
    assert f"r{section.pk}" in purges.taken()
    # A draft nobody saw before and nobody sees now leaves the related lists alone.
    with committed():
        draft = ArticleTranslation.objects.create(
            article=x, language="ko", title="초안", lead="", body="<p>초안</p>", status=Status.DRAFT
        )
    assert f"a{x.pk}" in (found := purges.taken()) and f"r{section.pk}" not in found
    with committed():
        draft.delete()
    assert f"a{x.pk}" in (found := purges.taken()) and f"r{section.pk}" not in found


def test_moving_an_article_purges_both_sections(purges, committed, two_sections, section):
    x, _y, _z, other = two_sections
    purges.taken()
    article = Article.objects.get(pk=x.pk)
    article.section = other
    with committed():
        article.save()
    assert {f"s{section.pk}", f"s{other.pk}", f"r{section.pk}", f"r{other.pk}"} <= purges.taken()


def test_nothing_is_purged_for_a_rollback(purges, committed, two_sections):
    from django.db import transaction

    x = two_sections[0]
    purges.taken()

    class Undo(Exception):
        pass

    with committed(), pytest.raises(Undo), transaction.atomic():
        row = x.translations.get(language="vi")
        row.lead = "Không lưu"
        row.save()
        raise Undo
    assert purges.taken() == set()


@pytest.mark.django_db(transaction=True)
def test_the_keys_leave_at_commit_in_one_request(
    purges, section, site_identity, make_article, monkeypatch
):
    from django.db import transaction

    # The rows of one commit queue their keys one after another; a loaded test
    # machine can take longer than the 50 ms between two of them, so the wait
    # is longer here. The batching is what is tested, not the interval.
    monkeypatch.setattr(edge, "SETTLE_SECONDS", 0.5)
    purges.taken()  # the fixtures' own
    with transaction.atomic():
        made = make_article(["vi", "en"])  # an article and two translations
        other = make_article(["vi"])
        assert edge.wait(1) and purges.received == []  # not before the commit
    assert edge.wait(5)
    assert len(purges.received) == 1
    assert {f"a{made.pk}", f"a{other.pk}"} <= purges.taken()


def test_global_and_other_kinds_changes(purges, committed, site_identity, section):
    purges.taken()
    identity = SiteIdentity.objects.get(language="vi")
    identity.phone = "0236 3822 000"
    with committed():
        identity.save()
    assert purges.taken() == {"cx", "k-api"}
    with committed():
        SectionTranslation.objects.filter(section=section, language="vi").get().save()
    assert purges.taken() == {"cx", "k-api"}
    with committed():
        page = Article.objects.create(kind="page")
    assert purges.taken() == {f"a{page.pk}", "k-agency", "sitemap", "k-search", "articles", "k-api"}


def test_an_edge_that_does_not_answer_never_fails_the_save(
    settings, committed, two_sections, caplog
):
    from tests.servers import free_port

    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}"]
    row = two_sections[0].translations.get(language="vi")
    row.title = "Lưu được"
    with committed():
        row.save()
    assert edge.wait(10)
    assert ArticleTranslation.objects.get(pk=row.pk).title == "Lưu được"
    assert "edge purge" in caplog.text


def test_without_edges_a_save_reads_nothing_for_them(settings, committed, two_sections):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    row = two_sections[0].translations.get(language="vi")

    def queries() -> int:
        row.title += "!"
        with CaptureQueriesContext(connection) as done, committed():
            row.save(update_fields=["title"])
        return len(done)

    settings.EDGE_PURGE_URLS = []
    without = queries()
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9"]  # discard: nobody answers
    # With an edge: the row as it was, and the article's kind and section.
    assert queries() == without + 2
    assert edge.wait(10)


# --- Lifetimes and scheduled changes ---------------------------------------------


def test_no_page_outlives_the_next_scheduled_publication(
    client, two_sections, make_article, django_capture_on_commit_callbacks, settings
):
    x = two_sections[0]
    url = x.translations.get(language="vi").get_absolute_url()
    assert client.get(url)["Cache-Control"] == "public, max-age=30, stale-while-revalidate=300"
    with django_capture_on_commit_callbacks(execute=True):
        make_article(["vi"], published_at=timezone.now() + timedelta(seconds=100))
    bounded = client.get(url)["Cache-Control"]
    assert bounded in (
        "public, max-age=30, stale-while-revalidate=70",
        "public, max-age=30, stale-while-revalidate=69",
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_article(["vi"], published_at=timezone.now() + timedelta(seconds=10))
    age = re.fullmatch(
        r"public, max-age=(\d+), stale-while-revalidate=0", client.get(url)["Cache-Control"]
    )
    assert age and 8 <= int(age.group(1)) <= 10
    feed = client.get("/vi/feed/")["Cache-Control"]
    assert re.search(r"max-age=(9|10)\b", feed), feed

    # The page cache's copies too: the lifetime is cut when a copy is served.
    settings.PAGE_CACHE = True
    front = PageCache(WSGIHandler())
    call(front, url, **reader(1))
    hit = call(front, url, **reader(2))
    assert hit.hit and re.fullmatch(
        r"public, max-age=([89]|10), stale-while-revalidate=0", hit.headers["cache-control"]
    )


# --- View counts through ESI -------------------------------------------------------


def test_an_edge_doing_esi_gets_the_count_as_an_include(two_sections, settings):
    settings.PAGE_CACHE = True
    front = fragments.Fragments(PageCache(WSGIHandler()))
    row = two_sections[0].translations.get(language="vi")
    url = row.get_absolute_url()
    for number in (1, 2):  # rendered by Django, then served from the page cache
        page = call(front, url, **reader(number), **ESI)
        assert page.status == 200 and page.hit == (number == 2)
        assert page.headers["surrogate-control"] == 'content="ESI/1.0"'
        assert "lượt xem" not in page.text and len(INCLUDE.findall(page.text)) == 1
    # The pages the edge fetches are not views: the edge fetches the count per reader.
    assert ArticleTranslation.objects.get(pk=row.pk).view_count == 0
    src = INCLUDE.search(page.text).group(1)
    assert src.startswith(f"/_edge/views/vi/{row.pk}.0.1.")
    counted = [call(front, src, **reader(n)) for n in (1, 2, 3, 1)]
    assert [c.text for c in counted] == ["1 lượt xem", "2 lượt xem", "3 lượt xem", "3 lượt xem"]
    assert counted[0].headers["cache-control"] == "private, no-store"
    bot = call(front, src, user_agent="Mozilla/5.0 (compatible; bingbot/2.0)", **reader(9))
    assert bot.text == "3 lượt xem"
    assert ArticleTranslation.objects.get(pk=row.pk).view_count == 3
    # The gzip form holds the include too; the count comes in gzip to whoever takes it.
    zipped = call(front, url, accept_encoding="gzip", **reader(4), **ESI)
    assert INCLUDE.search(gzip.decompress(zipped.body).decode()).group(1) == src
    count = call(front, src, accept_encoding="gzip, br", **reader(4))
    assert count.headers["content-encoding"] == "gzip"
    assert gzip.decompress(count.body).decode() == "4 lượt xem"


def test_only_a_trusted_proxy_gets_the_include_and_only_signed_fragments_count(
    two_sections, settings
):
    settings.PAGE_CACHE = True
    front = fragments.Fragments(PageCache(WSGIHandler()))
    row = two_sections[0].translations.get(language="vi")
    url = row.get_absolute_url()
    # From anyone else, Surrogate-Capability is ignored: the page is counted as usual.
    page = call(front, url, remote_addr="198.51.100.7", **ESI)
    assert "esi:include" not in page.text and page.views == 1
    assert "surrogate-control" not in page.headers
    src = fragments.include("vi", row.pk, 0, True).decode()
    src = INCLUDE.search(src).group(1)
    forged = src.replace(f"{row.pk}.0.1.", f"{row.pk}.5000.1.")
    assert call(front, forged).status == 404
    assert call(front, "/_edge/views/vi/1.2.3.nothex").status == 404
    # X-Forwarded-For is believed from a trusted proxy only: from anyone else, two
    # forged addresses are still one reader.
    for forged_for in ("198.51.100.20", "198.51.100.21"):
        call(front, src, remote_addr="192.0.2.9", x_forwarded_for=forged_for)
    assert ArticleTranslation.objects.get(pk=row.pk).view_count == 2
    print_copy = INCLUDE.search(fragments.include("vi", row.pk, 0, False).decode()).group(1)
    assert call(front, print_copy, **reader(5)).text == "2 lượt xem"  # shown, not counted
    assert ArticleTranslation.objects.get(pk=row.pk).view_count == 2


def test_a_pages_count_is_named_to_a_trusted_edge_only(client, two_sections):
    """X-Cx-Views (what an edge counting from its log needs) goes to a proxy the portal
    trusts, never to a reader who asks directly."""
    from cangxanh.delivery import fragments

    x = two_sections[0]
    url = x.translations.get(language="vi").get_absolute_url()
    reader = client.get(url, REMOTE_ADDR="203.0.113.7")
    assert reader.status_code == 200 and fragments.COUNT_HEADER not in reader
    edge = client.get(url, REMOTE_ADDR="127.0.0.1")
    assert fragments.parse(fragments.PREFIX + edge[fragments.COUNT_HEADER]) is not None
