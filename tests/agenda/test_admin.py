"""Calendar entries in the newsroom: made over HTTP in the admin, their facts saved
through editorial.facts, so a published engagement's change waits for an approver."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from cangxanh.agenda.models import KIND, Event, EventFacts
from cangxanh.editorial import facts, roles, workflow
from cangxanh.editorial.models import Action, PendingVersion, StaffProfile
from cangxanh.news.models import Article, Status

from .conftest import local

ADD = "admin:agenda_event_add"


@pytest.fixture
def make_user(django_user_model):
    def make(username, role, languages=()):
        user = django_user_model.objects.create_user(username, password="pw-123456", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, languages=list(languages))
        return django_user_model.objects.get(pk=user.pk)

    return make


def facts_post(*, starts=("2026-12-01", "08:30"), ends=("2026-12-01", "10:00"), leaders=(), **more):
    data = {
        "original_language": "vi",
        "starts_at_0": starts[0],
        "starts_at_1": starts[1],
        "ends_at_0": ends[0],
        "ends_at_1": ends[1],
        "host": "",
        "leaders": [str(person.pk) for person in leaders],
    }
    return data | more


def texts_post(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "translations-TOTAL_FORMS": str(len(rows)),
        "translations-INITIAL_FORMS": str(initial),
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"translations-{index}-{name}": value for name, value in row.items()}
    return data


def change_post(event: Article, langs=("vi",), **facts_changes) -> dict:
    """The change form's data as an editor of `langs` posts it."""
    rows = []
    for row in event.translations.filter(language__in=langs).order_by("language"):
        rows.append(
            {
                "id": str(row.pk),
                "article": str(event.pk),
                "language": row.language,
                "title": row.title,
                "slug": row.slug,
                "lead": row.lead,
                "body": row.body,
            }
        )
    return facts_post(**facts_changes) | texts_post(rows, initial=len(rows))


