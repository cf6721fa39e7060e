"""The registries in the open data API (`/api/v1/partners/`, `delegations/`,
`agreements/`, `aid-projects/`, `statistics/`): the public copies only, so the API
says what the public pages say and nothing the newsroom keeps (members, units,
permission decisions, reports, attachments)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from ninja import Router, Schema
from ninja.params import Path

from cangxanh.api import datasets, paging, respond
from cangxanh.api.content import absolute
from cangxanh.api.errors import ApiError
from cangxanh.api.schemas import ERRORS, CursorParam, LangParam, LimitParam, list_of, one_of
from cangxanh.news.models import reverse_in

from . import models
from .queries import _texts as _text

# --- Shapes ----------------------------------------------------------------------------


class Texts(Schema):
    language: str
    translated: bool


class PartnerOut(Schema):
    slug: str
    url: str
    name: str
    native_name: str
    language: str
    translated: bool
    country: str
    region: str
    relation: str
    established_on: str | None
    established_by: str
    latitude: float
    longitude: float
    area_km2: int | None
    population: int | None
    population_year: int | None
    illustrative: bool
    summary: str
    location: str
    economy: str
    landmarks: str
    cooperation: str


class DelegationOut(Schema):
    id: int
    direction: str
    start: str
    end: str
    countries: list[str]
    partner: str | None
    organisation: str
    level: str
    leader: str
    purpose: str
    field: str
    members_count: int
    funding: str
    title: str
    summary: str
    language: str
    translated: bool


class AgreementOut(Schema):
    id: int
    number: str
    kind: str
    parties: str
    signed_on: str | None
    signed_at: str
    signatories: str
    term_years: int | None
    expires_on: str | None
    status: str
    partner: str | None
    title: str
    summary: str
    language: str
    translated: bool


class AidProjectOut(Schema):
    id: int
    organisation: str
    organisation_country: str
    code: str
    sector: str
    district: str
    currency: str
    committed: str
    disbursed: str
    usd_rate: str
    committed_usd: str
    disbursed_usd: str
    start: str
    end: str | None
    status: str
    title: str
    summary: str
    language: str
    translated: bool


class StatisticRow(Schema):
    label: str
    key: str
    values: list[float | None]


class StatisticOut(Schema):
    id: str
    caption: str
    summary: str
    row_heading: str
    columns: list[str]
    rows: list[StatisticRow]
    notes: list[str]
    page: str
    csv: str
    xlsx: str


PartnerList = list_of(PartnerOut, "PartnerList")
PartnerOne = one_of(PartnerOut, "PartnerOne")
DelegationList = list_of(DelegationOut, "DelegationList")
AgreementList = list_of(AgreementOut, "AgreementList")
AidProjectList = list_of(AidProjectOut, "AidProjectList")
StatisticList = list_of(StatisticOut, "StatisticList")

# --- Reading public copies ---------------------------------------------------------------


def _public(model):
    return model.objects.filter(public_data__isnull=False)


def _partner_slugs() -> dict[int, str]:
    return dict(_public(models.Partner).values_list("pk", "slug"))


def _own(data: dict, text: dict, keys: tuple[str, ...]) -> dict:
    """The office's own words, in the text's language where its text row has them."""
    return {key: text.get(key) or data.get(key) or "" for key in keys}


def _partner(row, lang: str) -> dict:
    data = row.public_data
    text, text_lang = _text(data, lang)
    return {
        "slug": data["slug"],
        "url": absolute(reverse_in(lang, "registry:partner", slug=data["slug"])),
        "name": text.get("name") or data["native_name"],
        "native_name": data["native_name"],
        "language": text_lang or lang,
        "translated": text_lang == lang,
        "country": data["country"],
        "region": text.get("country_region", ""),
        "relation": data["relation"],
        "established_on": data["established_on"],
        **_own(data, text, ("established_by",)),
        "latitude": data["latitude"],
        "longitude": data["longitude"],
        "area_km2": data["area_km2"],
        "population": data["population"],
        "population_year": data["population_year"],
        "illustrative": data["illustrative"],
        **{
            key: text.get(key, "")
            for key in ("summary", "location", "economy", "landmarks", "cooperation")
        },
    }


def _delegation(row, lang: str, slugs: dict) -> dict:
    data = row.public_data
    text, text_lang = _text(data, lang)
    return {
        "id": row.pk,
        **{
            key: data[key]
            for key in (
                "direction",
                "start",
                "end",
                "countries",
                "level",
                "purpose",
                "members_count",
                "funding",
            )
        },
        **_own(data, text, ("organisation", "leader", "field")),
        "partner": slugs.get(data["partner"]),
        "title": text.get("title") or data["organisation"],
        "summary": text.get("summary", ""),
        "language": text_lang or lang,
        "translated": text_lang == lang,
    }


def _agreement(row, lang: str, slugs: dict) -> dict:
    data = row.public_data
    text, text_lang = _text(data, lang)
    return {
        "id": row.pk,
        **{
            key: data[key]
            for key in ("number", "kind", "signed_on", "term_years", "expires_on", "status")
        },
        **_own(data, text, ("parties", "signatories", "signed_at")),
        "partner": slugs.get(data["partner"]),
        "title": text.get("title") or data["number"] or data["parties"],
        "summary": text.get("summary", ""),
        "language": text_lang or lang,
        "translated": text_lang == lang,
    }


def _project(row, lang: str, organisations: dict) -> dict:
    data = row.public_data
    text, text_lang = _text(data, lang)
    organisation = organisations[data["organisation"]]
    return {
        "id": row.pk,
        "organisation": organisation["name"],
        "organisation_country": organisation["country"],
        **{
            key: data[key]
            for key in (
                "code",
                "sector",
                "district",
                "currency",
                "committed",
                "disbursed",
                "usd_rate",
                "committed_usd",
                "disbursed_usd",
                "start",
                "end",
                "status",
            )
        },
        "title": text.get("title") or data["code"],
        "summary": text.get("summary", ""),
        "language": text_lang or lang,
        "translated": text_lang == lang,
    }


# --- Endpoints ---------------------------------------------------------------------------

partners_router = Router(tags=["partners"])
Slug = Path(..., max_length=80, description=gettext_noop("The partner's address name."))


@partners_router.get(
    "/",
    response={200: PartnerList, **ERRORS},
    url_name="partners",
    summary=gettext_noop("Partner localities"),
    description=gettext_noop(
        "The city's partner localities (sister cities, friendship and cooperation), by address name."
    ),
)
def partners(request, lang: LangParam = "vi", cursor: CursorParam = None, limit: LimitParam = 20):
    found = paging.page(
        request,
        _public(models.Partner),
        dataset="partners",
        order=paging.Order("slug", "str", descending=False),
        cursor=cursor,
        limit=limit,
    )
    return respond.listing(lang, [_partner(row, lang) for row in found.rows], found, limit)


@partners_router.get(
    "/{slug}/",
    response={200: PartnerOne, **ERRORS},
    url_name="partner",
    summary=gettext_noop("One partner locality"),
    description=gettext_noop(
        "A partner locality's profile in the language asked (or the language it is written in)."
    ),
)
def partner(request, slug: str = Slug, lang: LangParam = "vi"):
    row = _public(models.Partner).filter(slug=slug).first()
    if row is None:
        raise ApiError.not_found()
    return respond.single(lang, _partner(row, lang))


delegations_router = Router(tags=["delegations"])


@delegations_router.get(
    "/",
    response={200: DelegationList, **ERRORS},
    url_name="delegations",
    summary=gettext_noop("Delegations"),
    description=gettext_noop(
        "Delegations the city received and sent, newest first (never their members)."
    ),
)
def delegations(
    request, lang: LangParam = "vi", cursor: CursorParam = None, limit: LimitParam = 20
):
    found = paging.page(
        request,
        _public(models.Delegation),
        dataset="delegations",
        order=paging.Order("start", "date"),
        cursor=cursor,
        limit=limit,
    )
    slugs = _partner_slugs()
    return respond.listing(
        lang, [_delegation(row, lang, slugs) for row in found.rows], found, limit
    )


agreements_router = Router(tags=["agreements"])


@agreements_router.get(
    "/",
    response={200: AgreementList, **ERRORS},
    url_name="agreements",
    summary=gettext_noop("International agreements"),
    description=gettext_noop("International agreements the city signed, by number."),
)
def agreements(request, lang: LangParam = "vi", cursor: CursorParam = None, limit: LimitParam = 20):
    found = paging.page(
        request,
        _public(models.Agreement),
        dataset="agreements",
        order=paging.Order("pk", "int", descending=False),
        cursor=cursor,
        limit=limit,
    )
    slugs = _partner_slugs()
    return respond.listing(lang, [_agreement(row, lang, slugs) for row in found.rows], found, limit)


aid_router = Router(tags=["aid"])


@aid_router.get(
    "/",
    response={200: AidProjectList, **ERRORS},
    url_name="aid-projects",
    summary=gettext_noop("Foreign NGO aid projects"),
    description=gettext_noop(
        "Aid projects of foreign non-governmental organisations in the city, with amounts committed and disbursed."
    ),
)
def aid_projects(
    request, lang: LangParam = "vi", cursor: CursorParam = None, limit: LimitParam = 20
):
    organisations = {
        pk: data for pk, data in _public(models.Organisation).values_list("pk", "public_data")
    }
    rows = _public(models.AidProject).filter(organisation_id__in=list(organisations))
    found = paging.page(
        request,
        rows,
        dataset="aid-projects",
        order=paging.Order("start", "date"),
        cursor=cursor,
        limit=limit,
    )
    return respond.listing(
        lang, [_project(row, lang, organisations) for row in found.rows], found, limit
    )


statistics_router = Router(tags=["statistics"])


@statistics_router.get(
    "/",
    response={200: StatisticList, **ERRORS},
    url_name="statistics",
    summary=gettext_noop("Foreign relations in figures"),
    description=gettext_noop(
        "The tables behind the statistics page's charts (every year, both directions), with their CSV and XLSX files."
    ),
)
def statistics(request, lang: LangParam = "vi"):
    from django.utils import translation

    from cangxanh.charts.states import ChartState

    from .statistics import chart_set

    out = []
    with translation.override(lang):
        path = reverse_in(lang, "registry:statistics")
        charts = chart_set(lang)
        defaults = charts.clean({})  # every year, both directions
        for chart in charts.charts.values():
            state = ChartState(charts, chart, defaults, path)
            table = state.table
            out.append(
                {
                    "id": state.id,
                    "caption": table.caption,
                    "summary": table.summary,
                    "row_heading": table.row_heading,
                    "columns": [column.title for column in table.columns],
                    "rows": [
                        {
                            "label": row.label,
                            "key": str(row.file_key),
                            "values": [None if v is None else float(v) for v in row.values],
                        }
                        for row in table.rows
                    ],
                    "notes": list(table.notes),
                    "page": absolute(state.url),
                    "csv": absolute(state.csv_url),
                    "xlsx": absolute(state.xlsx_url),
                }
            )
    return respond.listing(lang, out, None, len(out))


def register() -> None:
    for key, router, title, description, theme in (
        (
            "partners",
            partners_router,
            _("Partner localities"),
            _(
                "The city's sister and friendship cities and cooperation partners: where they are, since when, and their profiles."
            ),
            "REGI",
        ),
        (
            "delegations",
            delegations_router,
            _("Delegations"),
            _(
                "Delegations the city received and sent: dates, countries, level, purpose and funding."
            ),
            "GOVE",
        ),
        (
            "agreements",
            agreements_router,
            _("International agreements"),
            _("International agreements of the city: parties, dates, term and status."),
            "GOVE",
        ),
        (
            "aid-projects",
            aid_router,
            _("Foreign NGO aid projects"),
            _("Aid projects of foreign NGOs in the city: sector, district, amounts and periods."),
            "ECON",
        ),
        (
            "statistics",
            statistics_router,
            _("Foreign relations in figures"),
            _(
                "The statistics page's tables: partners by country, delegations by year, country and purpose, aid by sector and year."
            ),
            "GOVE",
        ),
    ):
        datasets.register(
            datasets.Dataset(key, router, title, description, theme=theme, list_name=key)
        )
