"""With Redis, a page this process holds is served without a round trip: the content
version is what the process read at most version.POLL_SECONDS ago, and the view is
counted in the process and sent to Redis in a batch (stats.counter)."""

import threading
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from redis.connection import AbstractConnection

from cangxanh.delivery import version
from cangxanh.delivery.front import PageCache
from cangxanh.news.models import ArticleTranslation

from .conftest import call, reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_article, site_identity, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(["vi"], views=10)
    return article.translations.get()


def test_a_hit_on_a_copy_this_process_holds_makes_no_round_trip(
    published, redis_backend, settings, buffered, monkeypatch
):
    settings.PAGE_CACHE = True
    app = PageCache(WSGIHandler())
    url = published.get_absolute_url()
    assert not call(app, url, **reader(1)).hit
    assert call(app, url, **reader(2)).views == 12
    sent: list[bytes] = []
    me = threading.get_ident()
    send = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        if threading.get_ident() == me:  # not the counter's background thread
            sent.append(command if isinstance(command, bytes) else b"".join(command))
        return send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    started = time.monotonic()
    answers = [call(app, url, **reader(number)) for number in range(3, 203)]
    elapsed = time.monotonic() - started
    monkeypatch.undo()
    assert all(answer.hit for answer in answers)
    # Each reader counted and shown their own total at once, in this process.
    assert [answer.views for answer in answers] == list(range(13, 213))
    # At most one read of the content version per POLL_SECONDS, whatever the hits:
    # not one round trip per hit (there were 200 in the time of a few reads).
    assert len(sent) <= elapsed / version.POLL_SECONDS + 1
    assert all(b"MGET" in command for command in sent)
    assert buffered.flush() == 202
    assert ArticleTranslation.objects.get(pk=published.pk).view_count == 212


def test_a_change_made_by_another_process_is_served_within_the_poll(
    published, redis_backend, settings
):
    """Another process bumps the version (here: its own store object, as another
    process has): this one serves its copy no longer than POLL_SECONDS after."""
    settings.PAGE_CACHE = True
    app = PageCache(WSGIHandler())
    url = published.get_absolute_url()
    call(app, url)
    assert call(app, url).hit
    version.RedisVersion().bump(0.0)  # not this process's store: it does not know
    bumped = time.monotonic()
    while True:
        asked = time.monotonic() - bumped
        if not call(app, url).hit:
            break
        assert asked < version.POLL_SECONDS + 0.05  # a hit read the version this late
        time.sleep(0.005)
