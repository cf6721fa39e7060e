"""What Django tells the page cache, and the HTTP caching headers of public pages.

A view decorated with `public_page(ttl)` may be cached whole. For such a
response to an anonymous GET or HEAD, `DeliveryMiddleware` (first in
MIDDLEWARE, so it sees the finished response):

- takes the live view count out of the bytes (cangxanh.delivery.live) and
  puts the count of this moment back in;
- sets the headers for browsers and CDNs: `Cache-Control: public, max-age,
  stale-while-revalidate`, a weak ETag over the page without its count (the
  count alone changing does not make a new version of the page; weak, because
  the gzip and brotli forms share it), Last-Modified (when the content version
  last changed, the same in every worker) and `Vary: Accept-Encoding`; answers
  a matching If-None-Match or If-Modified-Since with 304;
- tags the page for edges with the keys of what it shows (`xkey`,
  `Surrogate-Key`: cangxanh.delivery.edge), and ends max-age and
  stale-while-revalidate by the next scheduled change, so no edge keeps the
  page past it;
- answers an edge that does ESI with the count as an include
  (cangxanh.delivery.fragments), not counting that request itself;
- leaves an `Entry` in the WSGI environ for the front (cangxanh.delivery.front)
  to store, with the content version read before the view ran and the page's
  compressed forms (cangxanh.delivery.encoding), and answers in the form the
  request accepts.

The view's `request.GET` holds only the query parameters in `PUBLIC_PARAMS`,
so a page is the same for every address that differs only in tracking or
unknown parameters, and the front keeps one copy for all of them.

Pages for signed-in staff are marked `private, no-cache` and never stored.
"""

import hashlib
import time
from dataclasses import dataclass
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpResponseNotModified, QueryDict
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from cangxanh.core import redis
from cangxanh.core.client import from_trusted_proxy

from . import edge, encoding, fragments, live, version

ENTRY = "cangxanh.entry"
_HOP = {"content-length", "date", "set-cookie", "etag", "last-modified", "cache-control", "vary"}

# The query parameters public views read; every other one (utm_*, fbclid, ?x=1, …)
# is kept out of their request.GET and out of the page cache's key.
PUBLIC_PARAMS = frozenset(
    {
        "q",  # search.views.search: the words
        "page",  # search.views.search and news.views.section: the page of a list
        "apart",  # search.views.search: the words taken one by one
        "kind",  # search.forms.SearchFilters: one kind of content (news.kinds)
        "section",  # search.forms.SearchFilters
        "date_from",  # search.forms.SearchFilters
        "date_to",  # search.forms.SearchFilters
        "lang",  # search.forms.SearchFilters: all languages or this one
        "print",  # news.views.article and agenda.views.week: the layout for paper
        "week",  # agenda.views.week: the ISO week shown (2026-W49)
        "leader",  # agenda.views.week: one leader's engagements
        "topic",  # questions.views.answers: the answers of one topic
        "p",  # Django's sitemap view (news.sitemaps.sitemap): the sitemap's page
        "type",  # documents.views.documents: one type of document (its key)
        "issuer",  # documents.views.documents: one issuing body (its key)
        "field",  # documents.views.documents: one field (its key)
        "year",  # documents.views.documents: the year of issue
        "status",  # documents.views.documents: the legal status (in force, expired…)
        "direction",  # registry: delegations received or sent
        "chart",  # charts.states: one chart of a page (registry.statistics)
        "format",  # charts.states: that chart's table as csv or xlsx
    }
)


