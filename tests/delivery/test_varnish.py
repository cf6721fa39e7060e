"""The portal behind a real Varnish (Debian's varnishd, the xkey vmod, the project's
deploy/varnish/cangxanh.vcl), in front of the production server on this test's
database: hits, exact purges on a change, exact view counts through ESI, the
newsroom passed, tracking parameters dropped, stale pages while the portal is down.

Skips, saying why, where varnishd or the xkey vmod is missing; CI installs both."""

import gzip
import http.client
import os
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from cangxanh.delivery import fragments
from cangxanh.delivery.edge import vcl_for
from cangxanh.news.models import ArticleTranslation, Section, SectionTranslation
from tests.servers import free_port, granian, process_env, stop, varnish, varnish_missing

from .conftest import CHROME, VIEWS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _needs_varnish():
    missing = varnish_missing()
    if missing:
        if os.environ.get("CANGXANH_REQUIRE_VARNISH"):
            pytest.fail(missing)
        pytest.skip(missing)


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.getheaders()}
        body = response.read()
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        self.text = body.decode()

    @property
    def hit(self) -> bool:
        """Served from Varnish's copy: X-Varnish names this request and the one that
        fetched it."""
        return len(self.headers["x-varnish"].split()) == 2

    @property
    def views(self) -> int:
        return int(VIEWS.search(self.text).group(1).replace(".", "").replace(",", ""))


def get(base: str, path: str, method: str = "GET", reader: int = 1, **headers) -> Answer:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    sent = {"User-Agent": CHROME, "X-Forwarded-For": f"203.0.113.{reader}"}
    sent.update({k.replace("_", "-"): v for k, v in headers.items()})
    try:
        connection.request(method, urllib.parse.quote(path, safe="/?=&%"), headers=sent)
        return Answer(connection.getresponse())
    finally:
        connection.close()


def until(check, within: float = 1.0):
    """`check()` true within `within` seconds; its last value."""
    deadline = time.monotonic() + within
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


@pytest.fixture
def content(make_article, site_identity, section):
    """x and y in the fixture's section, z alone in another one."""
    other = Section.objects.create(key="culture", position=2)
    SectionTranslation.objects.create(section=other, language="vi", name="Văn hoá", slug="van-hoa")
    x = make_article(["vi", "en"], views=7)
    make_article(["vi"], titles={"vi": "Bài thứ hai"})
    z = make_article(["vi"], titles={"vi": "Bài văn hoá"})
    z.section = other
    z.save()
    return (
        x.translations.get(language="vi"),
        z.translations.get(language="vi"),
        section.translation("vi").get_absolute_url(),
    )


@pytest.fixture
def edge(settings, content):
    """(edge URL, portal URL): Varnish in front of the production server, and this
    process (where the test publishes) purging it."""
    env = process_env(CANGXANH_VIEWS_FLUSH_SECONDS="0.2")
    with granian(env, workers=2) as (origin, _), varnish(origin) as base:
        settings.EDGE_PURGE_URLS = [base]
        yield base, origin


def test_a_change_reaches_readers_through_the_edge_at_once_and_purges_nothing_else(edge, content):
    base, _origin = edge
    x, z, section_url = content
    x_url, z_url = x.get_absolute_url(), z.get_absolute_url()
    for url in (x_url, section_url, z_url):
        first, second = get(base, url), get(base, url)
        assert first.status == second.status == 200
        assert not first.hit and second.hit and "age" in second.headers
        assert second.headers["x-cache"] == "hit"
        # The tags are for the edge alone.
        assert "xkey" not in second.headers and "surrogate-key" not in second.headers

    with transaction.atomic():  # as the workflow publishes: one transaction
        row = ArticleTranslation.objects.get(pk=x.pk)
        row.title = "Tiêu đề mới sau khi duyệt"
        row.save()
    changed_at = time.monotonic()

    assert until(lambda: "Tiêu đề mới sau khi duyệt" in get(base, x_url).text)
    assert until(lambda: "Tiêu đề mới sau khi duyệt" in get(base, section_url).text)
    assert time.monotonic() - changed_at < 1.0
    # The unrelated article (another section) was not purged: still the same copy.
    assert get(base, z_url).hit
    # …and the new copies are served from the edge again.
    assert get(base, x_url).hit and get(base, section_url).hit


