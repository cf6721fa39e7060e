"""After a request through Django, malloc's freed pages go back to the system once,
from a timer thread (core.memory); requests meanwhile do not start more timers."""

import threading

import pytest

from cangxanh.core import memory


@pytest.fixture
def trims(monkeypatch):
    done = []
    event = threading.Event()

    def fake(pad):
        done.append(pad)
        event.set()
        return 1

    if memory._timer is not None:
        memory._timer.cancel()  # one an earlier test's request started
    monkeypatch.setattr(memory, "_trim", fake)
    monkeypatch.setattr(memory, "DELAY_SECONDS", 0.2)
    monkeypatch.setattr(memory, "_pending", False)
    return done, event


@pytest.mark.django_db
def test_requests_through_django_trim_once_after_a_pause(client, trims):
    done, event = trims
    for _ in range(3):
        assert client.get("/robots.txt").status_code == 200
    assert event.wait(5)
    event.clear()
    assert not event.wait(0.5)  # the three requests asked for one trim
    assert done == [0]
    client.get("/robots.txt")  # the next request after it asks again
    assert event.wait(5)
    assert done == [0, 0]


def test_the_real_trim_runs_on_this_system():
    # glibc here (Debian): the function is found and returns without harm.
    assert memory._trim is not None
    memory.trim()
