"""Counting views without writing the database per view.

`record(tid, base, reader)` counts one view of a translation and returns the
total to show; `shown(tid, base)` returns it without counting. A reader (see
services.reader) counts once per translation in VIEWS_READER_WINDOW seconds:
the check is a tally (core.tally) of a keyed hash of the reader and the
translation, in this machine's table or, with REDIS_URL, in Redis inside the
same script that counts. Counts are buffered and written in batches by a
background thread of each process, every VIEWS_FLUSH_SECONDS (half a second
by default):

- Local (no REDIS_URL): increments wait in this process's memory. A killed
  process loses at most one interval of counts; a stopped one flushes first.
  The total shown is this machine's running total (stats.totals), which every
  process adds to and reads, so it is current and never goes backwards.
- Redis: each view is one script call that adds to a shared `pending` hash
  and to a shared running total, so the total shown is exact across every
  process and machine, and a killed process loses nothing. Whichever process
  flushes renames `pending` to a batch key, applies the batch to the database
  together with a ViewFlush row named after it, then deletes the key; a batch
  found left over (its flusher died) is applied unless its ViewFlush row
  exists. Every view reaches the database exactly once. While Redis is away a
  reader's view waits in the process and is sent again when Redis answers (see
  RedisCounter.record).

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
from django.utils.functional import cached_property

from cangxanh.core import redis, tally

from .totals import MachineTotals

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


# Slots of this machine's tables: reader-and-translation pairs seen in the window
# (3 MiB), and translations with a running total (1.5 MiB).
READER_SLOTS = 1 << 17
TOTAL_SLOTS = 1 << 16
# Readers' views a process keeps for Redis while it is away (then: counted locally).
WAITING_LIMIT = 100_000


def _seen_as(reader: bytes, tid: int) -> bytes:
    return b"%s\n%d" % (reader, tid)


class LocalCounter:
    def __init__(self, interval: float):
        self.interval = interval
        self._lock = threading.Lock()
        self._pending: dict[int, int] = {}
        self._flusher = _Flusher()

    @cached_property
    def readers(self) -> tally.FileTally:
        return tally.FileTally("readers", READER_SLOTS)

    @cached_property
    def totals(self) -> MachineTotals:
        return MachineTotals("view-totals", TOTAL_SLOTS)

    def first_view(self, reader: bytes | None, tid: int) -> bool:
        if reader is None:
            return True
        hits, _left = self.readers.hit(_seen_as(reader, tid), settings.VIEWS_READER_WINDOW)
        return hits == 1

    def record(self, tid: int, base: int, reader: bytes | None = None) -> int:
        if not self.first_view(reader, tid):
            return self.shown(tid, base)
        if self.interval <= 0:
            with transaction.atomic():
                total = apply({tid: 1}).get(tid, base + 1)
            return self.totals.at_least(tid, total, keep=True)
        self._flusher.ensure(self)
        with self._lock:  # with the flush's raise below: a view is in one of the two
            waiting = self._pending.get(tid, 0)
            self._pending[tid] = waiting + 1
            return self.totals.add(tid, base + waiting)

    def shown(self, tid: int, base: int) -> int:
        with self._lock:
            return self.totals.at_least(tid, base + self._pending.get(tid, 0))

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
            self.totals.raise_to(
                {tid: total + self._pending.get(tid, 0) for tid, total in totals.items()}
            )
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
# A reader's view counts only if it is their first of this translation in the
# window: seen before, by their tally (core.tally; its key is KEYS[n], or none to
# count anyway)?
_SEEN = "({key} and tally({key}, tonumber({now}), tonumber({window})) > 1)"
# KEYS: total, pending[, reader]. ARGV: translation id, base total, now, window.
_RECORD = (
    tally.LUA
    + "if "
    + _SEEN.format(key="KEYS[3]", now="ARGV[3]", window="ARGV[4]")
    + """ then
  return tonumber(redis.call('GET', KEYS[1]) or ARGV[2])
end"""
    + _COUNT.format(total="KEYS[1]", pending="KEYS[2]", tid="ARGV[1]", base="ARGV[2]")
)
# A page-cache hit in one round trip: is the cached copy's version still the
# current one (and no scheduled time reached)? If so count the view (or read
# the total); else answer nil and count nothing.
# KEYS: version, version:next, total, pending[, reader].
# ARGV: the copy's version, now, translation id, 'count' or 'show', base total, window.
_HIT = (
    tally.LUA
    + """
