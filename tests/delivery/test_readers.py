"""A view counts once per reader and translation in a window, on every way a page is
served: rendered by Django, a cached copy of this process, and Redis's one round trip."""

import pytest

from cangxanh.core import tally
from cangxanh.news.models import ArticleTranslation

from .conftest import call, reader

pytestmark = pytest.mark.django_db

DAY = 86400
BOTS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1",
    "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36 Puppeteer",
    "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36 Playwright/1.49",
    "sqlmap/1.8.11#stable (https://sqlmap.org)",
    "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)",
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
    "Mozilla/5.0 zgrab/0.x",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
    "WPScan v3.8.27 (https://wpscan.com/wordpress-security-scanner)",
    "gobuster/3.6",
    "DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)",
    "Fuzz Faster U Fool v2.1.0-dev",
    "ffuf/2.1.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Acunetix-Product",
    "Mozilla/5.0 (compatible; Nessus SOAP)",
    "Mozilla/5.0 OpenVAS-VT 22.4",
    "Mozilla/5.0 (Windows NT 10.0) BurpSuite",
    "axios/1.7.9",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "undici",
    "node",
    "got (https://github.com/sindresorhus/got)",
    "PostmanRuntime/7.43.0",
    "insomnia/10.3.0",
    "Python/3.11 aiohttp/3.11.11",
    "python-httpx/0.28.1",
    "python-requests/2.32.3",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "Java/21.0.5",
    "Apache-HttpClient/5.4.1 (Java/21.0.5)",
    "libcurl/8.11.1",
    "curl/8.11.1",
    "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.26100.2161",
    "Dart/3.6 (dart:io)",
    "",
    "   ",
    None,  # no User-Agent header at all
]


@pytest.fixture
def published(make_article, site_identity, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(["vi", "en"], views=10)
    return article.translations.get(language="vi")


def stored(translation) -> int:
    return ArticleTranslation.objects.get(pk=translation.pk).view_count


def test_the_same_reader_counts_once_and_others_each_once(front, published):
    url = published.get_absolute_url()
    assert call(front, url, **reader(1)).views == 11  # rendered by Django
    assert call(front, url, **reader(1)).views == 11  # the cached copy, not counted again
    assert call(front, url, **reader(2)).views == 12
    assert call(front, url, **reader(3)).views == 13
    assert call(front, url, **reader(2)).views == 13
    assert stored(published) == 13
    # Another translation of the article is another reading.
    english = published.article.translations.get(language="en")
    assert call(front, english.get_absolute_url(), **reader(1)).views == 11


def test_the_browser_is_part_of_the_reader(front, published):
    url = published.get_absolute_url()
    call(front, url, **reader(1))
    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
    assert call(front, url, user_agent=firefox, **reader(1)).views == 12
    assert call(front, url, user_agent=firefox, **reader(1)).views == 12


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(front, published):
    url = published.get_absolute_url()
    for number in range(1, 6):
        answer = call(front, url, remote_addr="198.51.100.20", **reader(number))
        assert answer.views == 11  # one reader: the connection, whatever it claims
    assert stored(published) == 11


def _morning(monkeypatch) -> float:
    """Two in the morning today, local time, as the clock: the steps below stay within the
    day whatever the hour the test runs at (near midnight they would cross into the next)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.conf import settings as django_settings

    zone = ZoneInfo(django_settings.TIME_ZONE)
    today = datetime.now(zone).date()
    start = datetime(today.year, today.month, today.day, 2, tzinfo=zone).timestamp()
    monkeypatch.setattr(tally, "clock", lambda: start)
    return start


def test_the_window_ends_and_the_reader_counts_again(front, published, settings, monkeypatch):
    start = _morning(monkeypatch)
    url = published.get_absolute_url()
    assert call(front, url, **reader(1)).views == 11
    assert settings.VIEWS_READER_WINDOW == 1800  # half an hour by default
    monkeypatch.setattr(tally, "clock", lambda: start + 1800 - 5)
    assert call(front, url, **reader(1)).views == 11
    monkeypatch.setattr(tally, "clock", lambda: start + 1800 + 5)
    assert call(front, url, **reader(1)).views == 12
    settings.VIEWS_READER_WINDOW = 60  # a shorter window, for readers from now on
    assert call(front, url, **reader(2)).views == 13
    monkeypatch.setattr(tally, "clock", lambda: start + 1800 + 5 + 50)
    assert call(front, url, **reader(2)).views == 13
    monkeypatch.setattr(tally, "clock", lambda: start + 1800 + 5 + 70)
    assert call(front, url, **reader(2)).views == 14


def test_the_next_day_a_reader_is_someone_new(front, published, settings, monkeypatch):
    """The key of the hash changes every day: nothing ties today's reader to yesterday's."""
    settings.VIEWS_READER_WINDOW = 3 * DAY  # longer than a day, so only the key can tell
    start = _morning(monkeypatch)
    url = published.get_absolute_url()
    assert call(front, url, **reader(1)).views == 11
    monkeypatch.setattr(tally, "clock", lambda: start + 3600)
    assert call(front, url, **reader(1)).views == 11
    monkeypatch.setattr(tally, "clock", lambda: start + DAY)
    assert call(front, url, **reader(1)).views == 12


def test_tools_scanners_and_headless_browsers_are_not_readers(front, published):
    url = published.get_absolute_url()
    assert call(front, url, **reader(1)).views == 11
    for number, agent in enumerate(BOTS, start=2):
        answer = call(front, url, user_agent=agent, **reader(number))
        assert (answer.status, answer.hit, answer.views) == (200, True, 11), agent
    assert call(front, url, **reader(999 % 250)).views == 12
    assert stored(published) == 12


@pytest.mark.parametrize("backend", ["local", "redis"])
def test_without_the_page_cache_django_counts_once_per_reader(client, published, request, backend):
    if backend == "redis":
        request.getfixturevalue("redis_backend")
    url = published.get_absolute_url()

    def read(**headers):
        page = client.get(url, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64)", **headers)
        return page.content.decode()

    assert "11 lượt xem" in read(HTTP_X_FORWARDED_FOR="203.0.113.1")  # from loopback
    assert "11 lượt xem" in read(HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert "12 lượt xem" in read(HTTP_X_FORWARDED_FOR="203.0.113.2")
    # Not from a trusted proxy: the peer is the reader, whatever it forwards.
    assert "13 lượt xem" in read(REMOTE_ADDR="198.51.100.3", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert "13 lượt xem" in read(REMOTE_ADDR="198.51.100.3", HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert stored(published) == 13
