"""Every absolute address comes from the configured site address, never from the Host header.

A client chooses the Host among ALLOWED_HOSTS; pages, feeds and sitemaps are
kept by shared caches (and by the page cache) for every reader, so an address
built from one request's Host would reach all of them. `site_url()` is
SITE_URL, or without it an address derived from the settings alone.
"""

import html
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from cangxanh.core.site import absolute, site_url

FORGED = "forged.example"
ADDRESS = re.compile(r"""https?://[^\s"'<>\\]+""")
# Addresses of other sites a page may name: share targets, vocabularies, namespaces.
ELSEWHERE = (
    "https://www.facebook.com/",
    "https://x.com/",
    "https://www.linkedin.com/",
    "https://social-plugins.line.me/",
    "https://service.weibo.com/",
    "https://schema.org",
    "http://schema.org",
    "http://www.w3.org/",
    "http://www.sitemaps.org/",
    "http://www.google.com/schemas/",
    "http://purl.org/",
    "https://ogp.me/",
    "http://ogp.me/",
)


# --- site_url() and absolute() ---


def test_site_url_is_the_setting_without_its_trailing_slash(settings):
    settings.SITE_URL = "https://portal.example/"
    assert site_url() == "https://portal.example"
    assert absolute(None, "/vi/") == "https://portal.example/vi/"


@pytest.mark.parametrize(
    "hosts, production, port, expected",
    [
        (["127.0.0.1", "localhost", "testserver"], False, 8000, "http://127.0.0.1:8000"),
        (["localhost"], False, 9000, "http://localhost:9000"),
        (["portal.example"], False, 80, "http://portal.example"),
        # Patterns name no single host: the first entry that does.
        (["*", ".example.org", "portal.example"], False, 8000, "http://portal.example:8000"),
        ([], False, 8000, "http://127.0.0.1:8000"),
        # Production is served over TLS on the standard port (it sends HSTS).
        (["portal.example.vn", "www.portal.example.vn"], True, 8000, "https://portal.example.vn"),
    ],
)
def test_without_site_url_the_address_comes_from_the_settings(
    settings, hosts, production, port, expected
):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = hosts
    settings.PRODUCTION = production
    settings.SITE_PORT = port
    assert site_url() == expected


def test_absolute_keeps_absolute_urls_and_gives_storage_urls_the_site_scheme(settings):
    settings.SITE_URL = "https://portal.example"
    assert absolute(None, "https://cdn.example/a.jpg") == "https://cdn.example/a.jpg"
    assert absolute(None, "//cdn.example/a.jpg") == "https://cdn.example/a.jpg"
    assert absolute(None, "/media/a.jpg") == "https://portal.example/media/a.jpg"


# --- Over HTTP, with a forged Host ---


@pytest.fixture
def public_paths(site_identity, make_article, image) -> list[str]:
    article = make_article(("vi", "en", "ko"), images=[image])
    vi = article.translations.get(language="vi")
    section = vi.section_translation()
    return [
        "/robots.txt",
        "/vi/",
        "/en/",
        section.get_absolute_url(),
        vi.get_absolute_url(),
        article.translations.get(language="en").get_absolute_url(),
        "/vi/sitemap/",
        "/vi/feed/",
        "/vi/feed/atom/",
        f"{section.get_absolute_url()}feed/",
        f"{section.get_absolute_url()}feed/atom/",
        "/sitemap.xml",
        "/sitemap-articles-vi.xml",
        "/sitemap-articles-en.xml",
        "/sitemap-pages.xml",
        reverse("news:permalink", kwargs={"article_id": article.pk}).replace("/en/", "/vi/", 1),
    ]


def addresses_in(client, path: str) -> list[str] | None:
    """The absolute addresses an answer names, those inside share links' queries included.

    None for the permalink's redirect, whose Location is a path: nobody's Host."""
    response = client.get(path, HTTP_HOST=FORGED)
    if response.status_code == 301:
        assert response["Location"].startswith("/"), path
        return None
    assert response.status_code == 200, path
    text = html.unescape(response.content.decode())
    assert FORGED not in unquote(text), path
    found = ADDRESS.findall(text) + ADDRESS.findall(unquote(text))
    return [address.rstrip(".,;") for address in found]


def assert_on(base: str, path: str, addresses: list[str] | None) -> None:
    if addresses is None:
        return
    ours = [a for a in addresses if not a.startswith(ELSEWHERE)]
    assert ours, f"{path} names no address of the site"
    for address in ours:
        assert address == base or address.startswith(base + "/"), (path, address)


@pytest.mark.django_db
def test_every_address_is_on_site_url_whatever_the_host(client, settings, public_paths):
    settings.SITE_URL = "https://portal.example"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, FORGED]
    for path in public_paths:
        assert_on("https://portal.example", path, addresses_in(client, path))


@pytest.mark.django_db
def test_without_site_url_the_forged_host_is_never_written(client, settings, public_paths):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", FORGED]
    settings.SITE_PORT = 8000
    for path in public_paths:
        assert_on("http://127.0.0.1:8000", path, addresses_in(client, path))
