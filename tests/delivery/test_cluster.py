"""The cluster on one machine (deploy/cluster.py, what `make cluster` starts): Redis,
two portal servers each with a var folder of its own, HAProxy balancing between
them and Varnish in front, on this test's PostgreSQL database. An approver
publishes through app server 1; readers coming in through the edge see the new
article within a second, the old copy of its section gone, and every view counted
exactly once whichever server counted it.

Runs in the PostgreSQL leg (the servers share one database server, as machines
do); skips, saying why, where varnishd, the xkey vmod, HAProxy or redis-server is
missing (CI installs them)."""

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from cangxanh.editorial.models import StaffProfile
from cangxanh.editorial.roles import APPROVER, ensure_roles
from cangxanh.news.models import ArticleTranslation, Status
from tests.servers import database_url, free_port, is_postgresql, varnish_missing

from .test_varnish import get, until

pytestmark = pytest.mark.django_db(transaction=True)
CLUSTER = settings.PROJECT_DIR / "deploy" / "cluster.py"


def _missing() -> str | None:
    if not is_postgresql():
        return (
            "the cluster runs on PostgreSQL: this test runs in the PostgreSQL leg "
            "(DATABASE_URL=postgres://…)"
        )
    for name, package in (("haproxy", "haproxy"), ("redis-server", "redis")):
        if not (shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")):
            return f"{name} is missing (apt-get install {package})"
    return varnish_missing()


@pytest.fixture
def cluster(tmp_path):
    """The edge's and app server 1's base URLs, the cluster running until the test ends."""
    missing = _missing()
    if missing:
        if os.environ.get("CANGXANH_REQUIRE_VARNISH") and is_postgresql():
            pytest.fail(missing)
        pytest.skip(missing)
    edge, balancer, app1, app2, redis_port = (free_port() for _ in range(5))
    env = {
        **os.environ,
        "CLUSTER_DIR": str(tmp_path / "cluster"),
        "CLUSTER_EDGE_PORT": str(edge),
        "CLUSTER_BALANCER_PORT": str(balancer),
        "CLUSTER_APP_PORTS": f"{app1},{app2}",
        "CLUSTER_REDIS_PORT": str(redis_port),
        "CLUSTER_DATABASE_URL": database_url(),
        "CANGXANH_VAR_DIR": str(settings.VAR_DIR),
        "CANGXANH_2FA_REQUIRED": "0",  # the approver signs in with a password here
    }
    command = [sys.executable, str(CLUSTER)]
    started = subprocess.run(
        [*command, "start", "--no-demo"], env=env, capture_output=True, text=True, timeout=300
    )
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield f"http://127.0.0.1:{edge}", f"http://127.0.0.1:{app1}"
    finally:
        subprocess.run([*command, "stop"], env=env, capture_output=True, timeout=120)


class Browser:
    """An approver's browser on one app server: cookies, and the CSRF token of each form."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def form_token(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=20) as response:
            page = response.read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, path: str, data: dict) -> str:
        data = {"csrfmiddlewaretoken": self.form_token(path), **data}
        request = urllib.request.Request(
            self.base + path, data=urllib.parse.urlencode(data).encode(), method="POST"
        )
        with self.opener.open(request, timeout=20) as response:
            return response.geturl()


def test_published_through_one_server_read_through_the_edge(
    cluster, make_article, django_user_model, settings
):
    edge, app1 = cluster
    ensure_roles()
    # A hash the portal servers read (tests elsewhere hash with MD5, for speed only).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    approver = django_user_model.objects.create_user("duyet", password="pw-123456", is_staff=True)
    approver.groups.add(Group.objects.get(name=APPROVER))
    StaffProfile.objects.create(user=approver, languages=["vi"])
    read = make_article(["vi"], views=5)
    waiting = make_article(["vi"], status=Status.REVIEW, titles={"vi": "Đoàn Kobe đến cảng"})
    read_row = ArticleTranslation.objects.get(article=read, language="vi")
    section_url = read.section.translations.get(language="vi").get_absolute_url()

    # The section page and the article, each fetched once from a portal server, then
    # served by the edge.
    for url in (section_url, read_row.get_absolute_url()):
        assert get(edge, url).status == 200
        assert get(edge, url).hit
    assert "Đoàn Kobe đến cảng" not in get(edge, section_url).text

    browser = Browser(app1)
    signed_in = browser.post("/admin/login/", {"username": "duyet", "password": "pw-123456"})
    assert "/admin/login/" not in signed_in
    row = ArticleTranslation.objects.get(article=waiting, language="vi")
    browser.post(f"/editorial/translations/{row.pk}/", {"action": "publish"})
    published = time.monotonic()
    row.refresh_from_db()
    assert row.status == Status.PUBLISHED

    # Through the edge, within a second: the section's old copy is gone, the new
    # article answers (what is purged and what is kept: test_varnish.py).
    assert until(lambda: "Đoàn Kobe đến cảng" in get(edge, section_url).text)
    assert time.monotonic() - published < 1.0
    assert get(edge, row.get_absolute_url()).status == 200

    # Twenty readers through the edge, whichever portal server the balancer picks:
    # each counted once, the same reader again not at all.
    for reader in range(1, 21):
        assert get(edge, read_row.get_absolute_url(), reader=reader).status == 200
    get(edge, read_row.get_absolute_url(), reader=7)
    assert until(
        lambda: ArticleTranslation.objects.get(pk=read_row.pk).view_count == 5 + 20, within=10
    )
    time.sleep(1)
    assert ArticleTranslation.objects.get(pk=read_row.pk).view_count == 5 + 20
