"""View counts behind an edge: the count as an ESI fragment, counted where it is fetched.

An edge that caches an article page would otherwise answer most readers itself,
and the portal would neither count them nor show them a current count. So
when a request comes from one of TRUSTED_PROXIES and says the edge does ESI
(`Surrogate-Capability: <name>="ESI/1.0"`, which deploy/varnish/cangxanh.vcl
sets on every request it forwards), the page is answered with

    <esi:include src="/_edge/views/<lang>/<tid>.<stored>.<counts>.<signature>"/>

between the count's markers instead of the count (cangxanh.delivery.live),
with `Surrogate-Control: content="ESI/1.0"`, and that request is not itself
counted. The edge keeps that page, and for every reader it serves the page
to, fetches the fragment from the portal (never cached): `serve` counts the
view exactly as the page cache does (a person's GET, once per reader in the
window, stats.services: the reader from X-Forwarded-For as core.client
believes it, and the User-Agent, which the edge passes on) and answers the
count in the page's language, as the page would have shown it. No script
runs in the reader's browser; why this and not a beacon: docs/operations.md.

The address carries what the count needs without the database: the
translation, the total stored when the page was rendered (where a counter
that holds nothing newer starts, as a cached copy's) and whether a GET of the
page is a view (not for the print layout), signed with a key derived from
SECRET_KEY, so nobody can make the portal show another number.
"""

import hashlib
import hmac
import re
import zlib
from functools import lru_cache

from django.conf import settings

from cangxanh.core import languages
from cangxanh.core.client import from_trusted_proxy
from cangxanh.stats.referrers import kind_of
from cangxanh.stats.services import is_countable_meta, reader

from . import encoding, live

PREFIX = "/_edge/views/"
# On every page with a live count, what its count needs (`signed`), for an edge that
# counts its readers from its log ("log" in the VCL); the edge keeps it to itself.
COUNT_HEADER = "X-Cx-Views"
SURROGATE_CONTROL = ("Surrogate-Control", 'content="ESI/1.0"')
_PATH = re.compile(r"/_edge/views/([a-z-]{2,10})/(\d+)\.(\d+)\.([01])\.([0-9a-f]{20})\Z")


def wanted(meta) -> bool:
    """Whether to answer this request (a WSGI environ or request.META) with the
    count as an ESI include: the edge asks for it, and the edge is trusted."""
    capability = meta.get("HTTP_SURROGATE_CAPABILITY")
    return bool(capability) and "ESI/1.0" in capability and from_trusted_proxy(meta)


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hashlib.blake2b(secret.encode(), digest_size=32, person=b"cx-edge-views").digest()


def _signature(text: str) -> str:
    return hmac.new(_key(settings.SECRET_KEY), text.encode(), hashlib.blake2b).hexdigest()[:20]


def signed(lang: str, tid: int, stored: int, counts: bool) -> str:
    """What a count needs, signed: `<lang>/<tid>.<stored>.<counts>.<signature>`."""
    text = f"{lang}/{tid}.{stored}.{int(counts)}"
    return f"{text}.{_signature(text)}"


def include(lang: str, tid: int, stored: int, counts: bool) -> bytes:
    """The ESI include that stands in for the count of translation `tid`."""
    return f'<esi:include src="{PREFIX}{signed(lang, tid, stored, counts)}"/>'.encode()


def parse(path: str) -> tuple[str, int, int, bool] | None:
    """(language, translation, stored total, counts) of a fragment's path (or of
    PREFIX + a COUNT_HEADER's value); None when it is not one the portal wrote."""
    match = _PATH.match(path)
    if match is None:
        return None
    lang, tid, stored, counts, signature = match.groups()
    text = f"{lang}/{tid}.{stored}.{counts}"
    if lang not in languages.codes() or not hmac.compare_digest(signature, _signature(text)):
        return None
    return lang, int(tid), int(stored), counts == "1"


def gzipped(text: bytes) -> bytes:
    """`text` as a gzip member of one stored block (encoding's header, block and trailer):
    nothing to compress, and an edge splices it into a gzip page as it is (Varnish
    would otherwise compress each one)."""
    size = len(text)
    return b"".join(
        (
            encoding._GZIP_HEADER,
            encoding._STORED.pack(1, size, size ^ 0xFFFF),  # the last block
            text,
            encoding._TRAILER.pack(zlib.crc32(text), size),
        )
    )


