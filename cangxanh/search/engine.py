"""Searching: from a parsed query and filters to a ranked page of highlighted hits.

What a result is (the same on SQLite and PostgreSQL):

- Every unit of the query must be found (AND): a word in its folded form
  ("hai" finds "hải"), a hyphenated word or a CJK/Hangul run as a phrase of its
  tokens, a quoted phrase as those words one after another (in their exact
  form when they are written with accents: "Hải Phòng" in quotes is not "hải
  phóng"), a single CJK character anywhere.
- One of the city's names, as a unit or as the unquoted words together, is
  any of its names (`synonyms.py`): 海防 finds the Japanese articles that write
  ハイフォン, and "Hai Phong" the Korean ones that write 하이퐁.
- Two or more unquoted words are first looked for *together*, next to each
  other in that order. When any visible translation has them together, only
  those are results, and the page links to the others (`apart=True`). When
  none has them together, a search in one of the other languages shows the
  translations with the words anywhere, and says so; a search in Vietnamese
  (or in all languages) shows nothing and offers them, because a Vietnamese
  syllable is not a word: "hai phong" means Hải Phòng, not an article that
  has "hàng hải" in one sentence and "phóng viên" in another, and "da nang"
  is not "đã … năng".
- The results are the newest `LIMIT` (1,000) that match, all of them when
  fewer match; the page says when there are more, and the filters reach older
  ones. Within them, in order: the words together (when the apart results are
  shown), the accented words in exactly that form (when the query has
  accents), all the words in the title, the relevance (FTS5's bm25, computed
  alike on PostgreSQL), the newest, the highest id.

Why a window: every query then costs the same, however common its words (the
city's own name is in most of the archive), and a reader of news who searches
for a word found in thousands of articles wants the recent ones.

`search` is what the page calls, and what `bench/search_bench.py` times.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils import timezone, translation

from cangxanh.core import languages
from cangxanh.core.compiled import Compiled, together
from cangxanh.images.models import Image
from cangxanh.news import kinds
from cangxanh.news.models import Article, ArticleTranslation, Section, article_url, reverse_in
from cangxanh.news.queries import TRANSLATIONS_FIRST_IMAGES, images_by_article, section_index

from . import snippets, synonyms
from .analyzer import Query, Unit, pairs
from .backends import Either, Match, Plan, Scope, backend
from .models import ID_BITS, sort_key

PER_PAGE = 10
LIMIT = 1000  # the newest this many matches are ranked and shown (100 pages)


@dataclass(frozen=True)
class Filters:
    language: str | None = None  # None: every language
    section: Section | None = None
    kind: str | None = None  # one kind of content (news.kinds); None: every kind searched
    date_from: date | None = None
    date_to: date | None = None  # inclusive


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def scope(filters: Filters) -> Scope:
    """Where a search looks: published by now, within the filters."""
    latest = int(timezone.now().timestamp())
    if filters.date_to:
        latest = min(latest, int(_day_start(filters.date_to + timedelta(days=1)).timestamp()) - 1)
    earliest = int(_day_start(filters.date_from).timestamp()) if filters.date_from else -(1 << 38)
    return Scope(
        key_from=sort_key(earliest, 0),
        key_to=sort_key(latest, (1 << ID_BITS) - 1),
        language=filters.language,
        section=filters.section.pk if filters.section is not None else None,
        kind=filters.kind,
    )


def _phrase(tokens: tuple[str, ...], column: str) -> Match:
    """Folded words; a phrase of them is looked for as pairs (one token for two words)."""
    if column == "folded" and len(tokens) > 1:
        return Match("pairs", tuple(pairs(tokens)))
    return Match(column, tokens)


def _words(
    tokens: tuple[str, ...], column: str, *, names: bool = True, lang: str | None = None
) -> Match | Either:
    """The words, or (`names`) when they are one of the city's names, any of its names
    in `lang` (None: in every language)."""
    others = synonyms.others(tokens, lang) if names else ()
    if not others:
        return _phrase(tokens, column)
    return Either(tuple(_phrase(name, column) for name in (tokens, *others)))


def _unit(unit: Unit, column: str, lang: str | None = None) -> Match | Either | None:
    if unit.single_cjk:
        return Match("chars", unit.folded) if column == "folded" else None
    if unit.quoted and unit.marked and column == "folded":
        return Match("exact", unit.exact)
    return _words(unit.folded, column, names=not unit.quoted, lang=lang)


def plan(query: Query, *, together: bool, column: str = "folded", lang: str | None = None) -> Plan:
    units = list(query.units)
    conditions: list[Match] = []
    run = query.run
    if together and run is not None:
        conditions.append(_words(run.folded, column, lang=lang))
        units = [u for u in units if u not in query.free]
    for unit in units:
        condition = _unit(unit, column, lang)
        if condition is not None and condition not in conditions:
            conditions.append(condition)
    return tuple(conditions)


def tiers(
    query: Query, *, together: bool, apart: bool = False, lang: str | None = None
) -> list[Plan]:
    """What ranks first, in order: the words together (when the words apart are shown
    too), the accented words as written, everything in the title."""
    ranked: list[Plan] = []
    if apart and query.run is not None:
        ranked.append((_words(query.run.folded, "folded", lang=lang),))
    if query.marked_units:
        ranked.append(tuple(Match("exact", u.exact) for u in query.marked_units))
    title = plan(query, together=together, column="title", lang=lang)
    if title:
        ranked.append(title)
    return ranked


@dataclass
class Hit:
    """One result as the page shows it."""

    id: int  # the translation's
    language: languages.Language
    url: str
    title: str  # safe HTML, matches in <mark>
    snippet: str  # safe HTML, matches in <mark>
    published_at: datetime
    section_name: str = ""
    section_url: str = ""
    image: Image | None = None  # the article's main image, for the thumbnail


@dataclass
class Results:
    query: Query
    filters: Filters
    mode: str  # empty | words | together | scattered | apart
    total: int = 0  # at most LIMIT
    more: bool = False  # more than LIMIT match: the newest LIMIT are the results
    apart_more: bool = False  # with mode "together": others have the words apart
    page: Page | None = None
    page_requested: int | None = None  # set when the page asked for did not exist

    @property
    def hits(self) -> list[Hit]:
        return list(self.page.object_list) if self.page is not None else []


class _Ranked:
    """The ranked results as a sequence Paginator can count and slice, one page at a time."""

    def __init__(
        self, engine, where: Scope, plan: Plan, tiers: list[Plan], total: int, phrases, keys
    ):
        self.where, self.plan, self.tiers, self.total = where, plan, tiers, total
        self.engine, self.phrases, self.keys = engine, phrases, keys

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[Hit]:
        start = window.start or 0
        with self.engine.reading():
            ids = self.engine.ranked(
                self.where, self.plan, self.tiers, start, window.stop - start, self.keys
            )
        # Statements the backend holds for a message (`others_later`) go with the hits'.
        return _hits(ids, self.phrases, self.engine.waiting) if ids else []


def _hit_rows_query(ids, now):
    return (
        ArticleTranslation.objects.published(now)
        .filter(pk__in=ids)
        .values_list(
            "id",
            "language",
            "title",
            "slug",
            "lead",
            "body",
            "published_at",
            "article_id",
            "article__section_id",
            "article__kind",
        )
    )


_HIT_ROWS = Compiled(_hit_rows_query)


def _hits(ids: list[int], phrases: list[tuple[str, ...]], waiting=None) -> list[Hit]:
    """The page's results in the given order: one compiled read of their rows and one of
    their first pictures (in one round trip on PostgreSQL), the section names from
    the per-version section index.

    Read through published(): an entry the index still has for a translation
    readers may no longer see is never shown. Plain values, not model rows, and
    SQL compiled once per process (core.compiled): a page of results needs a dozen
    fields, and this is the hot path.
    """
    ordered = sorted(ids)
    rows, image_rows = together(
        (_HIT_ROWS, {"ids": ordered, "now": timezone.now()}),
        (TRANSLATIONS_FIRST_IMAGES, {"translation_ids": ordered}),
        then=waiting,
    )
    sections = section_index()
    images = images_by_article(image_rows)
    found = {row[0]: row for row in rows}
    hits = []
    for pk in ids:
        if pk not in found:
            continue
        _pk, lang, title, slug, lead, body, published_at, article_id, section_id, code = found[pk]
        named = sections.name(section_id, lang)
        name, section_slug = (named.name, named.slug) if named is not None else ("", "")
        kind = kinds.get(code) if code != kinds.NEWS else None
        if kind is not None and kind.url is not None:
            # Another kind: its own address, and its list where a section would stand.
            row = ArticleTranslation(id=pk, language=lang, slug=slug, article_id=article_id)
            row.article = Article(id=article_id, kind=code)
            with translation.override(lang):
                url = kind.url(row)
                name = str(kind.label_plural)
                section_url = kind.list_url(lang) if kind.list_url else ""
        else:
            # The addresses ArticleTranslation and SectionTranslation.get_absolute_url make.
            url = article_url(lang, section_slug or "-", slug, article_id)
            section_url = (
                reverse_in(lang, "news:section", section_slug=section_slug) if section_slug else ""
            )
        marked_title, snippet = snippets.for_text(title, lead, body, phrases)
        hits.append(
            Hit(
                id=pk,
                language=languages.get(lang),
                url=url,
                title=marked_title,
                snippet=snippet,
                published_at=published_at,
                section_name=name,
                section_url=section_url,
                image=images.get(article_id),
            )
        )
    return hits


def _window(where: Scope, keys: list[int]) -> tuple[Scope, int, bool]:
    """The scope narrowed to the newest LIMIT matches (`keys`, newest first), their number,
    and whether there are more."""
    shown = keys[:LIMIT]
    if not shown:
        return where, 0, False
    return replace(where, key_from=shown[-1]), len(shown), len(keys) > LIMIT


def _phrases(query: Query, *, together: bool, lang: str | None = None) -> list[tuple[str, ...]]:
    """What to mark in titles and snippets: what was searched for, as found (the
    city's other names too, where a name was searched for)."""
    phrases = []
    run = query.run
    if together and run is not None:
        phrases += [run.folded, *synonyms.others(run.folded, lang)]
        units = [u for u in query.units if u not in query.free]
    else:
        units = list(query.units)
    for unit in units:
        phrases += [unit.folded, *(() if unit.quoted else synonyms.others(unit.folded, lang))]
    return phrases


def search(
    query: Query,
    filters: Filters,
    *,
    page: int | str | None = 1,
    apart: bool = False,
    per_page: int = PER_PAGE,
) -> Results:
    if query.empty:
        return Results(query, filters, "empty")
    engine = backend()
    where = scope(filters)
    lang = filters.language
    loose = plan(query, together=False, lang=lang)
    # The index's reads in one session (on PostgreSQL one transaction, its planner
    # settings set once, the page's rows read in it too); the read that gives the
    # results brings their tiers.
    with engine.reading():
        mode, together, apart_more = "words", False, False
        asked = None  # the words-apart question, answered once the page is read
        chosen = loose
        keys = None
        if query.run is not None and not apart:
            strict = plan(query, together=True, lang=lang)
            order = tiers(query, together=True, lang=lang)
            keys = engine.keys(where, strict, LIMIT + 1, order, scores=True)
            if keys:
                mode, together, chosen = "together", True, strict
                # More with the words apart? Compared among the newest: no counting. On
                # PostgreSQL the question goes in the message of the page's next
                # statement: its scoring, or its hits when the keys brought the scores.
                asked = engine.others_later(where, loose, keys, LIMIT + 1)
            else:
                mode = "scattered"
                keys = None
                if filters.language in (None, "vi"):
                    # Vietnamese syllables apart are other words ("đã … năng" is not Đà
                    # Nẵng): nothing is shown, and the page offers them on request.
                    apart_more = bool(engine.keys(where, loose, 1))
                    keys = []
        elif query.run is not None:
            mode = "apart"
        if keys is None:
            order = tiers(query, together=False, apart=mode == "apart", lang=lang)
            keys = engine.keys(where, loose, LIMIT + 1, order, scores=True)
        window, total, more = _window(where, keys)
        phrases = _phrases(query, together=together, lang=lang)
        order = tiers(query, together=together, apart=mode == "apart", lang=lang)
        ranked = _Ranked(engine, window, chosen, order, total, phrases, keys[:LIMIT])
        paginator = Paginator(ranked, per_page)
        requested = None
        try:
            current = paginator.page(page or 1)
        except PageNotAnInteger:
            current = paginator.page(1)
        except EmptyPage:
            # Past the end: the last page, and the page says so; before the start: the first.
            number = int(page)
            requested = number if number > 1 else None
            current = paginator.page(paginator.num_pages if number > 1 else 1)
        if asked is not None:
            apart_more = asked()
    return Results(
        query,
        filters,
        mode,
        total=total,
        more=more,
        apart_more=apart_more,
        page=current,
        page_requested=requested,
    )
