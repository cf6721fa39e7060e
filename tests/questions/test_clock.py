"""The 15-working-day answer clock: holidays, make-up days, the start rule, pauses, extensions."""

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from cangxanh.questions import clock
from cangxanh.questions.clock import (
    DAY_OFF,
    HOLIDAY,
    MAKE_UP,
    PAUSE,
    TIME_ZONE,
    Skipped,
    compute,
    is_working_day,
    received_date,
    working_days_between,
)


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=TIME_ZONE)


def days_in(skipped, reason=None):
    return [s.day for s in skipped if reason is None or s.reason == reason]


# A plain stretch of 2026 with no holiday: received Monday 2 March, day 1 is Tuesday 3 March,
# day 15 is Monday 23 March.
PLAIN = at(2026, 3, 2)
PLAIN_DUE = date(2026, 3, 23)


def test_plain_fifteen_working_days():
    result = compute(PLAIN, today=date(2026, 3, 2))
    assert result.received_on == date(2026, 3, 2)
    assert result.due_on == PLAIN_DUE
    assert result.total_days == 15
    assert result.skipped == ()
    assert working_days_between(result.received_on, result.due_on) == 15


# Tết Bính Ngọ: Tết Nguyên Đán is Tuesday 17 February 2026. The official break for civil servants
# was Saturday 14 to Sunday 22 February 2026 (27 Chạp to mùng 6): the Ministry of Home Affairs'
# plan, approved by the Prime Minister, as the press reported it ("Chính thức chốt phương án Tết
# Nguyên đán Bính Ngọ 2026 nghỉ 9 ngày", Công an TP.HCM): five days off by law (Labour Code 2019,
# art. 112) from Monday 16 to Friday 20, between two weekends, with no swapped day. The library
# gives those five days, so no override is needed for it.
def test_library_matches_the_official_tet_2026_break():
    for day in range(14, 23):
        assert not is_working_day(date(2026, 2, day)), day
    assert is_working_day(date(2026, 2, 13))
    assert is_working_day(date(2026, 2, 23))


def test_across_tet_2026():
    result = compute(at(2026, 2, 11), today=date(2026, 2, 11))
    # Day 1 Thursday 12, day 2 Friday 13, Tết, day 3 Monday 23 February ... day 15 Wednesday 11 March.
    assert result.due_on == date(2026, 3, 11)
    assert [(s.day, s.reason) for s in result.skipped] == [
        (date(2026, 2, day), HOLIDAY) for day in range(16, 21)
    ]
    names = {s.day: s.name for s in result.skipped}
    assert names[date(2026, 2, 16)] == "Giao thừa Tết Nguyên Đán"
    assert names[date(2026, 2, 17)] == "Tết Nguyên Đán"
    assert names[date(2026, 2, 20)] == "Mùng bốn Tết Nguyên Đán"


def test_override_wins_over_the_library():
    # An administrator marks the fourth day of Tết as worked: it counts, a day earlier.
    result = compute(at(2026, 2, 11), overrides={date(2026, 2, 20): "work"})
    assert result.due_on == date(2026, 3, 10)
    assert date(2026, 2, 20) not in days_in(result.skipped)


def test_across_2_september_2025():
    # Official 2025 break: Saturday 30 August to Tuesday 2 September; the library has 1 and 2/9.
    result = compute(at(2025, 8, 26), today=date(2025, 8, 26))
    assert result.due_on == date(2025, 9, 18)
    assert [(s.day, s.reason) for s in result.skipped] == [
        (date(2025, 9, 1), HOLIDAY),
        (date(2025, 9, 2), HOLIDAY),
    ]


def test_across_2_september_2026_with_the_librarys_swapped_day():
    # 2026: Saturday 29 August to Wednesday 2 September off; Monday 31 August was swapped with
    # Saturday 22 August, which is worked. The library knows both.
    result = compute(at(2026, 8, 20), today=date(2026, 8, 20))
    assert result.due_on == date(2026, 9, 14)
    assert [(s.day, s.reason) for s in result.skipped] == [
        (date(2026, 8, 22), MAKE_UP),
        (date(2026, 8, 31), HOLIDAY),
        (date(2026, 9, 1), HOLIDAY),
        (date(2026, 9, 2), HOLIDAY),
    ]
    # Marking that Saturday off again (an override) takes the counted day away.
    moved = compute(at(2026, 8, 20), overrides={date(2026, 8, 22): "off"})
    assert moved.due_on == date(2026, 9, 15)


