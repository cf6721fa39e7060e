"""Exact counts under concurrency, against real servers: the production server
(cangxanh.serve's granian) in subprocesses, sharing this test's database, and Redis."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.management import call_command

from cangxanh.news.models import ArticleTranslation
from cangxanh.stats.models import DailyViews

from .conftest import CHROME, VIEWS

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_"))}
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        env["CANGXANH_SQLITE_PATH"] = str(database["NAME"])  # the test database
    else:
        env["DATABASE_URL"] = (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cangxanh.settings",
            "CANGXANH_VAR_DIR": str(settings.VAR_DIR),
            "CANGXANH_VIEWS_FLUSH_SECONDS": "0.5",
            "CANGXANH_PAGE_CACHE": "1",
        }
    )
    env.update(extra)
    return env


@contextmanager
def live_server(workers: int = 2, **env):
    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)  # pages link hashed files
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--workers",
        str(workers),
        "--blocking-threads",
        "1",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-ws",
        "--log-level",
        "warning",
        "cangxanh.wsgi:application",
    ]  # as cangxanh.serve starts it
    process = subprocess.Popen(command, env=_server_env(**env), start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(base + "/robots.txt", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _views(urls: list[str], threads: int = 16) -> list[int]:
    def one(url: str) -> int:
        request = urllib.request.Request(url, headers={"User-Agent": CHROME})
        with urllib.request.urlopen(request, timeout=20) as answer:
            assert answer.status == 200
            return int(VIEWS.search(answer.read().decode()).group(1).replace(".", ""))

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, urls))


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
    assert max(shown) <= 300


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
