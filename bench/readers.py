"""Distinct readers for load tests (`make bench`, a soak): a view counts once per reader
(client address and browser) in a window, so each request that should count comes
with an X-Forwarded-For of its own, as a trusted proxy on this machine forwards it.

- `new_run()`: a number for one wrk run (or any batch of requests), never the same
  twice in a process and not again for weeks, so readers of an earlier run (still in
  the window) never come back;
- `wrk_args(run)`: the wrk options before the URL and the arguments after it that
  give every request of the run its own address (bench/readers.lua);
- `address(run, number)`: the same scheme for one request sent another way (curl,
  urllib): reader `number` of the run.
Addresses come from 2001:db8::/32, the documentation prefix, never a real client's.
"""

import threading
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().with_name("readers.lua")
_last = 0
_lock = threading.Lock()


def new_run() -> int:
    """The milliseconds clock (32 bits, turning over every 49 days), always moving on."""
    global _last
    with _lock:
        _last = max(_last + 1, int(time.time() * 1000) & 0xFFFFFFFF)
        return _last & 0xFFFFFFFF


def wrk_args(run: int) -> tuple[list[str], list[str]]:
    """(options before the URL, arguments after it) for one wrk run."""
    return ["-s", str(SCRIPT)], [str(run)]


def address(run: int, number: int) -> str:
    """Reader `number` of `run`; thread 0, which wrk's threads (from 1) never use."""
    groups = (run >> 16, run & 0xFFFF, 0, number >> 16 & 0xFFFF, number & 0xFFFF)
    return "2001:db8:" + ":".join(f"{group:x}" for group in groups) + ":1"
