"""Giving back to the system the memory a request through Django freed.

A rendered page allocates and frees many megabytes (templates, querysets,
the page's text); glibc's malloc keeps what was freed in the middle of its
heap for later, so a worker's resident memory stays at its highest point.
`malloc_trim` returns those free pages. It walks the heap, so it runs in a
timer thread a few seconds after a request through Django ended (one pending
at a time), never in a request; cache hits never pass Django and never ask.
Elsewhere than glibc it does nothing.
"""

import ctypes
import threading

from django.core.signals import request_finished

DELAY_SECONDS = 5.0  # after the first request through Django since the last trim

_lock = threading.Lock()
_pending = False
_timer: threading.Timer | None = None  # the one waiting, if any


def _malloc_trim():
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_trim = _malloc_trim()


def trim() -> None:
    global _pending
    with _lock:
        _pending = False
    if _trim is not None:
        _trim(0)


def soon(**_kwargs) -> None:
    """Trim in DELAY_SECONDS unless a trim is already waiting (a request_finished receiver)."""
    global _pending, _timer
    if _trim is None:
        return
    with _lock:
        if _pending:
            return
        _pending = True
        _timer = threading.Timer(DELAY_SECONDS, trim)
        _timer.daemon = True
        _timer.start()


def connect() -> None:
    request_finished.connect(soon, dispatch_uid="cangxanh-memory-trim")
