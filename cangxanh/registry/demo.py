"""The registries' demo content: partner localities (content/registry-partners.toml),
delegations, international agreements and foreign NGOs with their aid projects
(content/registry.toml), loaded by `cangxanh demo` after the demo's users and articles.

Every record goes the way an officer and an approver would take it: the registry officer
adds it (an ADD revision), and an approver publishes what is meant for readers
(`history.publish`, the public copy). A few records then get a change from the officer
that waits for the approver, and a few are marked public but never published yet, so the
newsroom has something to show; internal records are never published. Times are set back
to when it would have happened (never later than now).

Delegation members are generated here: obviously fictional names (the placeholders each
country uses for "John Doe") and passport numbers, internal only.

Fields the office keeps in Vietnamese on the record (a delegation's organisation, head and
field; an agreement's parties, signatories and place; a partner's establishing document) are
written in the other languages into the text rows: the delegations' and agreements' from the
glossary in registry.toml (`OwnWords`), the partners' from their own language tables.

Idempotent: a partner is found by its slug, a delegation by its direction, start and
organisation, an agreement by its Vietnamese title, an NGO by its name, a project by its code, a
picture by its import key; whatever exists is left exactly as it is.
"""

from __future__ import annotations

import re
import tomllib
import zlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from cangxanh.core import languages
from cangxanh.images.models import Image, ImageText
from cangxanh.news.models import Article

from . import history
from .models import (
    Action,
    Agreement,
    AgreementText,
    AidProject,
    AidProjectText,
    Delegation,
    DelegationText,
    Member,
    Organisation,
    Partner,
    PartnerText,
    Revision,
)

if TYPE_CHECKING:
    from cangxanh.demo.loader import Report

CONTENT = Path(__file__).resolve().parent.parent / "demo" / "content"
OFFICER = "registry"  # the demo's registry officer (cangxanh.demo.loader.DEMO_STAFF)
APPROVER = "approver"

PARTNER_TEXT_FIELDS = (
    "name",
    "country_region",
    "summary",
    "location",
    "economy",
    "landmarks",
    "cooperation",
    "established_by",
)


def _toml(name: str) -> dict:
    with open(CONTENT / name, "rb") as fh:
        return tomllib.load(fh)


def _seed(*parts) -> int:
    return zlib.crc32(":".join(str(p) for p in parts).encode())


# --- times ---------------------------------------------------------------------------------


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """That day at that local time, never later than a little before now."""
    moment = datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())
    return min(moment, timezone.now() - timedelta(minutes=30))


def _stamp(
    obj, revision, when: datetime, *, published: bool = False, created: bool = False
) -> None:
    if revision is not None:
        Revision.objects.filter(pk=revision.pk).update(at=when)
    fields = {}
    if created:
        fields["created_at"] = when
    if published:
        fields["published_at"] = when
    if fields:
        type(obj).objects.filter(pk=obj.pk).update(**fields)


def _keep(obj, officer, approver, *, added: datetime, publish_at: datetime | None) -> None:
    """The officer's ADD revision, then the approver's publication (when it is due)."""
    _stamp(obj, history.record(obj, Action.ADD, officer), added, created=True)
    if publish_at is not None:
        revision = history.publish(obj, approver)
        when = min(
            max(publish_at, added + timedelta(minutes=20)), timezone.now() - timedelta(minutes=5)
        )
        _stamp(obj, revision, when, published=True)


def _change(obj, officer, change: dict, texts_related: str, when: datetime, rename=None) -> None:
    """An officer's edit after publication (fields and texts), left for an approver."""
    rename = rename or {}
    fields = {rename.get(k, k): v for k, v in change.items() if k != "text"}
    for name, value in fields.items():
        setattr(obj, name, value)
    if fields:
        obj.save(update_fields=[*fields, "updated_at"])
    for lang, values in change.get("text", {}).items():
        getattr(obj, texts_related).filter(language=lang).update(**values)
    _stamp(obj, history.record(obj, Action.CHANGE, officer), when)


# --- the office's own words in the other languages ------------------------------------------

DELEGATION_OWN = ("organisation", "leader", "field")
AGREEMENT_OWN = ("parties", "signatories", "signed_at")


