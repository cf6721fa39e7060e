"""The search index: one row per published translation, public or scheduled.

A row holds the analysed words (`analyzer.index_text`) and what a search
filters and sorts on, copied from the translation when the workflow changes it
(`index.py`): language, kind, section (and its parent), publication time, and `key`,
the publication time in seconds and the translation's id in one integer, so
"newest first" and "published by now" are integer comparisons inside the
full-text index itself. A scheduled translation has a key in the future and is
found once its time comes, with no worker.

Each database builds its own full-text index from these columns, in the
migration: SQLite a contentless FTS5 table (its rowid is `key`) kept in step by
triggers, PostgreSQL generated `tsvector` columns with GIN indexes (see
`backends.py`). On SQLite, a later migration that alters this table rebuilds it
and drops the triggers: such a migration must create them again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cangxanh.core.languages import choices
from cangxanh.news.models import ArticleTranslation

ID_BITS = 24  # translation ids below 16,777,216 fit in `key` beside the time


def sort_key(published_epoch: int, translation_id: int) -> int:
    return (published_epoch << ID_BITS) | translation_id


def id_of(key: int) -> int:
    return key & ((1 << ID_BITS) - 1)


class SearchEntry(models.Model):
    translation = models.OneToOneField(
        ArticleTranslation,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
        verbose_name=_("translation"),
    )
    language = models.CharField(_("language"), max_length=10, choices=choices)
    # The article's kind (news.kinds); nullable only so that adding it kept the
    # table (and its triggers) on SQLite: the index always writes it.
    kind = models.CharField(_("kind"), max_length=20, null=True, blank=True)  # noqa: DJ001
    section = models.PositiveIntegerField()  # 0: a kind without sections
    section_parent = models.PositiveIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(_("published at"))
    key = models.BigIntegerField(unique=True)
    # Space-separated tokens: folded title; folded lead ¶ body; exact title ¶ lead ¶ body;
    # every CJK or Hangul character; the folded tokens two by two (title ¶ lead ¶ body).
    title = models.TextField(_("title"))
    body = models.TextField(_("body"))
    exact = models.TextField()
    chars = models.TextField(blank=True)
    pairs = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(translation_id__lt=1 << ID_BITS),
                name="searchentry_id_fits_key",
            ),
        ]

    def __str__(self) -> str:
        return f"search entry {self.translation_id}"
