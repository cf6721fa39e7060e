"""Counting views without writing the database per view.

`record(tid, base, reader)` counts one view of a translation and returns the
total to show; `shown(tid, base)` returns it without counting. A reader (see
services.reader) counts once per translation in VIEWS_READER_WINDOW seconds:
the check is a tally (core.tally) of a keyed hash of the reader and the
translation, in this machine's table or, with REDIS_URL, in Redis inside the
script that counts a batch. Counts are buffered and written in batches by a
background thread of each process, every VIEWS_FLUSH_SECONDS (half a second
by default):

- Local (no REDIS_URL): increments wait in this process's memory. A killed
  process loses at most one interval of counts; a stopped one flushes first.
  The total shown is this machine's running total (stats.totals), which every
  process adds to and reads, so it is current and never goes backwards.
- Redis: no round trip per view. A view is counted in the process (its
  reader checked against this machine's tally, for the number shown at once;
  stats.totals.SharedTotals) and waits in its outbox; a few times a second
  (SYNC_SECONDS) the process's background thread exchanges with Redis: one
  script call per batch of views, which checks each reader against the shared
  tally (this decides: a reader counts once across every machine), adds the
  views to a shared `pending` hash and running totals and answers the totals,
  then one read of the totals of the translations the process shows. The
  number shown is Redis's total as last heard plus this machine's views not yet
  sent: current at once on this machine, within about two exchanges (under half
  a second) on the others. A batch carries a receipt, so one sent again after
  a lost answer counts nothing twice. Whichever process flushes renames
  `pending` to a batch key, applies the batch to the database together with a
  ViewFlush row named after it, then deletes the key; a batch found left over
  (its flusher died) is applied unless its ViewFlush row exists. Every view
  reaches the database exactly once. A killed process loses the views of at
  most one exchange; a stopped one sends them first. While Redis is away the
  views wait in the process; those never sent are written to the database at
  each flush as this machine's tally counted them (and, by a process that stops
  while Redis is still away, also a batch whose answer was lost: it may then
  count twice).

Each counted view may carry the kind of site its reader came from
(stats.referrers: search, social, direct, other, internal); the kinds travel with
the views (in the process's buffer, or as `r:<kind>` fields of the same Redis
`pending` hash) and reach `DailyReferrers` in the same transaction as the views,
so they too are written exactly once, and never per view.

With VIEWS_FLUSH_SECONDS = 0 every view is written at once (the test suite's
setting, so a test can read the count back straight after a request).
"""

import atexit
import logging
import multiprocessing.util
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import cached_property

from cangxanh.core import hot, mapped, redis, tally

from .totals import MachineTotals, SharedTotals

log = logging.getLogger(__name__)

_DAILY_UPSERT = (
    "INSERT INTO stats_dailyviews (translation_id, day, count) VALUES (%s, %s, %s) "
    "ON CONFLICT (translation_id, day) DO UPDATE SET count = stats_dailyviews.count + excluded.count"
)
_REFERRERS_UPSERT = (
    "INSERT INTO stats_dailyreferrers (day, kind, count) VALUES (%s, %s, %s) "
    "ON CONFLICT (day, kind) DO UPDATE SET count = stats_dailyreferrers.count + excluded.count"
)


def apply(batch: dict[int, int], referrers: dict[str, int] | None = None) -> dict[int, int]:
    """Add a batch of views {translation id: n} to the totals and today's buckets, and
    their referrers {kind: n} to today's referrer buckets.

    Returns the new totals of the translations that still exist. Call inside a
    transaction."""
    from cangxanh.news.models import ArticleTranslation

    from .referrers import KINDS

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
    kinds = [(today, kind, n) for kind, n in (referrers or {}).items() if kind in KINDS and n > 0]
    if kinds:
        with connection.cursor() as cursor:
            cursor.executemany(_REFERRERS_UPSERT, kinds)
    return totals


class _Flusher:
    """The background thread of a process, started on first use (after a fork, again)."""

    def __init__(self):
        self._pid = None
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def ensure(self, counter) -> None:
        if self._pid == mapped.pid() or counter.interval <= 0:
            return
        with self._lock:
            if self._pid == mapped.pid():
                return
            self._pid = mapped.pid()
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
        while not stop.wait(counter.period):
            try:
                close_old_connections()
                counter.tick()
            except Exception:  # keep counting; the batch is kept for the next try
                log.exception("flushing view counts failed")

    def stop(self) -> None:
        self._stop.set()
        self._pid = None


