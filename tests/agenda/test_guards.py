"""What an approval must not let through on the calendar, and what readers and calendar
programs must get whatever is typed or asked: facts naming someone deleted while they
waited, engagements around local midnight, text that would break an .ics line."""

from datetime import timedelta

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cangxanh.agenda.models import EventFacts
from cangxanh.editorial import facts, roles
from cangxanh.editorial.models import Action
from cangxanh.news.models import Person

from .conftest import local


@pytest.fixture
def approver(django_user_model):
    user = django_user_model.objects.create_user("approver", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.APPROVER))
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


def test_a_leader_deleted_while_a_change_waited_is_refused_not_a_500(
    client, leaders, make_event, approver, chief
):
    event = make_event(local(2026, 12, 1, 8, 30), leaders=leaders[:1])
    guest = Person.objects.create(name="Khách mời")
    working = facts.working(event)
    working["extra"] = working["extra"] | {"leaders": [leaders[0].pk, guest.pk]}
    assert facts.article_save_facts(article=event, facts=working, user=chief) is True
    guest.delete()  # nothing published names them yet: nothing protects them
    client.force_login(approver)
    original = event.translations.get(language="vi")
    response = client.post(
        reverse("editorial:translation", args=[original.pk]),
        {"action": Action.PUBLISH},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "These leaders do not exist" in response.content.decode()
    row = EventFacts.objects.get(article=event)
    assert list(row.leaders.values_list("person_id", flat=True)) == [leaders[0].pk]


HOST = "portal.example"


@pytest.fixture
def _site(settings):
    settings.SITE_URL = f"https://{HOST}"


def sunday_of_this_week():
    from cangxanh.agenda.weeks import Week

    return Week.containing(timezone.localdate()).sunday


def feed(client, url="/en/calendar.ics") -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def test_engagements_around_local_midnight_stay_on_their_local_day_and_week(
    client, site_identity, make_event, _site
):
    sunday = sunday_of_this_week()
    late = make_event(local(sunday.year, sunday.month, sunday.day, 23, 30))
    monday = sunday + timedelta(days=1)
    early = make_event(local(monday.year, monday.month, monday.day, 0, 15))
    # In UTC both are on Sunday (16:30 and 17:15): the week is the local one.
    from cangxanh.agenda.weeks import Week

    this, following = Week.containing(sunday), Week.containing(monday)
    shown = client.get(f"/en/calendar/?week={this.label}").content.decode()
    assert f'id="event-{late.pk}"' in shown and f'id="event-{early.pk}"' not in shown
    shown = client.get(f"/en/calendar/?week={following.label}").content.decode()
    assert f'id="event-{early.pk}"' in shown and f'id="event-{late.pk}"' not in shown
    assert ">12:15 AM</time>" in shown

    by_uid = {str(e["UID"]): e for e in feed(client).events}
    assert by_uid[f"event-{late.pk}@{HOST}"]["DTSTART"].to_ical() == (
        sunday.strftime("%Y%m%d").encode() + b"T233000"
    )
    assert by_uid[f"event-{late.pk}@{HOST}"]["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert by_uid[f"event-{early.pk}@{HOST}"]["DTSTART"].dt == local(
        monday.year, monday.month, monday.day, 0, 15
    )


def test_line_breaks_commas_and_semicolons_cannot_forge_ics_lines(
    client, site_identity, make_event, _site
):
    sunday = sunday_of_this_week()
    forged = "Họp; bàn, chốt\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\\n"
    event = make_event(local(sunday.year, sunday.month, sunday.day, 9, 0), titles={"en": forged})
    event.translations.filter(language="en").update(lead="Room 3; floor 2,\nHải Phòng\r\nX:1")
    raw = client.get("/en/calendar.ics").content
    assert b"\r\nUID:evil@x" not in raw and b"\r\nX:1" not in raw
    assert raw.split(b"\r\n").count(b"BEGIN:VEVENT") == 1
    [parsed] = feed(client).events
    assert str(parsed["UID"]) == f"event-{event.pk}@{HOST}"
    assert str(parsed["SUMMARY"]) == "Họp; bàn, chốt\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil@x\\n"
    assert str(parsed["LOCATION"]) == "Room 3; floor 2,\nHải Phòng\nX:1"
    # Escaped as RFC 5545 asks: \; \, \n and \\ in the bytes.
    assert b"Room 3\\; floor 2\\,\\nH" in raw.replace(b"\r\n ", b"")


def test_cancelling_through_the_workflow_reaches_subscribers(
    client, site_identity, make_event, approver, chief, _site
):
    sunday = sunday_of_this_week()
    event = make_event(local(sunday.year, sunday.month, sunday.day, 9, 0))
    working = facts.working(event)
    working["extra"] = working["extra"] | {"cancelled": True}
    assert facts.article_save_facts(article=event, facts=working, user=chief) is True
    [before] = feed(client).events
    assert str(before["STATUS"]) == "CONFIRMED"  # waiting: subscribers see no change
    from cangxanh.editorial import workflow

    original = event.translations.get(language="vi")
    workflow.perform(original, Action.PUBLISH, approver)
    [after] = feed(client).events
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["SEQUENCE"] == 1 and after["UID"] == before["UID"]
    assert str(after["SUMMARY"]).startswith("Cancelled: ")
