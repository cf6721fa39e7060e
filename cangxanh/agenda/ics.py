"""The leaders' calendar as iCalendar (RFC 5545), for calendar programs to subscribe to.

`calendar_ics` turns plain `IcsEvent` values into the bytes of a .ics file. It is a
pure function of its input and the time-zone setting: DTSTAMP is the engagement's
last publication, never the moment of the request, and engagements are written in
a fixed order, so the same engagements always give the same bytes. ETags, 304s, the
page cache and the backup's byte comparison rely on that.

Escaping, folding at 75 octets (never inside a UTF-8 character) and CRLF line ends
are the `icalendar` library's.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import pgettext

from cangxanh.core import languages

if TYPE_CHECKING:
    from icalendar import Event, Timezone

# icalendar (about 80 modules) is imported by the functions that write a file, not here:
# every portal process loads the calendar's views, few of them ever write a .ics.

PRODID = "-//cangxanh//Leaders' work calendar//EN"

# The years the VTIMEZONE describes (agenda.weeks allows 2000–2100): for a zone with
# daylight saving it lists each change in that span; Asia/Ho_Chi_Minh has none.
_ZONE_FIRST = date(2000, 1, 1)
_ZONE_LAST = date(2101, 1, 1)

# RFC 5545 allows no control character in TEXT but the tab; line breaks are written
# as \n by the library.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class IcsEvent:
    """One engagement as the .ics writes it: texts already in the feed's language."""

    id: int
    title: str
    location: str
    description: str  # plain text (who attends); HTML is not interpreted
    starts_at: datetime  # aware
    ends_at: datetime | None  # aware; for an all-day engagement, its local date is the last day
    all_day: bool
    cancelled: bool
    sequence: int  # how many times the published engagement changed
    last_modified: datetime  # aware: the last publication
    url: str  # absolute, or "" for none
    # The texts' language where it is not the feed's (an entry not translated yet,
    # shown from its original); "" for the feed's.
    language: str = ""


@lru_cache(maxsize=4)
def _vtimezone(zone: str) -> "Timezone":
    """The zone's VTIMEZONE, computed once per zone; the component is only read."""
    from icalendar import Timezone

    return Timezone.from_tzid(zone, first_date=_ZONE_FIRST, last_date=_ZONE_LAST)


def _aware(value: datetime, field: str) -> datetime:
    if timezone.is_naive(value):
        raise ValueError(f"IcsEvent.{field} must be an aware datetime")
    return value


def _text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def _vevent(item: IcsEvent, *, host: str, zone, bcp47: str) -> "Event":
    from icalendar import Event

    starts_at = _aware(item.starts_at, "starts_at")
    ends_at = _aware(item.ends_at, "ends_at") if item.ends_at is not None else None
    modified = _aware(item.last_modified, "last_modified")
    in_language = {"LANGUAGE": languages.get(item.language).bcp47 if item.language else bcp47}

    event = Event()
    event.add("UID", f"event-{item.id}@{host}")
    event.add("DTSTAMP", modified)
    event.add("LAST-MODIFIED", modified)
    event.add("SEQUENCE", item.sequence)
    if item.all_day:
        first = timezone.localtime(starts_at, zone).date()
        last = timezone.localtime(ends_at, zone).date() if ends_at is not None else first
        event.add("DTSTART", first)
        # DTEND of a DATE event is exclusive: the day after the last day.
        event.add("DTEND", max(first, last) + timedelta(days=1))
    else:
        event.add("DTSTART", timezone.localtime(starts_at, zone))
        # An end at or before the start is bad data: without DTEND the engagement
        # takes no time, which calendar programs accept; a wrong DTEND they refuse.
        if ends_at is not None and ends_at > starts_at:
            event.add("DTEND", timezone.localtime(ends_at, zone))
    title = _text(item.title)
    if item.cancelled:
        # Some programs ignore STATUS in a subscribed calendar: say it in the title too.
        title = pgettext("calendar event", "Cancelled: %(title)s") % {"title": title}
    event.add("SUMMARY", title, parameters=in_language)
    if item.location:
        event.add("LOCATION", _text(item.location), parameters=in_language)
    if item.description:
        event.add("DESCRIPTION", _text(item.description), parameters=in_language)
    if item.url:
        event.add("URL", item.url)
    event.add("STATUS", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event


def calendar_ics(events: Iterable[IcsEvent], *, name: str, host: str, lang: str) -> bytes:
    """The .ics file of `events`, named `name` (X-WR-CALNAME), with UIDs on `host`
    and the texts marked as being in `lang`; times in settings.TIME_ZONE."""
    from icalendar import Calendar

    zone_name = settings.TIME_ZONE
    zone = timezone.get_default_timezone()
    language = languages.get(lang)

    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", _text(name))
    calendar.add("X-WR-TIMEZONE", zone_name)
    # How often subscribers should fetch it again (RFC 7986, and Outlook's own name).
    calendar.add("REFRESH-INTERVAL", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT1H")
    calendar.add_component(_vtimezone(zone_name))
    # The order of the query that produced them must not change the bytes.
    ordered = sorted(events, key=lambda item: (_aware(item.starts_at, "starts_at"), item.id))
    with translation.override(language.code):
        for item in ordered:
            calendar.add_component(_vevent(item, host=host, zone=zone, bcp47=language.bcp47))
    return calendar.to_ical()
