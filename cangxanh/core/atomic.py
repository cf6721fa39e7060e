"""Atomic adds and compare-and-swaps on 8-byte integers in a shared mapping
(core.mapped), through GCC's libatomic: a running total that every worker adds
to then needs no lock, so two workers counting views of one story never wait
for each other in the kernel (a record lock there costs two system calls, and
a sleep when the other holds it).

Where libatomic is missing (`ENABLED` is False), callers take their locks as
before. Addresses are a mapping's base (`address_of`) plus an offset; the
mapping must stay open (the project's tables never close theirs).
"""

import ctypes
import mmap

_SEQ_CST = 5  # __ATOMIC_SEQ_CST

try:
    _library = ctypes.CDLL("libatomic.so.1")
    _fetch_add = _library.__atomic_fetch_add_8
    _fetch_add.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_int]
    _fetch_add.restype = ctypes.c_int64
    _exchange = _library.__atomic_compare_exchange_8
    _exchange.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_int64),
        ctypes.c_int64,
        ctypes.c_int,
        ctypes.c_int,
    ]
    _exchange.restype = ctypes.c_bool
    ENABLED = True
except (OSError, AttributeError):  # no libatomic here: the callers lock
    ENABLED = False


def address_of(mapped: mmap.mmap) -> tuple[int, object]:
    """The mapping's base address, and the object that keeps it exported (keep both)."""
    anchor = ctypes.c_char.from_buffer(mapped)
    return ctypes.addressof(anchor), anchor


def fetch_add(address: int, value: int) -> int:
    """Add `value` to the 8-byte integer at `address`; its value before."""
    return _fetch_add(address, value, _SEQ_CST)


def load(address: int) -> int:
    return _fetch_add(address, 0, _SEQ_CST)


def swap(address: int, expected: int, new: int) -> bool:
    """Write `new` at `address` if it still holds `expected`; whether it did."""
    return _exchange(address, ctypes.byref(ctypes.c_int64(expected)), new, _SEQ_CST, _SEQ_CST)


def raise_to(address: int, floor: int) -> int:
    """Make the integer at `address` at least `floor` (never lower it); its value after."""
    expected = ctypes.c_int64(load(address))
    while expected.value < floor:
        if _exchange(address, ctypes.byref(expected), floor, _SEQ_CST, _SEQ_CST):
            return floor
        # `expected` now holds the value another process wrote: look again
    return expected.value
