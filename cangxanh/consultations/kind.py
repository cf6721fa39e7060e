"""The kind "consultation" (news.kinds): where consultations live on the site, their
facts — when comments open and close, the draft document — and the anchors on the
draft's paragraphs.

The facts travel as JSON under the key "extra" of `editorial.facts` (so a change to
a published consultation's dates waits in the original's new version until an
approver publishes it); `ConsultationKindFacts.apply` is the only writer of
`ConsultationFacts`. Times are kept in that JSON as UTC ISO 8601 to the second.

Every save of a consultation's words goes through `normalise_text`: the draft's
blocks get their anchors, carried over from the text saved before
(`anchors.carry`), so a comment on a paragraph still finds it in the next version.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cangxanh.news import kinds
from cangxanh.news.models import Article, reverse_in

from . import anchors
from .models import DOCUMENT_KIND, KIND, ConsultationFacts

# The first path word under /<lang>/ that is the consultations'.
PATH_WORDS = ("consultations",)


class ConsultationKindFacts(kinds.KindFacts):
    def live(self, article) -> dict:
        row = ConsultationFacts.objects.filter(article_id=article.pk).first()
        if row is None:
            return {}
        return {
            "opens_at": kinds.utc_text(row.opens_at),
            "closes_at": kinds.utc_text(row.closes_at),
            "document": row.document_id,
        }

    def normalised(self, extra: dict) -> dict:
        opens_at = kinds.moment(
            extra.get("opens_at"),
            missing=gettext("Give the time the consultation opens for comments."),
            invalid=gettext("The opening is not a date and time."),
        )
        closes_at = kinds.moment(
            extra.get("closes_at"),
            missing=gettext("Give the time the consultation closes."),
            invalid=gettext("The closing is not a date and time."),
        )
        if closes_at <= opens_at:
            raise ValidationError(gettext("The consultation must close after it opens."))
        document = kinds.optional_id(
            extra.get("document"), gettext("Choose the draft document from the list.")
        )
        if (
            document is not None
            and not Article.objects.filter(pk=document, kind=DOCUMENT_KIND).exists()
        ):
            raise ValidationError(gettext("The draft document must be one of the documents."))
        return {
            "opens_at": kinds.utc_text(opens_at),
            "closes_at": kinds.utc_text(closes_at),
            "document": document,
        }

    def apply(self, article, extra: dict) -> None:
        if not extra:
            return
        with transaction.atomic():
            ConsultationFacts.objects.update_or_create(
                article_id=article.pk,
                defaults={
                    "opens_at": parse_datetime(extra["opens_at"]),
                    "closes_at": parse_datetime(extra["closes_at"]),
                    "document_id": extra.get("document"),
                },
            )

    def changes(self, before: dict, after: dict) -> list[tuple[str, str, str]]:
        def moment(value):
            if not value:
                return "—"
            return formats.date_format(timezone.localtime(parse_datetime(value)), "DATETIME_FORMAT")

        rows = []
        for key, label in (("opens_at", _("opens")), ("closes_at", _("closes"))):
            if before.get(key) != after.get(key):
                rows.append((str(label), moment(before.get(key)), moment(after.get(key))))
        if before.get("document") != after.get("document"):
            rows.append(
                (
                    str(_("draft document")),
                    _article(before.get("document")),
                    _article(after.get("document")),
                )
            )
        return rows


def _article(pk) -> str:
    if not pk:
        return "—"
    found = Article.objects.prefetch_related("translations").filter(pk=pk).first()
    return str(found) if found else "—"


def normalise_text(text: dict, previous: dict | None) -> dict:
    """The words about to be saved, the draft's blocks anchored (news.kinds hook,
    called by editorial.editing with the text saved before, None for a new one)."""
    before = (previous or {}).get("body") or None
    return text | {"body": anchors.carry(before, text.get("body") or "")}


def consultation_url(row) -> str:
    """A consultation's address in its language: from its language, slug and id."""
    return reverse_in(
        row.language, "consultations:detail", slug=row.slug or "-", article_id=row.article_id
    )


def list_url(lang: str) -> str:
    return reverse_in(lang, "consultations:list")


def _render_preview(*args, **kwargs):
    from .views import render_preview

    return render_preview(*args, **kwargs)


def _next_change(now):
    from .queries import next_opening_or_closing

    return next_opening_or_closing(now)


def register() -> None:
    kinds.register(
        kinds.Kind(
            KIND,
            _("consultation"),
            _("consultations"),
            url=consultation_url,
            list_url=list_url,
            facts=ConsultationKindFacts(),
            render=_render_preview,
            normalise_text=normalise_text,
            next_change=_next_change,
        )
    )
    kinds.reserve(*PATH_WORDS)
