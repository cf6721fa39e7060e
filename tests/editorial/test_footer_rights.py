"""Who may change the footer and the links to state agencies, and the trace it leaves:
they are the administrators' settings (no other role opens them, a crafted post
included), and the admin's history keeps what each changed field held before and after."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from cangxanh.core.models import AgencyLink, AgencyLinkName, SiteIdentity
from cangxanh.editorial import roles

from ..conftest import management


def identity_post(row: SiteIdentity, **changes) -> dict:
    fields = [f.name for f in SiteIdentity._meta.fields if f.name != "id"]
    return {name: getattr(row, name) for name in fields} | changes


@pytest.fixture
def vi(db):
    return SiteIdentity.objects.create(
        language="vi", name="Cổng thông tin", phone="+84 225 3000 111", email="a@so.example"
    )


@pytest.fixture
def link(db):
    made = AgencyLink.objects.create(url="https://chinhphu.vn", position=1)
    AgencyLinkName.objects.create(link=made, language="vi", name="Chính phủ")
    return made


def link_post(link: AgencyLink, **changes) -> dict:
    name = link.names.get()
    data = {"url": link.url, "position": str(link.position), "in_footer": "on"}
    data |= management("names", 1, 1) | {
        "names-0-id": str(name.pk),
        "names-0-link": str(link.pk),
        "names-0-language": name.language,
        "names-0-name": name.name,
    }
    return data | changes


@pytest.mark.parametrize("role", ["approver", "editor", "translator"])
def test_no_newsroom_role_opens_or_changes_the_footer_or_the_links(client, people, vi, link, role):
    client.force_login(people[role])
    identity_url = reverse("admin:core_siteidentity_change", args=[vi.pk])
    link_url = reverse("admin:core_agencylink_change", args=[link.pk])
    for url in (
        reverse("admin:core_siteidentity_changelist"),
        identity_url,
        reverse("admin:core_agencylink_changelist"),
        link_url,
        reverse("admin:core_agencylink_add"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(identity_url, identity_post(vi, phone="0999 999 999")).status_code == 403
    assert client.post(link_url, link_post(link, url="https://evil.example")).status_code == 403
    vi.refresh_from_db()
    link.refresh_from_db()
    assert (vi.phone, link.url) == ("+84 225 3000 111", "https://chinhphu.vn")
    assert not LogEntry.objects.exists()


def test_an_administrators_change_is_kept_with_its_before_and_after(client, make_user, vi, link):
    administrator = make_user("administrator", roles.ADMINISTRATOR)
    client.force_login(administrator)
    url = reverse("admin:core_siteidentity_change", args=[vi.pk])
    response = client.post(
        url, identity_post(vi, phone="+84 225 3999 000"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get(
        object_id=str(vi.pk), content_type__model="siteidentity", action_flag=CHANGE
    )
    assert entry.user == administrator
    assert "Phone: “+84 225 3000 111” → “+84 225 3999 000”" in entry.get_change_message()
    history = client.get(reverse("admin:core_siteidentity_history", args=[vi.pk]))
    assert "+84 225 3000 111" in history.content.decode()

    url = reverse("admin:core_agencylink_change", args=[link.pk])
    data = link_post(link, position="4") | {"names-0-name": "Chính phủ nước CHXHCN Việt Nam"}
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    entry = LogEntry.objects.get(object_id=str(link.pk), content_type__model="agencylink")
    message = entry.get_change_message()
    assert "Position: “1” → “4”" in message
    assert "“Chính phủ” → “Chính phủ nước CHXHCN Việt Nam”" in message
