"""Reads over the daily view buckets: most read today, this week and this month.

A period is a number of local days ending today (`DailyViews.day` is the local
date a view was counted on). Only translations readers can see now count
(`ArticleTranslation.objects.published()`); ties go to the newer article.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.db.models import Sum
from django.utils import timezone

from cangxanh.core.compiled import Compiled
from cangxanh.news.models import ArticleTranslation

# Period key -> local days, today included.
PERIODS: dict[str, int] = {"today": 1, "week": 7, "month": 30}
# A period with fewer articles read than this is too quiet to open the block with:
# the home page opens on the next longer one (today says so in its own tab).
MIN_ITEMS = 3


@dataclass(frozen=True)
class Reading:
    translation: ArticleTranslation
    views: int  # in the period


@dataclass
class PeriodList:
    key: str
    days: int
    readings: list[Reading]
    selected: bool = False


# What a reading's link needs; the section's id comes last.
_FIELDS = ["id", "article_id", "language", "title", "slug", "published_at"]
_COLUMNS = (*_FIELDS, "article__section_id")


def _ranking_query(lang, now, since, today, limit: int):
    """Rows of _COLUMNS and `period_views`, most read first (grouped by those columns only)."""
    return (
        ArticleTranslation.objects.published(now)
        .news()
        .in_language(lang)
        .filter(daily_views__day__gte=since, daily_views__day__lte=today)
        .values(*_COLUMNS)
        .annotate(period_views=Sum("daily_views__count"))
        .filter(period_views__gt=0)
        .order_by("-period_views", "-published_at", "-id")
        .values_list(*_COLUMNS, "period_views")[:limit]
    )


_RANKINGS: dict[int, Compiled] = {}  # per limit (a LIMIT is part of the SQL text)


def _ranking(lang: str, days: int, limit: int) -> list[tuple]:
    compiled = _RANKINGS.get(limit)
    if compiled is None:
        compiled = _RANKINGS[limit] = Compiled(partial(_ranking_query, limit=limit))
    today = timezone.localdate()
    return compiled(
        lang=lang, now=timezone.now(), since=today - timedelta(days=days - 1), today=today
    )


def most_read_periods(
    lang: str,
    limit: int = 5,
    periods: tuple[str, ...] = tuple(PERIODS),
    exclude: Collection[int] = (),
) -> list[PeriodList]:
    """The most read translations in `lang` for each period, but those of `exclude`
    (translation ids: what the page shows already), the next ones taking their places.

    Queries: one ranking per period, which brings what the links need (title,
    slug, section) along with the sums — the same count whatever the limit or
    the traffic. Each reading's translation holds those columns only (others
    would be read on access), its article's section comes with its names.
    The first period with at least MIN_ITEMS articles is marked `selected`,
    else the longest period that has any. Nothing read in any period: [].
    """
    from cangxanh.news import kinds
    from cangxanh.news.models import Article
    from cangxanh.news.queries import section_index

    # As many more as could be left out, so each list still holds `limit` when it can.
    wanted = limit + len(exclude)
    ranked = {}
    for key in periods:
        rows = _ranking(lang, PERIODS[key], wanted)
        ranked[key] = [row for row in rows if row[0] not in exclude][:limit]
    if not any(ranked.values()):
        return []
    sections = section_index().by_id
    by_id: dict[int, ArticleTranslation] = {}
    for rows in ranked.values():
        for row in rows:
            if row[0] in by_id:
                continue
            translation = ArticleTranslation.from_db("default", _FIELDS, row[:-2])
            # News only (the ranking says so): the kind is known without reading it.
            article = Article.from_db(
                "default", ["id", "kind", "section_id"], (row[1], kinds.NEWS, row[-2])
            )
            if article.section_id in sections:
                article.section = sections[article.section_id]
            translation.article = article
            by_id[row[0]] = translation
    result = [
        PeriodList(
            key=key,
            days=PERIODS[key],
            readings=[Reading(by_id[row[0]], row[-1]) for row in ranked[key]],
        )
        for key in periods
    ]
    chosen = next((p for p in result if len(p.readings) >= MIN_ITEMS), None)
    chosen = chosen or next((p for p in reversed(result) if p.readings), result[-1])
    chosen.selected = True
    return result


def most_read(lang: str, period: str, limit: int = 5) -> list[Reading]:
    """The `limit` most read public translations in `lang` over `period` ("today",
    "week" or "month"), with their views in it; three queries at most, whatever the limit."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; one of {', '.join(PERIODS)}")
    found = most_read_periods(lang, limit, periods=(period,))
    return found[0].readings if found else []


# --- The home page's visits figure ------------------------------------------------------

# How long the figure is reused. The home page itself is kept 60 s by the page cache
# (and 30 s more by browsers), so a reader sees views at most about two minutes old;
# a render that misses the page cache (another language, another process) costs no
# sum over every translation more than once a minute (once for all processes with Redis).
VISITS_FIGURE_SECONDS = 60
_FIGURE_KEY = "stats:visits-figure"


@dataclass(frozen=True)
class VisitsFigure:
    today: int  # views counted today (local day)
    total: int  # every view ever counted


def visits_figure() -> VisitsFigure:
    """Views today and in all, as the home page shows them: one query a minute."""
    from django.core.cache import cache
    from django.db import connection

    from cangxanh.core import redis

    from .models import DailyViews

    today = timezone.localdate()
    try:
        kept = cache.get(_FIGURE_KEY)
    except redis.errors():
        kept = None
    if kept and kept[0] == today.isoformat():  # a new day starts at zero at once
        return VisitsFigure(kept[1], kept[2])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COALESCE(SUM(view_count), 0) FROM {ArticleTranslation._meta.db_table}),"
            f" (SELECT COALESCE(SUM(count), 0) FROM {DailyViews._meta.db_table} WHERE day = %s)",
            [today],
        )
        total, counted_today = cursor.fetchone()
    figure = VisitsFigure(today=int(counted_today), total=int(total))
    try:
        cache.set(
            _FIGURE_KEY, (today.isoformat(), figure.today, figure.total), VISITS_FIGURE_SECONDS
        )
    except redis.errors():
        pass
    return figure
