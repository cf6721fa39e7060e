"""ISO 8601 weeks: the calendar page's address (`?week=2026-W49`) and its heading.

A week runs Monday to Sunday and belongs to the year that holds its Thursday, so
29 December 2025 is in 2026-W01 and 3 January 2027 in 2026-W53. A year has 53
weeks when it starts on a Thursday, or on a Wednesday in a leap year (2020, 2026,
2032…); every other year has 52.
"""

import re
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta

from django.utils import dateformat, timezone, translation

from cangxanh.core import languages

# The years the page answers for: far enough for any real engagement, and a bound
# that keeps a crafted address from asking for year 9999.
MIN_YEAR = 2000
MAX_YEAR = 2100

# 2026-W49, 2026-w49, 2026W49, 2026-W9. ASCII digits only: `\d` would take "２０２６".
_WEEK = re.compile(r"([0-9]{4})-?[Ww]([0-9]{1,2})")


def weeks_in_year(year: int) -> int:
    """52 or 53: 28 December is always in the year's last week."""
    return date(year, 12, 28).isocalendar().week


@dataclass(frozen=True, order=True)
class Week:
    year: int  # the ISO year, which differs from the calendar year around 1 January
    number: int

    def __post_init__(self):
        # The last full ISO year that date() can hold on either side.
        if not MINYEAR < self.year < MAXYEAR:
            raise ValueError(f"ISO year out of range: {self.year}")
        if not 1 <= self.number <= weeks_in_year(self.year):
            raise ValueError(f"{self.year} has no week {self.number}")

    @classmethod
    def containing(cls, day: date) -> "Week":
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def days(self) -> tuple[date, ...]:
        monday = self.monday
        return tuple(monday + timedelta(days=offset) for offset in range(7))

    @property
    def previous(self) -> "Week":
        return Week.containing(self.monday - timedelta(days=7))

    @property
    def next(self) -> "Week":
        return Week.containing(self.monday + timedelta(days=7))

    @property
    def label(self) -> str:
        """The canonical address form: 2026-W09."""
        return f"{self.year:04d}-W{self.number:02d}"

    def __str__(self) -> str:
        return self.label

    def bounds(self) -> tuple[datetime, datetime]:
        """Monday 00:00 to the next Monday 00:00 in the current time zone (half-open),
        for selecting the engagements that start within the week."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.monday, time.min, tzinfo=zone),
            datetime.combine(self.next.monday, time.min, tzinfo=zone),
        )


def parse_week(text: str | None) -> Week | None:
    """The week a query parameter names, or None for anything else: junk, week 0,
    week 53 of a 52-week year, a year outside MIN_YEAR–MAX_YEAR."""
    if not isinstance(text, str):
        return None
    match = _WEEK.fullmatch(text.strip())
    if match is None:
        return None
    year, number = int(match[1]), int(match[2])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return Week(year, number)
    except ValueError:
        return None


# How each language writes a week's first and last day, in Django's date-format
# letters (the full dates follow core.languages' date_format): the shared month and
# year are written once. Keys are "same month", "same year"; a week across a new
# year writes both dates in full.
_SEPARATOR = {"ja": "～", "zh-hans": "～"}
_RANGE_FORMATS = {
    "vi": {"month": ("d/m", "d/m/Y"), "year": ("d/m", "d/m/Y")},
    "en": {"month": ("j", "j F Y"), "year": ("j F", "j F Y")},
    "ko": {"month": ("Y년 n월 j일", "j일"), "year": ("Y년 n월 j일", "n월 j일")},
    "ja": {"month": ("Y年n月j日", "j日"), "year": ("Y年n月j日", "n月j日")},
    "zh-hans": {"month": ("Y年n月j日", "j日"), "year": ("Y年n月j日", "n月j日")},
}


def week_range_label(week: Week, lang: str) -> str:
    """The week's dates as a heading: "1 – 7 December 2026", "01/12 – 07/12/2026",
    "2026년 12월 1일 – 7일", "2026年12月1日～7日"; an unknown language gets the
    default language's form."""
    language = languages.get(lang)
    first, last = week.monday, week.sunday
    if first.year != last.year:
        start_format = end_format = language.date_format
    else:
        key = "month" if first.month == last.month else "year"
        start_format, end_format = _RANGE_FORMATS[language.code][key]
    separator = _SEPARATOR.get(language.code, " – ")
    # Month names (English "December") come from Django's catalogue in that language.
    with translation.override(language.code):
        return (
            dateformat.format(first, start_format) + separator + dateformat.format(last, end_format)
        )