def test_an_editor_makes_a_calendar_entry_over_http(client, leaders, make_user):
    editor = make_user("editor", roles.EDITOR, ["vi"])
    client.force_login(editor)
    form = client.get(reverse(ADD), HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="starts_at_0"' in html and 'name="leaders"' in html
    assert "Who attends" in html  # the body's label for this kind

    data = facts_post(leaders=leaders[::-1]) | texts_post(
        [
            {
                "language": "vi",
                "title": "Tiếp Tổng Lãnh sự Nhật Bản",
                "slug": "",
                "lead": "Phòng khách quốc tế",
                "body": "<p>Phòng Lễ tân</p>",
            }
        ]
    )
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.kind == KIND and event.section_id is None
    row = EventFacts.objects.get(article=event)
    assert row.starts_at == local(2026, 12, 1, 8, 30)
    assert row.ends_at == local(2026, 12, 1, 10, 0)
    # Leaders in the newsroom's order, whatever order they were picked in.
    assert list(row.leaders.values_list("person_id", flat=True)) == [p.pk for p in leaders]
    assert event.translations.get().status == Status.DRAFT
    # The list of entries shows it, and the articles' admin is another list.
    listing = client.get(reverse("admin:agenda_event_changelist")).content.decode()
    assert "Tiếp Tổng Lãnh sự Nhật Bản" in listing


def test_an_end_before_the_start_is_refused_with_a_message(client, chief):
    client.force_login(chief)
    data = facts_post(ends=("2026-12-01", "07:00")) | texts_post(
        [{"language": "vi", "title": "Họp", "slug": "", "lead": "", "body": ""}]
    )
    response = client.post(reverse(ADD), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The engagement cannot end before it starts." in response.content.decode()
    assert not Article.objects.exists()


def public_week(client) -> bytes:
    client.logout()
    response = client.get("/en/calendar/?week=2026-W49")
    assert response.status_code == 200
    return response.content


def test_a_published_entrys_new_facts_wait_for_approval(
    client, site_identity, leaders, make_event, make_user
):
    event = make_event(local(2026, 12, 1, 8, 30), leaders=leaders[:1], langs=("vi", "en"))
    before = public_week(client)
    editor = make_user("editor", roles.EDITOR, ["vi"])
    client.force_login(editor)
    url = reverse("admin:agenda_event_change", args=[event.pk])
    data = change_post(
        event, starts=("2026-12-03", "14:00"), ends=("2026-12-03", "15:00"), leaders=leaders
    ) | {"cancelled": "on"}
    response = client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "until an approver publishes" in response.content.decode()

    assert public_week(client) == before  # byte for byte
    waiting = PendingVersion.objects.get(translation__article=event)
    assert waiting.facts["extra"]["cancelled"] is True
    assert facts.live(event)["extra"]["starts_at"] == "2026-12-01T01:30:00+00:00"
    # The form shows what waits.
    client.force_login(editor)
    assert 'value="14:00' in client.get(url).content.decode()

    approver = make_user("approver", roles.APPROVER)
    workflow.perform(event.translations.get(language="vi"), Action.PUBLISH, approver)
    after = public_week(client).decode()
    assert after != before.decode()
    assert "is-cancelled" in after and "Changed on" in after
    assert ">2:00 PM</time>" in after and "Đỗ Quang Vinh" in after


def test_a_translator_translates_but_cannot_change_the_facts(
    client, leaders, make_event, make_user
):
    event = make_event(local(2026, 12, 1, 8, 30), langs=("vi", "ko"))
    translator = make_user("translator", roles.TRANSLATOR, ["ko"])
    client.force_login(translator)
    url = reverse("admin:agenda_event_change", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="starts_at_0"' not in page.content.decode()
    ko = event.translations.get(language="ko")

    def post(title, **crafted):
        text = {"id": str(ko.pk), "article": str(event.pk), "language": "ko", "title": title}
        text |= {"slug": ko.slug, "lead": ko.lead, "body": ko.body}
        return client.post(url, {"original_language": "vi"} | crafted | texts_post([text], 1))

    # The form has no facts for them to fill in: their translation saves.
    assert post("인천 대표단 접견 (수정)").status_code == 302
    assert PendingVersion.objects.get(translation=ko).title == "인천 대표단 접견 (수정)"
    # Facts posted anyway change nothing.
    crafted = facts_post(starts=("2027-01-05", "09:00"), leaders=leaders)
    assert post("인천 대표단 접견", **crafted).status_code == 302
    assert facts.pending(event) is None
    assert EventFacts.objects.get(article=event).starts_at == local(2026, 12, 1, 8, 30)


def test_the_kinds_facts_refuse_what_cannot_be(make_event, chief, leaders):
    event = make_event(local(2026, 12, 1, 8, 30))
    working = facts.working(event)
    for extra, message in (
        ({"starts_at": "tomorrow"}, "not a date"),
        ({"ends_at": "2026-11-30T08:00:00+07:00"}, "cannot end before"),
        ({"host": event.pk}, "agency's pages"),
        ({"leaders": [999999]}, "do not exist"),
    ):
        with translation.override("en"), pytest.raises(facts.FactsError, match=message):
            facts.article_save_facts(
                article=event, facts=working | {"extra": working["extra"] | extra}, user=chief
            )
    assert facts.pending(event) is None


def test_the_staff_preview_shows_the_waiting_facts(client, site_identity, make_event, chief):
    event = make_event(local(2026, 12, 1, 8, 30), langs=("vi", "en"))
    working = facts.working(event)
    working["extra"] = working["extra"] | {"starts_at": "2026-12-09T03:00:00+00:00"}
    assert facts.article_save_facts(article=event, facts=working, user=chief)
    client.force_login(chief)
    english = event.translations.get(language="en")
    response = client.get(reverse("news-preview", args=[english.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert 'class="preview-banner"' in html
    # The week of the new time (Wednesday 9 December, 10:00 in Hanoi), this entry alone.
    assert '<time datetime="2026-W50">' in html
    assert ">10:00 AM</time>" in html and "Receiving the Incheon delegation" in html
