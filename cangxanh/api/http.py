"""What every address under /api/v1/ does around its answer, in one place.

- OPTIONS answers the CORS preflight; every answer allows GET from any origin with no
  credentials (open data: `Access-Control-Allow-Origin: *`, never with cookies).
- Each client (its address by core.client: behind a trusted proxy the one it forwards)
  gets API_RATE requests a period, tallied like searches (core.tally: Redis with
  REDIS_URL, else this machine's table of keyed hashes, so no address is kept); over it,
  429 with Retry-After.
- HEAD is GET without the body.
- A 200 carries a strong ETag of its bytes and Last-Modified (when anything public last
  changed: delivery.version, the pages' own), and answers a matching If-None-Match (else
  If-Modified-Since) with 304.
- The licence is in every answer's Link header (rel="license") besides the envelope.
- Refusals are JSON (errors.py): 404 for any other address, 405 for other methods.
- Nothing here reads the session or sets a cookie; no CSRF (read-only, no cookies) and
  no page cache: answers are public, the same for everyone, and say so
  (Cache-Control: public), while refusals are `no-store`.
"""

import hashlib
import math
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe

from cangxanh.core import redis, tally
from cangxanh.core.client import client_address
from cangxanh.delivery import edge, version
from cangxanh.delivery.middleware import next_change

from . import errors, limits
from .schemas import LANGUAGE_CODES, LICENCE_URL

ALLOWED = "GET, HEAD, OPTIONS"
MAX_AGE = 60  # what browsers and CDNs may keep an answer (the content version moves faster)
EXPOSED = "ETag, Link, Retry-After, Content-Language"
SLOTS = 1 << 14


def _cors(response) -> None:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED
    # Scripts on other sites may read the data (open data), not only link it.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"


def _finish(response, lang: str | None = None):
    _cors(response)
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    if lang:
        response["Content-Language"] = lang
    # Not per Accept-Language (the language is the `lang` parameter): no Vary for it
    # (core.middleware.LocaleMiddleware).
    response.same_in_every_language = True
    return response


def refusal(error: errors.ApiError, **headers) -> HttpResponse:
    response = errors.response(error)
    response["Cache-Control"] = "private, no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return _finish(response)


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = ALLOWED
    response["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    response["Allow"] = ALLOWED
    return _finish(response)


def wait(meta) -> float | None:
    """Seconds this client must wait before asking again; None if it may ask now."""
    times, period = limits.rate(settings.API_RATE)
    if not times:
        return None
    hits, left = tally.of("api", SLOTS).hit(client_address(meta).encode(), period)
    return left if hits > times else None


def _last_change() -> float | None:
    try:
        return version.current_state()[1] or None
    except redis.errors():
        return None


def _not_modified(request, etag: str, modified: float | None) -> bool:
    match = request.META.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in match.split(",")]
        return "*" in tags or etag in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and modified is not None and int(modified) <= since


def api_view(view, *, languaged: bool = True):
    """Wrap one of the API's views (ninja's, or ours) with all of the above; `languaged`:
    its answers are in the `lang` asked (Content-Language)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return preflight()
        if request.method not in ("GET", "HEAD"):
            return refusal(
                errors.ApiError(
                    405, "method_not_allowed", "Read-only: use GET (or HEAD, OPTIONS)."
                ),
                Allow=ALLOWED,
            )
        left = wait(request.META)
        if left is not None:
            seconds = max(1, math.ceil(left))
            return refusal(
                errors.ApiError(
                    429,
                    "too_many_requests",
                    f"Too many requests from this address: try again in {seconds} seconds.",
                ),
                Retry_After=str(seconds),
            )
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        lang = request.GET.get("lang", settings.LANGUAGE_CODE)
        lang = lang if lang in LANGUAGE_CODES else settings.LANGUAGE_CODE
        modified = _last_change()  # before reading: a change while we read moves it again
        with translation.override(lang):
            try:
                response = view(request, *args, **kwargs)
            except errors.ApiError as error:
                response = errors.response(error)
        if head:
            request.method = "HEAD"
        if response.status_code != 200:
            response["Cache-Control"] = "private, no-store"
            _finish(response)
        else:
            etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
            response["ETag"] = etag
            if modified:
                response["Last-Modified"] = http_date(modified)
            # Kept no longer than the next scheduled change; tagged for edges, which get
            # `k-api` purged with every public change (cangxanh.delivery.edge).
            response["Cache-Control"] = edge.bounded(f"public, max-age={MAX_AGE}", next_change())
            edge.add(edge.API)
            edge.tag(response)
            _finish(response, lang if languaged else None)
            if _not_modified(request, etag, modified):
                kept = HttpResponseNotModified()
                for name in ("ETag", "Last-Modified", "Cache-Control", "Link"):
                    if response.has_header(name):
                        kept[name] = response[name]
                return _finish(kept)
        if head:
            response.content = b""
        return response

    wrapper.csrf_exempt = True
    return wrapper
