"""Query parameters and the page cache: only those public views read make a copy of
their own (delivery.middleware.PUBLIC_PARAMS); the rest never reach the view."""

import pytest

from .conftest import call

pytestmark = pytest.mark.django_db

CRAWLER = "Mozilla/5.0 (compatible; Googlebot/2.1)"  # not counted: the bytes stay the same


@pytest.fixture
def published(make_article, site_identity, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(["vi", "en"], views=10)
    return article.translations.get(language="vi")


@pytest.fixture
def renders(front):
    """How many times Django answered and the cache stored, through this front."""
    seen = {"django": 0, "stored": 0}
    app, put = front.app, front.local.put

    def django(environ, start_response):
        seen["django"] += 1
        return app(environ, start_response)

    def store(key, entry):
        seen["stored"] += 1
        put(key, entry)

    front.app, front.local.put = django, store
    return seen


def test_unknown_and_tracking_parameters_share_one_copy(front, published, renders):
    url = published.get_absolute_url()
    pages = {call(front, f"{url}?x={n}", user_agent=CRAWLER).body for n in range(1, 51)}
    for tracking in ("utm_source=zalo&utm_medium=social", "fbclid=IwAR0", "gclid=1&_ga=2", "x"):
        pages.add(call(front, f"{url}?{tracking}", user_agent=CRAWLER).body)
    assert renders == {"django": 1, "stored": 1}
    assert len(pages) == 1, "one page, byte for byte"


def test_what_the_views_read_keeps_its_own_copy_in_one_order(front, published, renders):
    assert not call(front, "/vi/search/?q=Incheon&page=1").hit
    assert call(front, "/vi/search/?page=1&utm_campaign=x&q=Incheon").hit
    assert not call(front, "/vi/search/?q=Hải+Phòng").hit
    # The same words, written another way: one copy.
    assert call(front, "/vi/search/?q=H%E1%BA%A3i%20Ph%C3%B2ng").hit
    # A name given twice: the last one counts, so the order of its values stays.
    assert not call(front, "/vi/search/?q=a&q=b").hit
    assert not call(front, "/vi/search/?q=b&q=a").hit
    assert renders == {"django": 4, "stored": 4}


def test_the_view_never_sees_what_it_does_not_read(front, published):
    # The search page carries its query into the language switcher: a forged
    # parameter would reach every reader of the shared copy.
    page = call(front, "/vi/search/?q=Incheon&ref=forged-by-someone").text
    assert "Incheon" in page and "forged-by-someone" not in page
