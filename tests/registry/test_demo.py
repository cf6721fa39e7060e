"""The registries' demo content (cangxanh/registry/demo.py): complete, loaded the way an
officer and an approver would, loaded twice without a change, and the members' personal
data on no public page in any language."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from cangxanh.core import languages
from cangxanh.demo.loader import Report, load_users
from cangxanh.images.models import Image
from cangxanh.registry import history
from cangxanh.registry.demo import AGREEMENT_OWN, DELEGATION_OWN, OwnWords, load_registry
from cangxanh.registry.models import (
    Agreement,
    AidProject,
    Delegation,
    Member,
    Organisation,
    Partner,
    Revision,
)

pytestmark = pytest.mark.django_db

LANGS = ["vi", "en", "ko", "ja", "zh-hans"]
MODELS = (Partner, Delegation, Agreement, Organisation, AidProject)
DATASETS = ("partners", "delegations", "agreements", "aid-projects", "statistics")


def loaded() -> Report:
    report = Report()
    load_users(report)  # the demo's approver and registry officer
    load_registry(report)
    return report


def snapshot() -> dict:
    rows = {}
    for model in MODELS:
        rows[model.__name__] = sorted(
            (obj.pk, obj.public, obj.public_data, obj.published_at, obj.updated_at)
            for obj in model.objects.all()
        )
    rows["revisions"] = sorted(
        Revision.objects.values_list("pk", "model", "object_id", "number", "at")
    )
    rows["members"] = sorted(Member.objects.values_list("pk", "full_name", "passport_number"))
    rows["images"] = sorted(Image.objects.values_list("pk", "file"))
    return rows


def states(model) -> dict[str, int]:
    counts = {"draft": 0, "waiting": 0, "live": 0}
    for obj in model.objects.all():
        counts[history.state(obj)] += 1
    return counts


def test_the_registries_demo_is_complete_and_loading_twice_changes_nothing():
    first = loaded()
    assert first.created["partner localities"] == 20
    assert first.created["delegations"] == 60
    assert first.created["international agreements"] == 10
    assert first.created["foreign NGOs"] == 8
    assert first.created["aid projects"] >= 8

    # ~20 partners in ~13 countries, each public one with its words in all five languages.
    assert len({str(p.country) for p in Partner.objects.all()}) == 13
    assert states(Partner) == {"draft": 0, "waiting": 2, "live": 18}
    for partner in Partner.objects.filter(public_data__isnull=False):
        assert set(partner.public_data["texts"]) == set(LANGS), partner.slug
        for lang, text in partner.public_data["texts"].items():
            assert all(text[f] for f in ("name", "summary", "location", "cooperation")), (
                partner.slug,
                lang,
            )
    assert Partner.objects.filter(illustrative=True).exists()
    assert Partner.objects.filter(illustrative=False).count() >= 4
    pictures = Image.objects.filter(pk__in=Partner.objects.values("picture"))
    assert pictures.count() == 3
    for image in pictures:
        assert image.credit and image.credit != "cangxanh"
        assert set(image.texts.values_list("language", flat=True)) == set(LANGS)

    # 60 delegations over five years, both ways: ~45 public, the rest internal or waiting.
    assert {d.start.year for d in Delegation.objects.all()} == {2022, 2023, 2024, 2025, 2026}
    assert set(Delegation.objects.values_list("direction", flat=True)) == {"in", "out"}
    assert Delegation.objects.filter(public_data__isnull=False).count() == 45
    assert states(Delegation) == {"draft": 13, "waiting": 5, "live": 42}
    assert not Delegation.objects.filter(direction="out", decision_number="").exists()
    for delegation in Delegation.objects.prefetch_related("members", "texts"):
        assert 1 <= delegation.members.count() <= 4, delegation
        assert delegation.members.count() <= delegation.members_count
        assert {t.language for t in delegation.texts.all()} == set(LANGS)
        assert all(m.full_name and m.passport_number for m in delegation.members.all())
    assert Delegation.objects.exclude(report="").count() >= 50

    # Agreements: some expire within six months, so the newsroom's reminder has work.
    assert states(Agreement) == {"draft": 1, "waiting": 0, "live": 9}
    from django.utils import timezone

    today = timezone.localdate()
    soon = Agreement.objects.filter(
        expires_on__gte=today, expires_on__lte=today + timezone.timedelta(days=183)
    )
    assert soon.count() >= 3
    assert not Agreement.objects.filter(status="in_force", expires_on__lt=today).exists()
    assert Agreement.objects.filter(partner__isnull=False).count() == 10

    # NGOs with 1–3 projects each, in four currencies.
    for organisation in Organisation.objects.all():
        assert 1 <= organisation.projects.count() <= 3
    assert set(AidProject.objects.values_list("currency", flat=True)) == {
        "USD",
        "EUR",
        "KRW",
        "JPY",
    }
    for project in AidProject.objects.all():
        assert project.texts.count() == 5
        assert project.disbursed <= project.committed
        assert project.committed_usd > 0

    # Every record was added by the registry officer; every publication is the approver's.
    User = get_user_model()
    officer, approver = User.objects.get(username="registry"), User.objects.get(username="approver")
    assert officer.groups.filter(name="Registry officer").exists()
    assert officer.check_password("cangxanh-demo")
    assert set(Revision.objects.filter(action="add").values_list("user", flat=True)) == {officer.pk}
    assert set(Revision.objects.filter(action="publish").values_list("user", flat=True)) == {
        approver.pk
    }
    assert Revision.objects.filter(action="add").count() == sum(m.objects.count() for m in MODELS)

    before = snapshot()
    second = loaded()
    assert second.created == {}
    assert snapshot() == before


def public_addresses() -> list[str]:
    addresses = []
    for lang in LANGS:
        with translation.override(lang):
            addresses += [
                reverse("registry:partners"),
                reverse("registry:delegations"),
                reverse("registry:delegations") + "?page=2",  # 30 a page
                reverse("registry:agreements"),
                reverse("registry:statistics"),
            ]
            addresses += [
                reverse("registry:delegations") + f"?year={year}" for year in range(2022, 2027)
            ]
            addresses += [
                reverse("registry:delegations") + f"?direction={d}" for d in ("in", "out")
            ]
            addresses += [
                reverse("registry:partner", kwargs={"slug": slug})
                for slug in Partner.objects.filter(public_data__isnull=False).values_list(
                    "slug", flat=True
                )
            ]
    return addresses


def test_members_names_and_passports_are_on_no_public_page(client):
    loaded()
    secrets = set()
    for name, passport in Member.objects.values_list("full_name", "passport_number"):
        secrets |= {name, passport, escape(name)}
    assert len(secrets) > 40

    def titles(delegations) -> set[str]:
        return set(delegations.filter(texts__language="en").values_list("texts__title", flat=True))

    public = titles(Delegation.objects.filter(public_data__isnull=False))
    internal = titles(Delegation.objects.filter(public_data__isnull=True)) - public
    assert internal
    reports = set(Delegation.objects.exclude(report="").values_list("report", flat=True))
    addresses = public_addresses()
    assert len(addresses) == len(languages.codes()) * (5 + 5 + 2 + 20)
    seen_titles = set()
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        page = response.content.decode()
        leaked = [secret for secret in secrets if secret in page]
        assert not leaked, (address, leaked[:3])
        assert not [r for r in reports if r[:60] in page], address
        if address in {"/en/delegations/", "/en/delegations/?page=2"}:
            assert not [t for t in internal if escape(t) in page]
            seen_titles |= {t for t in public if escape(t) in page}
    # The check is not empty: every public delegation is on the page, by its title.
    assert seen_titles == public

    # Nor in the open data API (read as text, so escaped characters count too).
    answers = [f"/api/v1/{name}/?lang={lang}&limit=100" for lang in LANGS for name in DATASETS]
    answers += [
        f"/api/v1/partners/{slug}/?lang=en"
        for slug in Partner.objects.values_list("slug", flat=True)
    ]
    for address in answers:
        response = client.get(address)
        assert response.status_code == 200, address
        text = json.dumps(response.json(), ensure_ascii=False)
        assert not [secret for secret in secrets if secret in text], address
        assert not [r for r in reports if r[:60] in text], address
    listed = client.get("/api/v1/delegations/?lang=en&limit=100").json()
    assert json.dumps(listed).count('"members_count"') == 45  # all public ones, no member


# Letters only Vietnamese writes (ă đ ĩ ơ ũ ư and the letters with a dot below, a hook above or
# two marks): "Chính quyền thành phố", "Đại sứ", "Cảng biển" all have one.
VIETNAMESE = re.compile("[ăĂđĐĩĨơƠũŨưƯ\u1ea0-\u1ef9]")


class FactsParser(HTMLParser):
    """Every <dt>…</dt><dd>…</dd> pair of a page: the label, the words, and whether the dd or
    anything inside it is marked lang="vi"."""

    def __init__(self):
        super().__init__()
        self.pairs: list[tuple[str, str, bool]] = []
        self.label = ""
        self.where = ""  # "dt", "dd" or ""
        self.text: list[str] = []
        self.vi = False

    def handle_starttag(self, tag, attrs):
        if tag in {"dt", "dd"}:
            self.where, self.text, self.vi = tag, [], False
        if self.where == "dd" and dict(attrs).get("lang", "").startswith("vi"):
            self.vi = True

    def handle_endtag(self, tag):
        if tag == "dt" and self.where == "dt":
            self.label, self.where = " ".join("".join(self.text).split()), ""
        elif tag == "dd" and self.where == "dd":
            self.pairs.append((self.label, " ".join("".join(self.text).split()), self.vi))
            self.where = ""

    def handle_data(self, data):
        if self.where:
            self.text.append(data)


def office_labels(lang: str) -> dict[str, str]:
    """The labels of the fields the office writes in Vietnamese, as the page names them."""
    with translation.override(lang):
        return {
            gettext("Head of delegation"): "leader",
            gettext("Inviting or hosting organisation"): "organisation",
            pgettext("delegation", "Field"): "field",
            gettext("Parties"): "parties",
            gettext("Signatories"): "signatories",
            gettext("Signed"): "signed_at",
            gettext("Established by"): "established_by",
        }


def test_readers_of_other_languages_see_the_office_s_words_in_their_language(client):
    loaded()
    live = list(Partner.objects.filter(public_data__isnull=False).values_list("slug", flat=True))
    found: dict[str, dict[str, list]] = {}
    for lang in LANGS:
        labels = office_labels(lang)
        with translation.override(lang):
            addresses = [
                reverse("registry:delegations"),
                reverse("registry:delegations") + "?page=2",
                reverse("registry:agreements"),
            ] + [reverse("registry:partner", kwargs={"slug": slug}) for slug in live]
        seen = found.setdefault(lang, {key: [] for key in labels.values()})
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 200, address
            parser = FactsParser()
            parser.feed(response.content.decode())
            for label, words, marked_vi in parser.pairs:
                if label in labels:
                    seen[labels[label]].append((address, words, marked_vi))

    for lang in ("en", "ko", "ja", "zh-hans"):
        for key, rows in found[lang].items():
            vietnamese = [(a, w) for a, w, marked in rows if marked or VIETNAMESE.search(w)]
            assert not vietnamese, (lang, key, vietnamese[:3])
    # The check is not empty: every public record's field was looked at, in every language,
    # and on the Vietnamese pages the same fields are Vietnamese (so the test would see them).
    for lang in LANGS:
        counts = {key: len(rows) for key, rows in found[lang].items()}
        assert counts["leader"] == counts["organisation"] == 45, (lang, counts)
        assert counts["field"] == 45 and counts["parties"] == 9, (lang, counts)
        assert counts["signatories"] == 9 and counts["signed_at"] == 9, (lang, counts)
        assert counts["established_by"] == 3, (lang, counts)
    for key, rows in found["vi"].items():
        if key == "signed_at":  # a date, and a place only sometimes: "Le Havre (Pháp)"
            continue
        # (Not every one: "Logistics" is a field in Vietnamese too.)
        assert sum(bool(VIETNAMESE.search(words)) for _, words, _ in rows) > len(rows) / 2, key

    # The open data API says the same in each language.
    api_keys = {
        "delegations": DELEGATION_OWN,
        "agreements": AGREEMENT_OWN,
        "partners": ("established_by",),
    }
    for lang in ("en", "ko", "ja", "zh-hans"):
        for name, keys in api_keys.items():
            rows = client.get(f"/api/v1/{name}/?lang={lang}&limit=100").json()["data"]
            assert rows, name
            words = [row[key] for row in rows for key in keys if row.get(key)]
            assert words and not [w for w in words if VIETNAMESE.search(w)], (lang, name)


def test_an_officer_s_change_of_the_office_s_words_waits_in_every_language():
    loaded()
    ulsan = Delegation.objects.get(start="2026-04-13", partner__slug="ulsan")
    assert history.state(ulsan) == "waiting"
    assert ulsan.field == "Đào tạo nghề, lao động kỹ thuật"
    assert ulsan.texts.get(language="en").field == "Vocational training, skilled labour"
    assert ulsan.texts.get(language="zh-hans").field == "职业培训、技术工人"
    # Readers still see the published words until an approver publishes the change.
    assert ulsan.public_data["field"] == "Đào tạo nghề"
    assert ulsan.public_data["texts"]["en"]["field"] == "Vocational training"


def test_words_missing_from_the_glossary_stop_the_demo_rather_than_show_vietnamese():
    own = OwnWords({"words": {"Hải Phòng": {"en": "Hai Phong"}}, "topic": {}, "separator": {}})
    assert own.of("signed_at", "Hải Phòng", "en") == "Hai Phong"
    with pytest.raises(ValueError, match="no \\[words\\] in ko"):
        own.of("signed_at", "Hải Phòng", "ko")
    with pytest.raises(ValueError, match="no \\[topic\\] in en"):
        own.of("field", "Cảng biển", "en")
