"""How often a client did something lately, without keeping who the client was.

A tally answers `hit(who, window)`: this is the how-manieth time `who` (the
bytes that say who: an address, a browser, what was read) did it in the
current window, which began with their first time, and how long that window
still runs. `who` is never stored: only a keyed hash of it (blake2b), under a
random key that is new every day (a fresh random value, never derived from a
stored secret), so yesterday's hashes cannot be matched with today's, and
nobody holding only the table can tell who it counted. Privacy-first
analytics count visitors the same way.

Where a tally lives:
- without Redis, in a table of this machine (core.mapped): a header with the
  day and its key, then slots of (hash, end of window, hits); a new day
  brings a new key and empties the table; when the slots a hash may use are
  all taken, the one whose window ends first is given up;
- with REDIS_URL, in Redis: `<prefix><name>:<hash>` (hits, end of window),
  expiring with its window, and the day's key in `<prefix>tally-key:<day>`,
  set once (SET NX) and kept two days.
The window is measured on the application's clock in both, so a test can
give the time.

What every counted view asks, only whether its reader is new in the window,
has a table of its own (`FileFirsts`): slots of one 8-byte word in buckets of
one cache line, written with a compare-and-swap instead of a record lock.
"""

import math
import secrets
import struct
import time
from datetime import datetime, timedelta
from hashlib import blake2b
from zoneinfo import ZoneInfo

from django.conf import settings

from . import atomic, redis
from .mapped import PROBE, MappedTable


def clock() -> float:
    """Now, for windows and days (a test moves it)."""
    return time.time()


_day_span = (0.0, 0.0, 0)  # start, end (Unix time) and ordinal of the day last asked for


def day_of(now: float) -> int:
    """The local day (TIME_ZONE) of a moment: the key changes at local midnight."""
    return day_span(now)[2]


def day_span(now: float) -> tuple[float, float, int]:
    """The start and end (Unix time) and the ordinal of the local day of `now`."""
    global _day_span
    span = _day_span
    if span[0] <= now < span[1]:
        return span
    zone = ZoneInfo(settings.TIME_ZONE)
    date = datetime.fromtimestamp(now, zone).date()
    midnight = datetime(date.year, date.month, date.day, tzinfo=zone)
    following = date + timedelta(days=1)
    end = datetime(following.year, following.month, following.day, tzinfo=zone).timestamp()
    span = _day_span = (midnight.timestamp(), end, date.toordinal())
    return span


class _Daily(MappedTable):
    """A table of this machine whose hashes are keyed by the day (its header: the day
    and its random key), emptied when a new day begins."""

    HEADER = struct.Struct("<q32s")  # day, key

    def _today(self, now: float, table=None) -> tuple[float, tuple[int, bytes]]:
        """Now in seconds after the start of the day, and the day's header (made by
        whoever asks first on a new day); `table`: the mapping, if the caller has it."""
        origin, _end, day = day_span(now)
        header = self.HEADER.unpack_from(self.map if table is None else table, 0)  # no lock
        if header[0] != day:
            header = self._new_day(day)
        return now - origin, header

    def _new_day(self, day: int) -> tuple[int, bytes]:
        """The day's header, made (and the table emptied) by whoever comes first."""
        with self.locked() as table:
            stored, key = self.HEADER.unpack_from(table, 0)
            if stored != day:
                stored, key = day, secrets.token_bytes(32)
                table[self.HEADER.size :] = bytes(self.size - self.HEADER.size)
                self.HEADER.pack_into(table, 0, stored, key)
            return stored, key