# Slots of this machine's tables: reader-and-translation pairs seen in the window
# (1 MiB), and translations with a running total (1.5 MiB; 2 MiB with Redis).
READER_SLOTS = 1 << 17
TOTAL_SLOTS = 1 << 16


def _seen_as(reader: bytes, tid: int) -> bytes:
    return b"%s\n%d" % (reader, tid)


class LocalCounter:
    def __init__(self, interval: float):
        self.interval = interval
        self.period = interval  # the background thread's: a flush each time
        self._lock = threading.Lock()
        self._pending: dict[int, int] = {}
        self._referrers: dict[str, int] = {}  # kinds of the views in _pending
        self._flusher = _Flusher()

    @cached_property
    def readers(self) -> tally.FileFirsts:
        return tally.FileFirsts("readers", READER_SLOTS)

    @cached_property
    def totals(self) -> MachineTotals:
        return MachineTotals("view-totals", TOTAL_SLOTS)

    def first_view(self, reader: bytes | None, tid: int) -> bool:
        if reader is None:
            return True
        return self.readers.first(_seen_as(reader, tid), hot.settings.VIEWS_READER_WINDOW)

    def record(
        self, tid: int, base: int, reader: bytes | None = None, kind: str | None = None
    ) -> int:
        if not self.first_view(reader, tid):
            return self.shown(tid, base)
        if self.interval <= 0:
            with transaction.atomic():
                total = apply({tid: 1}, {kind: 1} if kind else None).get(tid, base + 1)
            return self.totals.at_least(tid, total, keep=True)
        self._flusher.ensure(self)
        with self._lock:  # with the flush's raise below: a view is in one of the two
            waiting = self._pending.get(tid, 0)
            self._pending[tid] = waiting + 1
            if kind:
                self._referrers[kind] = self._referrers.get(kind, 0) + 1
            return self.totals.add(tid, base + waiting)

    def shown(self, tid: int, base: int) -> int:
        with self._lock:
            return self.totals.at_least(tid, base + self._pending.get(tid, 0))

    def tick(self) -> None:
        self.flush()

    def flush(self, last: bool = False) -> int:
        with self._lock:
            batch, self._pending = self._pending, {}
            referrers, self._referrers = self._referrers, {}
        if not batch and not referrers:
            return 0
        try:
            with transaction.atomic():
                totals = apply(batch, referrers)
        except BaseException:
            with self._lock:  # put it back: nothing counted is dropped on a failed write
                for tid, n in batch.items():
                    self._pending[tid] = self._pending.get(tid, 0) + n
                for kind, n in referrers.items():
                    self._referrers[kind] = self._referrers.get(kind, 0) + n
            raise
        with self._lock:
            self.totals.raise_to(
                {tid: total + self._pending.get(tid, 0) for tid, total in totals.items()}
            )
        return sum(batch.values())


# Views sent to Redis in one script call: each counts if it is its reader's first
# of that translation in the window (core.tally; no reader: it counts), into the
# shared `pending` hash (with `r:<kind>` for its referrer's kind) and the running
# total, which starts (if Redis lost it) from the stored total plus what is still
# pending. A batch carries a receipt, so a batch sent again after a lost answer
# counts nothing twice. Answers the totals of the batch's translations.
# KEYS: pending, receipt, then the T totals, then the readers' tallies.
# ARGV: window, receipt lifetime, T, then T pairs (translation id, stored total),
# then per view: its total's number (1..T), its tally's index in KEYS (0: none),
# the time of the view, the referrer's kind ('' for none).
_SEND = (
    tally.LUA
    + """
local t = tonumber(ARGV[3])
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  local window = tonumber(ARGV[1])
  local counted, kinds = {}, {}
  for i = 4 + 2 * t, #ARGV, 4 do
    local n, reader = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
    if reader == 0 or tally(KEYS[reader], tonumber(ARGV[i + 2]), window) == 1 then
      counted[n] = (counted[n] or 0) + 1
      if ARGV[i + 3] ~= '' then kinds[ARGV[i + 3]] = (kinds[ARGV[i + 3]] or 0) + 1 end
    end
  end
  for n, views in pairs(counted) do
    local total, tid = KEYS[2 + n], ARGV[2 + 2 * n]
    if redis.call('EXISTS', total) == 0 then
      local waiting = tonumber(redis.call('HGET', KEYS[1], tid) or '0')
      redis.call('SET', total, tonumber(ARGV[3 + 2 * n]) + waiting, 'NX')
    end
    redis.call('HINCRBY', KEYS[1], tid, views)
    redis.call('INCRBY', total, views)
  end
  for kind, views in pairs(kinds) do redis.call('HINCRBY', KEYS[1], 'r:' .. kind, views) end
end
local totals = {}
for n = 1, t do totals[n] = redis.call('GET', KEYS[2 + n]) end
return totals
"""
)
# KEYS: pending, the list of batches, batch. Move what is pending to a batch key of
# its own, listed until it is written (so no flush has to look for batches).
_TAKE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[3])
  redis.call('SADD', KEYS[2], KEYS[3])
  return 1