local number = redis.call('GET', KEYS[1]) or '0'
local due = tonumber(redis.call('GET', KEYS[2]) or '0')
if number ~= ARGV[1] or (due > 0 and due <= tonumber(ARGV[2])) then return false end
if ARGV[4] == 'count' and not """
    + _SEEN.format(key="KEYS[5]", now="ARGV[2]", window="ARGV[6]")
    + " then"
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
        self.readers = tally.RedisTally("readers")
        self._flusher = _Flusher()
        self._next_prune = 0.0
        # Without Redis for a moment, readers' views wait here for it (`record`); others
        # are kept in the fallback and written directly.
        self._waiting: list[tuple[list, list]] = []
        self._waiting_lock = threading.Lock()
        self._fallback = LocalCounter(interval)
        self._fallback._flusher = self._flusher

    @staticmethod
    def _prune() -> None:
        """Batch names need keeping only while a batch key could still be found."""
        from .models import ViewFlush

        ViewFlush.objects.filter(flushed_at__lt=timezone.now() - timedelta(days=2)).delete()

    def total_key(self, tid: int) -> str:
        return redis.key(f"views:total:{tid}")

    def _reader_key(self, reader: bytes | None, tid: int, now: float) -> list[str]:
        return [] if reader is None else [self.readers.key(_seen_as(reader, tid), now)]

    def record(self, tid: int, base: int, reader: bytes | None = None) -> int:
        self._flusher.ensure(self)
        now = tally.clock()
        try:
            keys = [self.total_key(tid), self.pending_key, *self._reader_key(reader, tid, now)]
        except redis.errors():  # no day's key from Redis: nothing was sent to count
            log.warning("Redis unreachable: counting views in this process meanwhile")
            return self._fallback.record(tid, base, reader)
        args = [tid, base, repr(now), repr(float(settings.VIEWS_READER_WINDOW))]
        try:
            total = int(self._record(keys=keys, args=args))
        except redis.errors():
            # Redis may have counted this view and lost only its answer (it stops while
            # the script runs): a reader's view waits here and is asked again with the
            # same reader key once Redis answers, so it counts exactly once either way.
            with self._waiting_lock:
                if reader is not None and len(self._waiting) < WAITING_LIMIT:
                    self._waiting.append((keys, args))
                    log.warning("Redis unreachable: views wait in this process for it")
                    return self._fallback.shown(tid, base)
            log.warning("Redis unreachable: counting views in this process meanwhile")
            return self._fallback.record(tid, base, reader)
        if self.interval <= 0:
            self.flush()
        return total

    def hit(self, version_keys, copy_version: int, tid: int, count: bool, base: int, reader=None):
        """The total to show on a cached copy that is still current, counting the view
        if `count` (and it is `reader`'s first in the window); None (nothing counted) if
        the copy is stale. Raises RedisError."""
        self._flusher.ensure(self)
        now = tally.clock()
        total = self._hit(
            keys=[
                *version_keys,
                self.total_key(tid),
                self.pending_key,
                *self._reader_key(reader if count else None, tid, now),
            ],
            args=[
                copy_version,
                repr(now),
                tid,
                "count" if count else "show",
                base,
                repr(float(settings.VIEWS_READER_WINDOW)),
            ],
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
            self._ask_again()
            return flushed + self._flush_redis()
        except redis.errors():
            log.warning("Redis unreachable: its pending views wait for it")
            return flushed

    def _ask_again(self) -> None:
        """The views that waited for Redis, each counted now unless it already was."""
        with self._waiting_lock:
            waiting, self._waiting = self._waiting, []
        for n, (keys, args) in enumerate(waiting):
            try:
                self._record(keys=keys, args=args)
            except BaseException:
                with self._waiting_lock:
                    self._waiting[:0] = waiting[n:]
                raise

    def give_up_waiting(self) -> None:
        """A process that stops while Redis is still away writes its waiting views to the
        database itself (one whose answer was lost may then count twice)."""
        with self._waiting_lock:
            waiting, self._waiting = self._waiting, []
        for _keys, args in waiting:
            self._fallback.record(int(args[0]), int(args[1]))
        self._fallback.flush()

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
            if getattr(_counter, "_waiting", None):
                _counter.give_up_waiting()
        except Exception:
            log.exception("flushing view counts at exit failed")


def record(tid: int, base: int, reader: bytes | None = None) -> int:
    return counter().record(tid, base, reader)


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
