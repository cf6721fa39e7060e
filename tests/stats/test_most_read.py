"""Most read today, this week and this month, per language (stats.queries) and on the home page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cangxanh.news.models import ArticleTranslation, Status
from cangxanh.stats.models import DailyViews
from cangxanh.stats.queries import MIN_ITEMS, most_read, most_read_periods

pytestmark = pytest.mark.django_db

LANGS = ["vi", "en", "ko", "ja", "zh-hans"]


def reads(translation: ArticleTranslation, **days_ago: int) -> None:
    """Daily buckets for a translation: reads(t, d0=5, d3=20) = 5 today, 20 three days ago."""
    today = timezone.localdate()
    for key, count in days_ago.items():
        DailyViews.objects.create(
            translation=translation, day=today - timedelta(days=int(key[1:])), count=count
        )


@pytest.fixture
def story(make_article):
    """A published article in one or more languages, with its own title; returns its translations."""
    made = 0

    def make(langs=("vi",), **kwargs):
        nonlocal made
        made += 1
        titles = {lang: f"Bài {made} {lang}" for lang in LANGS}
        article = make_article(list(langs), titles=titles, **kwargs)
        return {t.language: t for t in article.translations.all()}

    return make


def titles(readings):
    return [(r.translation.title, r.views) for r in readings]


def test_each_period_sums_its_own_local_days(story):
    today_only = story()["vi"]
    reads(today_only, d0=5)
    this_week = story()["vi"]
    reads(this_week, d3=20, d6=1)
    this_month = story()["vi"]
    reads(this_month, d10=50, d29=4)
    too_old = story()["vi"]
    reads(too_old, d30=1000, d45=1000)

    assert titles(most_read("vi", "today")) == [(today_only.title, 5)]
    assert titles(most_read("vi", "week")) == [(this_week.title, 21), (today_only.title, 5)]
    assert titles(most_read("vi", "month")) == [
        (this_month.title, 54),
        (this_week.title, 21),
        (today_only.title, 5),
    ]


def test_the_limit_and_the_order_by_views(story):
    rows = [story()["vi"] for _ in range(4)]
    for count, row in zip([3, 9, 1, 7], rows, strict=True):
        reads(row, d0=count)
    assert [r.views for r in most_read("vi", "today", limit=3)] == [9, 7, 3]


def test_languages_are_counted_apart(story):
    both = story(("vi", "en"))
    reads(both["vi"], d0=100)
    reads(both["en"], d0=2)
    en_only = story(("en",))["en"]
    reads(en_only, d0=10)

    assert titles(most_read("vi", "today")) == [(both["vi"].title, 100)]
    assert titles(most_read("en", "today")) == [(en_only.title, 10), (both["en"].title, 2)]
    assert most_read("ko", "today") == []


def test_only_what_readers_can_see_now_is_listed(story):
    public = story()["vi"]
    reads(public, d0=1)
    draft = story(status=Status.DRAFT)["vi"]
    scheduled = story(published_at=timezone.now() + timedelta(days=1))["vi"]
    withdrawn = story()["vi"]
    ArticleTranslation.objects.filter(pk=withdrawn.pk).update(status=Status.UNPUBLISHED)
    for hidden in (draft, scheduled, withdrawn):
        reads(hidden, d0=500)

    for period in ("today", "week", "month"):
        assert titles(most_read("vi", period)) == [(public.title, 1)]


def test_ties_go_to_the_newer_article(story):
    now = timezone.now()
    older = story(published_at=now - timedelta(days=3))["vi"]
    newer = story(published_at=now - timedelta(hours=1))["vi"]
    oldest = story(published_at=now - timedelta(days=9))["vi"]
    for row in (older, newer, oldest):
        reads(row, d1=8)
    assert [r.translation.pk for r in most_read("vi", "week")] == [newer.pk, older.pk, oldest.pk]


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="unknown period"):
        most_read("vi", "year")


@pytest.mark.parametrize(("articles", "limit"), [(3, 2), (12, 10)])
def test_a_fixed_number_of_queries(story, django_assert_num_queries, articles, limit):
    for n in range(articles):
        row = story(("vi", "en"))
        reads(row["vi"], d0=n + 1, d4=2, d20=3)
    # One ranking per period, one fetch of the ranked rows, one of their section names.
    with django_assert_num_queries(5):
        periods = most_read_periods("vi", limit=limit)
        for period in periods:
            for reading in period.readings:
                reading.translation.get_absolute_url()
    assert [len(p.readings) for p in periods] == [min(articles, limit)] * 3
    with django_assert_num_queries(3):
        for reading in most_read("vi", "month", limit=limit):
            reading.translation.get_absolute_url()


def test_the_home_page_opens_on_the_first_period_with_enough_readings(story):
    quiet = story()["vi"]
    reads(quiet, d0=1)
    week = [story()["vi"] for _ in range(MIN_ITEMS)]
    for row in week:
        reads(row, d2=10)

    periods = {p.key: p for p in most_read_periods("vi")}
    assert len(periods["today"].readings) < MIN_ITEMS
    assert [p.key for p in periods.values() if p.selected] == ["week"]

    reads(week[0], d0=3)
    reads(week[1], d0=2)
    periods = {p.key: p for p in most_read_periods("vi")}
    assert [p.key for p in periods.values() if p.selected] == ["today"]


def test_nothing_read_means_no_block(story):
    story()
    assert most_read_periods("vi") == []


def panel(html: str, key: str) -> str:
    match = re.search(
        rf'<section class="most-read__panel" id="most-read-{key}".*?</section>', html, re.S
    )
    assert match, f"no {key} panel"
    return match.group(0)


def test_home_shows_three_lists_with_their_periods_views(client, site_identity, story):
    # The all-time favourite has no readings this month: it is not in the block.
    classic = story(views=999_999)["vi"]
    reads(classic, d40=5000)
    recent = story()["vi"]
    reads(recent, d2=1234)
    month = story()["vi"]
    reads(month, d12=40)
    story()  # read by nobody
    for _ in range(5):
        story()  # newer, read by nobody: the lead and the top stories, left out of most read

    html = client.get("/vi/").content.decode()
    assert 'class="most-read"' in html and "data-tabs" in html
    today, week, month_html = panel(html, "today"), panel(html, "week"), panel(html, "month")

    # Nothing read today: the panel says so, and the page opens on the month (the first
    # period with MIN_ITEMS articles is none, so the longest one that has any).
    assert "most-read__empty" in today and "<ol>" not in today
    assert recent.title in week and "1.234 lượt xem" in week
    assert month.title not in week
    assert month.title in month_html and "40 lượt xem" in month_html
    assert month_html.index(recent.title) < month_html.index(month.title)
    assert "data-selected" in month_html and "data-selected" not in week + today
    assert classic.title not in html.split('class="most-read"')[1]
    # Each list is a real link to the article, under a heading naming its period.
    assert f'href="{recent.get_absolute_url()}"' in week
    assert "data-tab-label" in today and 'id="most-read-today-title"' in today


def test_home_without_readings_has_no_most_read_block(client, site_identity, story):
    story(views=50)
    html = client.get("/vi/").content.decode()
    assert "most-read" not in html


def test_the_demo_has_thirty_days_of_readings_in_every_language():
    from cangxanh.demo.loader import load_demo

    first = load_demo()
    assert first.created["daily views"] > 1000
    today = timezone.localdate()
    assert not DailyViews.objects.filter(day__lt=today - timedelta(days=29)).exists()
    assert not DailyViews.objects.exclude(
        translation__in=ArticleTranslation.objects.published()
    ).exists()
    for lang in LANGS:
        periods = {p.key: p for p in most_read_periods(lang)}
        assert all(len(periods[key].readings) == 5 for key in ("today", "week", "month")), lang
    # Consistent with the totals: a month is a share of a translation's views, never more.
    for row in ArticleTranslation.objects.published().filter(language="vi")[:10]:
        month = sum(row.daily_views.values_list("count", flat=True))
        assert month <= row.view_count
    assert load_demo().created == {}
