"""Exact counts under concurrency, against real servers: the production server
(cangxanh.serve's granian) in subprocesses, sharing this test's database, its
VAR_DIR (this machine's shared tables) and Redis. Each request comes from a
reader of its own, forwarded by a proxy on this machine (loopback is trusted)."""

import os
import signal
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.conf import settings

from cangxanh.news.models import ArticleTranslation
from cangxanh.stats.models import DailyViews
from tests.servers import granian, process_env

from .conftest import CHROME, VIEWS

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def live_server(workers: int = 2, **env):
    """The production server on this test's database and var folder; (base URL, process)."""
    env = {"CANGXANH_VIEWS_FLUSH_SECONDS": "0.5", **env}
    with granian(process_env(**env), workers) as served:
        yield served


def _shown(url: str, reader: int) -> int:
    """The count the page shows to reader number `reader`."""
    headers = {"User-Agent": CHROME, "X-Forwarded-For": f"2001:db8::{reader:x}"}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=20) as answer:
        assert answer.status == 200
        return int(VIEWS.search(answer.read().decode()).group(1).replace(".", ""))


def _views(urls: list[str], threads: int = 16) -> list[int]:
    """Each URL read once, each by a reader of its own."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(_shown, urls, range(1, len(urls) + 1)))


def _stored(translation_id: int) -> tuple[int, int]:
    total = ArticleTranslation.objects.get(pk=translation_id).view_count
    daily = sum(
        DailyViews.objects.filter(translation_id=translation_id).values_list("count", flat=True)
    )
    return total, daily


def _settles_at(translation_id: int, expected: int, within: float = 6.0) -> tuple[int, int]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if _stored(translation_id)[0] >= expected:
            break
        time.sleep(0.1)
    time.sleep(0.6)  # one more flush interval: nothing more may arrive
    return _stored(translation_id)


@pytest.fixture
def reading(make_article, site_identity):
    return make_article(["vi"]).translations.get()


def test_concurrent_views_of_a_live_server_are_counted_exactly(reading):
    with live_server(workers=2) as (base, _process):
        shown = _views([base + reading.get_absolute_url()] * 300)
        assert _settles_at(reading.pk, 300) == (300, 300)
    assert sorted(shown) == list(range(1, 301))  # one running total for both workers


def test_without_redis_the_count_shown_never_goes_backwards_whichever_worker_answers(reading):
    """Two servers of one worker each, sharing this machine's tables: every reload goes
    to the other one. A reader seen before is shown the total and not counted again."""
    with live_server(workers=1) as (one, _a), live_server(workers=1) as (two, _b):
        url = reading.get_absolute_url()
        shown, expected, readers = [], [], 0
        for number in range(160):
            again = number % 4 == 3  # a reader who read it already, on the other server
            if not again:
                readers += 1
            shown.append(_shown((one if number % 2 else two) + url, readers))
            expected.append(readers)
        assert shown == expected  # current at once, never backwards, repeats not counted
        assert _settles_at(reading.pk, readers) == (readers, readers)


def test_a_stopping_server_writes_what_it_still_holds(reading):
    with live_server(workers=1, CANGXANH_VIEWS_FLUSH_SECONDS="30") as (base, process):
        _views([base + reading.get_absolute_url()] * 120)
        assert _stored(reading.pk) == (0, 0)  # still buffered
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    assert _stored(reading.pk) == (120, 120)


def test_two_servers_sharing_redis_count_exactly_and_show_one_total(reading, redis_backend):
    shared = {"REDIS_URL": settings.REDIS_URL, "REDIS_PREFIX": settings.REDIS_PREFIX}
    with live_server(**shared) as (one, _a), live_server(**shared) as (two, _b):
        url = reading.get_absolute_url()
        shown = _views([(one if i % 2 else two) + url for i in range(400)], threads=24)
        assert sorted(shown) == list(range(1, 401))  # every view saw its own, exact total
        assert _settles_at(reading.pk, 400) == (400, 400)


def _crawler_sees(url: str) -> int:
    """The count a crawler is shown (served like anyone, never counted)."""
    headers = {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=20) as answer:
        return int(VIEWS.search(answer.read().decode()).group(1).replace(".", ""))


def test_with_redis_a_stopping_server_sends_what_it_still_holds(reading, redis_backend):
    shared = {"REDIS_URL": settings.REDIS_URL, "REDIS_PREFIX": settings.REDIS_PREFIX}
    env = {**shared, "CANGXANH_VIEWS_FLUSH_SECONDS": "30"}
    with live_server(workers=1, **env) as (base, process):
        _views([base + reading.get_absolute_url()] * 120)
        assert _stored(reading.pk) == (0, 0)  # in the process or in Redis, not written yet
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    assert _stored(reading.pk) == (120, 120)


def test_two_machines_sharing_redis_show_each_others_views_within_a_second(
    reading, redis_backend, tmp_path
):
    """Two servers with tables of their own (two machines), one Redis: a view made on
    one is shown by the other within about a second, and every view is stored once."""
    two_var = tmp_path / "machine-two"
    two_var.mkdir()
    (two_var / "static").symlink_to(settings.STATIC_ROOT)
    shared = {"REDIS_URL": settings.REDIS_URL, "REDIS_PREFIX": settings.REDIS_PREFIX}
    with (
        live_server(**shared) as (one, _a),
        live_server(**shared, CANGXANH_VAR_DIR=str(two_var)) as (two, _b),
    ):
        url = reading.get_absolute_url()
        assert _crawler_sees(two + url) == 0  # cached there, and its total read
        assert _crawler_sees(two + url) == 0
        shown = _views([one + url] * 50)
        assert sorted(shown) == list(range(1, 51))  # one machine: each its own total
        made = time.monotonic()
        while (seen := _crawler_sees(two + url)) != 50:
            assert seen < 50 and time.monotonic() - made < 1.0
            time.sleep(0.02)
        # Readers on both machines at once, and readers of one reading again on the
        # other: each reader counts once across both.
        again = [one + url] * 50 + [(one if i % 2 else two) + url for i in range(150)]
        _views(again[::-1])
        assert _settles_at(reading.pk, 200) == (200, 200)
        made = time.monotonic()
        while _crawler_sees(one + url) != 200 or _crawler_sees(two + url) != 200:
            assert time.monotonic() - made < 1.0
            time.sleep(0.02)


def test_a_publication_reaches_a_server_sharing_redis_within_a_second(
    reading, redis_backend, make_article
):
    shared = {"REDIS_URL": settings.REDIS_URL, "REDIS_PREFIX": settings.REDIS_PREFIX}
    with live_server(**shared) as (base, _process):
        home = base + "/vi/"
        urllib.request.urlopen(home, timeout=20).read()
        with urllib.request.urlopen(home, timeout=20) as answer:
            assert answer.headers["X-Cache"] == "hit"
        make_article(["vi"], titles={"vi": "Tàu mới cập cảng Lạch Huyện"})  # committed
        published = time.monotonic()
        while "Tàu mới cập cảng Lạch Huyện" not in urllib.request.urlopen(home).read().decode():
            assert time.monotonic() - published < 1.0
            time.sleep(0.02)