def test_make_up_saturday_override_counts():
    result = compute(PLAIN, overrides={date(2026, 3, 7): "work"})
    assert result.due_on == date(2026, 3, 20)
    assert result.skipped == (Skipped(date(2026, 3, 7), MAKE_UP),)


def test_extra_day_off_override_does_not_count():
    result = compute(PLAIN, overrides={date(2026, 3, 9): "off"})
    assert result.due_on == date(2026, 3, 24)
    assert result.skipped == (Skipped(date(2026, 3, 9), DAY_OFF),)


def test_editing_the_calendar_moves_the_due_date():
    # Recomputing is calling compute again with the new table.
    assert compute(PLAIN).due_on == PLAIN_DUE
    table = {date(2026, 3, 9): "off"}
    assert compute(PLAIN, overrides=table).due_on == date(2026, 3, 24)
    table[date(2026, 3, 14)] = "work"
    assert compute(PLAIN, overrides=table).due_on == PLAIN_DUE


def test_received_friday_after_closing_counts_from_monday():
    late = compute(at(2026, 3, 6, 18, 0))
    assert late.arrived_on == date(2026, 3, 6)
    assert late.received_on == date(2026, 3, 9)
    assert late.due_on == date(2026, 3, 30)
    assert late.skipped == ()  # the weekend before receipt is not a skipped day

    before = compute(at(2026, 3, 6, 16, 59))
    assert before.received_on == date(2026, 3, 6)
    assert before.due_on == date(2026, 3, 27)
    assert received_date(at(2026, 3, 6, 17, 0)) == date(2026, 3, 9)  # closing time is after hours


def test_received_time_is_read_in_vietnam():
    # 10:30 UTC is 17:30 in Hanoi: after closing. 09:59 UTC is 16:59: before.
    assert received_date(datetime(2026, 3, 6, 10, 30, tzinfo=UTC)) == date(2026, 3, 9)
    assert received_date(datetime(2026, 3, 6, 9, 59, tzinfo=UTC)) == date(2026, 3, 6)
    # 20:00 UTC on Sunday is 03:00 on Monday in Hanoi: received that Monday.
    assert received_date(datetime(2026, 3, 8, 20, 0, tzinfo=UTC)) == date(2026, 3, 9)


def test_received_on_a_holiday():
    # 30 April and 1 May 2026 (Thursday, Friday), then a weekend: received Monday 4 May.
    result = compute(at(2026, 4, 30))
    assert result.arrived_on == date(2026, 4, 30)
    assert result.received_on == date(2026, 5, 4)
    assert result.due_on == date(2026, 5, 25)


def test_received_on_a_make_up_saturday():
    assert received_date(at(2026, 3, 7), {date(2026, 3, 7): "work"}) == date(2026, 3, 7)
    assert received_date(at(2026, 3, 7)) == date(2026, 3, 9)


def test_pause_of_three_working_days_moves_the_due_date_by_three():
    # Paused Wednesday 11 March, clarification in on Monday 16: 11, 12, 13 do not count.
    result = compute(PLAIN, pauses=[(date(2026, 3, 11), date(2026, 3, 16))])
    assert result.due_on == date(2026, 3, 26)
    assert working_days_between(PLAIN_DUE, result.due_on) == 3
    assert [(s.day, s.reason) for s in result.skipped] == [
        (date(2026, 3, day), PAUSE) for day in (11, 12, 13)
    ]


def test_open_pause_stops_the_clock():
    result = compute(PLAIN, pauses=[(date(2026, 3, 11), None)], today=date(2026, 3, 16))
    assert result.state == "paused"
    assert result.due_on is None
    assert result.working_days_used == 6  # 3 to 6 and 9, 10 March
    assert result.working_days_left == 9
    assert days_in(result.skipped, PAUSE) == [date(2026, 3, d) for d in (11, 12, 13, 16)]

    resumed = compute(
        PLAIN, pauses=[(date(2026, 3, 11), date(2026, 3, 17))], today=date(2026, 3, 17)
    )
    assert resumed.due_on == date(2026, 3, 27)  # four working days paused
    assert resumed.state == "on_time"


def test_pause_opened_after_the_deadline_does_not_hide_it():
    result = compute(PLAIN, pauses=[(date(2026, 3, 25), None)], today=date(2026, 3, 30))
    assert result.due_on == PLAIN_DUE
    assert result.state == "overdue"
    assert result.days_overdue == 5


