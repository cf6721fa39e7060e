"""Reads over the daily view buckets: most read today, this week and this month.

A period is a number of local days ending today (`DailyViews.day` is the local
date a view was counted on). Only translations readers can see now count
(`ArticleTranslation.objects.published()`); ties go to the newer article.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

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


def _ranking(lang: str, days: int):
    today = timezone.localdate()
    return (
        ArticleTranslation.objects.published()
        .in_language(lang)
        .filter(
            daily_views__day__gte=today - timedelta(days=days - 1),
            daily_views__day__lte=today,
        )
        .annotate(period_views=Sum("daily_views__count"))
        .filter(period_views__gt=0)
        .order_by("-period_views", "-published_at", "-id")
    )


def most_read_periods(
    lang: str, limit: int = 5, periods: tuple[str, ...] = tuple(PERIODS)
) -> list[PeriodList]:
    """The most read translations in `lang` for each period.

    Queries: one ranking per period (ids and sums only), then, when anything was
    read, one fetch of the ranked translations and one of their section names
    (for the links) — the same count whatever the limit or the traffic.
    The first period with at least MIN_ITEMS articles is marked `selected`,
    else the longest period that has any. Nothing read in any period: [].
    """
    ranked = {
        key: list(_ranking(lang, PERIODS[key]).values_list("pk", "period_views")[:limit])
        for key in periods
    }
    ids = {pk for rows in ranked.values() for pk, _views in rows}
    if not ids:
        return []
    rows = (
        ArticleTranslation.objects.filter(pk__in=ids)
        .select_related("article__section")
        .prefetch_related("article__section__translations")
    )
    by_id = {row.pk: row for row in rows}
    result = [
        PeriodList(
            key=key,
            days=PERIODS[key],
            readings=[Reading(by_id[pk], views) for pk, views in ranked[key] if pk in by_id],
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
