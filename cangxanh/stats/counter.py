"""Counting views without writing the database per view.

`record(tid, base)` counts one view of a translation and returns the total to
show; `shown(tid, base)` returns it without counting. Counts are buffered and
written in batches by a background thread of each process, every
VIEWS_FLUSH_SECONDS (half a second by default):

- Local (no REDIS_URL): increments wait in this process's memory. A killed
  process loses at most one interval of counts; a stopped one flushes first.
  The total shown is the database's at the last flush plus this process's
  views since: other processes' last half second is not in it yet.
- Redis: each view is one script call that adds to a shared `pending` hash
  and to a shared running total, so the total shown is exact across every
  process and machine, and a killed process loses nothing. Whichever process
  flushes renames `pending` to a batch key, applies the batch to the database
  together with a ViewFlush row named after it, then deletes the key; a batch
  found left over (its flusher died) is applied unless its ViewFlush row
  exists. Every view reaches the database exactly once.

With VIEWS_FLUSH_SECONDS = 0 every view is written at once (the test suite's
setting, so a test can read the count back straight after a request).
"""

import atexit
import logging
import multiprocessing.util
import os
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from cangxanh.core import redis

log = logging.getLogger(__name__)

_DAILY_UPSERT = (
    "INSERT INTO stats_dailyviews (translation_id, day, count) VALUES (%s, %s, %s) "
    "ON CONFLICT (translation_id, day) DO UPDATE SET count = stats_dailyviews.count + excluded.count"
)


def apply(batch: dict[int, int]) -> dict[int, int]:
    """Add a batch of views {translation id: n} to the totals and today's buckets.

    Returns the new totals of the translations that still exist. Call inside a
    transaction."""
    from cangxanh.news.models import ArticleTranslation

    for tid, n in batch.items():
        ArticleTranslation.objects.filter(pk=tid).update(view_count=F("view_count") + n)
    totals = dict(
        ArticleTranslation.objects.filter(pk__in=list(batch)).values_list("pk", "view_count")
    )
    today = timezone.localdate()
    rows = [(tid, today, n) for tid, n in batch.items() if tid in totals]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_DAILY_UPSERT, rows)
    return totals


class _Flusher:
    """The background thread of a process, started on first use (after a fork, again)."""

    def __init__(self):
        self._pid = None
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def ensure(self, counter) -> None:
        if self._pid == os.getpid() or counter.interval <= 0:
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._stop = threading.Event()
            thread = threading.Thread(
                target=self._run, args=(counter, self._stop), name="views-flush", daemon=True
            )
            thread.start()
            atexit.unregister(_flush_at_exit)
            atexit.register(_flush_at_exit)
            # Worker processes started by multiprocessing (granian's) leave through
            # os._exit, which skips atexit but runs these finalizers.
            multiprocessing.util.Finalize(None, _flush_at_exit, exitpriority=10)

    def _run(self, counter, stop: threading.Event) -> None:
        while not stop.wait(counter.interval):
            try:
                close_old_connections()
                counter.flush()
            except Exception:  # keep counting; the batch is kept for the next try
                log.exception("flushing view counts failed")

    def stop(self) -> None:
        self._stop.set()
        self._pid = None


class LocalCounter:
    def __init__(self, interval: float):
        self.interval = interval
        self._lock = threading.Lock()
        self._pending: dict[int, int] = {}
        self._known: dict[int, int] = {}  # total: database at last flush + pending here
        self._flusher = _Flusher()

    def record(self, tid: int, base: int) -> int:
        if self.interval <= 0:
            with transaction.atomic():
                return apply({tid: 1}).get(tid, base + 1)
        self._flusher.ensure(self)
        with self._lock:
            pending = self._pending.get(tid, 0) + 1
            self._pending[tid] = pending
            total = max(self._known.get(tid, 0), base + pending - 1) + 1
            self._known[tid] = total
            return total

    def shown(self, tid: int, base: int) -> int:
        with self._lock:
            return max(self._known.get(tid, 0), base + self._pending.get(tid, 0))

    def flush(self) -> int:
        with self._lock:
            batch, self._pending = self._pending, {}
        if not batch:
            return 0
        try:
            with transaction.atomic():
                totals = apply(batch)
        except BaseException:
            with self._lock:  # put it back: nothing counted is dropped on a failed write
                for tid, n in batch.items():
                    self._pending[tid] = self._pending.get(tid, 0) + n
            raise
        with self._lock:
            for tid, total in totals.items():
                self._known[tid] = total + self._pending.get(tid, 0)
            if len(self._known) > 50_000:  # a bound on memory for very large archives
                self._known = {tid: self._known[tid] for tid in self._pending if tid in self._known}
        return sum(batch.values())


