"""Small tables that the processes of one machine share without Redis.

Each is a file in SHARED_TABLES_DIR (VAR_DIR/shared/) mapped into memory by
every process, as the content version is: reading costs no system call.
Writing locks only the slots a key may live in (a POSIX record lock on that
byte range, and a lock for this process's threads), so two processes counting
different readers never wait for each other; a change to the whole table (a
new day, a batch of totals) locks the whole file. A table has a fixed number
of slots, so its size is bounded whatever the traffic; each kind says which
slot it gives up when the few it may use are taken. The layout is part of the
file's name, so a release with another layout never reads an older one.

Record locks belong to the process, not to a descriptor, and closing any
descriptor of the file drops them all: so each process opens a table's file
once (`_File`), every table object of that path shares it, and nothing here
closes it.
"""

import fcntl
import mmap
import os
import struct
import threading
from pathlib import Path

from django.conf import settings

PROBE = 8  # the slots a key may live in, from its own onwards


_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


def pid() -> int:
    """This process's id, without a system call (every counted view asks, several
    times): kept here, and set again in a child after a fork."""
    return _pid


def folder() -> Path:
    return Path(settings.SHARED_TABLES_DIR)


class _File:
    """One process's descriptor and mapping of a table's file, and its threads' lock."""

    def __init__(self, path: Path, size: int):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX)
            try:
                if os.fstat(fd).st_size < size:
                    os.ftruncate(fd, size)
            finally:
                fcntl.lockf(fd, fcntl.LOCK_UN)
            self.map = mmap.mmap(fd, size)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        self.threads = threading.Lock()
        self._address: tuple[int, object] | None = None

    @property
    def address(self) -> int:
        """The mapping's base address, for atomic operations on it (core.atomic)."""
        if self._address is None:
            from . import atomic

            self._address = atomic.address_of(self.map)
        return self._address[0]


_files: dict[tuple[int, Path], _File] = {}
_files_lock = threading.Lock()


def _file(path: Path, size: int) -> _File:
    # A lock taken through a descriptor inherited across fork would be the parent's:
    # each process opens its own. The parent's entries stay in a child's dictionary on
    # purpose: dropping them would close their mappings' descriptors, and closing any
    # descriptor of the file drops every record lock the child holds on it (a child
    # that forgot them after fork counted readers twice, once in the full suite).
    where = (_pid, path)
    found = _files.get(where)
    if found is None:
        with _files_lock:
            found = _files.get(where)
            if found is None:
                found = _files[where] = _File(path, size)
    return found


class _Held:
    """`with table.locked(first) as mapped:` held from `start`, `length` bytes (0: all)."""

    __slots__ = ("file", "length", "start")

    def __init__(self, file: _File, start: int, length: int):
        self.file, self.start, self.length = file, start, length

    def __enter__(self) -> mmap.mmap:
        file = self.file
        file.threads.acquire()
        try:
            fcntl.lockf(file.fd, fcntl.LOCK_EX, self.length, self.start)
        except BaseException:
            file.threads.release()
            raise
        return file.map

    def __exit__(self, *exc) -> None:
        fcntl.lockf(self.file.fd, fcntl.LOCK_UN, self.length, self.start)
        self.file.threads.release()


class MappedTable:
    HEADER = struct.Struct("")
    SLOT = struct.Struct("")
    LAYOUT = ""  # a name for a new meaning of the same SLOT format

    def __init__(self, name: str, slots: int):
        assert slots & (slots - 1) == 0, "a power of two"
        self.slots = slots
        self.size = self.HEADER.size + (slots + PROBE - 1) * self.SLOT.size
        layout = f"{slots}x{self.SLOT.format.lstrip('<')}"
        if self.LAYOUT:
            layout += f"-{self.LAYOUT}"
        self.path = folder() / f"{name}.{layout}.map"
        self.row = struct.Struct("<" + self.SLOT.format.lstrip("<") * PROBE)
        self.span = PROBE * self.SLOT.size  # the bytes a key's slots take
        self._own: tuple[int | None, _File | None] = (None, None)

    def file(self) -> _File:
        """This process's `_File` of the table (asked for on every count: kept here too)."""
        if self._own[0] != _pid:
            self._own = (_pid, _file(self.path, self.size))
        return self._own[1]

    @property
    def map(self) -> mmap.mmap:
        """The table, for reading without a lock (what a lock guards may be changing)."""
        return self.file().map

    def locked(self, first: int | None = None) -> _Held:
        """`with table.locked(first) as mapped:` the PROBE slots from `first` on, or
        the whole table without `first`, this process's threads and the others shut out."""
        if first is None:
            return _Held(self.file(), 0, 0)
        return _Held(self.file(), self.offset(first), self.span)

    def offset(self, slot: int) -> int:
        return self.HEADER.size + slot * self.SLOT.size


def clear_all() -> None:
    """Empty every table of this machine (tests: ids and readers start afresh)."""
    for path in folder().glob("*.map"):
        size = path.stat().st_size
        if not size:
            continue
        with _Held(_file(path, size), 0, 0) as table:
            table[:] = bytes(len(table))
