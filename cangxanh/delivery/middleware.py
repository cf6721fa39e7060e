"""What Django tells the page cache, and the HTTP caching headers of public pages.

A view decorated with `public_page(ttl)` may be cached whole. For such a
response to an anonymous GET or HEAD, `DeliveryMiddleware` (first in
MIDDLEWARE, so it sees the finished response):

- takes the live view count out of the bytes (cangxanh.delivery.live) and
  puts the count of this moment back in;
- sets the headers for browsers and CDNs: `Cache-Control: public, max-age,
  stale-while-revalidate`, a weak ETag over the page without its count (the
  count alone changing does not make a new version of the page) and
  Last-Modified; answers a matching If-None-Match or If-Modified-Since with 304;
- leaves an `Entry` in the WSGI environ for the front (cangxanh.delivery.front)
  to store, with the content version read before the view ran.

Pages for signed-in staff are marked `private, no-cache` and never stored.
"""

import hashlib
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.cache import cc_delim_re
from django.utils.http import http_date, parse_http_date_safe

from cangxanh.core import redis

from . import live, version

ENTRY = "cangxanh.entry"
_HOP = {"content-length", "date", "set-cookie", "etag", "last-modified", "cache-control", "vary"}


def public_page(ttl: int):
    """Mark a view's pages as cacheable whole for at most `ttl` seconds (beyond the
    content version, which retires them as soon as anything public changes)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.page_cache_ttl = ttl
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


@dataclass(slots=True)
class Entry:
    version: int
    expires: float
    headers: list  # (name, value) pairs as they are served, without Content-Length
    head: bytes  # the page, or the part before the live view count
    tail: bytes | None  # the part after the count; None: a page without one
    tid: int | None  # whose count it shows
    counts: bool  # whether a GET of this page is a view
    lang: str
    views: int  # the stored total at render time (where a counter without it starts)
    etag: str
    modified: float

    def body(self, views: int) -> bytes:
        if self.tail is None:
            return self.head
        return b"".join((self.head, live.views_text(self.lang, views).encode(), self.tail))

    def dump(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    @classmethod
    def load(cls, data) -> "Entry":
        return cls(*data)


def cache_control(ttl: int) -> str:
    return (
        f"public, max-age={min(ttl, settings.PAGE_CACHE_MAX_AGE)}, "
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE}"
    )


def not_modified(environ, etag: str, modified: float) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        return match.strip() == "*" or etag in (tag.strip() for tag in match.split(","))
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        when = parse_http_date_safe(since)
        return when is not None and int(modified) <= when
    return False


def signed_in(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no session: anonymous, without touching the session store
    return request.user.is_authenticated


class DeliveryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            number = version.current()
        except redis.errors():
            number = None  # Redis unreachable: serve, but store nothing
        version.pin(number)
        try:
            response = self.get_response(request)
        finally:
            version.unpin()
        ttl = getattr(request, "page_cache_ttl", None)
        if ttl is None or response.streaming:
            return response
        if signed_in(request):
            response["Cache-Control"] = "private, no-cache"
            return response
        return self.finish(request, response, ttl, number)

    def finish(self, request, response, ttl: int, number: int | None):
        content = response.content
        live_views = getattr(request, "live_views", None)
        parts = live.split(content) if live_views else None
        tid, counts, views = live_views if parts else (None, False, 0)
        lang = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        if parts:
            head, _count, tail = parts
            response.content = b"".join(parts)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            digest = hashlib.blake2b(head + b"\0" + tail, digest_size=12).hexdigest()
        else:
            head, tail = content, None
            digest = hashlib.blake2b(content, digest_size=12).hexdigest()
        if response.status_code != 200:
            return response

        now = time.time()
        etag = f'W/"{digest}"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(now)
        response["Cache-Control"] = cache_control(ttl)
        if response.has_header("Vary"):  # one copy for every visitor without a session
            kept = [v for v in cc_delim_re.split(response["Vary"]) if v.lower() != "cookie"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]

        cacheable = (
            settings.PAGE_CACHE
            and number is not None
            and request.method in ("GET", "HEAD")
            and not response.cookies
            and request.environ.get("cangxanh.page_key")
        )
        if cacheable:
            headers = [(k, v) for k, v in response.items() if k.lower() not in _HOP]
            headers += [
                ("Cache-Control", response["Cache-Control"]),
                ("ETag", etag),
                ("Last-Modified", response["Last-Modified"]),
            ]
            if response.has_header("Vary"):
                headers.append(("Vary", response["Vary"]))
            request.environ[ENTRY] = Entry(
                version=number,
                expires=now + ttl,
                headers=headers,
                head=head,
                tail=tail,
                tid=tid,
                counts=counts,
                lang=lang,
                views=views,
                etag=etag,
                modified=now,
            )
        if not_modified(request.environ, etag, now):
            kept = HttpResponseNotModified()
            for name in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                if response.has_header(name):
                    kept[name] = response[name]
            return kept
        return response