_GZIP_FORM = {encoding.GZIP: ()}

_HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "private, no-store"),
    ("X-Robots-Tag", "noindex"),
]


def serve(environ, start_response):
    """The fragment: count the view (if it is one) and answer the count."""
    from cangxanh.stats import counter

    found = parse(environ.get("PATH_INFO", ""))
    if found is None or environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "0")])
        return []
    lang, tid, stored, counts = found
    if counts and is_countable_meta(environ):
        views = counter.record(tid, stored, reader(environ), kind_of(environ))
    else:
        views = counter.shown(tid, stored)
    body = live.views_text(lang, views).encode()
    headers = [*_HEADERS, ("Vary", "Accept-Encoding")]
    if encoding.choose(environ.get("HTTP_ACCEPT_ENCODING"), _GZIP_FORM) == encoding.GZIP:
        body = gzipped(body)
        headers.append(("Content-Encoding", "gzip"))
    start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


# --- Counting from the edge's log ("log" in the VCL) ------------------------------
#
# The edge keeps a page with a live count for a second at most and logs, for each
# reader it serves one (a 304 included), the page's COUNT_HEADER as `cx-views:` in
# VCL_Log. varnishncsa writes those (LOG_QUERY, LOG_FORMAT) to a file and
# `manage.py edge-views` counts the lines (`view`) as the page cache counts a hit.

LOG_QUERY = "VCL_Log:cx-views"
# The method, status and hit/miss, the page's COUNT_HEADER, then the headers the
# counting reads, tab-separated: X-Forwarded-For as Varnish forwards it (the client
# appended), Host, Referer, the prefetch headers, and last the User-Agent (a tab
# inside it stays in it). varnishncsa writes "-" for a header not sent.
LOG_HEADERS = ("X-Forwarded-For", "Host", "Referer", "Sec-Purpose", "Purpose", "X-Purpose")
LOG_FORMAT = (
    "%m %s %{Varnish:hitmiss}x %{VCL_Log:cx-views}x\t"
    + "".join(f"%{{{name}}}i\t" for name in LOG_HEADERS)
    + "%{X-Moz}i\t%{User-Agent}i"
)
_LOG_KEYS = tuple(
    "HTTP_" + name.upper().replace("-", "_") for name in (*LOG_HEADERS, "X-Moz", "User-Agent")
)


def varnishncsa(instance: str, log: str, pid: str | None = None) -> list[str]:
    """The varnishncsa command that appends the fragments an edge delivers to `log`,
    for `manage.py edge-views` (`instance`: varnishd's -n)."""
    command = ["varnishncsa", "-n", instance, "-q", LOG_QUERY, "-F", LOG_FORMAT]
    command += ["-a", "-w", log]
    if pid:
        command += ["-P", pid]
    return command


@lru_cache(maxsize=4096)
def _parsed(value: str):
    return parse(PREFIX + value)


def view(line: str) -> tuple[int, int, bytes, str] | None:
    """(translation, stored total, reader, referrer kind) of a line of the edge's log
    that is a view to count, as a page-cache hit counts one (stats.services); None for
    any other line: not a page served (200, or 304 to a browser revalidating it), a
    crawler, a prefetch, the print layout, a value the portal did not sign."""
    head, _, rest = line.rstrip("\n").partition("\t")
    fields = head.split(" ")
    if len(fields) != 4 or fields[1] not in ("200", "304"):
        return None
    found = _parsed(fields[3])
    if found is None or not found[3]:
        return None
    values = rest.split("\t", len(_LOG_KEYS) - 1)
    if len(values) != len(_LOG_KEYS):
        return None
    # The request as the portal behind this edge would have seen it: from the edge's
    # own client (the last address Varnish appended), forwarded for the rest.
    environ = {"REQUEST_METHOD": fields[0]}
    for key, value in zip(_LOG_KEYS, values, strict=True):
        if value != "-":
            environ[key] = value
    forwarded, _, peer = environ.pop("HTTP_X_FORWARDED_FOR", "").rpartition(",")
    environ["REMOTE_ADDR"] = peer.strip()
    if forwarded:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    if not is_countable_meta(environ):
        return None
    return found[1], found[2], reader(environ), kind_of(environ)


class Fragments:
    """WSGI: fragments answered before the page cache and Django (cangxanh.wsgi)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(PREFIX):
            return serve(environ, start_response)
        return self.app(environ, start_response)
