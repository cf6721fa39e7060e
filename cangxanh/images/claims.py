"""One maker at a time for a piece of work that every app server may need at once.

A picture's renditions are made by whichever server first needs them (after an upload,
a new focal point, new rendition settings or a release that names them anew); when a
page on the front of every server shows that picture, all of them need it in the
same second. `held(name)` lets one make them while the others wait for it, then find
them made (images.renditions reads the record again):

- on PostgreSQL, the database every server shares, a session advisory lock
  (`pg_try_advisory_lock`): it ends with its connection, so a server that dies while
  making them holds nobody up;
- on any other database (SQLite, one machine), an exclusive `flock` on a file in
  VAR_DIR/locks/, which every process of the machine shares; the kernel drops it
  with the process. Names share 256 files, so a wait may be for another picture.

Nobody waits for ever: after `wait` seconds the work goes ahead without the claim
(the maker is slow, not gone). Whatever is written then is written under the same
names, and a name found in the storage is not written again.
"""

import contextlib
import fcntl
import hashlib
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

# Advisory locks are one key space per database: ours start with this 32-bit number
# ("cx" "re", renditions), the second number from the work's name.
_PG_CLASS = 0x63787265
_STRIPES = 256
_POLL = 0.05


def _digest(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)


def _poll(attempt, wait: float) -> bool:
    """Try `attempt` until it succeeds or `wait` seconds have gone by."""
    deadline = time.monotonic() + wait
    while not attempt():
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL)
    return True


@contextlib.contextmanager
def _pg(key: int, wait: float):
    def attempt() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_PG_CLASS, key])
            return bool(cursor.fetchone()[0])

    got = _poll(attempt, wait)
    try:
        yield got
    finally:
        if got:
            # The session's lock, whatever became of a transaction meanwhile.
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_PG_CLASS, key])


def _lock_file(key: int) -> Path:
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"claim-{key % _STRIPES:03d}"


@contextlib.contextmanager
def _flock(key: int, wait: float):
    # A descriptor of its own each time: flock then also keeps this process's threads apart.
    fd = os.open(_lock_file(key), os.O_RDWR | os.O_CREAT, 0o600)

    def attempt() -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    try:
        yield _poll(attempt, wait)
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


@contextlib.contextmanager
def held(name: str, wait: float = 20.0):
    """Hold the claim on `name` (waiting up to `wait` seconds for whoever holds it).
    Yields True when held, False when the wait ran out (go ahead all the same)."""
    key = _digest(name)
    if connection.vendor == "postgresql":
        with _pg(key, wait) as got:
            yield got
    else:
        with _flock(key, wait) as got:
            yield got