class FileTally(_Daily):
    """Slots of 16 bytes: the hash, the end of the window in milliseconds after the
    start of the table's day (49 days fit; the table empties every day), and hits
    (at most 2^32 - 1). Every worker maps the whole table, so its size is resident
    memory in each."""

    SLOT = struct.Struct("<QII")  # hash (0: empty), end of window (ms into the day), hits
    MAX_HITS = (1 << 32) - 1

    def hit(self, who: bytes, window: float, now: float | None = None) -> tuple[int, float]:
        now = clock() if now is None else now
        while True:
            into, header = self._today(now)
            digest = blake2b(who, key=header[1], digest_size=8).digest()
            mark = int.from_bytes(digest, "little") or 1
            first = mark & (self.slots - 1)
            with self.locked(first) as table:
                # A new day takes the whole table, so under this lock the header stays.
                if self.HEADER.unpack_from(table, 0) == header:
                    return self._hit(table, first, mark, window, into)

    def _hit(self, table, first: int, mark: int, window: float, into: float) -> tuple[int, float]:
        """`into`: now, in seconds after the start of the table's day."""
        now = int(into * 1000)  # ms
        end = min(now + math.ceil(window * 1000), 0xFFFFFFFF)  # the day ends first anyway
        start = self.offset(first)
        if self.SLOT.unpack_from(table, start)[0] == 0:  # mostly so: its own slot is free
            self.SLOT.pack_into(table, start, mark, end, 1)
            return 1, float(window)
        row = self.row.unpack_from(table, start)
        marks, ends = row[0::3], row[1::3]
        if mark in marks:
            i = marks.index(mark)
            if ends[i] > now:
                hits = min(row[3 * i + 2] + 1, self.MAX_HITS)
                self.SLOT.pack_into(table, self.offset(first + i), mark, ends[i], hits)
                return hits, (ends[i] - now) / 1000
        else:
            # Given up: a free slot (its end is 0), else one whose window is over, else
            # the one whose window ends first; each is the slot that ends first.
            i = ends.index(min(ends))
        self.SLOT.pack_into(table, self.offset(first + i), mark, end, 1)
        return 1, float(window)


class FileFirsts(_Daily):
    """Only whether `who` is new in its window (a reader of a story), answered without
    a lock: what every counted view asks.

    Slots of 8 bytes: the end of the window in whole seconds after the start of the
    table's day (23 bits, 97 days; a window ends on the second after its exact end)
    above 40 bits of the hash (never 0: an empty slot is 0). A hash's slots are the
    eight of one bucket (other bits of the hash choose it): 64 bytes after a header
    of 64, so one cache line. Little-endian, a slot's hash is its first five bytes,
    so finding a reader is one search of the bucket's bytes, and the slot whose
    window ends first is the smallest number. A reader seen in the window writes
    nothing. A new one takes the bucket's slot whose window ends first (an empty one
    ends at 0), or its own old slot, with one compare-and-swap (core.atomic); a
    process that loses the swap reads the bucket again, so the same reader at once in
    two processes is counted once: both read the same bucket and choose the same
    slot. Only a third process taking a slot of that bucket between their two reads
    could make them choose two. Without libatomic the bucket's record lock is taken
    instead. A write racing a new day's emptying of the table can leave one slot
    with yesterday's hash: it matches nothing under today's key, and goes at the next
    day's emptying."""

    HEADER = struct.Struct("<q32s24x")  # day, key; padded to a cache line
    SLOT = struct.Struct("<Q")  # end of window (s into the day) << 40 | hash; 0: empty
    LAYOUT = "ends-first"  # before: the hash above the end, in another file
    _MARK = (1 << 40) - 1
    _END = (1 << 23) - 1

    def __init__(self, name: str, slots: int):
        super().__init__(name, slots)
        assert slots >= PROBE, "at least one bucket"
        self.buckets = slots // PROBE
        self._keyed: tuple[bytes, object] = (b"", None)  # a day's key, and its hasher

    def first(self, who: bytes, window: float, now: float | None = None) -> bool:
        file = self.file()
        into, header = self._today(clock() if now is None else now, file.map)
        keyed = self._keyed
        if keyed[0] != header[1]:  # the first ask of a day: its key's hasher, kept
            keyed = self._keyed = (header[1], blake2b(key=header[1], digest_size=8))
        hasher = keyed[1].copy()  # cheaper than keying a new one each time
        hasher.update(who)
        digest = hasher.digest()
        number = int.from_bytes(digest, "little")
        mark, pattern = number & self._MARK, digest[:5]
        if not mark:
            mark, pattern = 1, b"\x01\x00\x00\x00\x00"
        bucket = (number >> 40) & (self.buckets - 1)
        start = self.HEADER.size + bucket * self.span
        value = min(math.ceil(into + window), self._END) << 40 | mark
        if not atomic.ENABLED:
            with self.locked(bucket * PROBE) as table:
                return self._take(table, start, pattern, value, into, None)
        while True:
            taken = self._take(file.map, start, pattern, value, into, file.address)
            if taken is not None:
                return taken

    def _take(self, table, start: int, pattern: bytes, value: int, into: float, address):
        """False if the bucket holds `value`'s hash (its bytes: `pattern`) in its window;
        else True once its slot is written (None: another process wrote first, read
        again). What is searched and what is chosen from are one copy of the bucket:
        another process writing between two reads could make this choose a second slot
        for a reader it has just written."""
        bucket = table[start : start + self.span]
        at = bucket.find(pattern)
        while at >= 0 and at % self.SLOT.size:  # across two slots: not a hash
            at = bucket.find(pattern, at + 1)
        if at >= 0:
            held = self.SLOT.unpack_from(bucket, at)[0]
            if held >> 40 > into:
                return False
            # Its window is over: it starts again in its own slot.
        else:
            row = self.row.unpack(bucket)
            held = min(row)  # the slot whose window ends first
            at = row.index(held) * self.SLOT.size
        if address is None:  # under the bucket's lock
            self.SLOT.pack_into(table, start + at, value)
            return True
        return atomic.swap(address + start + at, held, value) or None


