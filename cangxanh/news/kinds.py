"""Kinds of content: news articles, and the other things the portal publishes as articles.

The agency's pages, legal documents, calendar entries, published answers and
consultations are all `Article`s of a kind (`Article.kind`), so they share one
workflow, one revision history, one audit log, one translation desk and one
search index with the news (issue 12; docs/architecture.md, "Kinds"). What is
the same in every language and belongs to one kind only (a document's number,
an event's time) lives in that kind's own app, in a table beside the article.

This module is the registry. `news` knows only its own kind; every other app
registers its kind in its `AppConfig.ready()`, so nothing here imports a room
above it. A kind says where its items live on the site (`url`), what staff call
it (`label`), and whether readers search it. Public reads of the news (home,
sections, feeds, the article sitemaps, most read) take only `news`
(`ArticleTranslationQuerySet.news()`); each other kind lists its own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NEWS = "news"


class KindFacts:
    """The facts of a kind beside the common ones (section, author, source, pictures).

    `editorial.facts` calls these: they are JSON in `PendingVersion.facts["extra"]`
    and `Revision.facts`, so they wait for approval like the rest, and the only
    writer of the kind's own table is `apply`, inside the workflow's transaction.
    """

    def live(self, article) -> dict:
        """What readers see now, as JSON-ready values."""
        return {}

    def normalised(self, extra: dict) -> dict:
        """`extra` checked (raise django's ValidationError with a clear message)."""
        return {}

    def apply(self, article, extra: dict) -> None:
        """Make `extra` what readers see."""

    def changes(self, before: dict, after: dict) -> list[tuple[str, str, str]]:
        """(what, before, after) for people, in the active language."""
        return []


# Helpers for KindFacts: facts are JSON, so times travel as ISO text in UTC.


def utc_text(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def moment(value, *, missing: str, invalid: str) -> datetime | None:
    """An aware datetime from a datetime or ISO text (naive: the site's time zone);
    None when there is none and `missing` is "", else ValidationError(`missing`)."""
    if value in (None, ""):
        if missing:
            raise ValidationError(missing)
        return None
    if isinstance(value, str):
        try:
            value = parse_datetime(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        raise ValidationError(invalid)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def optional_id(value, message: str) -> int | None:
    """A row id from a form or JSON value; None for none, ValidationError(`message`) for junk."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(message)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(message) from None


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise  # what staff and readers call one item ("document")
    label_plural: str | Promise
    # The public address of a translation of this kind, in its language, made from
    # its language, slug and article id only (search results and sitemaps call it
    # per row, with nothing else read).
    url: Callable[[object], str] | None = None
    # The address of the kind's own list in a language ("/en/documents/").
    list_url: Callable[[str], str] | None = None
    searchable: bool = True  # in the public search (and filterable there by kind)
    in_sitemap: bool = True  # a sitemap of its own (`/sitemap-<code>-<lang>.xml`)
    needs_section: bool = False  # news articles live in a section; other kinds do not
    facts: KindFacts | None = None  # the kind's own facts (editorial.facts)
    # The kind's own page for a translation, for the staff preview (editorial.views):
    # render(request, article, current, public, *, canonical, preview, extra) -> response,
    # `extra` being the kind's facts waiting for approval (None: the live ones).
    # Without it the preview shows the news article's page.
    render: Callable | None = None
    # Whether an approver may close an item privately instead of publishing it (the
    # workflow's "send", review → archived: an answer sent to the asker alone).
    private_close: bool = False
    # Called by `editorial.workflow.perform` inside its transaction, after its own
    # checks: before_step(current, action, pending) may refuse the step by raising
    # django's ValidationError (its message is shown); after_step(current, action, event)
    # follows the step in the kind's own tables (e-mail on commit, never before).
    before_step: Callable | None = None
    after_step: Callable | None = None
    # Whether `user` may see an original's text to translate it (the translation desk
    # and XLIFF, editorial.desk.access_job): translatable(user, original) -> bool. An
    # answer's original holds a stranger's words until someone confirmed that no
    # personal data remains in it, and translators never see personal data.
    translatable: Callable[[object, object], bool] | None = None
    # More words readers find a translation by, beyond its title, lead and body (a
    # document's attached PDF): index_text(translation) -> plain text, which the search
    # index appends to the body's words (search.index). A translation read for the
    # index has its id, language and article id.
    index_text: Callable[[object], str] | None = None
    # The words about to be saved, made the kind's own (editorial.editing calls it on
    # every save, after cleaning): normalise_text(text, previous) -> text, `text` and
    # `previous` being {title, slug, lead, body}, `previous` the words saved before
    # (the new version's, else the row's; None for a new translation). A
    # consultation's draft keeps its paragraphs' anchors this way.
    normalise_text: Callable[[dict, dict | None], dict] | None = None
    # The next moment after `now` its public pages change by themselves, besides
    # publication times (a consultation opening or closing): delivery.version retires
    # the cached pages then. One query at most; None for none.
    next_change: Callable[[datetime], datetime | None] | None = None


_KINDS: dict[str, Kind] = {}

# First path segments under /<lang>/ that belong to the site, not to a section:
# a section with one of these slugs would never be reached (or would hide the page).
# Apps reserve their own words in `ready()` (`reserve("documents")`).
_RESERVED = {"a", "feed", "sitemap", "search"}


def reserve(*words: str) -> None:
    _RESERVED.update(words)


def reserved() -> frozenset[str]:
    return frozenset(_RESERVED)


def register(kind: Kind) -> Kind:
    """Add a kind (again: the same code replaces it, as app reloading in tests does)."""
    if len(kind.code) > 20 or not kind.code.isidentifier():
        raise ValueError(f"kind code {kind.code!r}: a short identifier, at most 20 characters")
    _KINDS[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    if code != NEWS:
        _KINDS.pop(code, None)


def get(code: str) -> Kind | None:
    return _KINDS.get(code)


def all_kinds() -> list[Kind]:
    return list(_KINDS.values())


def choices() -> list[tuple[str, str | Promise]]:
    return [(kind.code, kind.label) for kind in _KINDS.values()]


def searchable() -> list[str]:
    return [kind.code for kind in _KINDS.values() if kind.searchable]


register(Kind(NEWS, _("article"), _("articles"), needs_section=True))
