"""Reads of the leaders' calendar: the engagements of a span of time in a language,
the leaders who have any, and when each engagement last changed.

Every read starts from `ArticleTranslation.objects.published().of_kind("event")`,
so a draft, a scheduled entry before its time or an unpublished one is never
shown. A page reads a fixed number of queries whatever it lists: the entries with
their facts, their leaders, their hosts' names, their changes, and the leaders.

An engagement not (yet) translated into the page's language is shown from its
original, marked as such: a leader's engagement is never hidden from a reader
because nobody translated it.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_datetime

from cangxanh.news import kinds
from cangxanh.news.models import ArticleTranslation, Person, PersonPosition

from .models import HOST_KIND, KIND, EventLeader

# Ends of blocks and line breaks become new lines when a body is read as plain text.
_BREAKS = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|figcaption|td|th|tr)>", re.I)
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def plain(body: str) -> str:
    """The body (cleaned HTML) as plain text, one line per paragraph or list item."""
    text = html.unescape(_TAGS.sub("", _BREAKS.sub("\n", body or "")))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Leader:
    id: int
    name: str
    position: str  # in the page's language, else the site's default language


@dataclass
class Entry:
    id: int
    language: str  # the language of the texts shown
    translated: bool  # False: shown from the original, in another language than the page's
    title: str  # what
    where: str
    attending: str  # who attends, plain text
    starts_at: datetime
    ends_at: datetime | None
    all_day: bool
    cancelled: bool
    host: str  # the host unit's name, "" if none
    host_url: str
    leaders: list[Leader] = field(default_factory=list)
    published_at: datetime | None = None  # the first publication of the texts shown
    changed_at: datetime | None = None  # the last change published after that
    sequence: int = 0  # how many changes were published after the first publication

    @property
    def last_modified(self) -> datetime:
        return max(filter(None, (self.published_at, self.changed_at)))


def _position(lang: str, person: str):
    """A person's position in `lang`, else in the site's default language (`person`
    names the outer query's field that holds the person)."""

    def in_language(code):
        return Subquery(
            PersonPosition.objects.filter(person=OuterRef(person), language=code).values(
                "position"
            )[:1]
        )

    return Coalesce(in_language(lang), in_language(settings.LANGUAGE_CODE))


def _published_events():
    return ArticleTranslation.objects.published().of_kind(KIND)


def leaders(lang: str) -> list[Leader]:
    """The people who attend any published engagement, in the order they were entered
    (the head of the agency first, as the newsroom enters them). One query."""
    attending = EventLeader.objects.filter(
        event__article__in=_published_events().values("article_id")
    ).values("person_id")
    rows = (
        Person.objects.filter(pk__in=attending)
        .annotate(role=_position(lang, "pk"))
        .order_by("pk")
        .values_list("pk", "name", "role")
    )
    return [Leader(pk, name, role or "") for pk, name, role in rows]


def entries(lang: str, start: datetime, end: datetime, *, leader: int | None = None) -> list[Entry]:
    """The engagements that take place (at least partly) in [start, end), in `lang`
    or, where not translated, in their original language; ordered by start."""
    rows = (
        _published_events()
        .filter(Q(language=lang) | Q(language=F("article__original_language")))
        .filter(article__event_facts__starts_at__lt=end)
        .filter(
            Q(article__event_facts__ends_at__gte=start)
            | Q(
                article__event_facts__ends_at__isnull=True,
                article__event_facts__starts_at__gte=start,
            )
        )
        .select_related("article__event_facts__host")
        .prefetch_related(
            Prefetch(
                "article__event_facts__leaders",
                queryset=EventLeader.objects.select_related("person").annotate(
                    role=_position(lang, "person_id")
                ),
            ),
            Prefetch(
                "article__event_facts__host__translations",
                queryset=ArticleTranslation.objects.published().filter(
                    language__in={lang, settings.LANGUAGE_CODE}
                ),
                to_attr="public_names",
            ),
        )
        .order_by("article__event_facts__starts_at", "article_id", "language")
    )
    if leader is not None:
        rows = rows.filter(article__event_facts__leaders__person_id=leader)
    chosen: dict[int, ArticleTranslation] = {}
    for row in rows:
        if row.article_id not in chosen or row.language == lang:
            chosen[row.article_id] = row
    changes = _changes(chosen.values())
    return [_entry(row, lang, changes) for row in chosen.values()]


def _changes(rows) -> dict[tuple[int, str], tuple[int, datetime]]:
    """(article, language) → (how many new versions were published, the last one's time).

    A published new version is a change readers saw after the first publication:
    new words in that language, or, on the original, new facts (times, leaders,
    cancellation) for every language. One query for all the entries of a page.
    """
    ids = {row.article_id for row in rows}
    if not ids:
        return {}
    found = (
        ArticleTranslation.objects.filter(
            article_id__in=ids,
            # editorial.models.Action.PUBLISH, read by name: the audit log is the
            # newsroom's, above this app.
            workflow_events__action="publish",
            workflow_events__new_version=True,
        )
        .values("article_id", "language")
        .annotate(count=Count("workflow_events"), last=Max("workflow_events__created_at"))
        .order_by()
    )
    return {(row["article_id"], row["language"]): (row["count"], row["last"]) for row in found}


def _entry(row: ArticleTranslation, lang: str, changes) -> Entry:
    article = row.article
    facts = article.event_facts
    host_name, host_url = _host(facts.host, lang)
    counted = [changes.get((article.pk, row.language))]
    if row.language != article.original_language:
        counted.append(changes.get((article.pk, article.original_language)))
    counted = [c for c in counted if c]
    return Entry(
        id=article.pk,
        language=row.language,
        translated=row.language == lang,
        title=row.title,
        where=row.lead.strip(),
        attending=plain(row.body),
        starts_at=facts.starts_at,
        ends_at=facts.ends_at,
        all_day=facts.all_day,
        cancelled=facts.cancelled,
        host=host_name,
        host_url=host_url,
        leaders=[
            Leader(link.person_id, link.person.name, link.role or "")
            for link in facts.leaders.all()
        ],
        published_at=row.published_at,
        changed_at=max((last for _n, last in counted), default=None),
        sequence=sum(n for n, _last in counted),
    )


def _host(host, lang: str) -> tuple[str, str]:
    if host is None:
        return "", ""
    names = {row.language: row for row in host.public_names}
    row = names.get(lang) or names.get(settings.LANGUAGE_CODE)
    if row is None:
        return "", ""  # its page is not public: readers get no name they cannot follow
    kind = kinds.get(HOST_KIND)
    row.article = host
    url = kind.url(row) if kind is not None and kind.url is not None else ""
    return row.title, url


def preview_entry(row: ArticleTranslation, extra: dict) -> Entry | None:
    """One engagement as it will read once published, for the staff preview: `row`'s
    working text, the facts `extra` (JSON, as editorial.facts keeps them)."""
    if not extra.get("starts_at"):
        return None
    lang = row.language
    people = {
        person.pk: person
        for person in Person.objects.filter(pk__in=extra.get("leaders") or []).annotate(
            role=_position(lang, "pk")
        )
    }
    host_name = ""
    if extra.get("host"):
        names = {
            t.language: t.title
            for t in ArticleTranslation.objects.filter(
                article_id=extra["host"], language__in={lang, settings.LANGUAGE_CODE}
            )
        }
        host_name = names.get(lang) or names.get(settings.LANGUAGE_CODE, "")
    return Entry(
        id=row.article_id,
        language=lang,
        translated=True,
        title=row.title,
        where=row.lead.strip(),
        attending=plain(row.body),
        starts_at=parse_datetime(extra["starts_at"]),
        ends_at=parse_datetime(extra["ends_at"]) if extra.get("ends_at") else None,
        all_day=bool(extra.get("all_day")),
        cancelled=bool(extra.get("cancelled")),
        host=host_name,
        host_url="",
        leaders=[
            Leader(pk, people[pk].name, people[pk].role or "")
            for pk in extra.get("leaders") or []
            if pk in people
        ],
    )