class OwnWords:
    """The office's Vietnamese words in another language, from registry.toml: [words] (whole
    phrases, or with {city} for the partner's or the place's name), [topic] (a delegation's
    field, topic by topic) and [separator] (where a value is split, how each language joins).
    A phrase with no words in a language is an error: the demo never shows readers of that
    language the office's Vietnamese."""

    def __init__(self, data: dict):
        self.words = data["words"]
        self.topics = data["topic"]
        self.separators = data["separator"]

    def phrase(self, text: str, lang: str, place: dict[str, str] | None) -> str:
        entry = self.words.get(text)
        if entry is None and place and place.get("vi"):
            pattern = re.sub(re.escape(place["vi"]), "{city}", text, flags=re.IGNORECASE)
            entry = self.words.get(pattern)
        if not entry or not entry.get(lang):
            raise ValueError(f"registry.toml: no [words] in {lang} for {text!r}")
        city = (place or {}).get(lang) or (place or {}).get("en", "")
        return entry[lang].replace("{city}", city)

    def topic(self, text: str, lang: str) -> str:
        entry = self.topics.get(text[:1].lower() + text[1:])
        if not entry or not entry.get(lang):
            raise ValueError(f"registry.toml: no [topic] in {lang} for {text!r}")
        return entry[lang]

    def of(self, key: str, text: str, lang: str, place: dict[str, str] | None = None) -> str:
        """`text` (a record's field `key`, in Vietnamese) in `lang`; empty stays empty."""
        if not text:
            return ""
        separator = self.separators.get(key)
        parts = text.split(separator["vi"]) if separator else [text]
        if key == "field":
            words = [self.topic(part, lang) for part in parts]
        else:
            words = [self.phrase(part, lang, place) for part in parts]
        joined = separator[lang].join(words) if separator else words[0]
        return joined[:1].upper() + joined[1:]

    def texts(self, keys, values: dict, lang: str, place=None) -> dict[str, str]:
        """{field: words in `lang`} for the record's fields `keys` (none for Vietnamese)."""
        if lang == "vi":
            return {}
        return {key: self.of(key, values.get(key, ""), lang, place) for key in keys}


def _partner_names(partners: dict[str, Partner]) -> dict[str, dict[str, str]]:
    """{slug: {"native": …, language: name}} of the partners, from their texts."""
    names = {slug: {"native": p.native_name} for slug, p in partners.items()}
    for slug, lang, name in PartnerText.objects.filter(partner__in=partners.values()).values_list(
        "partner__slug", "language", "name"
    ):
        names[slug][lang] = name
    return names


# --- pictures ------------------------------------------------------------------------------


def _pictures(report: Report, items: list[dict]) -> dict[str, Image]:
    from .demo_pictures import jpeg

    found = {}
    for item in items:
        image = Image.objects.filter(import_key=item["key"]).first()
        if image is None:
            image = Image(import_key=item["key"], credit=item["credit"])
            image.file.save(f"{item['key']}.jpg", ContentFile(jpeg(item["key"])), save=False)
            image.save()
            for lang in languages.codes():
                if lang in item:
                    ImageText.objects.create(image=image, language=lang, **item[lang])
            report.add("registry pictures")
        found[item["key"]] = image  # its renditions: demo.loader.load_demo, after the commit
    return found


# --- partners ------------------------------------------------------------------------------

REGISTRY_OPENED = date(2026, 1, 5)  # when the office moved its spreadsheets into the registry


def load_partners(report: Report, officer, approver) -> dict[str, Partner]:
    data = _toml("registry-partners.toml")
    pictures = _pictures(report, data.get("picture", []))
    partners = {
        p.slug: p for p in Partner.objects.filter(slug__in=[d["slug"] for d in data["partner"]])
    }
    for position, item in enumerate(data["partner"]):
        if item["slug"] in partners:
            continue
        partner = Partner.objects.create(
            slug=item["slug"],
            country=item["country"],
            native_name=item["native_name"],
            relation=item["relation"],
            established_on=item.get("established_on"),
            established_by=item.get("established_by", ""),
            latitude=Decimal(str(item["latitude"])),
            longitude=Decimal(str(item["longitude"])),
            area_km2=item.get("area_km2"),
            population=item.get("population"),
            population_year=item.get("population_year"),
            picture=pictures.get(item.get("picture", "")),
            illustrative=item.get("illustrative", False),
            public=True,
        )
        for lang in languages.codes():
            if lang in item:
                PartnerText.objects.create(
                    partner=partner,
                    language=lang,
                    **{name: item[lang].get(name, "") for name in PARTNER_TEXT_FIELDS},
                )
        partner.articles.set(Article.objects.filter(import_key__in=item.get("articles", [])))
        added = _at(REGISTRY_OPENED, 9, position * 2)
        _keep(
            partner,
            officer,
            approver,
            added=added,
            publish_at=_at(REGISTRY_OPENED + timedelta(days=3), 10, position),
        )
        if "waiting" in item:
            _change(
                partner, officer, item["waiting"], "texts", _at(date(2026, 11, 27), 15, position)
            )
        partners[partner.slug] = partner
        report.add("partner localities")
    return partners


