"""The kind "document" (news.kinds): where documents live on the site, their facts, and
the words of their attached PDFs for the search index.

The facts travel as JSON under the key "extra" of `editorial.facts`, so a change to
a published document waits in the original's new version until an approver
publishes it; `DocumentKindFacts.apply` is the only writer of `DocumentFacts`,
`DocumentRelation`, the related articles and `DocumentFile.listed`. A file
uploaded to a published document is stored at once but reaches readers only
when the facts that list it are approved.

    {"number": "62/2025/QĐ-UBND", "type": 3, "issuer": 1, "field": 2, "signer": "…",
     "issued_on": "2025-06-24", "effective_on": "2025-08-01", "expires_on": null,
     "legal_status": "in_force", "files": [12, 13],
     "relations": [{"target": 40, "relation": "replaces"}], "articles": [7]}
"""

import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cangxanh.news import kinds
from cangxanh.news.models import Article, reverse_in

from .models import (
    KIND,
    MAX_NUMBER,
    DocumentFacts,
    DocumentFile,
    DocumentRelation,
    DocumentType,
    Field,
    FileKind,
    Issuer,
    LegalStatus,
    Relation,
    TextStatus,
)
from .numbers import number_key

# The first path word under /<lang>/ that is the documents'.
PATH_WORDS = ("documents",)
# An attached PDF's words in the index: PostgreSQL keeps positions up to 16,383 in a
# tsvector, and the title, summary and notes need some of them.
MAX_INDEX_WORDS = 12_000


def _day(value, *, missing: str, invalid: str) -> date | None:
    if value in (None, ""):
        if missing:
            raise ValidationError(missing)
        return None
    if isinstance(value, str):
        try:
            value = parse_date(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, date):
        raise ValidationError(invalid)
    return value


def _ids(values, message: str) -> list[int]:
    found: list[int] = []
    for value in values or []:
        pk = kinds.optional_id(value, message)
        if pk is not None and pk not in found:
            found.append(pk)
    return found


def _text(value) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


def row_facts(row: DocumentFacts) -> dict:
    """A `DocumentFacts` row's own facts as JSON (`PAGE_FACTS`: what a page reads; `live`
    adds the files, relations and articles)."""
    return {
        "number": row.number,
        "type": row.type_id,
        "issuer": row.issuer_id,
        "field": row.field_id,
        "signer": row.signer,
        "issued_on": row.issued_on.isoformat(),
        "effective_on": row.effective_on.isoformat() if row.effective_on else None,
        "expires_on": row.expires_on.isoformat() if row.expires_on else None,
        "legal_status": row.legal_status,
    }


# The facts a document's page shows (views.render_document), as `row_facts` gives them.
PAGE_FACTS = (
    "number",
    "type",
    "issuer",
    "field",
    "signer",
    "issued_on",
    "effective_on",
    "expires_on",
    "legal_status",
)


