import threading

import pytest
from django.test import RequestFactory

from cangxanh.news.models import ArticleTranslation
from cangxanh.stats.models import DailyViews
from cangxanh.stats.services import is_countable, view_record

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Yeti/1.1; +http://naver.me/spd)",
        "curl/8.5.0",
    ],
)
def test_crawlers_do_not_count(agent):
    request = RequestFactory().get("/", HTTP_USER_AGENT=agent)
    assert not is_countable(request)


def test_a_browser_counts_but_head_and_prefetch_do_not():
    factory = RequestFactory()
    assert is_countable(factory.get("/", HTTP_USER_AGENT=CHROME))
    assert not is_countable(factory.head("/", HTTP_USER_AGENT=CHROME))
    assert not is_countable(factory.get("/", HTTP_USER_AGENT=CHROME, HTTP_SEC_PURPOSE="prefetch"))
    assert not is_countable(factory.get("/", HTTP_USER_AGENT=CHROME, HTTP_PURPOSE="prefetch"))


@pytest.mark.django_db
def test_view_record_counts_total_and_daily_bucket(make_article):
    translation = make_article(["vi"], views=10).translations.get()
    assert view_record(translation_id=translation.pk) == 11
    assert view_record(translation_id=translation.pk) == 12
    assert DailyViews.objects.get(translation=translation).count == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_all_counted(make_article):
    translation = make_article(["vi"]).translations.get()
    errors = []

    def worker():
        from django.db import connection

        try:
            for _ in range(10):
                view_record(translation_id=translation.pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ArticleTranslation.objects.get(pk=translation.pk).view_count == 40
    assert DailyViews.objects.get(translation=translation).count == 40
