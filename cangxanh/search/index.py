"""Keeping the search index in step with what readers can see.

The index has an entry for every translation whose status is published,
public or scheduled, with its words and what searches filter and sort on
(language, section, publication time). Whether it is visible *now* is decided
at query time from that time, so a scheduled item appears at its moment with no
job. Anything else (draft, in review, unpublished, archived) has no entry, and
the page's rows are read through `ArticleTranslation.objects.published()`, so
nothing readers may not see is ever shown, even from an index left behind.

Explicit calls, no signals: the workflow (`editorial.workflow.perform`, the one
place a status changes and a new version is published) calls `entry_update`
inside its transaction, so the entry commits with the status or not at all (a
process killed in between leaves no translation found but not shown, or shown
but not found), and the demo loader calls `index_rebuild` once
at the end. Text saved through `editing.translation_save_text` changes nothing
public (a published translation's edits wait in its new version), so it needs
no call. Anything that changes a published translation or its article another
way (a script, a moved section) calls `entry_update` / `article_entries_update`,
or runs `cangxanh reindex`.
"""

import html
from collections.abc import Callable, Iterable

from django.db import transaction

from cangxanh.news import kinds
from cangxanh.news.models import ArticleTranslation, Status

from . import analyzer
from .backends import backend
from .models import SearchEntry, sort_key

BATCH = 500
FIELDS = ("id", "language", "title", "lead", "body", "status", "published_at")


def _entry(translation: ArticleTranslation) -> SearchEntry:
    body = translation.body
    kind = kinds.get(translation.article.kind)
    if kind is not None and kind.index_text is not None:
        # The kind's further words (a document's attached PDF), as one more paragraph.
        more = kind.index_text(translation)
        if more:
            body = f"{body}<p>{html.escape(more)}</p>"
    text = analyzer.index_text(translation.title, translation.lead, body)
    section = translation.article.section
    return SearchEntry(
        translation_id=translation.pk,
        language=translation.language,
        kind=translation.article.kind,
        section=section.pk if section is not None else 0,
        section_parent=section.parent_id if section is not None else None,
        published_at=translation.published_at,
        key=sort_key(int(translation.published_at.timestamp()), translation.pk),
        title=text.title,
        body=text.body,
        exact=text.exact,
        chars=text.chars,
        pairs=text.pairs,
    )


def _rows():
    return ArticleTranslation.objects.select_related("article__section").only(
        *FIELDS, "article__kind", "article__section__id", "article__section__parent"
    )


def is_indexed(translation: ArticleTranslation) -> bool:
    """Whether readers can see it now or later (published, with a time) and search its kind."""
    return (
        translation.status == Status.PUBLISHED
        and translation.published_at is not None
        and translation.article.kind in kinds.searchable()
    )


def entry_update(translation: ArticleTranslation | int) -> bool:
    """Index the translation as it stands in the database now; True if it has an entry."""
    pk = translation if isinstance(translation, int) else translation.pk
    current = _rows().filter(pk=pk).first()
    if current is None or not is_indexed(current):
        entry_remove(pk)
        return False
    entry = _entry(current)
    fields = [f.attname for f in SearchEntry._meta.concrete_fields if not f.primary_key]
    with transaction.atomic():
        SearchEntry.objects.update_or_create(
            translation_id=pk,
            defaults={name: getattr(entry, name) for name in fields if name != "indexed_at"},
        )
    return True


def article_entries_update(article) -> None:
    """Index every translation of an article again (after its section changed)."""
    for pk in article.translations.values_list("pk", flat=True):
        entry_update(pk)


def entry_remove(translation_id: int) -> None:
    SearchEntry.objects.filter(translation_id=translation_id).delete()


def index_rebuild(
    *, progress: Callable[[Iterable[ArticleTranslation], int], Iterable] | None = None
) -> int:
    """Make the whole index again from the translations; returns how many entries it has.

    Bulk: entries are made in batches of `BATCH` with one INSERT each, and the
    old ones go in one DELETE, inside one transaction, so searches meanwhile
    see the old index or the new one, never half of each.
    """
    rows = (
        _rows()
        .filter(
            status=Status.PUBLISHED,
            published_at__isnull=False,
            article__kind__in=kinds.searchable(),
        )
        # In key order (time, then id): on PostgreSQL the newest rows then lie
        # together at the end of the table, where searches read first.
        .order_by("published_at", "id")
    )
    total = rows.count()
    iterable = rows.iterator(chunk_size=BATCH)
    if progress is not None:
        iterable = progress(iterable, total)
    count = 0
    with transaction.atomic(), backend().bulk():
        SearchEntry.objects.all().delete()
        batch: list[SearchEntry] = []
        for translation in iterable:
            batch.append(_entry(translation))
            if len(batch) >= BATCH:
                SearchEntry.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            SearchEntry.objects.bulk_create(batch)
            count += len(batch)
    backend().optimize()
    return count
