"""Security headers on every answer, cached pages included, and security.txt."""

from datetime import UTC, datetime, timedelta

import pytest

from cangxanh.core.headers import PERMISSIONS_POLICY


@pytest.mark.parametrize("path", ["/vi/", "/en/", "/robots.txt", "/sitemap.xml", "/admin/login/"])
def test_every_answer_carries_the_security_headers(client, site_identity, path):
    response = client.get(path, follow=True)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-site"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_page_served_from_the_page_cache_keeps_them(site_identity, make_article, settings):
    """Through the whole WSGI stack (delivery.front): the second answer is a cache hit."""
    from django.core.handlers.wsgi import WSGIHandler

    from cangxanh.delivery.front import PageCache

    from ..delivery.conftest import call

    settings.PAGE_CACHE = True
    make_article(["vi"])
    app = PageCache(WSGIHandler())
    call(app, "/vi/")
    hit = call(app, "/vi/")
    assert hit.hit
    assert hit.headers["permissions-policy"] == PERMISSIONS_POLICY
    assert hit.headers["cross-origin-resource-policy"] == "same-site"


def test_security_txt_says_where_to_report_and_until_when(client, settings):
    settings.SITE_URL = "https://portal.example.vn"
    settings.SECURITY_CONTACTS = ["mailto:antoanthongtin@example.vn", "https://example.vn/bao-loi"]
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = [line.split(": ", 1) for line in response.content.decode().splitlines()]
    contacts = [value for name, value in fields if name == "Contact"]
    assert contacts == ["mailto:antoanthongtin@example.vn", "https://example.vn/bao-loi"]
    (expires,) = [value for name, value in fields if name == "Expires"]
    moment = datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=300) < moment - datetime.now(UTC) <= timedelta(days=366)
    assert ["Canonical", "https://portal.example.vn/.well-known/security.txt"] in fields