# Count one view in Lua, written once for both scripts below: add it to the
# pending hash and to the running total, starting the total (if Redis lost it)
# from the stored one plus what is still pending.
_COUNT = """
if redis.call('EXISTS', {total}) == 0 then
  local waiting = tonumber(redis.call('HGET', {pending}, {tid}) or '0')
  redis.call('SET', {total}, tonumber({base}) + waiting, 'NX')
end
redis.call('HINCRBY', {pending}, {tid}, 1)
return redis.call('INCR', {total})
"""
# KEYS: total, pending. ARGV: translation id, base total.
_RECORD = _COUNT.format(total="KEYS[1]", pending="KEYS[2]", tid="ARGV[1]", base="ARGV[2]")
# A page-cache hit in one round trip: is the cached copy's version still the
# current one (and no scheduled time reached)? If so count the view (or read
# the total); else answer nil and count nothing.
# KEYS: version, version:next, total, pending.
# ARGV: the copy's version, now, translation id, 'count' or 'show', base total.
_HIT = (
    """
local number = redis.call('GET', KEYS[1]) or '0'
local due = tonumber(redis.call('GET', KEYS[2]) or '0')
if number ~= ARGV[1] or (due > 0 and due <= tonumber(ARGV[2])) then return false end
if ARGV[4] == 'count' then"""
    + _COUNT.format(total="KEYS[3]", pending="KEYS[4]", tid="ARGV[3]", base="ARGV[5]")
    + """end
return tonumber(redis.call('GET', KEYS[3]) or ARGV[5])
"""
)
# KEYS: pending, batch. Move what is pending to a batch key of its own.
_TAKE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  return 1
end
return 0
"""


class RedisCounter:
    def __init__(self, interval: float):
        self.interval = interval
        client = redis.client()
        self._record = client.register_script(_RECORD)
        self._hit = client.register_script(_HIT)
        self._take = client.register_script(_TAKE)
        self.pending_key = redis.key("views:pending")
        self.batch_prefix = redis.key("views:batch:")
        self.lock_key = redis.key("views:flush-lock")
        self._flusher = _Flusher()
        self._next_prune = 0.0
        # Without Redis for a moment, views are kept here and written directly.
        self._fallback = LocalCounter(interval)
        self._fallback._flusher = self._flusher

    @staticmethod
    def _prune() -> None:
        """Batch names need keeping only while a batch key could still be found."""
        from .models import ViewFlush

        ViewFlush.objects.filter(flushed_at__lt=timezone.now() - timedelta(days=2)).delete()

    def total_key(self, tid: int) -> str:
        return redis.key(f"views:total:{tid}")

    def record(self, tid: int, base: int) -> int:
        self._flusher.ensure(self)
        try:
            total = int(
                self._record(keys=[self.total_key(tid), self.pending_key], args=[tid, base])
            )
        except redis.errors():
            log.warning("Redis unreachable: counting views in this process meanwhile")
            return self._fallback.record(tid, base)
        if self.interval <= 0:
            self.flush()
        return total

    def hit(self, version_keys, copy_version: int, tid: int, count: bool, base: int):
        """The total to show on a cached copy that is still current, counting the view
        if `count`; None (nothing counted) if the copy is stale. Raises RedisError."""
        self._flusher.ensure(self)
        total = self._hit(
            keys=[*version_keys, self.total_key(tid), self.pending_key],
            args=[copy_version, repr(time.time()), tid, "count" if count else "show", base],
        )
        if total is not None and count and self.interval <= 0:
            self.flush()
        return None if total is None else int(total)

    def shown(self, tid: int, base: int) -> int:
        try:
            value = redis.client().get(self.total_key(tid))
        except redis.errors():
            return self._fallback.shown(tid, base)
        return int(value) if value is not None else base

    def flush(self) -> int:
        flushed = self._fallback.flush()  # what was counted here while Redis was away
        try:
            return flushed + self._flush_redis()
        except redis.errors():
            log.warning("Redis unreachable: its pending views wait for it")
            return flushed

    def _flush_redis(self) -> int:
        client = redis.client()
        token = uuid.uuid4().hex
        if not client.set(self.lock_key, token, nx=True, px=10_000):
            return 0  # another process is flushing
        try:
            flushed = 0
            for key in client.scan_iter(match=self.batch_prefix + "*", count=100):
                flushed += self._flush_batch(client, key.decode())  # left by a dead flusher
            if time.monotonic() >= self._next_prune:
                self._next_prune = time.monotonic() + 3600
                self._prune()
            batch_key = f"{self.batch_prefix}{int(time.time())}:{token}"
            if self._take(keys=[self.pending_key, batch_key]):
                flushed += self._flush_batch(client, batch_key)
            return flushed
        finally:
            if client.get(self.lock_key) == token.encode():
                client.delete(self.lock_key)

    def _flush_batch(self, client, batch_key: str) -> int:
        from .models import ViewFlush

        batch = {int(k): int(v) for k, v in client.hgetall(batch_key).items()}
        name = batch_key.removeprefix(self.batch_prefix)
        try:
            with transaction.atomic():
                ViewFlush.objects.create(batch=name)
                apply(batch)
        except IntegrityError:
            batch = {}  # this batch reached the database already
        client.delete(batch_key)
        return sum(batch.values())


_counter = None
_counter_lock = threading.Lock()


def counter():
    global _counter
    if _counter is None:
        with _counter_lock:
            if _counter is None:
                interval = settings.VIEWS_FLUSH_SECONDS
                _counter = RedisCounter(interval) if redis.enabled() else LocalCounter(interval)
    return _counter


def _flush_at_exit() -> None:
    """A process that stops (not one that is killed) writes what it still holds."""
    if _counter is not None:
        try:
            _counter.flush()
        except Exception:
            log.exception("flushing view counts at exit failed")


def record(tid: int, base: int) -> int:
    return counter().record(tid, base)


def shown(tid: int, base: int) -> int:
    return counter().shown(tid, base)


def flush() -> int:
    return counter().flush()


def reset() -> None:
    """Flush and forget the counter (tests that change the settings)."""
    global _counter
    if _counter is not None:
        _counter._flusher.stop()
        try:
            _counter.flush()
        finally:
            _counter = None
