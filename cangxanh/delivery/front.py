"""The whole-page cache, in front of Django: `application = PageCache(django_app)`.

A hit is served here, without Django's request, middleware or views: the key,
one read of the content version (a mapped file, or what this process last read
from Redis, at most delivery.version.POLL_SECONDS ago), a dictionary lookup,
the live view count joined into the bytes (stats.counter: with Redis too, no
round trip per view). Everything else goes to
Django, and what Django's DeliveryMiddleware marks as cacheable is stored on
the way out.

Shared by every anonymous visitor: the key is the scheme, host, path and
the query parameters public views read (middleware.PUBLIC_PARAMS, in one
order; tracking and unknown ones are dropped, and the view's request.GET
never holds them), never the cookies, because a public page uses none. A request with a session
cookie (staff) or an Authorization header goes straight to Django.

Stores: this process's memory (an LRU bounded in bytes) and, with REDIS_URL,
Redis, so a page rendered by one process is served by all of them: a process
takes a copy from Redis once, then serves it from its memory while the
version is the same. A copy
holds its gzip and brotli forms, made once when it is stored
(cangxanh.delivery.encoding); a hit answers in the one the request accepts.
"""

import contextlib
import hashlib
import logging
import marshal
import threading
import time
from collections import OrderedDict
from pathlib import Path

from django.conf import settings

from cangxanh.core import hot, redis
from cangxanh.stats import counter
from cangxanh.stats.referrers import kind_of
from cangxanh.stats.services import is_countable_meta, reader

from . import edge, encoding, fragments, version
from .encoding import IDENTITY
from .middleware import ENTRY, Entry, not_modified, public_query

log = logging.getLogger(__name__)


class LocalStore:
    """Least recently used pages of this process, at most `budget` bytes of them."""

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self._items: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _weight(entry: Entry) -> int:
        forms = sum(
            len(part) for parts in entry.forms.values() for part in parts if isinstance(part, bytes)
        )
        return len(entry.head) + len(entry.tail or b"") + forms + 512

    def get(self, key: str) -> Entry | None:
        # Without the lock (every hit asks): each of the dictionary's methods is one
        # step for the other threads, and `put` takes the lock for its sums.
        entry = self._items.get(key)
        if entry is not None:
            try:  # noqa: SIM105 (suppress() costs more than the move, on every hit)
                self._items.move_to_end(key)
            except KeyError:
                pass  # dropped by another thread just now
        return entry

    def put(self, key: str, entry: Entry) -> None:
        weight = self._weight(entry)
        if weight > self.budget:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= self._weight(old)
            self._items[key] = entry
            self.size += weight
            while self.size > self.budget:
                _key, dropped = self._items.popitem(last=False)
                self.size -= self._weight(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


def release() -> str:
    """What this code renders with: the templates and the static files' manifest.

    Part of every shared key, so processes of a new release never serve pages
    that an older one rendered into Redis (and the other way round)."""
    digest = hashlib.blake2b(settings.RELEASE.encode(), digest_size=8)
    root = Path(settings.BASE_DIR)
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    files = [manifest] if manifest.exists() else []
    files += sorted(root.glob("**/templates/**/*.html")) + sorted(root.glob("**/*.mo"))
    for path in files:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


class RedisStore:
    """Pages shared by every process, each kept no longer than its own lifetime."""

    def __init__(self):
        self.prefix = redis.key(f"page:{release()}:")

    def _key(self, key: str) -> str:
        return self.prefix + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()

    def get(self, key: str) -> Entry | None:
        data = redis.client().get(self._key(key))
        if data is None:
            return None
        try:
            return Entry.load(marshal.loads(data))
        except (ValueError, TypeError, EOFError):
            return None  # written by another release: render again

    def put(self, key: str, entry: Entry) -> None:
        ttl = max(1, int(entry.expires - time.time()))
        redis.client().set(self._key(key), marshal.dumps(entry.dump()), ex=ttl)


def cache_key(environ) -> str:
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    key = f"{scheme}://{host.lower()}{environ.get('PATH_INFO', '/')}"
    query = public_query(environ.get("QUERY_STRING", ""))
    return f"{key}?{query}" if query else key


class PageCache:
    def __init__(self, app):
        self.app = app
        self.local = LocalStore(settings.PAGE_CACHE_LOCAL_BYTES)
        self.shared = RedisStore() if redis.enabled() else None
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="

    def bypass(self, environ) -> bool:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return True
        if "HTTP_AUTHORIZATION" in environ:
            return True
        return self.session_cookie in environ.get("HTTP_COOKIE", "")

    def lookup(self, key: str) -> tuple[Entry | None, float]:
        """The copy to serve, if any, and when the next scheduled change is due."""
        number, due, _changed = version.state()
        now = time.time()
        if due and due <= now:
            return None, due  # a scheduled time was reached: Django bumps the version
        entry = self.local.get(key)
        if entry is None or entry.version != number or entry.expires <= now:
            entry = self.shared.get(key) if self.shared is not None else None
            if entry is None or entry.version != number or entry.expires <= now:
                return None, due
            self.local.put(key, entry)
        return entry, due

    def __call__(self, environ, start_response):
        if not hot.settings.PAGE_CACHE or self.bypass(environ):
            return self.app(environ, start_response)
        key = cache_key(environ)
        try:
            entry, due = self.lookup(key)
        except redis.errors():
            log.warning("Redis unreachable: rendering %s without the page cache", key)
            return self.app(environ, start_response)
        if entry is not None:
            return self.serve(entry, environ, start_response, due)
        environ["cangxanh.page_key"] = key
        result = self.app(environ, start_response)
        entry = environ.pop(ENTRY, None)
        if entry is not None:
            self.local.put(key, entry)
            if self.shared is not None:
                with contextlib.suppress(redis.errors()):
                    self.shared.put(key, entry)
        return result

    def serve(self, entry: Entry, environ, start_response, due: float):
        # An edge doing ESI fetches the count itself, per reader (delivery.fragments).
        esi = entry.tail is not None and fragments.wanted(environ)
        views = entry.views
        if entry.tid is not None and not esi:
            if entry.counts and is_countable_meta(environ):
                views = counter.record(entry.tid, entry.views, reader(environ), kind_of(environ))
            else:
                views = counter.shown(entry.tid, entry.views)
        stored = edge.bounded_headers(entry.headers, due)  # none kept past it
        if not_modified(environ, entry.etag, entry.modified):
            start_response("304 Not Modified", [h for h in stored if h[0] in _NOT_MODIFIED])
            return []
        coding = entry.coding(environ)
        if esi:
            tag = fragments.include(entry.lang, entry.tid, entry.views, entry.counts)
            body = encoding.encode(entry.forms, coding, entry.head, tag, entry.tail)
            stored = [*stored, fragments.SURROGATE_CONTROL]
        else:
            body = entry.body(views, coding)
        headers = [*stored, _HIT, ("Content-Length", str(len(body)))]
        if coding != IDENTITY:
            headers.append(("Content-Encoding", coding))
        start_response("200 OK", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


_NOT_MODIFIED = {"Cache-Control", "ETag", "Last-Modified", "Vary"}
_HIT = ("X-Cache", "hit")  # for operators: this page came from the page cache