# --- delegations ---------------------------------------------------------------------------

# The placeholder names each country gives its "John Doe": obviously nobody real.
PLACEHOLDERS = {
    "VN": [
        "Nguyễn Văn Mẫu",
        "Trần Thị Mẫu",
        "Lê Văn Thử",
        "Phạm Thị Thử",
        "Hoàng Văn Giả Định",
        "Vũ Thị Ví Dụ",
        "Đặng Văn Mẫu",
        "Bùi Thị Thử",
    ],
    "KR": ["Hong Gil-dong", "Kim Cheol-su", "Lee Young-hee", "Park Mu-myeong"],
    "JP": ["Yamada Tarō", "Yamada Hanako", "Satō Nanashi", "Tanaka Mumei"],
    "CN": ["Zhang San", "Li Si", "Wang Wu", "Zhao Liu"],
    "US": ["John Doe", "Jane Doe", "Richard Roe", "Janie Roe"],
    "GB": ["Joe Bloggs", "Jane Bloggs", "John Smith-Placeholder", "Fred Nurk"],
    "RU": ["Ivan Ivanovich Ivanov", "Pyotr Petrovich Petrov", "Sidor Sidorov", "Maria Ivanova"],
    "DE": ["Max Mustermann", "Erika Mustermann", "Otto Normalverbraucher", "Lieschen Müller"],
    "FR": ["Jean Dupont", "Marie Dupont", "Pierre Martin-Exemple", "Jeanne Durand"],
    "NL": ["Jan Modaal", "Piet Pietersen", "Jan Jansen", "Truus de Voorbeeld"],
    "BE": ["Jan Janssens", "Marie Peeters", "Jean Exemple", "Piet Voorbeeld"],
    "SE": ["Sven Svensson", "Anna Andersson", "Kalle Exempel", "Lisa Exempel"],
    "CU": ["Fulano de Tal", "Mengano de Tal", "Zutano Pérez", "Perengano López"],
    "TH": ["Somchai Tuayang", "Somsri Tuayang", "Manee Tuayang", "Mana Tuayang"],
    "LA": ["Bounmy Tuayang", "Khamla Tuayang", "Souk Tuayang", "Phet Tuayang"],
    "KH": ["Sok Kumrou", "Chan Kumrou", "Dara Kumrou", "Srey Kumrou"],
    "SG": ["Tan Ah Kow", "Lim Ah Huat", "Siti Contoh", "Ravi Example"],
}
PASSPORT_PREFIX = {"VN": ("C", 7), "KR": ("M", 8), "JP": ("TR", 7), "CN": ("E", 8), "US": ("A", 8)}
VN_POSITIONS = ["Chuyên viên", "Phó Trưởng phòng", "Trưởng phòng", "Phiên dịch viên"]


def _members(delegation: Delegation, index: int, item: dict) -> None:
    origin = "VN" if item["dir"] == "out" else item["countries"][0]
    names = PLACEHOLDERS.get(origin, PLACEHOLDERS["US"])
    count = min(item["members"], 1 + _seed("members", index) % 4)
    prefix, digits = PASSPORT_PREFIX.get(origin, (origin, 7))
    for k in range(count):
        seed = _seed("member", index, k)
        number = f"{prefix}{seed % 10**digits:0{digits}d}"
        if item["dir"] == "out":
            position = (
                item["leader"]
                if k == 0
                else f"{VN_POSITIONS[seed % len(VN_POSITIONS)]}, {item['unit']}"
            )
        else:
            position = item["leader"] if k == 0 else item["org"]
        Member.objects.create(
            delegation=delegation,
            full_name=names[(index + k) % len(names)],
            position=position[:200],
            passport_number=number,
            birth_date=date(1962 + seed % 36, 1 + seed % 12, 1 + seed % 28),
        )


