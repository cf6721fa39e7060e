"""The registries: officers keep records, approvers publish; readers see only the
published copy; every step is a revision; personal data never leaves the newsroom."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cangxanh.registry import history
from cangxanh.registry.models import Action, Delegation, DelegationText, Member, Partner, Revision

from .conftest import texts_management

pytestmark = pytest.mark.django_db


def _partner_post(slug="kitakyushu", name="Kitakyushu", public=True, texts_initial=0, text_ids=()):
    data = {
        "slug": slug,
        "native_name": "北九州市",
        "country": "JP",
        "relation": "sister",
        "established_on": "2014-04-22",
        "established_by": "",
        "latitude": "33.88340",
        "longitude": "130.87520",
        "area_km2": "492",
        "population": "920000",
        "population_year": "2024",
        "picture": "",
        "illustrative": "",
    }
    if public:
        data["public"] = "on"
    rows = [
        {"language": "vi", "name": name, "summary": f"{name}: tóm tắt"},
        {"language": "en", "name": name},
    ]
    for row, pk in zip(rows, text_ids, strict=False):
        row["id"] = str(pk)
    data |= texts_management("texts", rows, initial=texts_initial)
    return data


def test_an_officer_adds_a_partner_that_readers_see_only_once_an_approver_publishes(client, people):
    client.force_login(people["officer"])
    response = client.post(reverse("admin:registry_partner_add"), _partner_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    partner = Partner.objects.get(slug="kitakyushu")
    assert [r.action for r in history.revisions(partner)] == [Action.ADD]
    assert history.state(partner) == "waiting"
    assert client.get("/en/partners/kitakyushu/").status_code == 404
    assert "Kitakyushu" not in client.get("/en/partners/").content.decode()

    # The officer may not publish, even by a crafted POST.
    step = reverse("admin:registry_partner_step", args=[partner.pk])
    assert client.post(step, {"step": "publish"}).status_code == 403
    partner.refresh_from_db()
    assert partner.public_data is None

    client.force_login(people["approver"])
    assert client.post(step, {"step": "publish", "comment": "ok"}).status_code == 302
    partner.refresh_from_db()
    assert history.state(partner) == "live"
    page = client.get("/en/partners/kitakyushu/")
    assert page.status_code == 200
    assert "Kitakyushu" in page.content.decode()
    assert "北九州市" in page.content.decode()


def test_a_change_to_a_public_record_waits_and_is_a_revision(client, people, make_partner):
    partner = make_partner(approver=people["approver"])
    texts = {t.language: t.pk for t in partner.texts.order_by("language")}
    before = client.get("/en/partners/incheon/").content
    client.force_login(people["officer"])
    post = _partner_post(slug="incheon", name="Incheon Metropolitan City")
    post |= {"native_name": "인천광역시", "country": "KR", "relation": "friendship"}
    # The form's existing texts: the vi and en rows.
    post |= texts_management(
        "texts",
        [
            {
                "id": str(texts["vi"]),
                "language": "vi",
                "name": "Incheon",
                "summary": "Incheon summary",
            },
            {"id": str(texts["en"]), "language": "en", "name": "Incheon Metropolitan City"},
            {"id": str(texts["ko"]), "language": "ko", "name": "인천"},
        ],
        initial=3,
    )
    response = client.post(reverse("admin:registry_partner_change", args=[partner.pk]), post)
    assert response.status_code == 302, response.content.decode()[:3000]
    partner.refresh_from_db()
    assert history.state(partner) == "waiting"
    client.logout()
    assert client.get("/en/partners/incheon/").content == before
    last = history.revisions(partner).order_by("-number").first()
    assert last.action == Action.CHANGE
    assert last.user == people["officer"]
    assert "texts" in last.changed

    history.publish(partner, people["approver"])
    assert "Incheon Metropolitan City" in client.get("/en/partners/incheon/").content.decode()


def test_a_record_readers_see_cannot_be_deleted_before_it_is_withdrawn(
    client, people, make_partner
):
    partner = make_partner(approver=people["approver"])
    client.force_login(people["officer"])
    delete = reverse("admin:registry_partner_delete", args=[partner.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    # Nor through the list's bulk action.
    response = client.post(
        reverse("admin:registry_partner_changelist"),
        {"action": "delete_selected", "_selected_action": [partner.pk], "post": "yes"},
    )
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert response.status_code in (200, 302, 403)

    client.force_login(people["approver"])
    step = reverse("admin:registry_partner_step", args=[partner.pk])
    client.post(step, {"step": "withdraw", "comment": "no longer a partner"})
    assert client.get("/en/partners/incheon/").status_code == 404

    client.force_login(people["officer"])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Partner.objects.filter(pk=partner.pk).exists()
    actions = list(
        Revision.objects.filter(model="partner", object_id=partner.pk)
        .order_by("number")
        .values_list("action", flat=True)
    )
    assert actions == ["add", "publish", "withdraw", "delete"]


@pytest.mark.parametrize("role", ["editor", "translator"])
def test_other_roles_do_not_keep_the_registries(client, people, role, make_partner):
    partner = make_partner()
    client.force_login(people[role])
    assert client.get(reverse("admin:registry_partner_changelist")).status_code == 403
    assert client.post(reverse("admin:registry_partner_add"), _partner_post()).status_code == 403
    step = reverse("admin:registry_partner_step", args=[partner.pk])
    assert client.post(step, {"step": "publish"}).status_code == 403
    partner.refresh_from_db()
    assert partner.public_data is None


def test_members_personal_data_never_reaches_readers(client, people):
    delegation = Delegation.objects.create(
        direction="in",
        start=datetime.date(2026, 3, 2),
        end=datetime.date(2026, 3, 5),
        countries=["KR"],
        organisation="Incheon City Council",
        level="province",
        leader="Chair of the council",
        purpose="cooperation",
        members_count=2,
        funding="partner",
        unit="Phòng Lãnh sự nội bộ",
        decision_number="QD-SECRET-77",
        report="Internal report text SECRET",
        public=True,
    )
    DelegationText.objects.create(delegation=delegation, language="en", title="Council visit")
    Member.objects.create(
        delegation=delegation, full_name="Kim Imaginary", passport_number="M7654321"
    )
    history.publish(delegation, people["approver"])
    delegation.refresh_from_db()
    public = str(delegation.public_data)
    for secret in ("Kim Imaginary", "M7654321", "QD-SECRET-77", "SECRET", "Phòng Lãnh sự"):
        assert secret not in public
        for lang in ("vi", "en", "ko", "ja", "zh-hans"):
            assert secret not in client.get(f"/{lang}/delegations/").content.decode()
    assert "Council visit" in client.get("/en/delegations/").content.decode()
    # The newsroom keeps them, in the record's revisions.
    assert "M7654321" in str(history.revisions(delegation).first().data)


def test_publish_refuses_a_record_not_marked_for_readers(people, make_partner):
    partner = make_partner(public=False)
    with pytest.raises(ValueError):
        history.publish(partner, people["approver"])
    assert history.state(partner) == "draft"


def test_unchanged_save_keeps_no_revision(people, make_partner):
    partner = make_partner()
    assert history.record(partner, Action.CHANGE, people["officer"]) is None
    partner.area_km2 = 1066
    partner.save()
    revision = history.record(partner, Action.CHANGE, people["officer"])
    assert revision.number == 2 and revision.changed == ["area_km2"]


def test_junk_filters_and_unknown_partners(client):
    assert client.get("/en/partners/no-such-place/").status_code == 404
    for query in (
        "?year=abc",
        "?direction=%00",
        "?year=99999999999999999999",
        "?direction=in&year=-1",
    ):
        assert client.get("/en/delegations/" + query).status_code == 200


def test_a_public_partners_picture_counts_as_public(people, make_partner):
    from django.core.files.base import ContentFile

    from cangxanh.editorial import picture_versions
    from cangxanh.images.access import public_names
    from cangxanh.images.models import Image, ImageText

    from ..conftest import jpeg_bytes

    picture = Image(credit="Office")
    picture.file.save("incheon.jpg", ContentFile(jpeg_bytes()), save=False)
    picture.save()
    ImageText.objects.create(image=picture, language="en", alt="Incheon harbour")
    partner = make_partner()
    partner.picture = picture
    partner.save()
    assert not picture_versions.in_public_use(picture.pk)
    history.publish(partner, people["approver"])
    assert picture_versions.in_public_use(picture.pk)
    assert picture.file.name in public_names()
    assert Decimal(str(Partner.objects.get(pk=partner.pk).public_data["latitude"])) == Decimal(
        "37.456"
    )


def test_the_registries_desk_shows_what_waits_and_the_reminders(client, people, make_partner):
    from cangxanh.registry.models import Agreement, Organisation

    make_partner("waiting-one")
    soon = Agreement.objects.create(
        number="01/2021/MOU",
        kind="mou",
        parties="Hải Phòng – Incheon",
        status="in_force",
        signed_on=datetime.date(2021, 1, 5),
        expires_on=timezone.localdate() + datetime.timedelta(days=40),
    )
    Organisation.objects.create(
        name="Imaginary Relief",
        country="DE",
        registration="project_office",
        registration_expires=timezone.localdate() - datetime.timedelta(days=3),
    )
    for role in ("officer", "approver"):
        client.force_login(people[role])
        page = client.get("/editorial/registries/", HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200
        html = page.content.decode()
        assert "waiting-one" in html or "Incheon" in html
        assert "01/2021/MOU" in html  # expiring, and not reported
        assert "Imaginary Relief" in html
        assert ('value="publish"' in html) == (role == "approver")
    for role in ("editor", "translator"):
        client.force_login(people[role])
        assert client.get("/editorial/registries/").status_code == 403
    assert soon.pk


def test_a_registry_officer_lands_on_the_registries(client, people):
    response = client.post(
        "/admin/login/", {"username": "officer", "password": "pw-123456", "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/editorial/registries/")


def test_published_partners_are_in_the_sitemap(client, people, make_partner):
    make_partner("draft-place")
    make_partner("incheon", approver=people["approver"])
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-registry.xml" in index
    xml = client.get("/sitemap-registry.xml").content.decode()
    assert "/en/partners/incheon/" in xml
    assert "/ko/partners/" in xml
    assert "draft-place" not in xml


def test_the_partner_form_suggests_articles_that_name_it(
    client, people, make_partner, make_article
):
    from cangxanh.search.index import entry_update

    partner = make_partner()
    article = make_article(["en"], titles={"en": "Port talks with Incheon"})
    entry_update(article.translations.get(language="en"))
    client.force_login(people["officer"])
    html = client.get(
        reverse("admin:registry_partner_change", args=[partner.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Port talks with Incheon" in html
    assert f"#{article.pk} · en" in html
    partner.articles.add(article)
    html = client.get(reverse("admin:registry_partner_change", args=[partner.pk])).content.decode()
    assert f"#{article.pk} · en" not in html  # linked now: no longer suggested


def test_the_profile_shows_its_facts_in_the_readers_language(client, people, make_partner):
    partner = make_partner()
    partner.area_km2 = 1066
    partner.established_by = "Thỏa thuận kết nghĩa 1997"
    partner.save()
    partner.texts.filter(language="en").update(established_by="Sister-city agreement of 1997")
    history.publish(partner, people["approver"])
    english = client.get("/en/partners/incheon/").content.decode()
    assert "1,066 km²" in english and "3,000,000" in english
    assert "Sister-city agreement of 1997" in english
    korean = client.get("/ko/partners/incheon/").content.decode()
    # No Korean words for it: the office's own, marked as Vietnamese.
    assert '<dd lang="vi">Thỏa thuận kết nghĩa 1997</dd>' in korean
    assert client.get("/vi/partners/incheon/").content.decode().count('lang="vi">Thỏa thuận') == 0


def test_a_careless_form_gets_clear_messages_and_saves_nothing(client, people):
    """Dates the wrong way round, a currency that is not ISO 4217, a slug with spaces:
    the form comes back with what was typed and a message; no row, no revision."""
    client.force_login(people["officer"])
    post = _partner_post(slug="not a slug", name="Somewhere")
    post["latitude"] = "123"
    response = client.post(reverse("admin:registry_partner_add"), post, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "errornote" in html and 'value="Somewhere"' in html
    assert not Partner.objects.exists() and not Revision.objects.exists()

    delegation = {
        "direction": "in",
        "start": "2026-05-04",
        "end": "2026-05-02",
        "countries": ["KR"],
        "organisation": "Org",
        "level": "province",
        "leader": "Head",
        "purpose": "cooperation",
        "members_count": "3",
        "funding": "state",
    }
    delegation |= texts_management("texts", [{"language": "en", "title": "Backwards visit"}])
    delegation |= texts_management("members", []) | texts_management("attachments", [])
    response = client.post(reverse("admin:registry_delegation_add"), delegation)
    assert response.status_code == 200
    assert 'value="Backwards visit"' in response.content.decode()
    assert not Delegation.objects.exists()
