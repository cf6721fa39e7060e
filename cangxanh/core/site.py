"""Reads of the site identity and agency links, the chrome every page shares, and absolute addresses.

Every absolute address the site writes (canonical and hreflang links, feeds,
sitemaps, robots.txt, share links, Open Graph, JSON-LD) starts with
`site_url()`: the configured SITE_URL, never the request's Host header. The
Host is the client's to choose among ALLOWED_HOSTS, and the pages are kept by
shared caches (and by our own, `cangxanh.delivery`) for every reader: an
address taken from one request's Host would be served to all of them.

What every public page shows around its content (the site identity, the
section menu, and markup rendered from them) changes only when something
public changes, which moves the content version (`cangxanh.delivery.version`).
`per_version` keeps such values in this process for as long as the version
stands, so a page reads none of it from the database. Inside a transaction
(a test, a management command) nothing is kept: rows not yet committed are
nobody else's, and a rollback moves no version.
"""

import re
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connection
from django.db.models.signals import post_migrate
from django.utils.translation import gettext as _

from .models import AgencyLinkName, SiteIdentity

CACHE_KEY = "site-identity:v2:{lang}"

_kept: dict = {}
_kept_version: list = [None]
_kept_lock = threading.Lock()


def per_version(key, load):
    """`load()`, computed once per content version in this process (see the module doc).

    `key` must name everything the value depends on besides the public rows
    (the language, the page's active section...)."""
    if connection.in_atomic_block:
        return load()
    from cangxanh.delivery import version

    number = version.of_request()  # read before the rows: a newer version re-reads them
    if number is None:
        return load()  # no version to keep it under (Redis unreachable)
    if _kept_version[0] != number:
        with _kept_lock:
            if _kept_version[0] != number:
                _kept.clear()
                _kept_version[0] = number
    try:
        return _kept[key]
    except KeyError:
        pass
    value = load()
    with _kept_lock:
        if _kept_version[0] == number:  # not a value read under an older version
            _kept[key] = value
    return value


def forget() -> None:
    """Drop what `per_version` keeps (tests; the site identity saved in the admin)."""
    with _kept_lock:
        _kept.clear()
        _kept_version[0] = None


# Settings changed (tests), or the database flushed or migrated: nothing kept holds.
setting_changed.connect(lambda **kwargs: forget(), weak=False, dispatch_uid="site-forget-settings")
post_migrate.connect(lambda **kwargs: forget(), weak=False, dispatch_uid="site-forget-migrate")


# What the footer shows besides the name and slogan (SiteIdentity's fields).
_IDENTITY_FIELDS = (
    "slogan",
    "publisher",
    "responsible",
    "responsible_position",
    "licence",
    "address",
    "phone",
    "email",
    "hours",
    "copyright",
    "footer",
)


def _load_identity(lang: str) -> dict[str, str]:
    row = SiteIdentity.objects.filter(language=lang).first()
    if row is None:
        return {"name": _("News portal"), "phone_href": ""} | dict.fromkeys(_IDENTITY_FIELDS, "")
    data = {"name": row.name} | {field: getattr(row, field) for field in _IDENTITY_FIELDS}
    # tel: takes the digits (and a leading +) only.
    data["phone_href"] = re.sub(r"[^0-9+]", "", row.phone)
    return data


def _load_agency_links(lang: str) -> list[dict[str, str]]:
    """The footer's links in `lang`, in their order; a link not named in `lang` is left out."""
    rows = (
        AgencyLinkName.objects.filter(language=lang, link__in_footer=True)
        .order_by("link__position", "link_id")
        .values_list("name", "link__url")
    )
    return [{"name": name, "url": url} for name, url in rows]


def agency_links(lang: str) -> list[dict[str, str]]:
    """Links to other state agencies' portals for the footer: one query per content version."""
    return per_version(("agency-links", lang), lambda: _load_agency_links(lang))


def _cached_identity(lang: str) -> dict[str, str]:
    key = CACHE_KEY.format(lang=lang)
    data = cache.get(key)
    if data is None:
        data = _load_identity(lang)
        cache.set(key, data, 300)
    return data


def site_identity(lang: str) -> dict[str, str]:
    if connection.in_atomic_block:
        return _cached_identity(lang)
    # The default name is translated: the active language is part of the key.
    from django.utils import translation

    return per_version(
        ("site-identity", lang, translation.get_language()), lambda: _load_identity(lang)
    )


def known_identity(lang: str) -> dict[str, str] | None:
    """The identity this process last read for `lang`, without asking the database
    (the page shown while it cannot be reached); None if it has read none."""
    return _kept.get(("site-identity", lang, lang))


def site_identity_changed() -> None:
    from .languages import codes

    cache.delete_many([CACHE_KEY.format(lang=code) for code in codes()])
    forget()


def site_url() -> str:
    """The site's address, without a trailing slash: where every absolute address starts.

    SITE_URL when it is set. Without it (the embedded default, `make run`) the
    address is derived from configuration alone, never from a request:
    the first ALLOWED_HOSTS entry that names one host (not `*` nor a `.domain`
    pattern), over https in production (which sends HSTS and secure cookies,
    so it is served over TLS on the standard port) and over http on the
    server's port (PORT, 8000 by default) otherwise. With no usable entry,
    `http://127.0.0.1:<port>`, where `make run` listens. Read from the settings
    at each call, so a test's `settings` changes apply.
    """
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    host = next(
        (
            entry
            for entry in settings.ALLOWED_HOSTS
            if entry and entry != "*" and not entry.startswith(".")
        ),
        "127.0.0.1",
    )
    if settings.PRODUCTION:
        return f"https://{host}"
    port = settings.SITE_PORT
    return f"http://{host}" if port == 80 else f"http://{host}:{port}"


def absolute(request, url: str) -> str:
    """An absolute address for a site path, or for a storage URL, on `site_url()`.

    `request` is accepted for the callers' convenience and deliberately unused:
    nothing in the address may come from it (see the module doc).
    """
    if url.startswith(("http://", "https://")):
        return url
    base = site_url()
    if url.startswith("//"):
        # A storage on a host of its own, written without a scheme: the site's.
        return f"{urlsplit(base).scheme}:{url}"
    return base + url