def _names(data: dict, item: dict, names: dict[str, dict[str, str]], lang: str) -> str:
    joiner = data["joiner"][lang]
    country = joiner.join(data["country"][code][lang] for code in item["countries"])
    place = ""
    if item.get("partner"):
        place = names[item["partner"]].get(lang) or names[item["partner"]]["native"]
    elif item.get("place"):
        place = data["place"][item["place"]][lang]
    if not place:
        return country
    return data["origin"][lang].format(place=place, country=country)


def _place(data: dict, item: dict, names: dict[str, dict[str, str]]) -> dict[str, str] | None:
    """The delegation's partner or place, by language ({city} in [words])."""
    if item.get("partner"):
        return names[item["partner"]]
    if item.get("place"):
        return data["place"][item["place"]]
    return None


def _with_own_words(change: dict, values: dict, keys, own: OwnWords, place) -> dict:
    """An officer's change of the office's own words, made in every language's text too."""
    new = {k: v for k, v in change.items() if k in keys}
    if not new:
        return change
    change = {**change, "text": {lang: dict(t) for lang, t in change.get("text", {}).items()}}
    values = {**values, **new}
    for lang in languages.codes():
        words = own.texts(new.keys(), values, lang, place)
        if words:
            change["text"].setdefault(lang, {}).update(words)
    return change


def _template(data: dict, item: dict) -> dict:
    key = f"{item['dir']}.{item['purpose']}"
    if item["dir"] == "in" and item["level"] == "diplomatic" and item["purpose"] == "cooperation":
        key = "in.diplomatic"
    return data["template"].get(key) or data["template"][f"{item['dir']}.cooperation"]


def load_delegations(report: Report, partners: dict[str, Partner], officer, approver) -> None:
    data = _toml("registry.toml")
    today = timezone.localdate()
    articles = dict(
        Article.objects.filter(import_key__isnull=False).values_list("import_key", "pk")
    )
    names = _partner_names(partners)
    own = OwnWords(data)
    for index, item in enumerate(data["delegation"]):
        start = item["start"]
        end = start + timedelta(days=item["days"] - 1)
        if Delegation.objects.filter(
            direction=item["dir"], start=start, organisation=item["org"]
        ).exists():
            continue
        outgoing = item["dir"] == "out"
        decided = start - timedelta(days=12 + _seed("decision", index) % 14)
        delegation = Delegation.objects.create(
            direction=item["dir"],
            start=start,
            end=end,
            countries=item["countries"],
            partner=partners.get(item.get("partner", "")),
            organisation=item["org"],
            level=item["level"],
            leader=item["leader"],
            purpose=item["purpose"],
            field=item.get("field", ""),
            members_count=item["members"],
            funding=item["funding"],
            unit=item.get("unit", ""),
            decision_number=f"{100 + _seed('number', index) % 2900}/QĐ-UBND" if outgoing else "",
            decision_date=decided if outgoing else None,
            report=data["report"][item["purpose"]] if end < today else "",
            article_id=articles.get(item.get("article", "")),
            public=item["state"] != "internal",
        )
        template = _template(data, item)
        place = _place(data, item, names)
        values = {"organisation": item["org"], "leader": item["leader"], "field": item.get("field")}
        for lang in languages.codes():
            words = item.get("text", {}).get(lang) or template.get(lang)
            if not words:
                continue
            origin = _names(data, item, names, lang)
            DelegationText.objects.create(
                delegation=delegation,
                language=lang,
                title=words["title"].format(origin=origin)[:200],
                summary=words.get("summary", "").format(origin=origin),
                **own.texts(DELEGATION_OWN, values, lang, place),
            )
        _members(delegation, index, item)
        added = _at(
            min(decided, start - timedelta(days=30)) if outgoing else start - timedelta(days=21), 10
        )
        publish_at = None
        if item["state"] in {"live", "changed"}:
            publish_at = _at(end + timedelta(days=2), 11)
        _keep(delegation, officer, approver, added=added, publish_at=publish_at)
        if item["state"] == "changed":
            when = _at(end + timedelta(days=20), 16)
            _change(
                delegation,
                officer,
                _with_own_words(item["change"], values, DELEGATION_OWN, own, place),
                "texts",
                when,
                rename={"members": "members_count"},
            )
        report.add("delegations")