class DocumentKindFacts(kinds.KindFacts):
    def live(self, article) -> dict:
        row = DocumentFacts.objects.filter(article_id=article.pk).first()
        if row is None:
            return {}
        return row_facts(row) | {
            "files": list(
                DocumentFile.objects.filter(document_id=article.pk, listed=True)
                .order_by("position", "id")
                .values_list("pk", flat=True)
            ),
            "relations": [
                {"target": target, "relation": relation}
                for target, relation in DocumentRelation.objects.filter(
                    source_id=article.pk
                ).values_list("target_id", "relation")
            ],
            "articles": sorted(row.articles.values_list("pk", flat=True)),
        }

    def normalised(self, extra: dict) -> dict:
        number = _text(extra.get("number"))
        if not number or not number_key(number):
            raise ValidationError(gettext("Give the document's number and symbol."))
        if len(number) > MAX_NUMBER:
            raise ValidationError(
                gettext("The number and symbol is at most %(count)d characters.")
                % {"count": MAX_NUMBER}
            )
        no_type = gettext("Choose the type of the document.")
        no_issuer = gettext("Choose the body that issued the document.")
        no_field = gettext("Choose the document's field from the list.")
        type_id = kinds.optional_id(extra.get("type"), no_type)
        issuer_id = kinds.optional_id(extra.get("issuer"), no_issuer)
        field_id = kinds.optional_id(extra.get("field"), no_field)
        if type_id is None or not DocumentType.objects.filter(pk=type_id).exists():
            raise ValidationError(no_type)
        if issuer_id is None or not Issuer.objects.filter(pk=issuer_id).exists():
            raise ValidationError(no_issuer)
        if field_id is not None and not Field.objects.filter(pk=field_id).exists():
            raise ValidationError(no_field)
        issued_on = _day(
            extra.get("issued_on"),
            missing=gettext("Give the date the document was issued."),
            invalid=gettext("The date of issue is not a date."),
        )
        effective_on = _day(
            extra.get("effective_on"),
            missing="",
            invalid=gettext("The date it comes into force is not a date."),
        )
        expires_on = _day(
            extra.get("expires_on"),
            missing="",
            invalid=gettext("The date it ceases to be in force is not a date."),
        )
        if expires_on is not None and expires_on < max(filter(None, (issued_on, effective_on))):
            raise ValidationError(
                gettext("A document cannot cease to be in force before it is issued or in force.")
            )
        status = extra.get("legal_status") or LegalStatus.IN_FORCE
        if status not in LegalStatus.values:
            raise ValidationError(gettext("Choose the legal status from the list."))
        files = _ids(extra.get("files"), gettext("Choose the files from the list."))
        known = set(DocumentFile.objects.filter(pk__in=files).values_list("pk", flat=True))
        if missing := [str(pk) for pk in files if pk not in known]:
            raise ValidationError(
                gettext("These files do not exist: %(ids)s.") % {"ids": ", ".join(missing)}
            )
        relations: list[dict] = []
        for item in extra.get("relations") or []:
            target = kinds.optional_id(
                item.get("target") if isinstance(item, dict) else None,
                gettext("Choose the other documents from the list."),
            )
            relation = item.get("relation") if isinstance(item, dict) else None
            if target is None or relation not in Relation.values:
                raise ValidationError(gettext("Choose the other documents from the list."))
            if all(found["target"] != target for found in relations):
                relations.append({"target": target, "relation": relation})
        targets = [item["target"] for item in relations]
        known = set(Article.objects.filter(pk__in=targets, kind=KIND).values_list("pk", flat=True))
        if missing := [str(pk) for pk in targets if pk not in known]:
            raise ValidationError(
                gettext("These documents do not exist: %(ids)s.") % {"ids": ", ".join(missing)}
            )
        articles = sorted(
            _ids(extra.get("articles"), gettext("Choose the articles from the list."))
        )
        known = set(
            Article.objects.filter(pk__in=articles, kind=kinds.NEWS).values_list("pk", flat=True)
        )
        if missing := [str(pk) for pk in articles if pk not in known]:
            raise ValidationError(
                gettext("These news articles do not exist: %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return {
            "number": number,
            "type": type_id,
            "issuer": issuer_id,
            "field": field_id,
            "signer": _text(extra.get("signer"))[:200],
            "issued_on": issued_on.isoformat(),
            "effective_on": effective_on.isoformat() if effective_on else None,
            "expires_on": expires_on.isoformat() if expires_on else None,
            "legal_status": status,
            "files": files,
            "relations": relations,
            "articles": articles,
        }

    def apply(self, article, extra: dict) -> None:
        if not extra:
            return
        with transaction.atomic():
            row, _created = DocumentFacts.objects.update_or_create(
                article_id=article.pk,
                defaults={
                    "number": extra["number"],
                    "number_key": number_key(extra["number"]),
                    "type_id": extra["type"],
                    "issuer_id": extra["issuer"],
                    "field_id": extra["field"],
                    "signer": extra["signer"],
                    "issued_on": parse_date(extra["issued_on"]),
                    "effective_on": parse_date(extra["effective_on"])
                    if extra["effective_on"]
                    else None,
                    "expires_on": parse_date(extra["expires_on"]) if extra["expires_on"] else None,
                    "legal_status": extra["legal_status"],
                },
            )
            row.articles.set(extra["articles"])
            # Only this document's own files can be listed: an id of another's is ignored.
            files = DocumentFile.objects.filter(document_id=article.pk)
            files.exclude(pk__in=extra["files"]).filter(listed=True).update(listed=False)
            for position, pk in enumerate(extra["files"]):
                files.filter(pk=pk).update(listed=True, position=position)
            wanted = {
                item["target"]: item["relation"]
                for item in extra["relations"]
                if item["target"] != article.pk
            }
            current = {
                relation.target_id: relation
                for relation in DocumentRelation.objects.filter(source_id=article.pk)
            }
            for target, relation in current.items():
                if target not in wanted:
                    relation.delete()
                elif relation.relation != wanted[target]:
                    relation.relation = wanted[target]
                    relation.save(update_fields=["relation"])
            for target, relation in wanted.items():
                if target not in current:
                    DocumentRelation.objects.create(
                        source_id=article.pk, target_id=target, relation=relation
                    )

    def changes(self, before: dict, after: dict) -> list[tuple[str, str, str]]:
        rows = []

        def plain(key, label):
            if (before.get(key) or "") != (after.get(key) or ""):
                rows.append((str(label), before.get(key) or "—", after.get(key) or "—"))

        def day(value):
            return formats.date_format(parse_date(value), "DATE_FORMAT") if value else "—"

        def term(model, pk):
            found = model.objects.prefetch_related("names").filter(pk=pk).first() if pk else None
            return str(found) if found else "—"

        plain("number", _("number and symbol"))
        for key, model, label in (
            ("type", DocumentType, _("type")),
            ("issuer", Issuer, _("issuing body")),
            ("field", Field, pgettext_lazy("document", "field")),
        ):
            if before.get(key) != after.get(key):
                rows.append((str(label), term(model, before.get(key)), term(model, after.get(key))))
        plain("signer", _("signed by"))
        for key, label in (
            ("issued_on", _("issued on")),
            ("effective_on", _("in force from")),
            ("expires_on", _("in force until")),
        ):
            if before.get(key) != after.get(key):
                rows.append((str(label), day(before.get(key)), day(after.get(key))))
        if before.get("legal_status") != after.get("legal_status"):
            labels = dict(LegalStatus.choices)
            rows.append(
                (
                    str(_("legal status")),
                    str(labels.get(before.get("legal_status"), "—")),
                    str(labels.get(after.get("legal_status"), "—")),
                )
            )
        if (before.get("files") or []) != (after.get("files") or []):
            ids = (before.get("files") or []) + (after.get("files") or [])
            names = dict(DocumentFile.objects.filter(pk__in=ids).values_list("pk", "name"))
            rows.append(
                (
                    str(_("attached files")),
                    ", ".join(names.get(pk, "?") for pk in before.get("files") or []) or "—",
                    ", ".join(names.get(pk, "?") for pk in after.get("files") or []) or "—",
                )
            )
        if (before.get("relations") or []) != (after.get("relations") or []):
            items = (before.get("relations") or []) + (after.get("relations") or [])
            numbers = dict(
                DocumentFacts.objects.filter(
                    article_id__in=[item["target"] for item in items]
                ).values_list("article_id", "number")
            )
            labels = dict(Relation.choices)

            def said(values):
                return (
                    "; ".join(
                        f"{labels.get(item['relation'], '?')} {numbers.get(item['target'], '?')}"
                        for item in values or []
                    )
                    or "—"
                )

            rows.append(
                (
                    str(_("amends or replaces")),
                    said(before.get("relations")),
                    said(after.get("relations")),
                )
            )
        if (before.get("articles") or []) != (after.get("articles") or []):
            rows.append(
                (
                    str(_("related articles")),
                    ", ".join(str(pk) for pk in before.get("articles") or []) or "—",
                    ", ".join(str(pk) for pk in after.get("articles") or []) or "—",
                )
            )
        return rows


def document_url(row) -> str:
    """A document translation's address, from its language, slug and article id."""
    return reverse_in(row.language, "documents:document", slug=row.slug, article_id=row.article_id)


def list_url(lang: str) -> str:
    return reverse_in(lang, "documents:list")


def index_text(row) -> str:
    """The words of the document's listed PDFs in the translation's language, read once
    at upload (services.file_read_text), for the search index."""
    texts = DocumentFile.objects.filter(
        document_id=row.article_id,
        listed=True,
        kind=FileKind.PDF,
        language=row.language,
        text_status=TextStatus.OK,
    ).values_list("text", flat=True)
    words: list[str] = []
    for text in texts:
        words += text.split()[: MAX_INDEX_WORDS - len(words)]
        if len(words) >= MAX_INDEX_WORDS:
            break
    return " ".join(words)


def _render_preview(*args, **kwargs):
    from .views import render_preview

    return render_preview(*args, **kwargs)


def register() -> None:
    kinds.register(
        kinds.Kind(
            KIND,
            _("document"),
            _("documents"),
            url=document_url,
            list_url=list_url,
            facts=DocumentKindFacts(),
            render=_render_preview,
            index_text=index_text,
        )
    )
    kinds.reserve(*PATH_WORDS)
