"""Searching is limited per client: over SEARCH_RATE, 429 with Retry-After and a page
in the reader's language, never kept by the page cache."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler

from cangxanh.core import tally
from cangxanh.delivery.front import PageCache
from cangxanh.search.limits import rate

from ..delivery.conftest import call

pytestmark = pytest.mark.django_db

# The page's words as the catalogs translate them.
TOO_MANY = {"vi": "Bạn đã tìm kiếm quá nhiều lần", "ja": "検索の回数が多すぎます"}


def search(client, lang: str, number: int, **meta):
    return client.get(f"/{lang}/search/", {"q": f"cảng {number}"}, **meta)


@pytest.fixture(params=["machine", "redis"])
def backend(request):
    """Counted in this machine's table, or in Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_backend")
    return request.param


@pytest.fixture
def front(backend, settings):
    """The WSGI application as cangxanh.wsgi builds it: the page cache, then Django."""
    settings.PAGE_CACHE = True
    return PageCache(WSGIHandler())


def test_thirty_searches_a_minute_then_429_in_vietnamese(client, site_identity, backend):
    for number in range(30):
        assert search(client, "vi", number).status_code == 200
    refused = search(client, "vi", 30)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "private, no-store"
    page = refused.content.decode()
    assert '<html lang="vi">' in page and TOO_MANY["vi"] in page
    assert 'class="notice__code">429' in page and 'href="/vi/"' in page  # the site's look
    # Another client is not held back.
    assert search(client, "vi", 31, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_in_japanese_and_again_once_the_period_is_over(
    client, site_identity, settings, monkeypatch, backend
):
    settings.SEARCH_RATE = "3/minute"
    start = tally.clock()
    monkeypatch.setattr(tally, "clock", lambda: start)
    for number in range(3):
        assert search(client, "ja", number).status_code == 200
    refused = search(client, "ja", 3)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert '<html lang="ja">' in page and TOO_MANY["ja"] in page
    monkeypatch.setattr(tally, "clock", lambda: start + 30)
    assert search(client, "ja", 4).status_code == 429
    assert search(client, "ja", 5)["Retry-After"] == "30"
    monkeypatch.setattr(tally, "clock", lambda: start + 61)
    assert search(client, "ja", 6).status_code == 200


def test_clients_behind_a_trusted_proxy_are_limited_one_by_one(client, site_identity, settings):
    settings.SEARCH_RATE = "2/minute"

    def through_proxy(forwarded, number):
        return search(client, "vi", number, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert [through_proxy("203.0.113.1", n).status_code for n in range(3)] == [200, 200, 429]
    assert through_proxy("203.0.113.2", 3).status_code == 200
    # From anyone else the header is ignored: the peer itself is the client.
    direct = [
        search(client, "vi", n, REMOTE_ADDR="198.51.100.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        for n in range(3)
    ]
    assert [answer.status_code for answer in direct] == [200, 200, 429]


def test_a_refusal_is_never_served_from_the_page_cache(front, site_identity, settings):
    hai_phong = "/vi/search/?q=H%E1%BA%A3i+Ph%C3%B2ng"  # as a browser sends "Hải Phòng"
    settings.SEARCH_RATE = "1/minute"
    greedy = {"remote_addr": "198.51.100.5"}
    assert call(front, "/vi/search/?q=Incheon", **greedy).status == 200
    refused = call(front, hai_phong, **greedy)
    assert refused.status == 429 and not refused.hit
    # Someone else asking the same gets the results, and then the cached copy.
    other = {"remote_addr": "198.51.100.6"}
    first = call(front, hai_phong, **other)
    assert first.status == 200 and not first.hit
    assert call(front, hai_phong, **other).hit
    # A cached answer costs no search: it is served even over the limit.
    assert call(front, hai_phong, **greedy).hit


def test_the_rate_is_read_from_its_setting():
    assert rate("30/minute") == (30, 60)
    assert rate("10/second") == (10, 1)
    assert rate("600 / hours") == (600, 3600)
    assert rate("0") == (0, 60)
    for bad in ("thirty", "30/fortnight", "30", "-1/minute"):
        with pytest.raises(ImproperlyConfigured):
            rate(bad)


def test_no_limit_when_the_rate_is_zero(client, site_identity, settings):
    settings.SEARCH_RATE = "0"
    assert all(search(client, "vi", n).status_code == 200 for n in range(40))
