"""Redis stopped under traffic: readers keep getting their pages, the views counted
meanwhile wait in the workers and reach the database, and none is lost, against two
production workers sharing a private redis-server that the test stops and starts."""

import itertools
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from cangxanh.news.models import ArticleTranslation
from cangxanh.stats.models import DailyViews

from .conftest import fetch, live_server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reading(make_article, site_identity):
    return make_article(["vi"]).translations.get()


def stored(translation_id: int) -> tuple[int, int]:
    total = ArticleTranslation.objects.get(pk=translation_id).view_count
    daily = sum(
        DailyViews.objects.filter(translation_id=translation_id).values_list("count", flat=True)
    )
    return total, daily


def settled(translation_id: int, expected: int) -> tuple[int, int]:
    """The stored totals once they reach `expected` (ten seconds at most), and after two
    more flush intervals, so that a view counted twice shows."""
    for _ in range(100):
        if stored(translation_id)[0] >= expected:
            break
        time.sleep(0.1)
    time.sleep(1.0)
    return stored(translation_id)


class Readers:
    """Readers behind the trusted proxy on loopback, each with an address of its own,
    reading one page from several threads until told to stop."""

    def __init__(self, url: str, threads: int = 4):
        self.url, self.threads = url, threads
        self.statuses: list[int] = []
        self._addresses = (
            f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in itertools.count(1)
        )
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def read(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                address = next(self._addresses)
            status = fetch(self.url, X_Forwarded_For=address).status
            with self._lock:
                self.statuses.append(status)

    def until(self, count: int) -> None:
        """Wait until `count` more pages were answered (a reader that failed, or a
        minute without them, fails the test rather than hang it)."""
        goal = len(self.statuses) + count
        deadline = time.monotonic() + 60
        while len(self.statuses) < goal:
            for run in self._runs:
                if run.done():
                    run.result()  # raises what stopped the reader
                    pytest.fail("a reader stopped")
            if time.monotonic() > deadline:
                pytest.fail(f"only {len(self.statuses)} of {goal} pages answered in a minute")
            time.sleep(0.02)

    def __enter__(self):
        self._pool = ThreadPoolExecutor(self.threads)
        self._runs = [self._pool.submit(self.read) for _ in range(self.threads)]
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for run in self._runs:
            run.result()
        self._pool.shutdown()


def test_readers_keep_their_pages_and_no_view_is_lost_while_redis_is_away(reading, private_redis):
    shared = {
        "REDIS_URL": private_redis.url,
        "REDIS_PREFIX": f"cxfault:{uuid.uuid4().hex[:12]}:",
        "CANGXANH_VIEWS_FLUSH_SECONDS": "0.5",
    }
    with live_server(workers=2, **shared) as base:
        with Readers(base + reading.get_absolute_url()) as readers:
            readers.until(40)
            private_redis.stop()
            readers.until(60)  # all while Redis is away
            private_redis.start()
            readers.until(40)
        answered = len(readers.statuses)
        assert readers.statuses == [200] * answered
        total, daily = settled(reading.pk, answered)
        waiting = redis.Redis.from_url(private_redis.url).keys(
            shared["REDIS_PREFIX"] + "views:[pb]*"
        )
    assert waiting == []  # nothing left in Redis for the database
    assert total == daily
    # None lost, and none twice: a view whose answer Redis lost as it stopped (it ran
    # the count) is asked again with the same reader key, which counts it only once.
    assert total == answered
