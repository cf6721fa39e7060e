"""How often one client may ask, look a question up, or have a code e-mailed.

Like the search limit (search.limits): counted per client address (core.client,
behind a trusted proxy the one it forwards) in a tally every process shares
(core.tally: Redis with REDIS_URL, else this machine's table of keyed hashes),
so no address is kept. Over a limit the answer is 429 with Retry-After.

Besides, one e-mail address gets at most MAIL_PER_DAY tracking codes a day, so
the form cannot be used to flood someone's mailbox: further questions are kept
and show their code on screen, without another e-mail.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cangxanh.core import tally
from cangxanh.core.client import client_address

SLOTS = 1 << 12
MAIL_PER_DAY = 3
_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"\s*(\d+)\s*(?:/\s*(second|minute|hour|day)s?)?\s*")


@lru_cache(maxsize=8)
def rate(value: str, setting: str = "QUESTIONS_RATE") -> tuple[int, int]:
    """(times, seconds) of a rate such as "5/hour"; 0 times: no limit."""
    match = _RATE.fullmatch(value)
    if match is None or (match.group(1) != "0" and match.group(2) is None):
        raise ImproperlyConfigured(
            f"{setting} {value!r}: write it as 5/hour, 20/minute or 50/day, or 0 for no limit."
        )
    return int(match.group(1)), _PERIODS[match.group(2) or "hour"]


def _wait(name: str, setting: str, meta) -> float | None:
    times, period = rate(getattr(settings, setting), setting)
    if not times:
        return None
    hits, left = tally.of(name, SLOTS).hit(client_address(meta).encode(), period)
    return left if hits > times else None


def ask_wait(meta) -> float | None:
    """Seconds before this client may send another question; None: it may now."""
    return _wait("questions-ask", "QUESTIONS_RATE", meta)


def track_wait(meta) -> float | None:
    """Seconds before this client may look a question up again; None: it may now."""
    return _wait("questions-track", "QUESTIONS_TRACK_RATE", meta)


def mail_allowed(email: str) -> bool:
    """Whether another tracking code may be e-mailed to `email` today."""
    hits, _left = tally.of("questions-mail", SLOTS).hit(email.strip().casefold().encode(), 86400)
    return hits <= MAIL_PER_DAY
