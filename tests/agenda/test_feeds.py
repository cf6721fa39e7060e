"""The .ics feeds of the leaders' calendar, read back with the icalendar library as a
calendar program would, and their HTTP caching."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import parse_http_date
from icalendar import Calendar

from cangxanh.agenda.weeks import Week
from cangxanh.news.models import Status

from .conftest import change_facts, local

HOST = "portal.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = f"https://{HOST}"


def this_week_at(day: int, hour: int):
    """A moment of this week (day 1 = Monday), in the site's time zone."""
    monday = Week.containing(timezone.localdate()).monday
    return local(monday.year, monday.month, monday.day, hour, 0) + timedelta(days=day - 1)


def ics(client, url: str, **headers) -> Calendar:
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_feed_reads_back(client, site_identity, leaders, make_event):
    first = make_event(this_week_at(2, 9), ends_at=this_week_at(2, 11), leaders=leaders)
    cancelled = make_event(this_week_at(3, 15), cancelled=True)
    untranslated = make_event(this_week_at(4, 8), langs=("vi",))
    calendar = ics(client, "/en/calendar.ics")
    assert str(calendar["X-WR-CALNAME"]) == "Portal en: leaders' work calendar"
    [zone] = calendar.timezones
    assert str(zone["TZID"]) == "Asia/Ho_Chi_Minh"
    by_uid = {str(event["UID"]): event for event in calendar.events}
    assert set(by_uid) == {f"event-{item.pk}@{HOST}" for item in (first, cancelled, untranslated)}

    event = by_uid[f"event-{first.pk}@{HOST}"]
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event["DTSTART"].dt == this_week_at(2, 9)
    assert event["DTEND"].dt == this_week_at(2, 11)
    assert str(event["SUMMARY"]) == "Receiving the Incheon delegation"
    assert str(event["LOCATION"]) == "International reception room"
    description = str(event["DESCRIPTION"])
    assert "Phạm Thu Hà (Director), Đỗ Quang Vinh (Deputy Director)" in description
    assert "Cooperation\nKhách mời & báo chí" in description  # plain text, no tags
    assert str(event["STATUS"]) == "CONFIRMED" and event["SEQUENCE"] == 0
    assert str(event["URL"]) == f"https://{HOST}/en/calendar/{first.pk}/"
    published = first.translations.get(language="en").published_at
    assert event["DTSTAMP"].dt == published.replace(microsecond=0)

    assert str(by_uid[f"event-{cancelled.pk}@{HOST}"]["STATUS"]) == "CANCELLED"
    original = by_uid[f"event-{untranslated.pk}@{HOST}"]
    assert str(original["SUMMARY"]) == "Tiếp Đoàn đại biểu Incheon"
    assert original["SUMMARY"].params["LANGUAGE"] == "vi"
    assert event["SUMMARY"].params["LANGUAGE"] == "en"


def test_a_change_raises_the_sequence_and_keeps_the_uid(client, site_identity, make_event, chief):
    event = make_event(this_week_at(2, 9))
    before = ics(client, "/en/calendar.ics").events[0]
    change_facts(event, chief, starts_at=this_week_at(2, 14).isoformat())
    change_facts(event, chief, cancelled=True)
    after = ics(client, "/en/calendar.ics").events[0]
    assert str(after["UID"]) == str(before["UID"])
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 2)
    assert after["DTSTART"].dt == this_week_at(2, 14)
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt


def test_the_window_is_four_weeks_back_to_twenty_six_ahead(client, site_identity, make_event):
    inside = [
        make_event(this_week_at(1, 9) - timedelta(weeks=4)),
        make_event(this_week_at(7, 9) + timedelta(weeks=26)),
    ]
    make_event(this_week_at(7, 9) - timedelta(weeks=5))
    make_event(this_week_at(1, 9) + timedelta(weeks=27))
    make_event(this_week_at(3, 9), status=Status.DRAFT)
    uids = {str(event["UID"]) for event in ics(client, "/vi/calendar.ics").events}
    assert uids == {f"event-{item.pk}@{HOST}" for item in inside}


def test_one_leaders_feed(client, site_identity, leaders, make_event):
    director, deputy = leaders
    own = make_event(this_week_at(2, 9), leaders=[director])
    make_event(this_week_at(3, 9), leaders=[deputy])
    calendar = ics(client, f"/en/calendar/leaders/{director.pk}.ics")
    assert [str(e["UID"]) for e in calendar.events] == [f"event-{own.pk}@{HOST}"]
    assert "Phạm Thu Hà" in str(calendar["X-WR-CALNAME"])
    # Someone who attends nothing published has no calendar here.
    assert client.get("/en/calendar/leaders/999999.ics").status_code == 404


def test_same_bytes_an_etag_and_304(client, site_identity, make_event):
    make_event(this_week_at(2, 9))
    first = client.get("/ko/calendar.ics")
    second = client.get("/ko/calendar.ics")
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    # Dated by the last publication (two hours ago), not by the request.
    modified = parse_http_date(first["Last-Modified"])
    assert abs(modified - (timezone.now() - timedelta(hours=2)).timestamp()) < 60
    again = client.get("/ko/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
