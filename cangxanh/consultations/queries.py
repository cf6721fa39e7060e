"""Reads of the consultations: the list (open, upcoming, closed), one consultation in
the languages readers see it in, its published comments, and the summary of what
was received and how it was moderated.

Every read of a consultation starts from
`ArticleTranslation.objects.published().of_kind("consultation")`, and every read of
comments from `Comment.objects.public()`, so a draft, a consultation scheduled for
later, or a comment nobody has published is never shown.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Min, Q

from cangxanh.news.models import ArticleTranslation

from .models import KIND, ConsultationFacts

UPCOMING = "upcoming"
OPEN = "open"
CLOSED = "closed"


def phase(opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """Where a consultation stands at `now`: comments are taken in [opens_at, closes_at)."""
    if now < opens_at:
        return UPCOMING
    if now < closes_at:
        return OPEN
    return CLOSED


def next_opening_or_closing(now: datetime) -> datetime | None:
    """The next moment a consultation opens or closes (delivery.version: cached pages
    change then). One query."""
    found = ConsultationFacts.objects.aggregate(
        opens=Min("opens_at", filter=Q(opens_at__gt=now)),
        closes=Min("closes_at", filter=Q(closes_at__gt=now)),
    )
    moments = [m for m in found.values() if m is not None]
    return min(moments) if moments else None


@dataclass
class Item:
    """A consultation as the list shows it."""

    id: int
    language: str  # of the texts shown
    translated: bool  # False: shown from its original, in another language than the page's
    title: str
    summary: str
    url: str
    opens_at: datetime
    closes_at: datetime
    phase: str
    comments: int = 0  # published comments


def published(lang: str | None = None):
    rows = (
        ArticleTranslation.objects.published()
        .of_kind(KIND)
        .filter(article__consultation_facts__isnull=False)
    )
    return rows if lang is None else rows.filter(language=lang)


def listing(lang: str, now: datetime) -> dict[str, list[Item]]:
    """Published consultations by phase, in `lang` or, where not translated, in their
    original language: open ones closing soonest first, upcoming ones opening soonest
    first, closed ones the latest first. Two queries."""
    rows = (
        published()
        .filter(Q(language=lang) | Q(language=F("article__original_language")))
        .select_related("article__consultation_facts")
        .order_by("article_id", "language")
    )
    chosen: dict[int, ArticleTranslation] = {}
    for row in rows:
        if row.article_id not in chosen or row.language == lang:
            chosen[row.article_id] = row
    counts = public_comment_counts(list(chosen))
    found: dict[str, list[Item]] = {OPEN: [], UPCOMING: [], CLOSED: []}
    for row in chosen.values():
        facts = row.article.consultation_facts
        item = Item(
            id=row.article_id,
            language=row.language,
            translated=row.language == lang,
            title=row.title,
            summary=row.lead,
            url=row.get_absolute_url(),
            opens_at=facts.opens_at,
            closes_at=facts.closes_at,
            phase=phase(facts.opens_at, facts.closes_at, now),
            comments=counts.get(row.article_id, 0),
        )
        found[item.phase].append(item)
    found[OPEN].sort(key=lambda item: (item.closes_at, item.id))
    found[UPCOMING].sort(key=lambda item: (item.opens_at, item.id))
    found[CLOSED].sort(key=lambda item: (item.closes_at, item.id), reverse=True)
    return found


def consultation_rows(article_id: int) -> list[ArticleTranslation]:
    """The translations readers see of one consultation, with its facts. One query."""
    return list(
        published()
        .filter(article_id=article_id)
        .select_related("article__consultation_facts")
        .order_by("language")
    )


def public_comment_counts(article_ids: list[int]) -> dict[int, int]:
    from .models import Comment

    if not article_ids:
        return {}
    rows = (
        Comment.objects.public()
        .filter(consultation_id__in=article_ids)
        .values("consultation_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["consultation_id"]: row["count"] for row in rows}


@dataclass
class Summary:
    """What a consultation received and what moderation made of it."""

    received: int = 0
    published: int = 0
    refused: int = 0
    waiting: int = 0  # not moderated yet
    refused_by_reason: list[tuple[str, int]] = field(default_factory=list)  # (reason code, count)