# Lua, for scripts that tally inside Redis: tally(key, now, window) -> hits, seconds left.
LUA = """
local function tally(key, now, window)
  local ends = tonumber(redis.call('HGET', key, 'ends') or '0')
  if ends > now then
    return redis.call('HINCRBY', key, 'hits', 1), ends - now
  end
  redis.call('HSET', key, 'hits', 1, 'ends', string.format('%.6f', now + window))
  redis.call('EXPIRE', key, math.ceil(window) + 1)
  return 1, window
end
"""
_HIT = (
    LUA
    + """
local hits, left = tally(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
return {hits, string.format('%.6f', left)}
"""
)


class RedisTally:
    def __init__(self, name: str):
        self.prefix = redis.key(f"{name}:")
        self._script = redis.client().register_script(_HIT)
        self._secret: tuple[int | None, bytes] = (None, b"")

    def secret(self, now: float) -> bytes:
        """The day's key: whichever process asks first sets it for all."""
        day = day_of(now)
        known, key = self._secret
        if known == day:
            return key
        name = redis.key(f"tally-key:{day}")
        client = redis.client()
        client.set(name, secrets.token_bytes(32), nx=True, ex=2 * 86400)
        key = client.get(name)
        self._secret = (day, key)
        return key

    def key(self, who: bytes, now: float) -> str:
        """Where `who` is tallied today (for scripts that tally in the same round trip)."""
        return self.prefix + blake2b(who, key=self.secret(now), digest_size=16).hexdigest()

    def hit(self, who: bytes, window: float, now: float | None = None) -> tuple[int, float]:
        now = clock() if now is None else now
        hits, left = self._script(
            keys=[self.key(who, now)], args=[repr(now), repr(float(window))], client=redis.client()
        )
        return int(hits), float(left)


_tallies: dict[tuple, FileTally | RedisTally] = {}


def of(name: str, slots: int) -> FileTally | RedisTally:
    """The tally `name` of every process: in Redis with REDIS_URL, else this machine's
    table of `slots` slots."""
    where = (name, settings.REDIS_URL, settings.REDIS_PREFIX, str(settings.VAR_DIR))
    found = _tallies.get(where)
    if found is None:
        found = _tallies[where] = RedisTally(name) if redis.enabled() else FileTally(name, slots)
    return found
