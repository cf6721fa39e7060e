"""The .ics writer, read back with the icalendar library as a calendar program would."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import pgettext
from icalendar import Calendar

from cangxanh.agenda import ics as ics_module
from cangxanh.agenda.ics import IcsEvent, calendar_ics

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
HOST = "songoaivu.example.vn"
PUBLISHED = datetime(2026, 11, 20, 9, 15, 42, 123456, tzinfo=HCM)


def event(id=1, **changes) -> IcsEvent:
    values = {
        "id": id,
        "title": "Tiếp Đại sứ Nhật Bản",
        "location": "Phòng họp số 1, 59 Lý Tự Trọng",
        "description": "Chủ tịch UBND thành phố; Giám đốc Sở Ngoại vụ",
        "starts_at": datetime(2026, 12, 1, 8, 30, tzinfo=HCM),
        "ends_at": datetime(2026, 12, 1, 10, 0, tzinfo=HCM),
        "all_day": False,
        "cancelled": False,
        "sequence": 0,
        "last_modified": PUBLISHED,
        "url": f"https://{HOST}/vi/calendar/?week=2026-W49",
    }
    values.update(changes)
    return IcsEvent(**values)


def ics(events, lang="vi", name="Lịch công tác của lãnh đạo") -> bytes:
    return calendar_ics(events, name=name, host=HOST, lang=lang)


def parse(raw: bytes) -> Calendar:
    return Calendar.from_ical(raw)


@pytest.fixture(autouse=True)
def _saigon(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"


def test_calendar_header():
    calendar = parse(ics([event()]))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//")
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Lịch công tác của lãnh đạo"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"


def test_vtimezone_is_utc_plus_7_without_daylight_saving():
    calendar = parse(ics([event()]))
    [zone] = calendar.timezones
    assert str(zone["TZID"]) == "Asia/Ho_Chi_Minh"
    assert zone.daylight == []
    [standard] = zone.standard
    assert standard["TZOFFSETTO"].td == timedelta(hours=7)
    assert standard["TZOFFSETFROM"].td == timedelta(hours=7)


def test_counts_events_and_writes_times_in_the_local_zone():
    raw = ics(
        [event(1), event(2, starts_at=datetime(2026, 12, 2, 1, 30, tzinfo=UTC), ends_at=None)]
    )
    calendar = parse(raw)
    assert len(calendar.events) == 2
    first, second = calendar.events
    assert first["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert first["DTEND"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert first["DTSTART"].dt == datetime(2026, 12, 1, 8, 30, tzinfo=HCM)
    assert first["DTEND"].dt == datetime(2026, 12, 1, 10, 0, tzinfo=HCM)
    # Given in UTC, written as local time (08:30 at +07) with its zone.
    assert b"DTSTART;TZID=Asia/Ho_Chi_Minh:20261202T083000\r\n" in raw
    assert second["DTSTART"].dt == datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
    assert "DTEND" not in second


def test_empty_calendar_is_valid():
    calendar = parse(ics([]))
    assert calendar.events == []
    assert len(calendar.timezones) == 1


def test_uid_is_stable_and_names_the_host():
    before = parse(ics([event(7)])).events[0]
    changed = event(
        7, title="Tiếp Tổng Lãnh sự", sequence=3, last_modified=PUBLISHED + timedelta(1)
    )
    after = parse(ics([changed], lang="en")).events[0]
    assert str(before["UID"]) == str(after["UID"]) == f"event-7@{HOST}"
    assert after["SEQUENCE"] == 3


def test_dtstamp_is_the_last_publication_not_now():
    raw = ics([event()])
    parsed = parse(raw).events[0]
    expected = datetime(2026, 11, 20, 2, 15, 42, tzinfo=UTC)  # 09:15:42 at +07, seconds kept
    assert parsed["DTSTAMP"].dt == expected
    assert parsed["LAST-MODIFIED"].dt == expected
    assert b"DTSTAMP:20261120T021542Z\r\n" in raw
    assert b"LAST-MODIFIED:20261120T021542Z\r\n" in raw


def test_same_input_same_bytes():
    events = [event(1), event(2, all_day=True), event(3, cancelled=True, sequence=2)]
    first = ics(events)
    assert ics(events) == first
    # Neither the order of the query nor the language of the request changes the bytes.
    assert ics(list(reversed(events))) == first
    with translation.override("ja"):
        assert ics(events) == first


def test_events_are_written_in_time_order():
    late = event(1, starts_at=datetime(2026, 12, 3, 8, tzinfo=HCM), ends_at=None)
    early = event(2, starts_at=datetime(2026, 12, 1, 8, tzinfo=HCM), ends_at=None)
    uids = [str(item["UID"]) for item in parse(ics([late, early])).events]
    assert uids == [f"event-2@{HOST}", f"event-1@{HOST}"]


def test_cancelled_event():
    calendar = parse(ics([event(1), event(2, cancelled=True, sequence=2)], lang="en"))
    confirmed, cancelled = calendar.events
    assert str(confirmed["STATUS"]) == "CONFIRMED"
    assert str(confirmed["SUMMARY"]) == "Tiếp Đại sứ Nhật Bản"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] == 2
    with translation.override("en"):
        expected = pgettext("calendar event", "Cancelled: %(title)s")
    assert str(cancelled["SUMMARY"]) == expected % {"title": "Tiếp Đại sứ Nhật Bản"}


def test_cancelled_title_is_in_the_feeds_language(monkeypatch):
    # Whatever the catalogues hold, the words are looked up in `lang`, not the request's.
    monkeypatch.setattr(
        ics_module, "pgettext", lambda context, text: f"[{translation.get_language()}] %(title)s"
    )
    with translation.override("en"):
        raw = ics([event(cancelled=True)], lang="ja")
    assert str(parse(raw).events[0]["SUMMARY"]) == "[ja] Tiếp Đại sứ Nhật Bản"
    assert translation.get_language() != "ja"


def test_all_day_event_of_one_day():
    raw = ics([event(all_day=True, ends_at=None)])
    parsed = parse(raw).events[0]
    assert parsed["DTSTART"].dt == date(2026, 12, 1)
    assert parsed["DTEND"].dt == date(2026, 12, 2)  # exclusive: the next day
    assert b"DTSTART;VALUE=DATE:20261201\r\n" in raw
    assert b"DTEND;VALUE=DATE:20261202\r\n" in raw


def test_all_day_event_over_several_days_includes_the_last_day():
    parsed = parse(
        ics([event(all_day=True, ends_at=datetime(2026, 12, 3, 17, 0, tzinfo=HCM))])
    ).events[0]
    assert (parsed["DTSTART"].dt, parsed["DTEND"].dt) == (date(2026, 12, 1), date(2026, 12, 4))


def test_all_day_dates_are_local_dates():
    # 18:00 UTC on 1 December is 01:00 on 2 December in Hanoi.
    starts_at = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    parsed = parse(ics([event(all_day=True, starts_at=starts_at, ends_at=starts_at)])).events[0]
    assert (parsed["DTSTART"].dt, parsed["DTEND"].dt) == (date(2026, 12, 2), date(2026, 12, 3))


def test_an_end_before_the_start_is_left_out():
    starts_at = datetime(2026, 12, 1, 8, 30, tzinfo=HCM)
    timed = event(1, starts_at=starts_at, ends_at=starts_at - timedelta(hours=1))
    same = event(2, starts_at=starts_at + timedelta(days=1), ends_at=starts_at + timedelta(days=1))
    whole_day = event(3, all_day=True, starts_at=starts_at, ends_at=starts_at - timedelta(days=2))
    by_uid = {str(item["UID"]): item for item in parse(ics([timed, same, whole_day])).events}
    assert "DTEND" not in by_uid[f"event-1@{HOST}"]
    assert "DTEND" not in by_uid[f"event-2@{HOST}"]
    assert by_uid[f"event-3@{HOST}"]["DTEND"].dt == date(2026, 12, 2)


@pytest.mark.parametrize("field", ["starts_at", "ends_at", "last_modified"])
def test_naive_datetimes_are_refused(field):
    naive = datetime(2026, 12, 1, 8, 30)  # noqa: DTZ001 - the mistake under test
    with pytest.raises(ValueError, match=field):
        ics([event(**{field: naive})])


@pytest.mark.parametrize(
    ("lang", "bcp47", "title", "location", "description"),
    [
        ("vi", "vi", "Hội đàm với Đoàn Ủy ban", "Nhà khách Thành ủy", "Phó Chủ tịch; Sở Ngoại vụ"),
        ("ja", "ja", "日本大使との会談", "市人民委員会本庁舎", "委員長、外務局長"),
        ("ko", "ko", "한국 총영사 접견", "시 인민위원회 청사", "부위원장, 외무국장"),
        ("zh-hans", "zh-Hans", "会见中国总领事", "市人民委员会大楼", "副主席、外事局局长"),
    ],
)
def test_texts_round_trip(lang, bcp47, title, location, description):
    raw = ics([event(title=title, location=location, description=description)], lang=lang)
    parsed = parse(raw).events[0]
    assert str(parsed["SUMMARY"]) == title
    assert str(parsed["LOCATION"]) == location
    assert str(parsed["DESCRIPTION"]) == description
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
        assert parsed[name].params["LANGUAGE"] == bcp47


def test_special_characters_and_line_breaks_round_trip():
    description = 'Thành phần: A; B, C\\D\r\nDòng hai\nDòng "ba"'
    parsed = parse(ics([event(description=description)])).events[0]
    assert str(parsed["DESCRIPTION"]) == 'Thành phần: A; B, C\\D\nDòng hai\nDòng "ba"'


def test_control_characters_are_removed():
    raw = ics([event(title="Họp\x00 giao\x1b ban\x7f\ttuần", description="a\x0bb\x0cc")])
    parsed = parse(raw).events[0]
    assert str(parsed["SUMMARY"]) == "Họp giao ban\ttuần"
    assert str(parsed["DESCRIPTION"]) == "abc"
    assert not any(byte in raw for byte in (b"\x00", b"\x1b", b"\x7f", b"\x0b", b"\x0c"))


def test_long_vietnamese_description_is_folded_without_splitting_characters():
    description = (
        "Đoàn đại biểu Ủy ban nhân dân thành phố tiếp xã giao Đại sứ đặc mệnh toàn quyền. " * 40
    )
    raw = ics([event(description=description.strip())])
    lines = raw.split(b"\r\n")
    assert lines[-1] == b""  # ends with CRLF
    assert b"\n" not in raw.replace(b"\r\n", b"")  # no bare line feed
    assert b"\r" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    continuations = [line for line in lines if line.startswith(b" ")]
    assert len(continuations) > 20
    for line in lines:
        line.decode("utf-8")  # each physical line holds whole characters
    assert str(parse(raw).events[0]["DESCRIPTION"]) == description.strip()


def test_url_only_when_given():
    with_url, without = parse(ics([event(1), event(2, url="")])).events
    assert str(with_url["URL"]) == f"https://{HOST}/vi/calendar/?week=2026-W49"
    assert "URL" not in without


def test_follows_the_configured_time_zone(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    summer = datetime(2026, 7, 1, 8, 0, tzinfo=timezone(timedelta(hours=2)))
    raw = ics([event(starts_at=summer, ends_at=None)])
    calendar = parse(raw)
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"
    [zone] = calendar.timezones
    assert str(zone["TZID"]) == "Europe/Berlin"
    assert zone.daylight  # the changes to summer time are described
    assert b"DTSTART;TZID=Europe/Berlin:20260701T080000\r\n" in raw
    assert calendar.events[0]["DTSTART"].dt == summer
