"""Fixtures of the view counter's tests."""

import pytest

from cangxanh.stats import counter


@pytest.fixture
def buffered(settings):
    """A counter that waits for an explicit flush (its thread would wait a minute)."""
    counter.reset()
    settings.VIEWS_FLUSH_SECONDS = 60
    yield
    counter.reset()
