"""The running view totals of this machine, one per translation: `MachineTotals`
without Redis, `SharedTotals` with it.

What Redis's `views:total:<id>` is for every machine, this table is for the
processes of one (core.mapped): each counted view adds one to its
translation's total here and shows the result, so a reader sees the same,
current number whichever worker answers, and never a smaller one on reload.
The database stays the record: each process still writes its own views, once
(stats.counter). A total missing here starts from the stored one plus what
this process still holds; after each write a process raises the totals to
what the database says plus what it still holds (other machines' views
included), never lowers them. When the slots a translation may use are all
taken, the one counted least recently is given up.

With Redis the total is every machine's, but a process hears of it only at its
exchanges with Redis (a few times a second, stats.counter): `SharedTotals`
keeps what Redis said last plus the views of this machine made since, so the
number shown is current at once on this machine and within an exchange or two
on the others.
"""

import fcntl
import os
import struct
import threading
import time

from cangxanh.core import atomic
from cangxanh.core.mapped import PROBE, MappedTable

_TOTAL = 8  # where a MachineTotals slot keeps its total, for atomic operations
_SPREAD = 0x9E3779B97F4A7C15  # Fibonacci hashing: neighbouring ids land far apart
_MASK = (1 << 64) - 1


def _home(tid: int, slots: int) -> int:
    """The first slot `tid` may live in: the top bits of its spread id."""
    return ((tid * _SPREAD) & _MASK) >> (65 - slots.bit_length())


class MachineTotals(MappedTable):
    """With libatomic (core.atomic), a view of a translation the table has is added
    without a lock: one atomic add to its total, whose value before is this view's
    number, so every view still gets its own; raising a total to the database's is a
    compare-and-swap. Taking a slot for a new translation, or giving one up, locks
    its slots as before; a view that finds its slot given up meanwhile takes its add
    back and counts again under the lock."""

    SLOT = struct.Struct("<qqd")  # translation id (0: empty), total, last counted
    _ID = struct.Struct("<q")
    _COUNTED = struct.Struct("<d")

    def _find(self, table, tid: int) -> int | None:
        """The offset of `tid`'s slot, read without a lock (None if it has none)."""
        start = self.offset(_home(tid, self.slots))
        if self._ID.unpack_from(table, start)[0] == tid:  # mostly so
            return start
        ids = self.row.unpack_from(table, start)[0::3]
        return self.offset(_home(tid, self.slots) + ids.index(tid)) if tid in ids else None

    def _slot(self, table, tid: int, make: bool) -> tuple[int | None, int | None, float]:
        """(offset, total, last counted) of `tid`'s slot; total None for a slot just
        given to it (if `make`), offset None for none."""
        first = _home(tid, self.slots)
        start = self.offset(first)
        home = self.SLOT.unpack_from(table, start)
        if home[0] == tid:  # mostly so
            return start, home[1], home[2]
        row = self.row.unpack_from(table, start)
        ids = row[0::3]
        if tid in ids:
            i = ids.index(tid)
            return self.offset(first + i), row[3 * i + 1], row[3 * i + 2]
        if not make:
            return None, None, 0.0
        if 0 in ids:
            i = ids.index(0)
        else:
            counted = row[2::3]
            i = counted.index(min(counted))
        return self.offset(first + i), None, 0.0

    def add(self, tid: int, start: int) -> int:
        """Count one view of `tid` (from `start` if the table has no total for it)."""
        if atomic.ENABLED:
            file = self.file()
            offset = self._find(file.map, tid)
            if offset is not None:
                total = atomic.fetch_add(file.address + offset + _TOTAL, 1) + 1
                if self._ID.unpack_from(file.map, offset)[0] == tid:
                    self._COUNTED.pack_into(file.map, offset + 16, time.time())
                    return total
                atomic.fetch_add(file.address + offset + _TOTAL, -1)  # given up meanwhile
        with self.locked(_home(tid, self.slots)) as table:
            offset, total, _counted = self._slot(table, tid, make=True)
            if total is not None and atomic.ENABLED:  # others add to it without the lock
                total = atomic.fetch_add(self.file().address + offset + _TOTAL, 1) + 1
                self._COUNTED.pack_into(table, offset + 16, time.time())
                return total
            total = (start if total is None else total) + 1
            self.SLOT.pack_into(table, offset, tid, total, time.time())
            return total

    def at_least(self, tid: int, floor: int, keep: bool = False) -> int:
        """The total to show: the table's, raised to `floor` if that is more; a total
        the table does not have is kept only if `keep`."""
        if atomic.ENABLED:
            file = self.file()
            offset = self._find(file.map, tid)
            if offset is not None:
                total = atomic.raise_to(file.address + offset + _TOTAL, floor)
                if self._ID.unpack_from(file.map, offset)[0] == tid:
                    return total
        with self.locked(_home(tid, self.slots)) as table:
            offset, total, counted = self._slot(table, tid, make=keep)
            if total is not None and total >= floor:
                return total
            if offset is not None:
                if total is not None and atomic.ENABLED:  # views may be added meanwhile
                    return atomic.raise_to(self.file().address + offset + _TOTAL, floor)
                self.SLOT.pack_into(table, offset, tid, floor, counted or time.time())
            return floor

    def raise_to(self, floors: dict[int, int]) -> None:
        """Raise the totals this table has to these, at least (after a write)."""
        with self.locked() as table:
            for tid, floor in floors.items():
                offset, total, counted = self._slot(table, tid, make=False)
                if total is not None and total < floor:
                    if atomic.ENABLED:  # views may be added meanwhile, without the lock
                        atomic.raise_to(self.file().address + offset + _TOTAL, floor)
                    else:
                        self.SLOT.pack_into(table, offset, tid, floor, counted)


