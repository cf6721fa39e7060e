"""The newsroom's visit statistics (/editorial/visits/): counted views per day by
language and by section, the most read, and where readers came from by kind.

Every number comes from the daily buckets (`DailyViews`, `DailyReferrers`), which
keep no address and no referring page; each builder returns a charts.Table, so
the page's chart, its table and its CSV and XLSX files say the same.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from cangxanh.charts import Chart, ChartSet, Column, Filter, Row, Table, day_row, format_number
from cangxanh.core import languages

from .models import DailyReferrers, DailyViews, ReferrerKind

PERIODS = ("7", "30", "90")  # days, today included
TOP_LIMIT = 20


def period(days: int) -> tuple[date, date]:
    until = timezone.localdate()
    return until - timedelta(days=days - 1), until


def _days(since: date, until: date) -> list[date]:
    return [since + timedelta(days=n) for n in range((until - since).days + 1)]


def _per_day(rows, columns: list, days: list[date]) -> list[Row]:
    """Rows of one day each (zeros kept: a quiet day is a fact too) from
    {(day, column key): count}."""
    lang = get_language()
    return [day_row(day, [rows.get((day, key), 0) for key in columns], lang) for day in days]


def _views_summary(total: int, days: int, leader: str, count: int) -> str:
    if not total:
        return ngettext(
            "No views were counted in the last %(days)s day.",
            "No views were counted in the last %(days)s days.",
            days,
        ) % {"days": days}
    return ngettext(
        "%(total)s views in the last %(days)s day; the most in %(leader)s (%(count)s).",
        "%(total)s views in the last %(days)s days; the most in %(leader)s (%(count)s).",
        days,
    ) % {
        "total": format_number(total),
        "days": days,
        "leader": leader,
        "count": format_number(count),
    }


def by_language(days: int) -> Table:
    since, until = period(days)
    found = {
        (row["day"], row["translation__language"]): row["views"]
        for row in DailyViews.objects.filter(day__range=(since, until))
        .values("day", "translation__language")
        .annotate(views=Sum("count"))
    }
    langs = languages.enabled()
    codes = [lang.code for lang in langs]
    sums = {code: sum(n for (_day, c), n in found.items() if c == code) for code in codes}
    leader = max(codes, key=lambda code: sums[code]) if codes else ""
    return Table(
        caption=_("Views per day by language"),
        summary=_views_summary(
            sum(sums.values()), days, languages.get(leader).native_name, sums.get(leader, 0)
        ),
        row_heading=_("Day"),
        columns=[Column(lang.native_name) for lang in langs],
        rows=_per_day(found, codes, _days(since, until)),
    )


def _section_names() -> dict:
    """(section id or None, kind) → name in the active language (the sections as every
    page reads them: news.queries.section_index, in menu order)."""
    from cangxanh.news import kinds
    from cangxanh.news.queries import section_index

    lang = get_language()
    names = {}
    for section in section_index().sections:
        shown = section.translation(lang) or next(iter(section.translations.all()), None)
        names[section.pk] = shown.name if shown else section.key
    for kind in kinds.all_kinds():
        names[kind.code] = str(kind.label_plural)
    return names


def by_section(days: int) -> Table:
    since, until = period(days)
    found: dict[tuple[date, object], int] = {}
    for row in (
        DailyViews.objects.filter(day__range=(since, until))
        .values("day", "translation__article__section_id", "translation__article__kind")
        .annotate(views=Sum("count"))
    ):
        key = row["translation__article__section_id"] or row["translation__article__kind"]
        found[(row["day"], key)] = found.get((row["day"], key), 0) + row["views"]
    names = _section_names()
    sums: dict[object, int] = {}
    for (_day, key), n in found.items():
        sums[key] = sums.get(key, 0) + n
    order = list(names)  # sections by position, then the other kinds
    keys = sorted(
        (k for k in sums if sums[k]), key=lambda k: order.index(k) if k in order else len(order)
    )
    leader = max(keys, key=lambda k: sums[k]) if keys else None
    return Table(
        caption=_("Views per day by section"),
        summary=_views_summary(
            sum(sums.values()), days, names.get(leader, "") if leader else "", sums.get(leader, 0)
        ),
        row_heading=_("Day"),
        columns=[Column(names.get(key, str(key))) for key in keys],
        rows=_per_day(found, keys, _days(since, until)),
    )


def top_articles(days: int, limit: int = TOP_LIMIT) -> Table:
    from cangxanh.news.models import ArticleTranslation

    since, until = period(days)
    ranked = list(
        DailyViews.objects.filter(day__range=(since, until))
        .values("translation_id")
        .annotate(views=Sum("count"))
        .filter(views__gt=0)
        .order_by("-views", "-translation_id")[:limit]
    )
    found = {
        pk: (title, language)
        for pk, title, language in ArticleTranslation.objects.filter(
            pk__in=[r["translation_id"] for r in ranked]
        ).values_list("pk", "title", "language")
    }
    rows = []
    for r in ranked:
        title, language = found.get(r["translation_id"], ("", ""))
        rows.append(Row(f"{title} ({languages.get(language).label})", (r["views"],)))
    if rows:
        summary = ngettext(
            "The %(count)s most read articles of the last %(days)s day; the first was read %(views)s times.",
            "The %(count)s most read articles of the last %(days)s days; the first was read %(views)s times.",
            days,
        ) % {"count": len(rows), "days": days, "views": format_number(rows[0].values[0])}
    else:
        summary = ngettext(
            "No article was read in the last %(days)s day.",
            "No article was read in the last %(days)s days.",
            days,
        ) % {"days": days}
    return Table(
        caption=_("Most read articles"),
        summary=summary,
        row_heading=_("Article"),
        columns=[Column(_("Views"))],
        rows=rows,
    )


def referrers(days: int) -> Table:
    since, until = period(days)
    found = {
        (row["day"], row["kind"]): row["views"]
        for row in DailyReferrers.objects.filter(day__range=(since, until))
        .values("day", "kind")
        .annotate(views=Sum("count"))
    }
    kinds = list(ReferrerKind)
    sums = {kind.value: sum(n for (_d, k), n in found.items() if k == kind.value) for kind in kinds}
    total = sum(sums.values())
    if total:
        leader = max(kinds, key=lambda kind: sums[kind.value])
        summary = ngettext(
            "Of %(total)s views in the last %(days)s day, the most (%(count)s) came from: %(kind)s.",
            "Of %(total)s views in the last %(days)s days, the most (%(count)s) came from: %(kind)s.",
            days,
        ) % {
            "total": format_number(total),
            "days": days,
            "kind": leader.label,
            "count": format_number(sums[leader.value]),
        }
    else:
        summary = ngettext(
            "No views were counted in the last %(days)s day.",
            "No views were counted in the last %(days)s days.",
            days,
        ) % {"days": days}
    return Table(
        caption=_("Where readers came from, per day"),
        summary=summary,
        row_heading=_("Day"),
        columns=[Column(str(kind.label)) for kind in kinds],
        rows=_per_day(found, [kind.value for kind in kinds], _days(since, until)),
        notes=(
            _(
                "Only the kind of site is kept, from the address the browser names: "
                "no reader's address and no referring page."
            ),
        ),
    )


def _filename(name: str):
    """visits-<name>-<first day>-<last day>: what the file holds, in its name."""

    def named(days: int) -> str:
        since, until = period(days)
        return f"visits-{name}-{since.isoformat()}-{until.isoformat()}"

    return named


def _chart(chart_id: str, build, kind: str, **options) -> Chart:
    return Chart(
        chart_id, build, kind=kind, uses=("days",), filename=_filename(chart_id), **options
    )


CHARTS = ChartSet(
    [
        _chart("languages", by_language, "line", totals=True, collapse=True),
        _chart("sections", by_section, "vstacked", totals=True, collapse=True),
        _chart("top", top_articles, "hbar"),
        _chart("referrers", referrers, "vstacked", totals=True, collapse=True),
    ],
    [Filter("days", default="30", choices=PERIODS, parse=int)],
    prefix="visits-",
)


def totals(days: int) -> dict[str, int]:
    """The figures above the charts: views in the period, today, and in all."""
    from .queries import visits_figure

    since, until = period(days)
    in_period = DailyViews.objects.filter(day__range=(since, until)).aggregate(n=Sum("count"))["n"]
    figure = visits_figure()
    return {"period": in_period or 0, "today": figure.today, "total": figure.total}
