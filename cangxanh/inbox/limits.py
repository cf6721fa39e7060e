"""How often one client may send a public form (questions, comments) or look one up.

Like the search limit (search.limits): counted per client address (core.client,
behind a trusted proxy the one it forwards) in a tally every process shares
(core.tally: Redis with REDIS_URL, else this machine's table of keyed hashes),
so no address is kept; an IPv6 client counts as its /64 network (`client_key`).
Over a limit the form comes back with what was typed, answered 429 with Retry-After.
"""

import ipaddress
import math
import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cangxanh.core import tally
from cangxanh.core.client import client_address

SLOTS = 1 << 12
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


def client_key(address: str) -> str:
    """What one client is counted as: its IPv4 address, or the /64 network of its IPv6
    address (one subscriber's line or one server is given a whole /64, so counting single
    IPv6 addresses would let anyone take a fresh one for every request)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network((ip, 64), strict=False))
    return address


def wait(name: str, setting: str, meta) -> float | None:
    """Seconds before this client may use the form counted as `name` again, under the
    rate in settings.`setting`; None: it may now."""
    times, period = rate(getattr(settings, setting), setting)
    if not times:
        return None
    hits, left = tally.of(name, SLOTS).hit(client_key(client_address(meta)).encode(), period)
    return left if hits > times else None


def limited(response, seconds: float):
    """A form shown again because its client is over its limit: 429 with Retry-After."""
    response.status_code = 429
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response
