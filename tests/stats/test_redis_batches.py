"""The Redis counter's flush costs a few round trips whatever Redis holds besides."""

import threading

import pytest
from django.conf import settings
from redis.connection import AbstractConnection

from cangxanh.news.models import ArticleTranslation
from cangxanh.stats import counter

GREETING = {b"HELLO", b"PING", b"CLIENT", b"AUTH", b"SELECT"}


def name(command) -> bytes:
    """The command's name, from what redis-py packs for the wire."""
    packed = b"".join(command) if isinstance(command, list | tuple) else command
    return packed.split(b"\r\n", 3)[2].upper()


@pytest.mark.django_db(transaction=True)
def test_a_flush_does_not_look_through_redis_for_batches(
    make_article, redis_backend, buffered, monkeypatch
):
    translation = make_article(["vi"]).translations.get()
    counter.record(translation.pk, 0)
    assert counter.flush() == 1  # a process's first flush looks once (older releases)
    # What a busy half hour leaves in Redis: a tally per reader and translation.
    pipe = redis_backend.pipeline(transaction=False)
    for number in range(20_000):
        pipe.set(f"{settings.REDIS_PREFIX}readers:{number:032x}", 1, ex=60)
    pipe.execute()
    sent: list[bytes] = []
    me = threading.get_ident()
    send = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        # Not the counter's background thread, and not the greeting of a new
        # connection (HELLO, PING, CLIENT SETINFO), which the pool may open
        # when the background thread holds the other one.
        if threading.get_ident() == me and name(command) not in GREETING:
            sent.append(command)
        return send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    for reader in (b"one", b"two", b"three"):
        counter.record(translation.pk, 0, reader)
    assert sent == []  # counted in the process
    assert counter.flush() == 3
    assert len(sent) <= 15  # not a walk through 20,000 keys, 100 at a time
    assert ArticleTranslation.objects.get(pk=translation.pk).view_count == 4
