"""ISO weeks: the calendar page's `?week=` parameter, and its heading in five languages."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation

from cangxanh.agenda.weeks import Week, parse_week, week_range_label, weeks_in_year


@pytest.mark.parametrize(
    ("year", "count"),
    [(2004, 53), (2009, 53), (2015, 53), (2020, 53), (2026, 53), (2032, 53)]
    + [(2021, 52), (2024, 52), (2025, 52), (2027, 52), (2100, 52)],
)
def test_weeks_in_year(year, count):
    assert weeks_in_year(year) == count


@pytest.mark.parametrize(
    ("text", "week"),
    [
        ("2026-W49", Week(2026, 49)),
        ("2026-w49", Week(2026, 49)),
        ("2026W49", Week(2026, 49)),
        ("2026w49", Week(2026, 49)),
        ("2026-W9", Week(2026, 9)),
        ("2026-W09", Week(2026, 9)),
        (" 2026-W49 ", Week(2026, 49)),
        ("2026-W53", Week(2026, 53)),
        ("2020-W53", Week(2020, 53)),
        ("2000-W01", Week(2000, 1)),
        ("2100-W52", Week(2100, 52)),
    ],
)
def test_parse_week_accepts(text, week):
    assert parse_week(text) == week


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        " ",
        "2026",
        "W49",
        "2026-49",
        "2026-W",
        "2026-W0",
        "2026-W00",
        "2026-W54",
        "2026-W99",
        "2026-W049",
        "2026-W49-1",  # a day of the week is not a week
        "2026--W49",
        "2026-W 49",
        "2026-X49",
        "26-W49",
        "02026-W49",
        "2025-W53",  # 2025 has 52 weeks
        "2027-W53",
        "1999-W10",
        "2101-W01",
        "9999-W01",
        "0000-W01",
        "２０２６-W49",  # full-width digits: int() would read them
        "2026-W４９",
        "2026-W49\x00",
        "2026-W49' OR 1=1",
        "2026-W49" * 1000,
        ["2026-W49"],
        2026,
    ],
)
def test_parse_week_refuses(text):
    assert parse_week(text) is None


@pytest.mark.parametrize(("year", "number"), [(2025, 53), (2026, 0), (2026, 54), (0, 1)])
def test_week_refuses_a_week_that_does_not_exist(year, number):
    with pytest.raises(ValueError):
        Week(year, number)


def test_week_53_crosses_the_new_year():
    week = Week(2026, 53)
    assert week.monday == date(2026, 12, 28)
    assert week.sunday == date(2027, 1, 3)
    assert week.days == tuple(date(2026, 12, 28) + timedelta(days=n) for n in range(7))
    assert week.days[-1] == date(2027, 1, 3)
    assert week.next == Week(2027, 1)
    assert week.previous == Week(2026, 52)
    assert week.label == "2026-W53"


def test_week_1_can_start_in_the_previous_year():
    assert Week(2027, 1).monday == date(2027, 1, 4)
    assert Week(2027, 1).previous == Week(2026, 53)
    # 29 December 2025 is a Monday whose Thursday is 1 January 2026.
    assert Week(2026, 1).monday == date(2025, 12, 29)
    assert Week(2025, 52).next == Week(2026, 1)
    assert Week(2020, 53).next == Week(2021, 1)


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2025, 12, 29), Week(2026, 1)),
        (date(2026, 1, 1), Week(2026, 1)),
        (date(2027, 1, 1), Week(2026, 53)),
        (date(2027, 1, 3), Week(2026, 53)),
        (date(2027, 1, 4), Week(2027, 1)),
        (date(2021, 1, 3), Week(2020, 53)),
        (date(2026, 12, 1), Week(2026, 49)),
    ],
)
def test_week_containing(day, week):
    assert Week.containing(day) == week
    assert day in week.days


def test_label_is_zero_padded_and_parses_back():
    week = Week(2026, 9)
    assert week.label == "2026-W09"
    assert str(week) == "2026-W09"
    assert parse_week(week.label) == week


def test_weeks_are_ordered():
    assert Week(2026, 53) < Week(2027, 1) < Week(2027, 2)


def test_bounds_are_local_midnights(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    with translation.override("vi"):
        start, end = Week(2026, 53).bounds()
    assert start == datetime(2026, 12, 27, 17, tzinfo=UTC)  # 28 December 00:00 at +07
    assert end == datetime(2027, 1, 3, 17, tzinfo=UTC)
    assert end - start == timedelta(days=7)


# 2026-W50 lies in one month, W49 in two (30 November – 6 December), W53 in two years.
LABELS = {
    "en": (
        "7 – 13 December 2026",
        "30 November – 6 December 2026",
        "28 December 2026 – 3 January 2027",
    ),
    "vi": ("07/12 – 13/12/2026", "30/11 – 06/12/2026", "28/12/2026 – 03/01/2027"),
    "ko": (
        "2026년 12월 7일 – 13일",
        "2026년 11월 30일 – 12월 6일",
        "2026년 12월 28일 – 2027년 1월 3일",
    ),
    "ja": ("2026年12月7日～13日", "2026年11月30日～12月6日", "2026年12月28日～2027年1月3日"),
    "zh-hans": ("2026年12月7日～13日", "2026年11月30日～12月6日", "2026年12月28日～2027年1月3日"),
}


@pytest.mark.parametrize("lang", list(LABELS))
def test_week_range_label(lang):
    same_month, two_months, two_years = LABELS[lang]
    assert week_range_label(Week(2026, 50), lang) == same_month
    assert week_range_label(Week(2026, 49), lang) == two_months
    assert week_range_label(Week(2026, 53), lang) == two_years


def test_week_range_label_ignores_the_active_language():
    with translation.override("vi"):
        assert week_range_label(Week(2026, 49), "en") == "30 November – 6 December 2026"
    with translation.override("en"):
        assert week_range_label(Week(2026, 49), "ko") == "2026년 11월 30일 – 12월 6일"
        assert translation.get_language() == "en"


def test_week_range_label_unknown_language_uses_the_default(settings):
    settings.LANGUAGE_CODE = "vi"
    assert week_range_label(Week(2026, 49), "xx") == "30/11 – 06/12/2026"
