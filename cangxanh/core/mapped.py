"""Small tables that the processes of one machine share without Redis.

Each is a file in VAR_DIR/shared/ mapped into memory by every process, as the
content version is: reading costs no system call, writing takes the file's
lock (flock) and a lock for this process's threads. A table has a fixed number
of slots, so its size is bounded whatever the traffic; each kind says which
slot it gives up when the few it may use are taken. The layout is part of the
file's name, so a release with another layout never reads an older one.
"""

import fcntl
import mmap
import os
import struct
import threading
from pathlib import Path

from django.conf import settings

PROBE = 8  # the slots a key may live in, from its own onwards


def folder() -> Path:
    return Path(settings.VAR_DIR) / "shared"


class MappedTable:
    HEADER = struct.Struct("")
    SLOT = struct.Struct("")

    def __init__(self, name: str, slots: int):
        assert slots & (slots - 1) == 0, "a power of two"
        self.slots = slots
        self.size = self.HEADER.size + (slots + PROBE - 1) * self.SLOT.size
        layout = f"{slots}x{self.SLOT.format.lstrip('<')}"
        self.path = folder() / f"{name}.{layout}.map"
        self.row = struct.Struct("<" + self.SLOT.format.lstrip("<") * PROBE)
        self._lock = threading.Lock()
        self._pid = None

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_size < self.size:
                os.ftruncate(fd, self.size)
            fcntl.flock(fd, fcntl.LOCK_UN)
            self.map = mmap.mmap(fd, self.size)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        # A lock taken through a descriptor inherited across fork would be the parent's.
        self._pid = os.getpid()

    def locked(self) -> "MappedTable":
        """`with table.locked() as mapped:` this process's threads and the others shut out."""
        return self

    def __enter__(self) -> mmap.mmap:  # a plain method: a generator costs more than the work
        self._lock.acquire()
        try:
            if self._pid != os.getpid():
                self._open()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._lock.release()
            raise
        return self.map

    def __exit__(self, *exc) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._lock.release()

    def offset(self, slot: int) -> int:
        return self.HEADER.size + slot * self.SLOT.size


def clear_all() -> None:
    """Empty every table of this machine (tests: ids and readers start afresh)."""
    for path in folder().glob("*.map"):
        with open(path, "r+b") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.write(bytes(os.fstat(file.fileno()).st_size))
