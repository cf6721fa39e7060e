"""API_RATE, "<n>/<second|minute|hour|day>" (0: no limit), as (requests, seconds)."""

import re
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"\s*(\d+)\s*(?:/\s*(second|minute|hour|day)s?)?\s*")


@lru_cache(maxsize=4)
def rate(value: str) -> tuple[int, int]:
    match = _RATE.fullmatch(value)
    if match is None or (match.group(1) != "0" and match.group(2) is None):
        raise ImproperlyConfigured(
            f"API_RATE (CANGXANH_API_RATE) {value!r}: write it as 120/minute, 10/second "
            "or 5000/hour, or 0 for no limit."
        )
    return int(match.group(1)), _PERIODS[match.group(2) or "minute"]
