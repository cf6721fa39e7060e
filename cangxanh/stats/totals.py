"""The running view totals of this machine, one per translation, without Redis.

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
"""

import struct
import time

from cangxanh.core.mapped import PROBE, MappedTable

_SPREAD = 0x9E3779B97F4A7C15  # Fibonacci hashing: neighbouring ids land far apart
_MASK = (1 << 64) - 1


class MachineTotals(MappedTable):
    SLOT = struct.Struct("<qqd")  # translation id (0: empty), total, last counted

    def _slot(self, table, tid: int, make: bool) -> tuple[int | None, int | None, float]:
        """(offset, total, last counted) of `tid`'s slot; total None for a slot just
        given to it (if `make`), offset None for none."""
        first = ((tid * _SPREAD) & _MASK) >> (65 - self.slots.bit_length())  # the top bits
        row = self.row.unpack_from(table, self.offset(first))
        for i in range(PROBE):
            if row[3 * i] == tid:
                return self.offset(first + i), row[3 * i + 1], row[3 * i + 2]
        if not make:
            return None, None, 0.0
        empty = [i for i in range(PROBE) if row[3 * i] == 0]
        i = empty[0] if empty else min(range(PROBE), key=lambda i: row[3 * i + 2])
        return self.offset(first + i), None, 0.0

    def add(self, tid: int, start: int) -> int:
        """Count one view of `tid` (from `start` if the table has no total for it)."""
        with self.locked() as table:
            offset, total, _counted = self._slot(table, tid, make=True)
            total = (start if total is None else total) + 1
            self.SLOT.pack_into(table, offset, tid, total, time.time())
            return total

    def at_least(self, tid: int, floor: int, keep: bool = False) -> int:
        """The total to show: the table's, raised to `floor` if that is more; a total
        the table does not have is kept only if `keep`."""
        with self.locked() as table:
            offset, total, counted = self._slot(table, tid, make=keep)
            if total is not None and total >= floor:
                return total
            if offset is not None:
                self.SLOT.pack_into(table, offset, tid, floor, counted or time.time())
            return floor

    def raise_to(self, floors: dict[int, int]) -> None:
        """Raise the totals this table has to these, at least (after a write)."""
        with self.locked() as table:
            for tid, floor in floors.items():
                offset, total, counted = self._slot(table, tid, make=False)
                if total is not None and total < floor:
                    self.SLOT.pack_into(table, offset, tid, floor, counted)
