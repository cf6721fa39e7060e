"""The content version: one number that changes whenever anything public changes.

Every cached page is stored with the version it was rendered under and served
only while that is still the current one, so publishing, unpublishing, editing
anything a reader sees, or a scheduled time being reached, retires every
cached page at once, in every process, with nothing to enumerate or purge.

Where it lives:
- with REDIS_URL, in Redis (`<prefix>version`, `<prefix>version:next`), shared
  by every process on every machine; each process reads it again when what it
  read is POLL_SECONDS old (0.1 s), so a page-cache hit costs no round trip and
  a change reaches every process within that (one that bumps it reads it anew
  at once);
- otherwise in a 16-byte file in CANGXANH_VAR_DIR, mapped into memory by every
  process of this machine: reading it costs no system call.

Besides the number, the state holds the time of the next scheduled
publication (0 if none): from that moment the version is stale, and the first
request to notice bumps it (`current`); and the time of the last bump, which is
every public page's Last-Modified: whichever worker or machine answers, it
reads the same moment, the one when what readers see last changed.
"""

import fcntl
import mmap
import os
import struct
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction

from cangxanh.core import redis

# version, next scheduled change (Unix time; 0 = none), last change (Unix time).
# Files of releases before the last change was kept hold only the first two.
_STATE = struct.Struct("<qdd")
_CHANGED_AT = struct.calcsize("<qd")


class FileVersion:
    def __init__(self, path):
        self.path = str(path)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            short = os.fstat(fd).st_size < _STATE.size
            if short:
                os.ftruncate(fd, _STATE.size)
            self._map = mmap.mmap(fd, _STATE.size)
            if short:  # new, or kept by an older release: no known change time, so now
                struct.pack_into("<d", self._map, _CHANGED_AT, time.time())
            fcntl.flock(fd, fcntl.LOCK_UN)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def read(self) -> tuple[int, float, float]:
        return _STATE.unpack_from(self._map, 0)

    def bump(self, next_change: float, *, if_due_at: float | None = None) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            number, due, _changed = _STATE.unpack_from(self._map, 0)
            if if_due_at is not None and due != if_due_at:
                return  # another process got there first
            _STATE.pack_into(self._map, 0, number + 1, next_change, _changed_at(if_due_at))
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)


def _changed_at(due: float | None) -> float:
    """When a bump's change reached readers: the scheduled time it was due at, else now."""
    return due if due is not None else time.time()


# Bump atomically; with a due time given, only if it is still the stored one.
_BUMP = """
if ARGV[2] ~= '' and (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then return 0 end
redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[3])
return 1
"""


# How long a process goes on with the state it last read from Redis (seconds): a
# change made by any process reaches every other one within this, and a page-cache
# hit costs no round trip (at most one per process in this time).
POLL_SECONDS = 0.1


class RedisVersion:
    def __init__(self):
        self.keys = [redis.key("version"), redis.key("version:next")]
        self.changed_key = redis.key("version:changed")
        self._bump = redis.client().register_script(_BUMP)
        self._known: tuple[float, tuple[int, float, float]] | None = None  # (read at, state)
        self._bumps = 0  # by this process: a read begun before one is not kept

    def read(self) -> tuple[int, float, float]:
        """The state, read from Redis at most POLL_SECONDS ago (or after this process's
        last bump); raises RedisError when it must be read and Redis is away."""
        known = self._known
        now = time.monotonic()
        if known is not None and now - known[0] < POLL_SECONDS:
            return known[1]
        bumps = self._bumps
        state = self.fetch()
        if bumps == self._bumps:
            self._known = (now, state)
        return state

    def fetch(self) -> tuple[int, float, float]:
        client = redis.client()
        number, due, changed = client.mget([*self.keys, self.changed_key])
        if changed is None:  # no bump since an older release: no known change time, so now
            client.set(self.changed_key, repr(time.time()), nx=True)
            changed = client.get(self.changed_key)
        return int(number or 0), float(due or 0), float(changed)

    def bump(self, next_change: float, *, if_due_at: float | None = None) -> None:
        self._bumps += 1
        self._known = None
        self._bump(
            keys=[*self.keys, self.changed_key],
            args=[
                repr(next_change),
                "" if if_due_at is None else repr(if_due_at),
                repr(_changed_at(if_due_at)),
            ],
        )
        self._bumps += 1  # a read made while the script ran may be from before it
        self._known = None