# --- agreements ----------------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years) + timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28) + timedelta(days=1)


def load_agreements(report: Report, partners: dict[str, Partner], officer, approver) -> None:
    data = _toml("registry.toml")
    today = timezone.localdate()
    names = _partner_names(partners)
    own = OwnWords(data)
    for index, item in enumerate(data["agreement"]):
        if AgreementText.objects.filter(language="vi", title=item["vi"]["title"]).exists():
            continue
        signed, expires = item.get("signed_on"), item.get("expires_on")
        if "expires_in_days" in item:
            expires = today + timedelta(days=item["expires_in_days"])
            signed = _years_before(expires, item["term_years"])
        status = item["status"]
        if status == "in_force" and expires and expires < today:
            status = "expired"
        reported = item.get("reported_on")
        if reported is None and signed and signed.year >= 2021:  # the 2020 law asks for it
            reported = signed + timedelta(days=20)
        agreement = Agreement.objects.create(
            number=item["number"].format(year=signed.year if signed else today.year),
            kind=item["kind"],
            parties=item["parties"],
            signed_on=signed,
            signed_at=item.get("signed_at", ""),
            signatories=item.get("signatories", ""),
            term_years=item.get("term_years"),
            expires_on=expires,
            status=status,
            partner=partners.get(item.get("partner", "")),
            reported_on=reported if reported and reported <= today else None,
            public=item["public"],
        )
        place = names.get(item.get("partner", ""))
        for lang in languages.codes():
            if lang in item:
                words = own.texts(AGREEMENT_OWN, item, lang, place)
                AgreementText.objects.create(
                    agreement=agreement, language=lang, **{**words, **item[lang]}
                )
        added = _at((signed or today - timedelta(days=40)) + timedelta(days=5), 9, index)
        publish_at = added + timedelta(days=2) if item["public"] else None
        _keep(agreement, officer, approver, added=added, publish_at=publish_at)
        report.add("international agreements")


# --- foreign NGOs and their projects ----------------------------------------------------------


def load_aid(report: Report, officer, approver) -> None:
    data = _toml("registry.toml")
    for item in data["organisation"]:
        organisation = Organisation.objects.filter(name=item["name"]).first()
        if organisation is None:
            organisation = Organisation.objects.create(
                name=item["name"],
                short_name=item.get("short_name", ""),
                name_vi=item.get("name_vi", ""),
                country=item["country"],
                registration=item["registration"],
                registration_number=item.get("registration_number", ""),
                registered_on=item.get("registered_on"),
                registration_expires=item.get("registration_expires"),
                website=item.get("website", ""),
                public=item["public"],
            )
            added = _at(item["registered_on"] + timedelta(days=3), 9)
            _keep(
                organisation,
                officer,
                approver,
                added=added,
                publish_at=added + timedelta(days=2) if item["public"] else None,
            )
            report.add("foreign NGOs")
        for project in item.get("project", []):
            if AidProject.objects.filter(code=project["code"]).exists():
                continue
            row = AidProject.objects.create(
                organisation=organisation,
                code=project["code"],
                sector=project["sector"],
                district=project.get("district", ""),
                currency=project["currency"],
                committed=Decimal(project["committed"]),
                disbursed=Decimal(project["disbursed"]),
                usd_rate=Decimal(project["usd_rate"]),
                start=project["start"],
                end=project.get("end"),
                status=project["status"],
                approval_decision=project.get("approval_decision", ""),
                public=project["public"],
            )
            for lang in languages.codes():
                if lang in project["title"]:
                    AidProjectText.objects.create(
                        project=row, language=lang, title=project["title"][lang]
                    )
            added = _at(project["start"] - timedelta(days=20), 14)
            _keep(
                row,
                officer,
                approver,
                added=added,
                publish_at=added + timedelta(days=3) if project["public"] else None,
            )
            report.add("aid projects")


def load_registry(report: Report) -> None:
    """Everything above, by the demo's registry officer and approver (made by load_users)."""
    User = get_user_model()
    officer = User.objects.get(username=OFFICER)
    approver = User.objects.get(username=APPROVER)
    partners = load_partners(report, officer, approver)
    load_delegations(report, partners, officer, approver)
    load_agreements(report, partners, officer, approver)
    load_aid(report, officer, approver)
