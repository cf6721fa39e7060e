"""The one Redis connection pool of a process, when REDIS_URL is set.

Page cache, content version and view counters all use it, each under the key
prefix `REDIS_PREFIX` (so several sites, or a test run, can share a server).
"""

import os
import sys

from django.conf import settings

_client = None
_pid = None


def enabled() -> bool:
    return bool(settings.REDIS_URL)


def client():
    """A redis-py client, created once per process (a forked worker gets its own)."""
    global _client, _pid
    if _client is None or _pid != os.getpid():
        import redis

        _client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
        )
        _pid = os.getpid()
    return _client


class _NeverRaised(Exception):
    """Stands for RedisError while the redis package is not loaded: nothing raises it."""


def errors() -> type[Exception]:
    """What a failing Redis raises, for `except redis.errors():` (evaluated only when an
    exception propagates). Without REDIS_URL the redis package is never imported,
    which keeps it out of every worker's memory."""
    module = sys.modules.get("redis.exceptions")
    return module.RedisError if module is not None else _NeverRaised


def key(name: str) -> str:
    return f"{settings.REDIS_PREFIX}{name}"


def reset() -> None:
    """Forget the client (tests that change REDIS_URL or REDIS_PREFIX)."""
    global _client
    _client = None