def test_clients_without_gzip_have_a_plain_copy_of_their_own_and_a_purge_takes_both(edge, content):
    base, _origin = edge
    x_url = content[0].get_absolute_url()
    zipped = [get(base, x_url, Accept_Encoding="gzip, br") for _ in range(2)]
    assert [a.headers.get("content-encoding") for a in zipped] == ["gzip", "gzip"]
    assert not zipped[0].hit and zipped[1].hit
    # Not the gzip copy unzipped for each of them: a copy fetched plain, kept apart.
    plain = [get(base, x_url) for _ in range(2)]
    assert not plain[0].hit and plain[1].hit
    assert "content-encoding" not in plain[1].headers
    assert plain[1].text == zipped[1].text

    with transaction.atomic():
        row = ArticleTranslation.objects.get(pk=content[0].pk)
        row.title = "Cả hai bản đều mới"
        row.save()
    assert until(lambda: "Cả hai bản đều mới" in get(base, x_url).text)
    assert until(lambda: "Cả hai bản đều mới" in get(base, x_url, Accept_Encoding="gzip").text)


def test_views_are_counted_exactly_through_the_edge(edge, content):
    base, _origin = edge
    x = content[0]
    url = x.get_absolute_url()
    stored = x.view_count  # 7
    shown = [get(base, url, reader=n).views for n in range(1, 11)]
    # Each reader's page shows the count with their own view in it: ESI, fetched per reader.
    assert shown == list(range(stored + 1, stored + 11))
    assert get(base, url, reader=10).hit
    # The same readers again, crawlers, a prefetch and HEAD: served, never counted.
    again = get(base, url, reader=3)
    assert again.hit and again.views == stored + 10
    for agent in ("Mozilla/5.0 (compatible; Googlebot/2.1)", "curl/8.0", ""):
        assert get(base, url, reader=50, User_Agent=agent).views == stored + 10
    assert get(base, url, reader=51, Sec_Purpose="prefetch").views == stored + 10
    assert get(base, url, method="HEAD", reader=52).status == 200
    # A browser revalidating its copy is sent the page, and counted as the portal counts it.
    etag = again.headers["etag"]
    revalidated = get(base, url, reader=53, If_None_Match=etag)
    assert revalidated.status == 200 and revalidated.views == stored + 11
    assert until(
        lambda: ArticleTranslation.objects.get(pk=x.pk).view_count == stored + 11, within=5
    )
    # The fragments are the edge's own business, not an address of the site.
    assert get(base, f"/_edge/views/vi/{x.pk}.0.1.0123456789abcdef0123").status == 404


def test_the_newsroom_is_passed_and_tracking_parameters_dropped(edge, content):
    base, _origin = edge
    x = content[0]
    url = x.get_absolute_url()
    get(base, url)
    # Campaign links and cookies the page does not read: the same copy.
    tracked = get(base, url + "?utm_source=zalo&fbclid=abc", Cookie="_ga=GA1.2.3; csrftoken=x")
    assert tracked.hit
    # A session cookie: straight to the portal, every time.
    with_session = get(base, url, Cookie="sessionid=nothing-valid")
    assert not with_session.hit and with_session.headers["x-cache"] == "miss"
    for path in ("/admin/login/", "/editorial/"):
        get(base, path)
        assert not get(base, path).hit
    # A scheme that is neither http nor https is not the TLS terminator's: dropped, so
    # it neither makes a copy of its own nor reaches the portal's addresses.
    forged = get(base, url, X_Forwarded_Proto="gopher")
    assert forged.hit and "gopher:" not in forged.text
    # Only this machine may purge.
    assert get(base, "/", method="PURGE", xkey_purge="cx").status == 200


def test_stale_pages_are_served_while_the_portal_is_down(settings, content):
    x = content[0]
    url = x.get_absolute_url()
    env = process_env(CANGXANH_PAGE_MAX_AGE="1", CANGXANH_PAGE_STALE="1")
    with granian(env) as (origin, server), varnish(origin) as base:
        fresh = get(base, url)
        assert fresh.status == 200 and x.title in fresh.text
        server.terminate()
        server.wait(timeout=15)
        time.sleep(2.5)  # past max-age and stale-while-revalidate
        stale = get(base, url)
        assert stale.status == 200 and x.title in stale.text
        assert int(stale.headers["age"]) >= 2
        # A page it never had: the portal's absence, plainly.
        assert get(base, "/vi/no-such-page/").status == 503


