"""The home page's visits figure: views today and in all, in every language, kept a
minute at most (stats.queries.visits_figure) and as current as the cached home page."""

import re
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler

from cangxanh.delivery.front import PageCache
from cangxanh.stats.queries import visits_figure
from tests.conftest import LANGS
from tests.delivery.conftest import call, reader

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r"<dd data-views>([^<]*)</dd>")


def figure(html: str) -> list[str]:
    block = html[html.index('class="home__visits') :]
    return FIGURE.findall(block)


@pytest.fixture
def read(make_article, site_identity, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(LANGS, views=1234)
    return article


def test_every_language_shows_the_figure_its_way(client, read):
    for lang in LANGS:
        html = client.get(f"/{lang}/").content.decode()
        total = "6.170" if lang == "vi" else "6,170"
        assert figure(html) == ["0", total], lang
        assert 'aria-labelledby="visits-title"' in html


def test_the_figure_follows_the_views_through_the_page_cache(read, settings, monkeypatch):
    settings.PAGE_CACHE = True
    front = PageCache(WSGIHandler())
    first = call(front, "/en/")
    assert figure(first.text) == ["0", "6,170"]
    url = read.translations.get(language="vi").get_absolute_url()
    for number in range(3):
        call(front, url, **reader(number + 1))
    kept = call(front, "/en/")
    assert kept.hit and figure(kept.text) == ["0", "6,170"]  # the copy: a minute at most
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    fresh = call(front, "/en/")
    assert not fresh.hit
    assert figure(fresh.text) == ["3", "6,173"]


def test_the_figure_is_read_once_a_minute(read, client, django_assert_num_queries):
    assert visits_figure().total == 6170
    with django_assert_num_queries(0):
        assert visits_figure().total == 6170