def test_pauses_are_checked():
    with pytest.raises(ValueError, match="before it began"):
        compute(PLAIN, pauses=[(date(2026, 3, 11), date(2026, 3, 10))])
    with pytest.raises(ValueError, match="latest pause"):
        compute(PLAIN, pauses=[(date(2026, 3, 4), None), (date(2026, 3, 11), date(2026, 3, 12))])


def test_extensions_add_working_days():
    one = compute(PLAIN, extensions=[10])
    assert one.total_days == 25
    assert one.due_on == date(2026, 4, 6)
    assert working_days_between(PLAIN_DUE, one.due_on) == 10
    two = compute(PLAIN, extensions=[10, 5])
    assert two.due_on == date(2026, 4, 13)
    # Pauses and extensions together: both events apply, neither resets the clock.
    both = compute(PLAIN, pauses=[(date(2026, 3, 11), date(2026, 3, 16))], extensions=[10])
    assert working_days_between(PLAIN_DUE, both.due_on) == 13


@pytest.mark.parametrize(
    ("today", "used", "left", "state", "overdue"),
    [
        (date(2026, 3, 1), 0, 15, "on_time", 0),  # before it arrived
        (date(2026, 3, 2), 0, 15, "on_time", 0),
        (date(2026, 3, 17), 11, 4, "on_time", 0),
        (date(2026, 3, 18), 12, 3, "near_due", 0),
        (date(2026, 3, 21), 14, 1, "near_due", 0),  # a Saturday
        (date(2026, 3, 23), 15, 0, "near_due", 0),  # the due date itself is still on time
        (date(2026, 3, 24), 15, 0, "overdue", 1),
        (date(2026, 3, 30), 15, 0, "overdue", 5),
        # 27 April 2026 is Hùng Kings' day moved off the Sunday: not an overdue working day.
        (date(2026, 4, 28), 15, 0, "overdue", 25),
    ],
)
def test_states_as_of_today(today, used, left, state, overdue):
    result = compute(PLAIN, today=today)
    assert result.due_on == PLAIN_DUE
    assert (result.working_days_used, result.working_days_left) == (used, left)
    assert result.state == state
    assert result.days_overdue == overdue


def test_skipped_lists_weekdays_only_with_their_names():
    # Hùng Kings' day 2026 is Sunday 26 April, off on Monday 27; then 30 April and 1 May.
    result = compute(at(2026, 4, 20), today=date(2026, 4, 20))
    assert result.due_on == date(2026, 5, 14)
    assert [(s.day, s.reason) for s in result.skipped] == [
        (date(2026, 4, 27), HOLIDAY),
        (date(2026, 4, 30), HOLIDAY),
        (date(2026, 5, 1), HOLIDAY),
    ]
    assert result.skipped[0].name == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    with translation.override("en"):
        assert str(result.skipped[0].label) == "public holiday"
        assert str(Skipped(date(2026, 3, 11), PAUSE).label).startswith("paused")
        assert str(result.state_label) == "On time"


def test_a_long_count_crosses_into_the_next_years_tet():
    result = compute(at(2026, 12, 1), days=60)
    tet_2027 = days_in(result.skipped, HOLIDAY)
    # Tết Đinh Mùi: 29 Tết to the fifth day, Thursday 4 to Wednesday 10 February 2027, weekdays.
    for day in (4, 5, 8, 9, 10):
        assert date(2027, 2, day) in tet_2027
    assert date(2027, 1, 1) in tet_2027
    assert working_days_between(result.received_on, result.due_on) == 60


def test_working_days_between():
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert working_days_between(date(2026, 2, 23), date(2026, 2, 13)) == 0
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9), {date(2026, 3, 7): "work"}) == 2


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="aware"):
        compute(datetime(2026, 3, 2, 10, 0))  # noqa: DTZ001 (the naive time under test)
    with pytest.raises(ValueError, match="'off' or 'work'"):
        compute(PLAIN, overrides={date(2026, 3, 9): "holiday"})
    with pytest.raises(ValueError, match="'off' or 'work'"):
        is_working_day(date(2026, 3, 9), {date(2026, 3, 9): "closed"})
    with pytest.raises(ValueError, match="at least 1"):
        compute(PLAIN, days=0)
    with pytest.raises(ValueError, match="at least one"):
        compute(PLAIN, extensions=[0])


def test_library_is_read_once_per_year():
    clock._library_year.cache_clear()
    compute(PLAIN)
    compute(at(2026, 6, 1))
    info = clock._library_year.cache_info()
    assert info.misses == 1
    assert info.hits > 0
