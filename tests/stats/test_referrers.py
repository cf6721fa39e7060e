"""Where readers came from, by kind only: classified from the Referer's host, counted
with the views (once, in the same flush, locally and through Redis), never stored
as an address."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cangxanh.stats import counter
from cangxanh.stats.models import DailyReferrers, ReferrerKind
from cangxanh.stats.referrers import KINDS, classify

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


@pytest.mark.parametrize(
    ("referer", "kind"),
    [
        (None, "direct"),
        ("", "direct"),
        ("   ", "direct"),
        ("https://www.google.com/", "search"),
        ("https://www.google.com.vn/search?q=hai+phong", "search"),
        ("https://google.co.jp/", "search"),
        ("https://www.bing.com/search?q=x", "search"),
        ("https://cn.bing.com/", "search"),
        ("https://coccoc.com/search?query=x", "search"),
        ("https://search.naver.com/search.naver?query=x", "search"),
        ("https://m.search.naver.com/", "search"),
        ("https://search.yahoo.co.jp/search?p=x", "search"),
        ("https://vn.search.yahoo.com/", "search"),
        ("https://www.baidu.com/link?url=x", "search"),
        ("https://duckduckgo.com/", "search"),
        ("https://yandex.ru/search/?text=x", "search"),
        ("https://ya.ru/", "search"),
        ("https://search.brave.com/search?q=x", "search"),
        ("android-app://com.google.android.googlequicksearchbox/", "search"),
        ("https://www.facebook.com/", "social"),
        ("https://l.facebook.com/l.php?u=x", "social"),
        ("https://m.facebook.com/story.php", "social"),
        ("https://chat.zalo.me/", "social"),
        ("https://zalo.me/g/abc", "social"),
        ("https://t.co/abc", "social"),
        ("https://x.com/someone", "social"),
        ("https://twitter.com/", "social"),
        ("https://www.linkedin.com/feed/", "social"),
        ("https://lnkd.in/abc", "social"),
        ("https://story.kakao.com/", "social"),
        ("https://line.me/R/", "social"),
        ("https://weibo.com/", "social"),
        ("https://www.youtube.com/watch?v=x", "social"),
        ("https://www.tiktok.com/@x", "social"),
        ("https://blog.naver.com/x", "social"),
        ("android-app://com.zing.zalo/", "social"),
        ("android-app://com.facebook.katana/", "social"),
        ("https://mail.google.com/mail/u/0/", "other"),
        ("https://docs.google.com/document/d/x", "other"),
        ("https://news.yahoo.co.jp/articles/x", "other"),
        ("https://mofa.gov.vn/", "other"),
        ("https://notgoogle.com/", "other"),
        ("https://google.example.org/", "other"),
        ("https://www.google.com.evil.example/", "other"),
        ("https://facebook.com.evil.example/", "other"),
        ("android-app://com.example.reader/", "other"),
        ("ftp://files.example/", "other"),
        ("not a url", "other"),
        ("https://[::1", "other"),
        ("http://portal.example:8000/vi/", "internal"),
        ("https://PORTAL.example./vi/a/1/", "internal"),
        ("https://www.portal.example/", "internal"),
        ("https://haiphong.gov.vn/vi/", "internal"),  # the site's own address (SITE_URL)
    ],
)
def test_referrers_are_classified_by_host(settings, referer, kind):
    settings.SITE_URL = "https://haiphong.gov.vn"
    assert classify(referer, "portal.example:8000") == kind


def test_the_kinds_are_the_models_choices():
    assert set(KINDS) == set(ReferrerKind.values)


def _kinds() -> dict[str, int]:
    return dict(DailyReferrers.objects.values_list("kind", "count"))


@pytest.mark.django_db
def test_written_at_once_with_the_view(make_article):
    tid = make_article(["vi"]).translations.get().pk
    counter.record(tid, 0, kind="search")
    counter.record(tid, 0, kind="search")
    counter.record(tid, 0, kind="social")
    counter.record(tid, 0)  # a view without a kind (a caller that has none)
    assert _kinds() == {"search": 2, "social": 1}


@pytest.mark.django_db(transaction=True)
def test_buffered_kinds_reach_the_database_once_in_the_views_flush(make_article, buffered):
    tid = make_article(["vi"]).translations.get().pk
    with CaptureQueriesContext(connection) as during:
        for kind in ("direct", "direct", "search", "internal"):
            counter.record(tid, 0, b"reader " + kind.encode() + b"\n" + CHROME.encode(), kind)
        counter.record(
            tid, 0, b"reader direct\n" + CHROME.encode(), "direct"
        )  # the same reader again
    assert during.captured_queries == []  # no write per view
    assert _kinds() == {}
    assert counter.flush() == 3
    assert _kinds() == {"direct": 1, "search": 1, "internal": 1}
    assert counter.flush() == 0
    assert _kinds() == {"direct": 1, "search": 1, "internal": 1}


@pytest.mark.django_db(transaction=True)
def test_a_failed_write_keeps_the_kinds_with_the_views(make_article, buffered, monkeypatch):
    tid = make_article(["vi"]).translations.get().pk
    counter.record(tid, 0, kind="social")

    def broken(batch, referrers=None):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr("cangxanh.stats.counter.apply", broken)
    with pytest.raises(RuntimeError):
        counter.flush()
    monkeypatch.undo()
    counter.record(tid, 0, kind="social")
    assert counter.flush() == 2
    assert _kinds() == {"social": 2}


@pytest.mark.django_db(transaction=True)
def test_through_redis_the_kinds_travel_in_the_batch_exactly_once(
    make_article, redis_backend, buffered
):
    from cangxanh.stats.models import ViewFlush

    tid = make_article(["vi"]).translations.get().pk
    redis_counter = counter.counter()
    assert isinstance(redis_counter, counter.RedisCounter)
    for kind in ("search", "search", "other"):
        counter.record(tid, 0, kind=kind)
    redis_counter.exchange()  # the views this process holds, sent to Redis
    # A flusher took the pending views and died before writing them: applied once, later.
    orphan = redis_counter.batch_prefix + "1:dead"
    assert redis_counter.take(orphan)
    counter.record(tid, 0, kind="direct")
    assert counter.flush() == 4
    assert _kinds() == {"search": 2, "other": 1, "direct": 1}
    # A batch written but not deleted (its flusher died): not applied twice.
    counter.record(tid, 0, kind="search")
    redis_counter.exchange()  # the views this process holds, sent to Redis
    written = redis_counter.batch_prefix + "2:written"
    assert redis_counter.take(written)
    ViewFlush.objects.create(batch="2:written")
    assert counter.flush() == 0
    assert _kinds() == {"search": 2, "other": 1, "direct": 1}


@pytest.mark.parametrize("store", ["local", "redis"])
@pytest.mark.django_db
def test_page_cache_hits_count_their_kind(
    request, store, make_article, site_identity, settings, buffered,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """A page served by the page cache (no Django request; with Redis, sent in a batch)
    counts its reader's kind with the view; the reader's second view counts neither."""
    from django.core.handlers.wsgi import WSGIHandler

    from cangxanh.delivery.front import PageCache
    from tests.delivery.conftest import call, reader

    if store == "redis":
        request.getfixturevalue("redis_backend")
    settings.PAGE_CACHE = True
    front = PageCache(WSGIHandler())
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(["vi"])
    url = article.translations.get().get_absolute_url()
    assert not call(front, url, **reader(1)).hit  # rendered by Django: direct
    google = call(front, url, referer="https://www.google.com.vn/search?q=x", **reader(2))
    own = call(front, url, referer="http://testserver/vi/", **reader(3))
    zalo = call(front, url, referer="https://chat.zalo.me/", **reader(4))
    again = call(front, url, referer="https://www.bing.com/", **reader(2))
    assert google.hit and own.hit and zalo.hit and again.hit
    assert _kinds() == {}  # buffered: nothing written per view
    assert counter.flush() == 4
    assert _kinds() == {"direct": 1, "search": 1, "internal": 1, "social": 1}