_store = None
_store_lock = threading.Lock()


def store():
    """The version store of this process (file or Redis, by the settings)."""
    global _store
    if _store is None:
        with _store_lock:
            if _store is None:
                _store = (
                    RedisVersion()
                    if redis.enabled()
                    else FileVersion(settings.CONTENT_VERSION_FILE)
                )
    return _store


def reset() -> None:
    """Forget the store (tests that switch between file and Redis)."""
    global _store
    _store = None


def _next_scheduled() -> float:
    from cangxanh.news.models import ArticleTranslation, Status

    nearest = (
        ArticleTranslation.objects.filter(status=Status.PUBLISHED, published_at__gt=_now_dt())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    # Kinds whose pages change by themselves at a time (a consultation opening or closing).
    from cangxanh.news import kinds

    now = _now_dt()
    moments = [nearest, *(kind.next_change(now) for kind in kinds.all_kinds() if kind.next_change)]
    moments = [m for m in moments if m is not None]
    return min(moments).timestamp() if moments else 0.0


def _now_dt():
    from django.utils import timezone

    return timezone.now()


def state() -> tuple[int, float, float]:
    """(version, time of the next scheduled change or 0, time of the last change),
    without touching the database."""
    return store().read()


def current_state() -> tuple[int, float]:
    """(version, time of its change) now. If a scheduled time has been reached, the
    version is bumped first."""
    number, due, changed = store().read()
    if due and due <= time.time():
        store().bump(_next_scheduled(), if_due_at=due)
        number, due, changed = store().read()
    return number, changed


def current() -> int:
    """The version now (bumped first if a scheduled time has been reached)."""
    return current_state()[0]


_request = threading.local()
_UNSET = object()


def pin(number: int | None) -> None:
    """The version this thread's request started under (DeliveryMiddleware sets it at
    the start, `unpin` at the end): what the request keeps per version reads it once."""
    _request.number = number


def unpin() -> None:
    _request.number = _UNSET


def of_request() -> int | None:
    """The version of the request being served (read once, at its start), else the
    current one; None while Redis is unreachable."""
    number = getattr(_request, "number", _UNSET)
    if number is not _UNSET:
        return number
    try:
        return current()
    except redis.errors():
        return None


_deferred = threading.local()


@contextmanager
def deferred():
    """A bulk load (the demo's thousands of saves): bumps inside only note that one is
    due, and one bump retires the cached pages at the end. Nothing may serve pages from
    what is being loaded meanwhile (the load is one transaction)."""
    depth = getattr(_deferred, "depth", 0)
    _deferred.depth = depth + 1
    try:
        yield
    finally:
        _deferred.depth = depth
        if depth == 0 and getattr(_deferred, "due", False):
            _deferred.due = False
            bump()


def bump() -> None:
    """Something public changed: retire every cached page (now, or at commit).

    Inside a transaction, also at once: a process killed right after its COMMIT never
    runs its commit hooks, and the pages cached before the change would outlive it.
    A page rendered between the two bumps from what was not committed yet is
    retired by the second."""
    if getattr(_deferred, "depth", 0):
        _deferred.due = True
        return
    if transaction.get_connection().in_atomic_block:
        try:
            store().bump(_next_scheduled())
        except redis.errors():
            pass  # Redis away: the bump at commit is tried again
    transaction.on_commit(lambda: store().bump(_next_scheduled()), robust=True)