@contextmanager
def counting_from_the_log(origin: str):
    """Varnish with the VCL's "log" counting in front of `origin`, varnishncsa writing
    its view log and `manage.py edge-views` counting it; yields (edge URL, the log's
    path, a function that starts edge-views again and returns its process)."""
    import shutil
    import tempfile

    # Where Debian's `vcache` user, which runs the cache process, can read the VCL.
    work = Path(tempfile.mkdtemp(prefix="cangxanh-varnish-log-"))
    work.chmod(0o755)
    port = free_port()
    vcl = work / "cangxanh.vcl"
    vcl.write_text(vcl_for(int(origin.rsplit(":", 1)[1]), views="log"))
    vcl.chmod(0o644)
    varnishd = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/sbin")
    edge = subprocess.Popen(
        [
            *(varnishd, "-F", "-n", str(work / "state"), "-a", f"127.0.0.1:{port}"),
            *("-T", "none", "-f", str(vcl), "-s", "malloc,64m"),
        ],
        start_new_session=True,
    )
    log = work / "views.log"
    processes = [edge]

    def reader() -> subprocess.Popen:
        command = [sys.executable, str(settings.PROJECT_DIR / "manage.py"), "edge-views", str(log)]
        process = subprocess.Popen(
            command, env=process_env(CANGXANH_VIEWS_FLUSH_SECONDS="0.2"), start_new_session=True
        )
        processes.append(process)
        return process

    base = f"http://127.0.0.1:{port}"
    try:
        assert until(lambda: _answers(base), within=15), "varnishd did not start"
        processes.append(
            subprocess.Popen(
                fragments.varnishncsa(str(work / "state"), str(log)), start_new_session=True
            )
        )
        assert until(log.exists, within=5)
        yield base, log, reader
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(work, ignore_errors=True)


def _answers(base: str) -> bool:
    try:
        return get(base, "/robots.txt").status == 200
    except OSError:
        return False


def test_views_are_counted_exactly_from_the_edges_log(content):
    """The VCL's "log" counting: the page kept whole at the edge (its count in it, at
    most about two seconds old), every reader served counted once from Varnish's log,
    crawlers and prefetches not, none lost or counted twice when the counter restarts."""
    x = content[0]
    url = x.get_absolute_url()
    stored = x.view_count  # 7
    env = process_env(CANGXANH_VIEWS_FLUSH_SECONDS="0.2")
    with (
        granian(env, workers=2) as (origin, _),
        counting_from_the_log(origin) as (
            base,
            log,
            reader,
        ),
    ):
        # varnishncsa writes what happens after it attached to Varnish's log: a crawler's
        # visits (logged, never counted) until its first line is there.
        bot = "Mozilla/5.0 (compatible; Googlebot/2.1)"
        assert until(
            lambda: (
                get(base, url, reader=99, User_Agent=bot).status == 200 and log.stat().st_size > 0
            ),
            within=15,
        ), "varnishncsa wrote nothing"
        counter_process = reader()
        pages = [get(base, url, reader=n) for n in range(1, 13)]
        assert all(page.status == 200 for page in pages)
        assert sum(page.hit for page in pages) >= 10  # the edge answered, not the portal
        assert "x-cx-views" not in pages[-1].headers  # for the edge alone
        again = get(base, url, reader=3)  # the same reader: served, not counted again
        for agent in ("Mozilla/5.0 (compatible; Googlebot/2.1)", "curl/8.0", ""):
            assert get(base, url, reader=50, User_Agent=agent).status == 200
        assert get(base, url, reader=51, Sec_Purpose="prefetch").status == 200
        assert get(base, url, method="HEAD", reader=52).status == 200
        # A browser revalidating its copy: a 304 from the edge, a view as the portal counts it.
        assert get(base, url, reader=53, If_None_Match=again.headers["etag"]).status == 304
        expected = stored + 13
        # Within a deadline, not a speed: the command may still be starting (Django's
        # set-up takes seconds on a busy machine).
        assert until(
            lambda: ArticleTranslation.objects.get(pk=x.pk).view_count == expected, within=30
        )
        # The count shown through the edge catches up within about two seconds.
        assert until(lambda: get(base, url, reader=3).views == expected, within=3)

        # Stopped, readers served meanwhile, started again: it resumes where it stopped.
        stop(counter_process)
        for n in range(100, 105):
            get(base, url, reader=n)
        time.sleep(0.3)  # varnishncsa writes them
        reader()
        assert until(
            lambda: ArticleTranslation.objects.get(pk=x.pk).view_count == expected + 5, within=30
        )
        # Its place lost (killed between a flush and saving it): the lines read again
        # count nobody twice (each reader is remembered for the window).
        Path(f"{log}.pos").unlink()
        done = subprocess.run(
            [
                sys.executable,
                str(settings.PROJECT_DIR / "manage.py"),
                "edge-views",
                str(log),
                "--once",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        time.sleep(0.5)
        assert ArticleTranslation.objects.get(pk=x.pk).view_count == expected + 5
