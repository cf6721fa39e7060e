"""The answer clock of a question: 15 working days, counted the Vietnamese way.

Pure functions over dates; nothing here reads the database. The caller passes the
administrator's calendar table as `overrides` and the pause and extension events from the
audit log, so recomputing a deadline after any of them changes is one more call to
`compute` (deadlines are never stored as truth, unlike Alaveteli's).

**Working days.** Monday to Friday, minus Vietnam's public holidays from the `holidays`
library (`holidays.VN`, version pinned in pyproject.toml: New Year, Tết on the lunar
calendar from its eve to the fourth day with the days moved off a weekend, Hùng Kings' day,
30/4, 1/5, 2/9 and its adjacent day since 2021, 24/11 since 2026, the days moved off a
weekend, and the government's swapped days it knows of, whose make-up Saturdays it also
lists), then the caller's `overrides`: `"off"` for an extra day off the government declares
(a bridge day), `"work"` for a make-up working day (ngày làm bù). An override always wins
over the library and over the day of the week.

**When the clock starts** (open question A of docs/plans/issue-12.md). Vietnamese rules give
such deadlines as "N ngày làm việc kể từ ngày nhận được" (N working days from the day of
receipt), and the Civil Code (Bộ luật Dân sự 91/2015/QH13, art. 147(3)) says that a period
that starts with an event does not count the day of the event: it runs from the next day.
So:

- a question that arrives on a working day before the office closes (`OFFICE_CLOSE`, 17:00
  in Asia/Ho_Chi_Minh) is received that day, and day 1 is the next working day;
- one that arrives at or after closing time, or on a day off, is received on the next
  working day (nobody can read it earlier), and day 1 is the working day after that.

The due date is the last counted working day; the answer is on time until that day ends
(art. 148: a period in days ends at the end of its last day). A question received on
Monday 16 March 2026 at 10:00 is due on Monday 6 April 2026.

**Pauses and extensions** are events, never a reset. A pause (waiting for the asker's
clarification) runs from `paused_on` to the day before `resumed_on`: the working days it
covers do not count, and the day the clarification arrives counts again. A pause still open
stops the clock (no due date, state "paused"), unless it began after the clock had already
run out: a late pause cannot take an overdue question back. An extension adds working days
to the total.

`Clock.skipped` lists every weekday between receipt and the due date that did not count,
with the reason, and the weekend make-up days that did, so the tracking page can show them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE_CLOSE = time(17, 0)  # arrivals at or after this local time are received next working day
ANSWER_DAYS = 15
NEAR_DUE_DAYS = 3  # "near due" with this many working days left, or fewer

Override = Literal["off", "work"]
OVERRIDE_VALUES = ("off", "work")
State = Literal["on_time", "near_due", "overdue", "paused"]

# Why a day is in Clock.skipped.
HOLIDAY = "holiday"  # a public holiday from the library (its name in Skipped.name)
DAY_OFF = "day_off"  # an "off" override: an extra day off
PAUSE = "pause"  # a working day inside a pause
MAKE_UP = "make_up"  # a weekend day that is a working day, and counted

REASON_LABELS = {
    HOLIDAY: _("public holiday"),
    DAY_OFF: _("extra day off"),
    PAUSE: _("paused: waiting for the asker's clarification"),
    MAKE_UP: _("make-up working day"),
}
STATE_LABELS = {
    "on_time": pgettext_lazy("question deadline", "On time"),
    "near_due": pgettext_lazy("question deadline", "Due soon"),
    "overdue": pgettext_lazy("question deadline", "Overdue"),
    "paused": pgettext_lazy("question deadline", "Paused"),
}

_NO_OVERRIDES: Mapping[date, str] = MappingProxyType({})
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Skipped:
    day: date
    reason: str  # HOLIDAY, DAY_OFF, PAUSE or MAKE_UP
    name: str = ""  # the holiday's Vietnamese name from the library, for HOLIDAY

    @property
    def label(self):
        return REASON_LABELS[self.reason]


@dataclass(frozen=True)
class Pause:
    paused_on: date
    resumed_on: date | None = None  # None: still waiting for the asker

    def covers(self, day: date) -> bool:
        return self.paused_on <= day and (self.resumed_on is None or day < self.resumed_on)


@dataclass(frozen=True)
class Clock:
    arrived_on: date  # the local calendar day the question arrived
    received_on: date  # the day it counts as received (day 0)
    due_on: date | None  # the last working day to answer; None while paused
    total_days: int  # working days allowed, extensions included
    working_days_used: int  # counted days up to and including `today`
    working_days_left: int
    days_overdue: int  # working days after due_on up to `today`
    state: State
    skipped: tuple[Skipped, ...]

    @property
    def state_label(self):
        return STATE_LABELS[self.state]


@functools.lru_cache(maxsize=64)
def _library_year(year: int) -> tuple[Mapping[date, str], frozenset[date]]:
    """The library's holidays of one year, and the weekend days it says are worked."""
    import holidays  # here: about 2 MiB a process, needed only by the questions' clock

    found = holidays.country_holidays("VN", years=year, language="vi")
    days = MappingProxyType({day: name for day, name in found.items() if day.year == year})
    workdays = frozenset(day for day in found.weekend_workdays if day.year == year)
    return days, workdays


def _check_overrides(overrides: Mapping[date, str]) -> None:
    for day, mark in overrides.items():
        if mark not in OVERRIDE_VALUES:
            raise ValueError(f"Override for {day} must be 'off' or 'work', not {mark!r}.")


