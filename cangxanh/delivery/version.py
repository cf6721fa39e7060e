"""The content version: one number that changes whenever anything public changes.

Every cached page is stored with the version it was rendered under and served
only while that is still the current one, so publishing, unpublishing, editing
anything a reader sees, or a scheduled time being reached, retires every
cached page at once, in every process, with nothing to enumerate or purge.

Where it lives:
- with REDIS_URL, in Redis (`<prefix>version`, `<prefix>version:next`), shared
  by every process on every machine;
- otherwise in a 16-byte file in CANGXANH_VAR_DIR, mapped into memory by every
  process of this machine: reading it costs no system call.

Besides the number, the state holds the time of the next scheduled
publication (0 if none): from that moment the version is stale, and the first
request to notice bumps it (`current`).
"""

import fcntl
import mmap
import os
import struct
import threading
import time

from django.conf import settings
from django.db import transaction

from cangxanh.core import redis

_STATE = struct.Struct("<qd")  # version, next scheduled change (Unix time; 0 = none)


class FileVersion:
    def __init__(self, path):
        self.path = str(path)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_size < _STATE.size:
                os.ftruncate(fd, _STATE.size)
            fcntl.flock(fd, fcntl.LOCK_UN)
            self._map = mmap.mmap(fd, _STATE.size)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def read(self) -> tuple[int, float]:
        return _STATE.unpack_from(self._map, 0)

    def bump(self, next_change: float, *, if_due_at: float | None = None) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            number, due = _STATE.unpack_from(self._map, 0)
            if if_due_at is not None and due != if_due_at:
                return  # another process got there first
            _STATE.pack_into(self._map, 0, number + 1, next_change)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)


# Bump atomically; with a due time given, only if it is still the stored one.
_BUMP = """
if ARGV[2] ~= '' and (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then return 0 end
redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1])
return 1
"""


class RedisVersion:
    def __init__(self):
        self.keys = [redis.key("version"), redis.key("version:next")]
        self._bump = redis.client().register_script(_BUMP)

    def read(self) -> tuple[int, float]:
        number, due = redis.client().mget(self.keys)
        return int(number or 0), float(due or 0)

    def bump(self, next_change: float, *, if_due_at: float | None = None) -> None:
        self._bump(
            keys=self.keys, args=[repr(next_change), "" if if_due_at is None else repr(if_due_at)]
        )


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
    return nearest.timestamp() if nearest else 0.0


def _now_dt():
    from django.utils import timezone

    return timezone.now()


def state() -> tuple[int, float]:
    """(version, time of the next scheduled change or 0), without touching the database."""
    return store().read()


def current() -> int:
    """The version now. If a scheduled time has been reached, it is bumped first."""
    number, due = store().read()
    if due and due <= time.time():
        store().bump(_next_scheduled(), if_due_at=due)
        number, due = store().read()
    return number


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


def bump() -> None:
    """Something public changed: retire every cached page (now, or at commit)."""
    transaction.on_commit(lambda: store().bump(_next_scheduled()), robust=True)
