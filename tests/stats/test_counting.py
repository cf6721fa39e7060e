"""Which requests count, and the buffered counter: exact, batched, never lost on a failed write."""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from cangxanh.news.models import ArticleTranslation
from cangxanh.stats import counter
from cangxanh.stats.models import DailyViews, ViewFlush
from cangxanh.stats.services import is_countable

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Yeti/1.1; +http://naver.me/spd)",
        "curl/8.5.0",
    ],
)
def test_crawlers_do_not_count(agent):
    request = RequestFactory().get("/", HTTP_USER_AGENT=agent)
    assert not is_countable(request)


@pytest.mark.parametrize(
    "agent",
    [
        CHROME,
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/130.0.184 Chrome/124.0.6367.184 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; 23021RAAEG Build/TKQ1.221114.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.107 Mobile Safari/537.36 Zalo android/12110724 ZaloTheme/light ZaloLanguage/vi",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.9.5",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/480.0.0.36.108]",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Whale/3.28.266.14 Safari/537.36",
    ],
)
def test_readers_browsers_count(agent):
    """The tools' patterns must not catch the browsers readers here actually use."""
    assert is_countable(RequestFactory().get("/", HTTP_USER_AGENT=agent))


def test_a_browser_counts_but_head_and_prefetch_do_not():
    factory = RequestFactory()
    assert is_countable(factory.get("/", HTTP_USER_AGENT=CHROME))
    assert not is_countable(factory.head("/", HTTP_USER_AGENT=CHROME))
    assert not is_countable(factory.get("/", HTTP_USER_AGENT=CHROME, HTTP_SEC_PURPOSE="prefetch"))
    assert not is_countable(factory.get("/", HTTP_USER_AGENT=CHROME, HTTP_PURPOSE="prefetch"))


def _stored(translation) -> tuple[int, int]:
    row = ArticleTranslation.objects.get(pk=translation.pk)
    daily = DailyViews.objects.filter(translation=translation).first()
    return row.view_count, daily.count if daily else 0


@pytest.mark.django_db
def test_written_at_once_when_the_interval_is_zero(make_article):
    translation = make_article(["vi"], views=10).translations.get()
    assert counter.record(translation.pk, 10) == 11
    assert counter.record(translation.pk, 10) == 12
    assert _stored(translation) == (12, 2)


@pytest.mark.django_db
def test_buffered_views_reach_the_database_only_when_flushed(make_article, buffered):
    translation = make_article(["vi"], views=5).translations.get()
    shown = [counter.record(translation.pk, 5) for _ in range(3)]
    assert shown == [6, 7, 8]  # the total shown stays current while buffered
    assert counter.shown(translation.pk, 5) == 8
    assert _stored(translation) == (5, 0)
    assert counter.flush() == 3
    assert _stored(translation) == (8, 3)
    assert counter.flush() == 0


@pytest.mark.django_db(transaction=True)
def test_a_failed_write_keeps_the_batch_for_the_next_flush(make_article, buffered, monkeypatch):
    translation = make_article(["vi"]).translations.get()
    for _ in range(4):
        counter.record(translation.pk, 0)

    def broken(batch, referrers=None):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr("cangxanh.stats.counter.apply", broken)
    with pytest.raises(RuntimeError):
        counter.flush()
    monkeypatch.undo()
    counter.record(translation.pk, 0)
    assert counter.flush() == 5
    assert _stored(translation) == (5, 5)


@pytest.mark.django_db
def test_a_deleted_translation_does_not_block_the_batch(make_article, buffered):
    kept = make_article(["vi"]).translations.get()
    gone = make_article(["vi"]).translations.get()
    counter.record(kept.pk, 0)
    counter.record(gone.pk, 0)
    gone.article.delete()
    assert counter.flush() == 2
    assert _stored(kept) == (1, 1)


def _hammer(translation_id: int, threads: int, each: int) -> list[int]:
    shown: list[int] = []
    errors: list[BaseException] = []

    def worker():
        try:
            for _ in range(each):
                shown.append(counter.record(translation_id, 0))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    return shown


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_counted_exactly(make_article, buffered):
    translation = make_article(["vi"]).translations.get()
    shown = _hammer(translation.pk, threads=8, each=50)
    assert sorted(shown) == list(range(1, 401))  # every view saw its own total
    counter.flush()
    assert _stored(translation) == (400, 400)


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_through_redis_are_counted_exactly(make_article, redis_backend, buffered):
    translation = make_article(["vi"], views=7).translations.get()
    counter.record(translation.pk, 7)
    shown = _hammer(translation.pk, threads=8, each=50)
    assert sorted(shown) == list(range(9, 409))
    assert counter.shown(translation.pk, 0) == 408
    counter.flush()
    assert _stored(translation) == (408, 401)


@pytest.mark.django_db(transaction=True)
def test_a_batch_left_by_a_dead_flusher_is_applied_exactly_once(
    make_article, redis_backend, buffered
):
    translation = make_article(["vi"]).translations.get()
    redis_counter = counter.counter()
    for _ in range(3):
        counter.record(translation.pk, 0)
    redis_counter.exchange()  # the views this process holds, sent to Redis
    # A flusher took the pending views and died before writing them.
    orphan = redis_counter.batch_prefix + "1:dead"
    assert redis_counter.take(orphan)
    counter.record(translation.pk, 0)
    assert counter.flush() == 4
    assert _stored(translation) == (4, 4)
    # A flusher that wrote its batch but died before deleting it: not applied twice.
    counter.record(translation.pk, 0)
    redis_counter.exchange()  # the views this process holds, sent to Redis
    written = redis_counter.batch_prefix + "2:written"
    assert redis_counter.take(written)
    ViewFlush.objects.create(batch="2:written")
    assert counter.flush() == 0
    assert not redis_backend.exists(written)
    assert _stored(translation) == (4, 4)