def _classify(day: date, overrides: Mapping[date, str]) -> tuple[bool, str, str]:
    """(is it a working day, the reason to list it or "", the holiday's name or "")."""
    weekend = day.weekday() >= 5
    mark = overrides.get(day)
    if mark is not None:
        if mark == "work":
            return True, MAKE_UP if weekend else "", ""
        if mark == "off":
            return False, DAY_OFF, ""
        raise ValueError(f"Override for {day} must be 'off' or 'work', not {mark!r}.")
    names, workdays = _library_year(day.year)
    if weekend:
        return (True, MAKE_UP, "") if day in workdays else (False, "", "")
    if name := names.get(day):
        return False, HOLIDAY, name
    return True, "", ""


def is_working_day(day: date, overrides: Mapping[date, str] = _NO_OVERRIDES) -> bool:
    return _classify(day, overrides)[0]


def next_working_day(day: date, overrides: Mapping[date, str] = _NO_OVERRIDES) -> date:
    """The first working day after `day`."""
    day += _ONE_DAY
    while not _classify(day, overrides)[0]:
        day += _ONE_DAY
    return day


def working_days_between(a: date, b: date, overrides: Mapping[date, str] = _NO_OVERRIDES) -> int:
    """How many working days d with a < d <= b (0 when b <= a): "n working days overdue"."""
    _check_overrides(overrides)
    count = 0
    day = a + _ONE_DAY
    while day <= b:
        count += _classify(day, overrides)[0]
        day += _ONE_DAY
    return count


def received_date(received_at: datetime, overrides: Mapping[date, str] = _NO_OVERRIDES) -> date:
    """The day a question counts as received, under the start rule in the module docstring."""
    if not isinstance(received_at, datetime) or received_at.utcoffset() is None:
        raise ValueError("received_at must be an aware datetime.")
    local = received_at.astimezone(TIME_ZONE)
    day = local.date()
    if local.time() < OFFICE_CLOSE and is_working_day(day, overrides):
        return day
    return next_working_day(day, overrides)


def _check_pauses(pauses: Iterable[Pause | tuple[date, date | None]]) -> list[Pause]:
    checked = sorted(
        (p if isinstance(p, Pause) else Pause(*p) for p in pauses), key=lambda p: p.paused_on
    )
    for index, pause in enumerate(checked):
        if pause.resumed_on is not None and pause.resumed_on < pause.paused_on:
            raise ValueError(f"A pause cannot resume ({pause.resumed_on}) before it began.")
        if pause.resumed_on is None and index != len(checked) - 1:
            raise ValueError("Only the latest pause may still be open.")
    return checked


def compute(
    received_at: datetime,
    *,
    days: int = ANSWER_DAYS,
    overrides: Mapping[date, str] = _NO_OVERRIDES,
    pauses: Iterable[Pause | tuple[date, date | None]] = (),
    extensions: Iterable[int] = (),
    today: date | None = None,
) -> Clock:
    """The clock of a question received at `received_at`, as it stands on `today`.

    `overrides` maps dates to "off" or "work"; `pauses` are (paused_on, resumed_on or None)
    pairs; `extensions` are the extra working days of each extension event. `today` defaults
    to the current date in Asia/Ho_Chi_Minh.
    """
    if days < 1:
        raise ValueError("days must be at least 1.")
    extensions = list(extensions)
    if any(extra < 1 for extra in extensions):
        raise ValueError("An extension adds at least one working day.")
    _check_overrides(overrides)
    checked = _check_pauses(pauses)
    open_from = checked[-1].paused_on if checked and checked[-1].resumed_on is None else None
    closed = [p for p in checked if p.resumed_on is not None]
    if today is None:
        today = datetime.now(TIME_ZONE).date()

    received_on = received_date(received_at, overrides)
    arrived_on = received_at.astimezone(TIME_ZONE).date()
    total = days + sum(extensions)
    skipped: list[Skipped] = []
    counted = used = 0
    due_on: date | None = None
    day = received_on
    while counted < total:
        day += _ONE_DAY
        working, reason, name = _classify(day, overrides)
        if open_from is not None and day >= open_from:
            # The clock stands still from here on; list the days it has stood still so far.
            while day <= today:
                if working:
                    skipped.append(Skipped(day, PAUSE))
                elif reason:
                    skipped.append(Skipped(day, reason, name))
                day += _ONE_DAY
                working, reason, name = _classify(day, overrides)
            break
        if not working:
            if reason:
                skipped.append(Skipped(day, reason, name))
            continue
        if any(pause.covers(day) for pause in closed):
            skipped.append(Skipped(day, PAUSE))
            continue
        counted += 1
        used += day <= today
        if reason == MAKE_UP:
            skipped.append(Skipped(day, MAKE_UP))
    else:
        due_on = day

    days_overdue = 0
    if due_on is None:
        state: State = "paused"
    elif today > due_on:
        state = "overdue"
        days_overdue = working_days_between(due_on, today, overrides)
    elif total - used <= NEAR_DUE_DAYS:
        state = "near_due"
    else:
        state = "on_time"
    return Clock(
        arrived_on=arrived_on,
        received_on=received_on,
        due_on=due_on,
        total_days=total,
        working_days_used=used,
        working_days_left=total - used,
        days_overdue=days_overdue,
        state=state,
        skipped=tuple(skipped),
    )
