"""One ETag and one Last-Modified per content version, whichever worker answers: the page
holds no time of rendering, and Last-Modified is when the content version last changed
(kept with the version, in the mapped file or in Redis)."""

import re
import struct
import time
import urllib.error
import urllib.request
from datetime import timedelta
from email.message import Message

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from cangxanh.delivery import version
from cangxanh.delivery.front import PageCache

from .conftest import CHROME, call
from .test_live_counting import live_server

VIEWS = re.compile(rb"data-views>[^<]*")


@pytest.fixture
def published(make_article, site_identity, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(["vi", "en"], views=10)
    return article.translations.get(language="vi")


@pytest.mark.django_db
def test_two_workers_rendering_an_hour_apart_answer_the_same_validators(
    published, settings, monkeypatch
):
    settings.PAGE_CACHE = True
    url = published.get_absolute_url()
    first = call(PageCache(WSGIHandler()), url)
    later = timezone.now() + timedelta(hours=1)
    clock = time.time() + 3600
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", lambda: clock)
    other = call(PageCache(WSGIHandler()), url)  # another worker, an hour later
    assert not other.hit
    assert other.headers["etag"] == first.headers["etag"]
    assert other.headers["last-modified"] == first.headers["last-modified"]
    assert VIEWS.sub(b"", other.body) == VIEWS.sub(b"", first.body)
    assert b'class="print-note' in first.body


@pytest.mark.django_db
def test_last_modified_is_when_the_content_changed(
    front, published, make_article, django_capture_on_commit_callbacks, monkeypatch
):
    before = version.state()
    clock = time.time() + 100  # rendered well after the change
    monkeypatch.setattr(time, "time", lambda: clock)
    url = published.get_absolute_url()
    shown = parse_http_date(call(front, url).headers["last-modified"])
    assert shown == int(before[2])
    with django_capture_on_commit_callbacks(execute=True):
        make_article(["vi"], titles={"vi": "Tin mới về cảng biển"})
    number, _due, changed = version.state()
    assert number > before[0] and changed >= before[2]
    again = call(front, url)
    assert not again.hit and again.headers["last-modified"] == http_date(changed)


def test_a_version_file_of_an_older_release_keeps_working(tmp_path):
    path = tmp_path / "content-version"
    path.write_bytes(struct.pack("<qd", 41, 0.0))  # version and next change only
    opened = time.time()
    store = version.FileVersion(path)
    number, due, changed = store.read()
    assert (number, due) == (41, 0.0) and changed >= int(opened)
    store.bump(0.0)
    assert store.read()[0] == 42
    assert version.FileVersion(path).read()[0] == 42  # another process reads the same


def test_a_redis_version_of_an_older_release_keeps_working(redis_backend):
    store = version.store()
    redis_backend.set(store.keys[0], 41)  # no change time kept
    opened = time.time()
    number, _due, changed = store.read()
    assert number == 41 and changed >= int(opened)
    assert store.read()[2] == changed, "every process reads the same one"
    store.bump(0.0)
    assert store.read()[0] == 42 and store.read()[2] >= changed


def fetch(url: str, **headers) -> tuple[int, Message]:
    request = urllib.request.Request(url, headers={"User-Agent": CHROME, **headers})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            answer.read()
            return answer.status, answer.headers
    except urllib.error.HTTPError as answer:  # urllib raises for 304
        return answer.code, answer.headers


@pytest.mark.django_db(transaction=True)
def test_two_live_workers_answer_one_etag_and_conditional_requests_get_304(published):
    """Two server processes on one VAR_DIR, each rendering the article itself."""
    url = published.get_absolute_url()
    with live_server(workers=1) as (one, _a), live_server(workers=1) as (two, _b):
        status, first = fetch(one + url)
        time.sleep(1.1)  # the other renders in another second: a time of rendering shows
        status_two, second = fetch(two + url)
        assert (status, status_two) == (200, 200)
        assert "X-Cache" not in first and "X-Cache" not in second, "each rendered it"
        assert second["ETag"] == first["ETag"]
        assert second["Last-Modified"] == first["Last-Modified"]
        by_etag = [
            fetch(base + url, **{"If-None-Match": first["ETag"]})[0] for base in (one, two) * 5
        ]
        by_date = [
            fetch(base + url, **{"If-Modified-Since": first["Last-Modified"]})[0]
            for base in (one, two) * 5
        ]
    assert by_etag == [304] * 10
    assert by_date == [304] * 10