def public_query(query: str) -> str:
    """`query` with only PUBLIC_PARAMS, in one order: by name, a name's values in the
    order given (the last one is what `request.GET.get` reads)."""
    if not query:
        return ""
    pairs = [pair for pair in parse_qsl(query, keep_blank_values=True) if pair[0] in PUBLIC_PARAMS]
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def public_page(ttl: int, *, headers_from_view: bool = False, tags: tuple[str, ...] = ()):
    """Mark a view's pages as cacheable whole for at most `ttl` seconds (beyond the
    content version, which retires them as soon as anything public changes).

    With `headers_from_view`, the view's own Cache-Control and Last-Modified (or its
    lack of one) are kept: feeds and sitemaps are dated by the newest entry they list.

    `tags`: the edge keys of every page of the view (cangxanh.delivery.edge), besides
    `k-<app>` for the views of apps other than news and what the view adds itself."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.page_cache_ttl = ttl
            request.page_headers_from_view = headers_from_view
            key = edge.app_key(view.__module__)
            edge.add(*tags, *((key,) if key else ()))
            return view(request, *args, **kwargs)

        wrapper.public_page = True
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
    modified: float | None  # Last-Modified, as a Unix time
    forms: dict  # the compressed forms, by coding (cangxanh.delivery.encoding)

    def coding(self, environ) -> str:
        """The coding to answer this request in."""
        return encoding.choose(environ.get("HTTP_ACCEPT_ENCODING"), self.forms)

    def body(self, views: int, coding: str = encoding.IDENTITY) -> bytes:
        count = b"" if self.tail is None else live.views_text(self.lang, views).encode()
        return encoding.encode(self.forms, coding, self.head, count, self.tail)

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


def not_modified(environ, etag: str, modified: float | None) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        return match.strip() == "*" or etag in (tag.strip() for tag in match.split(","))
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since and modified is not None:
        when = parse_http_date_safe(since)
        return when is not None and int(modified) <= when
    return False


def next_change() -> float:
    """When the next scheduled change is due (a Unix time; 0: none or unknown)."""
    try:
        return version.state()[1]
    except redis.errors():
        return 0.0


def signed_in(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no session: anonymous, without touching the session store
    return request.user.is_authenticated


class DeliveryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            number, changed = version.current_state()
        except redis.errors():
            number = changed = None  # Redis unreachable: serve, but store nothing
        version.pin(number)
        tags = edge.begin()
        try:
            response = self.get_response(request)
            ttl = getattr(request, "page_cache_ttl", None)
            if ttl is None or response.streaming:
                return response
            if signed_in(request):
                response["Cache-Control"] = "private, no-cache"
                return response
            return self.finish(request, response, ttl, number, changed)
        finally:
            edge.end(tags)
            version.unpin()

    def process_view(self, request, view, args, kwargs):
        # The raw query stays in META for redirects, which carry all of it on.
        if getattr(view, "public_page", False):
            request.GET = QueryDict(public_query(request.META.get("QUERY_STRING", "")))

    def finish(self, request, response, ttl: int, number: int | None, changed: float | None):
        content = response.content
        live_views = getattr(request, "live_views", None)
        parts = live.split(content) if live_views else None
        tid, counts, views = live_views if parts else (None, False, 0)
        lang = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        esi = False
        if parts:
            head, count, tail = parts
            if fragments.wanted(request.environ):  # the edge fetches the count per reader
                esi = True
                count = fragments.include(lang, tid, views, counts)
            response.content = b"".join((head, count, tail))
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            digest = hashlib.blake2b(head + b"\0" + tail, digest_size=12).hexdigest()
        else:
            head, count, tail = content, b"", None
            digest = hashlib.blake2b(content, digest_size=12).hexdigest()
        if response.status_code != 200:
            return response

        now = time.time()
        etag = f'W/"{digest}"'
        response["ETag"] = etag
        if not request.page_headers_from_view:
            if changed is not None:
                response["Last-Modified"] = http_date(changed)
            response["Cache-Control"] = cache_control(ttl)
        if response.has_header("Cache-Control"):
            response["Cache-Control"] = edge.bounded(response["Cache-Control"], next_change())
        edge.tag(response)
        if parts and from_trusted_proxy(request.META):
            # For an edge counting from its log (delivery.fragments.COUNT_HEADER), which
            # keeps it to itself; a reader served without one never gets it.
            response[fragments.COUNT_HEADER] = fragments.signed(lang, tid, views, counts)
        modified = parse_http_date_safe(response.get("Last-Modified", ""))
        patch_vary_headers(response, ("Accept-Encoding",))
        # One copy for every visitor without a session, one per coding.
        response["Vary"] = ", ".join(
            v for v in cc_delim_re.split(response["Vary"]) if v.lower() != "cookie"
        )

        cacheable = (
            settings.PAGE_CACHE
            and number is not None
            and request.method in ("GET", "HEAD")
            and not response.cookies
            and request.environ.get("cangxanh.page_key")
        )
        if cacheable:
            headers = [(k, v) for k, v in response.items() if k.lower() not in _HOP]
            headers += [(name, response[name]) for name in _VALIDATORS if response.has_header(name)]
            entry = request.environ[ENTRY] = Entry(
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
                modified=modified,
                forms=encoding.compress(head, tail),
            )
        if esi:
            response[fragments.SURROGATE_CONTROL[0]] = fragments.SURROGATE_CONTROL[1]
        if not_modified(request.environ, etag, modified):
            kept = HttpResponseNotModified()
            for name in _VALIDATORS:
                if response.has_header(name):
                    kept[name] = response[name]
            return kept
        if cacheable:
            coding = entry.coding(request.environ)
            if coding != encoding.IDENTITY:
                response.content = encoding.encode(entry.forms, coding, head, count, tail)
                response["Content-Encoding"] = coding
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        return response


# What a 304 carries, and what a stored page adds back to its headers.
_VALIDATORS = ("Cache-Control", "ETag", "Last-Modified", "Vary")
