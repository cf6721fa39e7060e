"""Searching is limited per client: SEARCH_RATE searches a period.

A search that reaches the engine costs the database real work; a script
asking thousands of them would slow the site for everyone. Each client
address (core.client: behind a trusted proxy, the one it forwards) gets
SEARCH_RATE searches per period, counted in a tally shared by every process
(core.tally: Redis with REDIS_URL, else this machine's table); over it the
answer is 429 with Retry-After. Searches the page cache answers cost nothing
and are not counted.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cangxanh.core import tally
from cangxanh.core.client import client_address

SLOTS = 1 << 14  # clients searching at once on one machine (384 KiB)
_PERIODS = {"second": 1, "minute": 60, "hour": 3600}
_RATE = re.compile(r"\s*(\d+)\s*(?:/\s*(second|minute|hour)s?)?\s*")


@lru_cache(maxsize=4)
def rate(value: str) -> tuple[int, int]:
    """(searches, seconds) of a SEARCH_RATE such as "30/minute"; 0 searches: no limit."""
    match = _RATE.fullmatch(value)
    if match is None or (match.group(1) != "0" and match.group(2) is None):
        raise ImproperlyConfigured(
            f"SEARCH_RATE (CANGXANH_SEARCH_RATE) {value!r}: write it as 30/minute, "
            "10/second or 600/hour, or 0 for no limit."
        )
    return int(match.group(1)), _PERIODS[match.group(2) or "minute"]


def wait(meta) -> float | None:
    """Seconds this client must wait before searching again; None if it may search now."""
    searches, period = rate(settings.SEARCH_RATE)
    if not searches:
        return None
    hits, left = tally.of("search", SLOTS).hit(client_address(meta).encode(), period)
    return left if hits > searches else None