class SharedTotals(MappedTable):
    """The totals shown with Redis: per translation, Redis's running total as this
    machine last heard it, plus this machine's views not yet in it.

    Each view this machine counts adds one to its translation's `here` at once, so
    every worker of the machine shows the next number; a process's exchange with
    Redis (stats.counter) sends its views and takes them out of `here` in the same
    step that sets the total to what Redis answered, with other machines' views in
    it. Exchanges of this machine's processes take turns (`exchanging`), so the
    totals are set in the order Redis made them and the sum never counts a view
    twice or skips one."""

    SLOT = struct.Struct("<qqqd")  # translation id (0: empty), Redis's total, here, last used

    def __init__(self, name: str, slots: int):
        super().__init__(name, slots)
        self._turn = MachineLock(self.path.with_suffix(".lock"))

    def _slot(self, table, tid: int, make: bool) -> tuple[int | None, tuple | None, float]:
        """(offset, (total, here) or None for a slot just given to it, last used)."""
        first = _home(tid, self.slots)
        row = self.row.unpack_from(table, self.offset(first))
        width = 4
        for i in range(PROBE):
            if row[width * i] == tid:
                found = row[width * i + 1 : width * i + 3]
                return self.offset(first + i), found, row[width * i + 3]
        if not make:
            return None, None, 0.0
        empty = [i for i in range(PROBE) if row[width * i] == 0]
        i = empty[0] if empty else min(range(PROBE), key=lambda i: row[width * i + 3])
        return self.offset(first + i), None, 0.0

    def add(self, tid: int, start: int) -> int:
        """Count one view of `tid` here (from `start` if the table has no total for it)."""
        with self.locked(_home(tid, self.slots)) as table:
            offset, found, _used = self._slot(table, tid, make=True)
            total, here = found if found is not None else (start, 0)
            self.SLOT.pack_into(table, offset, tid, total, here + 1, time.time())
            return total + here + 1

    def shown(self, tid: int, start: int) -> int:
        """The total to show now (`start` if the table has none)."""
        with self.locked(_home(tid, self.slots)) as table:
            _offset, found, _used = self._slot(table, tid, make=False)
        return start if found is None else found[0] + found[1]

    def exchanging(self) -> "MachineLock":
        """`with totals.exchanging():` this machine's other exchanges wait."""
        return self._turn

    def settle(
        self,
        heard: dict[int, int],
        sent: dict[int, int] | None = None,
        written: dict[int, int] | None = None,
    ) -> None:
        """After an exchange (inside `exchanging`): Redis's totals as just `heard`, the
        views of this machine `sent` in them, and views `written` to the database
        without Redis (Redis's total does not have them: shown until it is heard again)."""
        sent, written = sent or {}, written or {}
        with self.locked() as table:
            for tid in heard.keys() | sent.keys() | written.keys():
                offset, found, used = self._slot(table, tid, make=tid in heard)
                if offset is None:
                    continue
                total, here = found if found is not None else (heard[tid], 0)
                total = heard.get(tid, total) + written.get(tid, 0)
                here = max(0, here - sent.get(tid, 0) - written.get(tid, 0))
                self.SLOT.pack_into(table, offset, tid, total, here, used or time.time())


class MachineLock:
    """One holder at a time among this machine's processes and their threads: a file
    in VAR_DIR/shared/ under flock, and a lock for this process's threads."""

    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()
        self._pid = None
        self._fd = None

    def __enter__(self) -> None:
        self._lock.acquire()
        try:
            if self._pid != os.getpid():  # a descriptor from before a fork is the parent's
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self._pid = os.getpid()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._lock.release()
            raise

    def __exit__(self, *exc) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._lock.release()
