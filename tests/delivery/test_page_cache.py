"""The whole-page cache through the real WSGI stack, real database, real Redis where there is one."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from cangxanh.news.models import ArticleTranslation, SectionTranslation, Status

from .conftest import call, reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_article, site_identity, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(["vi", "en"], views=10)
    return article.translations.get(language="vi")


def test_a_second_view_is_served_from_the_cache_and_counted(
    front, published, buffered, django_assert_num_queries
):
    url = published.get_absolute_url()
    first = call(front, url, **reader(1))
    assert first.status == 200 and not first.hit
    assert first.views == 11
    # Cookies the page does not use (analytics, CSRF) share the same copy.
    with django_assert_num_queries(0):
        second = call(
            front, url, cookie="_ga=GA1.1.5; csrftoken=abc; cangxanh_language=en", **reader(2)
        )
    assert second.hit and second.views == 12
    # The first reader again: served, shown the total, not counted a second time.
    again = call(front, url, **reader(1))
    assert again.hit and again.views == 12
    assert second.headers["cache-control"] == "public, max-age=30, stale-while-revalidate=300"
    assert second.headers["etag"] == first.headers["etag"]
    assert "vary" not in second.headers or "cookie" not in second.headers["vary"].lower()
    assert second.headers["content-length"] == str(len(second.body))
    # Apart from the count, the cached copy is the page Django rendered.
    assert second.text.replace("12 lượt xem", "11 lượt xem") == first.text
    assert buffered.flush() == 2
    assert ArticleTranslation.objects.get(pk=published.pk).view_count == 12


def test_head_crawlers_and_prefetches_are_served_but_not_counted(front, published, buffered):
    url = published.get_absolute_url()
    call(front, url, **reader(1))
    head = call(front, url, method="HEAD", **reader(2))
    assert head.hit and head.body == b"" and int(head.headers["content-length"]) > 10_000
    bot = call(front, url, user_agent="Mozilla/5.0 (compatible; Googlebot/2.1)", **reader(3))
    assert bot.hit and bot.views == 11
    call(front, url, sec_purpose="prefetch", **reader(4))
    assert call(front, url, **reader(5)).views == 12
    assert buffered.flush() == 2


def test_a_matching_etag_gets_304_and_still_counts(front, published, buffered):
    url = published.get_absolute_url()
    etag = call(front, url, **reader(1)).headers["etag"]
    again = call(front, url, if_none_match=f'W/"other", {etag}', **reader(2))
    assert again.status == 304 and again.body == b""
    assert again.headers["etag"] == etag
    assert call(front, url, if_none_match='W/"other"', **reader(3)).status == 200
    assert buffered.flush() == 3


def test_a_page_rendered_by_django_answers_304_as_well(front, published):
    url = published.get_absolute_url()
    etag = call(front, url).headers["etag"]
    fresh = type(front)(front.app)  # another process: nothing cached yet
    assert call(fresh, url, if_none_match=etag).status == 304


def test_tracking_parameters_share_a_copy_and_print_has_its_own(front, published, buffered):
    url = published.get_absolute_url()
    call(front, url, **reader(1))
    assert call(front, url + "?utm_source=zalo&fbclid=x", **reader(2)).hit
    printed = call(front, url + "?print=1")
    assert not printed.hit
    assert call(front, url + "?print=1").hit
    assert buffered.flush() == 2  # the two plain views; paper copies are not readings


def test_staff_are_never_served_or_stored(front, published, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "c@example.test", "pw-123456")
    session = SessionStore()
    session.update(
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
    )
    session.create()
    url = published.get_absolute_url()
    call(front, url)  # cached for readers
    mine = call(front, url, cookie=f"sessionid={session.session_key}")
    assert not mine.hit
    assert mine.headers["cache-control"] == "private, no-cache"
    assert call(front, "/vi/", cookie=f"sessionid={session.session_key}").status == 200
    assert not call(front, "/vi/").hit  # what staff saw was not stored


def test_publishing_editing_and_unpublishing_retire_cached_pages(
    front, published, make_article, django_capture_on_commit_callbacks
):
    home = call(front, "/vi/")
    assert call(front, "/vi/").hit
    with django_capture_on_commit_callbacks(execute=True):
        make_article(["vi"], titles={"vi": "Cảng Lạch Huyện đón tàu mới"})
    fresh = call(front, "/vi/")
    assert not fresh.hit and "Cảng Lạch Huyện đón tàu mới" in fresh.text
    assert "Cảng Lạch Huyện đón tàu mới" not in home.text
    assert call(front, "/vi/").hit

    with django_capture_on_commit_callbacks(execute=True):
        SectionTranslation.objects.filter(language="vi").update(name="Đối ngoại")  # no signal
        name = SectionTranslation.objects.get(language="vi")
        name.save()
    assert "Đối ngoại" in call(front, "/vi/").text

    url = published.get_absolute_url()
    assert call(front, url).status == 200
    with django_capture_on_commit_callbacks(execute=True):
        published.status = Status.UNPUBLISHED
        published.save()
    assert call(front, url).status == 404


def test_a_scheduled_time_being_reached_retires_cached_pages(
    front, published, make_article, django_capture_on_commit_callbacks
):
    soon = timezone.now() + timedelta(seconds=1.5)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(["vi"], published_at=soon, titles={"vi": "Tin hẹn giờ về cảng biển"})
    assert "Tin hẹn giờ về cảng biển" not in call(front, "/vi/").text
    assert call(front, "/vi/").hit
    time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.1)
    shown = call(front, "/vi/")
    assert not shown.hit and "Tin hẹn giờ về cảng biển" in shown.text


def test_with_redis_every_process_serves_what_one_rendered(
    published, redis_backend, settings, buffered
):
    from django.core.handlers.wsgi import WSGIHandler

    from cangxanh.delivery.front import PageCache

    settings.PAGE_CACHE = True
    one, two = PageCache(WSGIHandler()), PageCache(WSGIHandler())
    url = published.get_absolute_url()
    assert not call(one, url).hit
    shown = []
    for number, app in enumerate((two, one, two, one), start=1):
        answer = call(app, url, **reader(number))
        assert answer.hit
        shown.append(answer.views)
    assert shown == [12, 13, 14, 15]  # one running total for every process
    assert buffered.flush() == 5
    assert ArticleTranslation.objects.get(pk=published.pk).view_count == 15


def test_without_redis_pages_are_rendered_and_views_kept(published, settings, buffered):
    from django.core.handlers.wsgi import WSGIHandler

    from cangxanh.core import redis as redis_link
    from cangxanh.delivery import version
    from cangxanh.delivery.front import PageCache

    settings.PAGE_CACHE = True
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    redis_link.reset()
    version.reset()
    buffered.reset()
    try:
        app = PageCache(WSGIHandler())
        url = published.get_absolute_url()
        first, second = call(app, url, **reader(1)), call(app, url, **reader(2))
        assert (first.status, second.status) == (200, 200)
        assert not second.hit and second.views == 12
        assert buffered.flush() == 2
        assert ArticleTranslation.objects.get(pk=published.pk).view_count == 12
    finally:
        buffered.reset()
        settings.REDIS_URL = ""
        redis_link.reset()
        version.reset()


def test_search_results_are_cached_per_query(front, published):
    first = call(front, "/vi/search/?q=Incheon")
    assert first.status == 200 and not first.hit
    assert call(front, "/vi/search/?q=Incheon&utm_medium=email").hit
    assert not call(front, "/vi/search/?q=Hải+Phòng").hit


@pytest.mark.parametrize("lang", ["vi", "en", "ko", "ja", "zh-hans"])
def test_a_cached_count_is_written_as_the_page_writes_it(lang):
    from django.utils import translation

    from cangxanh.core.templatetags.portal import views_label
    from cangxanh.delivery.live import views_text

    for count in (0, 1, 2, 999, 1000, 8034, 1234567):
        with translation.override(lang):
            expected = views_label(count)
        assert views_text(lang, count) == expected
