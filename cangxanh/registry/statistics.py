"""`/<lang>/statistics/`: the city's foreign relations at a glance, from what readers
may see (the registries' public copies): partners by country, delegations by year
and direction, by country and by purpose, aid by sector and by year.

Each chart is a `charts.Table` first (the HTML table, the SVG and the CSV and XLSX
files all come from it, so they agree), at one address per state
(`?chart=…&year=…&direction=…`, see `charts.states`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from cangxanh.charts.states import Chart, ChartSet, Filter
from cangxanh.charts.tables import DECIMAL, Column, Row, Table, format_number
from cangxanh.core import collation
from cangxanh.delivery.middleware import public_page

from . import models, queries
from .views import _alternates, _choices_label, country_name

ALL = "all"


def _years(lang: str) -> list[str]:
    years = {d.start[:4] for d in queries.delegations(lang)}
    years |= {p.start[:4] for p in queries.projects(lang)}
    return sorted(years)


def _delegations(lang: str, year: str, direction: str):
    return [
        d
        for d in queries.delegations(lang)
        if (year == ALL or d.start[:4] == year) and (direction == ALL or d.direction == direction)
    ]


def scope(year: str, direction: str) -> str:
    """The choice a chart shows, in words: "incoming (received), 2025"."""
    parts = []
    if direction != ALL:
        parts.append(_choices_label(models.Direction, direction))
    parts.append(_("all years") if year == ALL else year)
    return ", ".join(parts)


def _top(counter: Counter, limit: int = 12) -> list[tuple[str, int]]:
    """The largest counts of countries (by their codes), named, then "other" for the rest
    (long tails read badly on a phone). Ties go by the code, so every language shows the
    same countries."""
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    named = [(country_name(code), count) for code, count in ranked]
    if len(named) <= limit:
        return named
    head, tail = named[: limit - 1], named[limit - 1 :]
    return head + [(_("other countries"), sum(count for _label, count in tail))]


def _by_count(counts, lang: str) -> list:
    """(label, count), the largest first, ties in the reader's alphabet (Vietnamese:
    "Đức" after "Cuba", not after "Thái Lan")."""
    return sorted(counts.items(), key=lambda item: (-item[1], collation.key(item[0], lang)))


def labelled(amounts: Counter, choices) -> Counter:
    """`amounts` by code as amounts by their label (capitalised): each label translated
    once, not once a record."""
    out: Counter = Counter()
    for code, amount in amounts.items():
        out[capfirst(_choices_label(choices, code))] += amount
    return out


def partners_by_country(lang: str) -> Table:
    partners = queries.partners(lang)
    counts = Counter(country_name(p.country) for p in partners)
    rows = tuple(Row(label, (count,)) for label, count in _by_count(counts, lang))
    leader = rows[0].label if rows else ""
    summary = (
        ngettext(
            "%(count)s partner locality in %(countries)s countries; the most in %(leader)s.",
            "%(count)s partner localities in %(countries)s countries; the most in %(leader)s.",
            len(partners),
        )
        % {"count": len(partners), "countries": len(counts), "leader": leader}
        if partners
        else _("No partner localities are published yet.")
    )
    return Table(
        caption=_("Partner localities by country"),
        summary=summary,
        row_heading=_("Country"),
        columns=(Column(_("Partner localities")),),
        rows=rows,
    )


def delegations_by_year(lang: str, direction: str) -> Table:
    rows_in: Counter = Counter()
    rows_out: Counter = Counter()
    for d in _delegations(lang, ALL, direction):
        (rows_in if d.direction == models.Direction.INCOMING else rows_out)[d.start[:4]] += 1
    years = sorted(set(rows_in) | set(rows_out))
    rows = tuple(Row(year, (rows_in[year], rows_out[year]), key=int(year)) for year in years)
    total = sum(rows_in.values()) + sum(rows_out.values())
    counts = {y: rows_in[y] + rows_out[y] for y in years}
    busiest = [y for y in years if counts[y] == max(counts.values())] if years else []
    summary = (
        ngettext(
            "%(total)s delegations from %(first)s to %(last)s: %(incoming)s received, "
            "%(outgoing)s sent; the busiest year was %(busiest)s.",
            "%(total)s delegations from %(first)s to %(last)s: %(incoming)s received, "
            "%(outgoing)s sent; the busiest years were %(busiest)s.",
            len(busiest),
        )
        % {
            "total": total,
            "first": years[0],
            "last": years[-1],
            "incoming": sum(rows_in.values()),
            "outgoing": sum(rows_out.values()),
            "busiest": ", ".join(busiest),
        }
        if years
        else _("No delegations are published for this choice.")
    )
    return Table(
        caption=_("Delegations by year and direction"),
        summary=summary,
        row_heading=_("Year"),
        columns=(Column(_("Delegations received")), Column(_("Delegations sent"))),
        rows=rows,
    )


def delegations_by_country(lang: str, year: str, direction: str) -> Table:
    counts: Counter = Counter()
    for d in _delegations(lang, year, direction):
        for code in d.countries:
            counts[code] += 1
    rows = tuple(Row(label, (count,)) for label, count in _top(counts))
    summary = (
        _("Delegations by country (%(scope)s): %(leader)s comes first with %(count)s.")
        % {"scope": scope(year, direction), "leader": rows[0].label, "count": rows[0].values[0]}
        if rows
        else _("No delegations are published for this choice.")
    )
    return Table(
        caption=_("Delegations by country"),
        summary=summary,
        row_heading=_("Country"),
        columns=(Column(_("Delegations")),),
        rows=rows,
        notes=(_("A delegation to or from several countries counts once for each."),),
    )


def delegations_by_purpose(lang: str, year: str, direction: str) -> Table:
    counts = labelled(
        Counter(d.purpose for d in _delegations(lang, year, direction)), models.Purpose
    )
    rows = tuple(Row(label, (count,)) for label, count in _by_count(counts, lang))
    summary = (
        _("Delegations by purpose (%(scope)s): most were for %(leader)s.")
        % {"scope": scope(year, direction), "leader": rows[0].label}
        if rows
        else _("No delegations are published for this choice.")
    )
    return Table(
        caption=_("Delegations by purpose"),
        summary=summary,
        row_heading=_("Purpose"),
        columns=(Column(_("Delegations")),),
        rows=rows,
    )


def _usd(value: str) -> Decimal:
    return Decimal(value or "0")


def aid_by_sector(lang: str, year: str) -> Table:
    committed: Counter = Counter()
    disbursed: Counter = Counter()
    for p in queries.projects(lang):
        if year == ALL or p.start[:4] == year:
            committed[p.sector] += _usd(p.committed_usd)
            disbursed[p.sector] += _usd(p.disbursed_usd)
    committed = labelled(committed, models.Sector)
    disbursed = labelled(disbursed, models.Sector)
    order = [label for label, _amount in _by_count(committed, lang)]
    rows = tuple(Row(label, (float(committed[label]), float(disbursed[label]))) for label in order)
    total = sum(committed.values(), Decimal(0))
    summary = (
        _(
            "Foreign NGO projects (%(scope)s) committed %(total)s US dollars; %(leader)s received the most."
        )
        % {
            "scope": scope(year, ALL),
            "total": format_number(total, lang=lang),
            "leader": order[0],
        }
        if order
        else _("No aid projects are published for this choice.")
    )
    money = Column(_("Committed"), DECIMAL, 0, "USD"), Column(_("Disbursed"), DECIMAL, 0, "USD")
    return Table(
        caption=_("Foreign NGO aid by sector"),
        summary=summary,
        row_heading=_("Sector"),
        columns=money,
        rows=rows,
        notes=(
            _(
                "Amounts in other currencies are converted at the rate recorded when the aid was committed."
            ),
        ),
    )


def aid_by_year(lang: str) -> Table:
    committed: defaultdict = defaultdict(Decimal)
    disbursed: defaultdict = defaultdict(Decimal)
    for p in queries.projects(lang):
        committed[p.start[:4]] += _usd(p.committed_usd)
        disbursed[p.start[:4]] += _usd(p.disbursed_usd)
    years = sorted(committed)
    rows = tuple(
        Row(year, (float(committed[year]), float(disbursed[year])), key=int(year)) for year in years
    )
    summary = (
        _(
            "Aid committed by the year its project started, from %(first)s to %(last)s; the most in %(top)s."
        )
        % {"first": years[0], "last": years[-1], "top": max(years, key=lambda y: committed[y])}
        if years
        else _("No aid projects are published yet.")
    )
    return Table(
        caption=_("Foreign NGO aid by year"),
        summary=summary,
        row_heading=_("Year the project started"),
        columns=(
            Column(_("Committed"), DECIMAL, 0, "USD"),
            Column(_("Disbursed"), DECIMAL, 0, "USD"),
        ),
        rows=rows,
    )


def chart_set(lang: str) -> ChartSet:
    years = tuple(_years(lang))
    directions = (ALL, *(c.value for c in models.Direction))
    return ChartSet(
        [
            Chart("partners-by-country", lambda: partners_by_country(lang), "hbar", collapse=True),
            Chart(
                "delegations-by-year",
                lambda direction: delegations_by_year(lang, direction),
                "vstacked",
                uses=("direction",),
                totals=True,
            ),
            Chart(
                "delegations-by-country",
                lambda year, direction: delegations_by_country(lang, year, direction),
                "hbar",
                uses=("year", "direction"),
                collapse=True,
            ),
            Chart(
                "delegations-by-purpose",
                lambda year, direction: delegations_by_purpose(lang, year, direction),
                "hbar",
                uses=("year", "direction"),
            ),
            Chart(
                "aid-by-sector",
                lambda year: aid_by_sector(lang, year),
                "hbar",
                uses=("year",),
                totals=True,
            ),
            Chart("aid-by-year", lambda: aid_by_year(lang), "bar", totals=True),
        ],
        [
            Filter("year", ALL, (ALL, *years)),
            Filter("direction", ALL, directions),
        ],
        prefix="hai-phong-",
    )


@public_page(ttl=600)
@require_safe
def statistics(request):
    lang = request.LANGUAGE_CODE
    charts = chart_set(lang)
    page = charts.handle(request)
    if not hasattr(page, "states"):
        return page  # a download
    years = [y for y in charts.filters["year"].choices if y != ALL]
    return render(
        request,
        "registry/statistics.html",
        {
            "title": _("Foreign relations in figures"),
            "page": page,
            "years": years,
            "directions": models.Direction.choices,
            "active_section_slug": "partners",
            "noindex": bool(request.GET),
            **_alternates(request, "registry:statistics"),
        },
    )