end
return 0
"""
# How often a process exchanges with Redis (at most; VIEWS_FLUSH_SECONDS if shorter):
# sends the views it holds and reads the totals it shows. A view made on one machine
# is shown on the others within about two of these.
SYNC_SECONDS = 0.2
# A translation not shown for this long is no longer read at each exchange; the
# next time it is shown, its total is asked for first.
WATCH_SECONDS = 10.0
SEND_LIMIT = 1000  # views per script call
# A stopping process waits this long at most for another's flush to end, then writes.
LAST_WAIT_SECONDS = 5.0
RECEIPT_SECONDS = 600  # how long Redis remembers a batch it counted


class RedisCounter:
    """Every machine's views in Redis, with no round trip per view: each process holds
    the views it counts and sends them in batches at each exchange (every
    SYNC_SECONDS, and when it stops); whichever process flushes writes Redis's
    `pending` views to the database (every VIEWS_FLUSH_SECONDS)."""

    def __init__(self, interval: float):
        self.interval = interval
        self.period = min(interval, SYNC_SECONDS)
        client = redis.client()
        self._send = client.register_script(_SEND)
        self._take = client.register_script(_TAKE)
        self.pending_key = redis.key("views:pending")
        self.batch_prefix = redis.key("views:batch:")
        self.batches_key = redis.key("views:batches")
        self.listed_key = redis.key("views:listed")  # set once batches were looked for
        self.receipt_prefix = redis.key("views:sent:")
        self.lock_key = redis.key("views:flush-lock")
        self.readers = tally.RedisTally("readers")
        # This machine's own tally of readers: a view it has not seen counts at once in
        # the total shown; Redis's tally, which every machine shares, decides.
        self.seen = tally.FileFirsts("readers", READER_SLOTS)
        self.totals = SharedTotals("view-totals-shared", TOTAL_SLOTS)
        self._flusher = _Flusher()
        self._next_prune = 0.0
        self._next_flush = time.monotonic() + interval
        self._reachable = False  # the last exchange reached Redis
        self._looked = False  # for batches of a release that did not list them
        self._lock = threading.Lock()  # the outbox and the watched translations
        self._outbox: list[tuple] = []  # (tid, base, reader, time, kind, counted here)
        self._watched: dict[int, float] = {}  # translation id: when last shown (monotonic)
        self._exchange = threading.Lock()  # one exchange of this process at a time
        # Views taken from the outbox and not known to have reached Redis, in batches:
        # [receipt (None: never sent), views, the script's keys and args once made].
        self._batches: list[list] = []

    @staticmethod
    def _prune() -> None:
        """Batch names need keeping only while a batch key could still be found."""
        from .models import ViewFlush

        ViewFlush.objects.filter(flushed_at__lt=timezone.now() - timedelta(days=2)).delete()

    def total_key(self, tid: int) -> str:
        return redis.key(f"views:total:{tid}")

    def record(
        self, tid: int, base: int, reader: bytes | None = None, kind: str | None = None
    ) -> int:
        now = tally.clock()
        self._watch(tid)
        window = hot.settings.VIEWS_READER_WINDOW
        if reader is None or self.seen.first(_seen_as(reader, tid), window, now):
            total, here = self.totals.add(tid, base), True
        else:
            total, here = self.totals.shown(tid, base), False
        with self._lock:
            self._outbox.append((tid, base, reader, now, kind or "", here))
        if self.interval <= 0:
            self.flush()
            return self.totals.shown(tid, base)
        return total

    def shown(self, tid: int, base: int) -> int:
        self._watch(tid)
        return self.totals.shown(tid, base)

    def _watch(self, tid: int) -> None:
        """Read `tid`'s total at every exchange from now on; if it was not read lately,
        ask Redis for it now (the number shown must not be an old one)."""
        self._flusher.ensure(self)  # whose exchanges read it
        now = time.monotonic()
        with self._lock:
            last = self._watched.get(tid)
            self._watched[tid] = now
        if last is not None and now - last < WATCH_SECONDS:
            return
        try:
            with self.totals.exchanging():
                value = redis.client().get(self.total_key(tid))
                if value is not None:
                    self.totals.settle({tid: int(value)})
        except redis.errors():
            log.warning("Redis unreachable: showing this machine's view totals")

    def tick(self) -> None:
        """The background thread's work: an exchange, and a flush when one is due."""
        if time.monotonic() >= self._next_flush:
            self._next_flush = time.monotonic() + self.interval
            self.flush()
        else:
            self.exchange()

    def exchange(self) -> bool:
        """Send the views this process holds to Redis and read back the totals of the
        translations it shows. False if Redis could not be reached (the views wait)."""
        with self._exchange:
            with self._lock:
                views, self._outbox = self._outbox, []
                now = time.monotonic()
                for tid, last in list(self._watched.items()):
                    if now - last >= WATCH_SECONDS:
                        del self._watched[tid]
                watched = list(self._watched)
            for start in range(0, len(views), SEND_LIMIT):
                self._batches.append([None, views[start : start + SEND_LIMIT], None])
            try:
                with self.totals.exchanging():
                    client = redis.client()
                    if not self._reachable and self._batches and self._batches[0][0] is None:
                        # Away until now: a failed PING sends nothing, so these views
                        # may still be written without Redis (`flush`).
                        client.ping()
                    while self._batches:
                        batch = self._batches[0]
                        if batch[2] is None:
                            batch[2] = self._call(batch[1])
                        if batch[0] is None:
                            batch[0] = uuid.uuid4().hex
                        keys, args, tids = batch[2]
                        keys[1] = self.receipt_prefix + batch[0]
                        totals = self._send(keys=keys, args=args, client=client)
                        self._batches.pop(0)
                        self.totals.settle(
                            {tid: int(t) for tid, t in zip(tids, totals, strict=True) if t},
                            _counted_here(batch[1]),
                        )
                    if watched:
                        values = client.mget([self.total_key(tid) for tid in watched])
                        self.totals.settle(
                            {tid: int(v) for tid, v in zip(watched, values, strict=True) if v}
                        )
            except redis.errors():
                self._reachable = False
                log.warning("Redis unreachable: views wait in this process for it")
                return False
            self._reachable = True
            return True

    def _call(self, views: list[tuple]) -> tuple[list, list, list]:
        """The send script's keys and args for `views` (the receipt's key filled later),
        and the translation ids in the order of the totals it answers."""
        numbers: dict[int, int] = {}
        keys = [self.pending_key, ""]
        pairs: list = []
        readers: list[str] = []
        per_view: list = []
        for tid, base, reader, at, kind, _here in views:
            if tid not in numbers:
                numbers[tid] = len(numbers) + 1
                pairs += [tid, base]
            if reader is None:
                index = 0
            else:
                readers.append(self.readers.key(_seen_as(reader, tid), at))
                index = len(readers)  # counted from the totals' end, below
            per_view += [numbers[tid], index, repr(at), kind]
        first_reader = 2 + len(numbers)
        for i in range(1, len(per_view), 4):
            if per_view[i]:
                per_view[i] += first_reader
        keys += [self.total_key(tid) for tid in numbers] + readers
        window = repr(float(settings.VIEWS_READER_WINDOW))
        args = [window, RECEIPT_SECONDS, len(numbers), *pairs, *per_view]
        return keys, args, list(numbers)

    def flush(self, last: bool = False) -> int:
        """Send the views this process holds to Redis, then write what Redis has pending
        to the database (if no other process is at it; for a process's `last` flush,
        once the other one is done, so that its own views are written too). Returns the
        views written. With Redis away, views never sent are written here, once this
        machine's tally says they are readers' first."""
        if not self.exchange():
            return self._write_unsent()
        try:
            return self._flush_redis(wait=LAST_WAIT_SECONDS if last else 0.0)
        except redis.errors():
            log.warning("Redis unreachable: its pending views wait for it")
            return 0

    def _write_unsent(self, everything: bool = False) -> int:
        """Views that never reached Redis (with `everything`, also those whose answer was
        lost: a process that stops while Redis is away; they may count twice), written
        to the database as this machine counted them."""
        with self._exchange:
            taken = [b for b in self._batches if everything or b[0] is None]
            if not taken:
                return 0
            self._batches = [b for b in self._batches if not (everything or b[0] is None)]
            batch: dict[int, int] = {}
            referrers: dict[str, int] = {}
            for tid, _base, _reader, _at, kind, here in (v for b in taken for v in b[1]):
                if here:
                    batch[tid] = batch.get(tid, 0) + 1
                    if kind:
                        referrers[kind] = referrers.get(kind, 0) + 1
            try:
                with transaction.atomic():
                    apply(batch, referrers)
            except BaseException:
                self._batches[:0] = taken  # nothing counted is dropped on a failed write
                raise
            with self.totals.exchanging():
                self.totals.settle({}, written=batch)
            return sum(batch.values())

    def give_up(self) -> None:
        """A process that stops while Redis is still away writes its views itself."""
        self._write_unsent(everything=True)

    def _flush_redis(self, wait: float = 0.0) -> int:
        client = redis.client()
        token = uuid.uuid4().hex
        deadline = time.monotonic() + wait
        while not client.set(self.lock_key, token, nx=True, px=10_000):
            if time.monotonic() >= deadline:
                return 0  # another process is flushing
            time.sleep(0.02)
        try:
            flushed = 0
            left = [key.decode() for key in client.smembers(self.batches_key)]
            if not self._looked:  # batches taken by a release that did not list them
                self._looked = True
                if client.set(self.listed_key, 1, nx=True):  # once per Redis
                    match = self.batch_prefix + "*"
                    left += [k.decode() for k in client.scan_iter(match=match, count=1000)]
            for key in dict.fromkeys(left):
                flushed += self._flush_batch(client, key)  # left by a dead flusher
            if time.monotonic() >= self._next_prune:
                self._next_prune = time.monotonic() + 3600
                self._prune()
            batch_key = f"{self.batch_prefix}{int(time.time())}:{token}"
            if self.take(batch_key, client):
                flushed += self._flush_batch(client, batch_key)
            return flushed
        finally:
            if client.get(self.lock_key) == token.encode():
                client.delete(self.lock_key)

    def take(self, batch_key: str, client=None) -> bool:
        """Move the pending views to `batch_key` (listed); False if none were pending."""
        keys = [self.pending_key, self.batches_key, batch_key]
        return bool(self._take(keys=keys, client=client or redis.client()))

    def _flush_batch(self, client, batch_key: str) -> int:
        from .models import ViewFlush

        batch, referrers = {}, {}
        for field, value in client.hgetall(batch_key).items():
            if field.startswith(b"r:"):
                referrers[field[2:].decode()] = int(value)
            else:
                batch[int(field)] = int(value)
        name = batch_key.removeprefix(self.batch_prefix)
        if batch or referrers:
            try:
                with transaction.atomic():
                    ViewFlush.objects.create(batch=name)
                    apply(batch, referrers)
            except IntegrityError:
                batch = {}  # this batch reached the database already
        client.pipeline(transaction=False).delete(batch_key).srem(
            self.batches_key, batch_key
        ).execute()
        return sum(batch.values())


def _counted_here(views: list[tuple]) -> dict[int, int]:
    """The views of a batch that this machine's total shown counted, per translation."""
    counted: dict[int, int] = {}
    for view in views:
        if view[5]:
            counted[view[0]] = counted.get(view[0], 0) + 1
    return counted


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
            _counter.flush(last=True)
            if getattr(_counter, "_batches", None):
                _counter.give_up()
        except Exception:
            log.exception("flushing view counts at exit failed")


def record(tid: int, base: int, reader: bytes | None = None, kind: str | None = None) -> int:
    """Count a view (and where its reader came from, `kind`: stats.referrers)."""
    return counter().record(tid, base, reader, kind)


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
