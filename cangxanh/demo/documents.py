"""The demo's legal documents (content/documents.toml): types, issuing bodies and fields
with their names in five languages, and fifteen documents with their summaries, notes
and attached PDFs (content/files/documents/, made by bench/demo_document_pdfs.py), one
of them changed after publication through the workflow, as an approver would.

Idempotent like the rest of the demo: each document carries an import key
(`document-<key>`) and one that exists is left as it is. A PDF missing from the
content folder leaves its document without a file (the compliance page then says so).
"""

import html
import tomllib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from cangxanh.core import languages
from cangxanh.documents import services
from cangxanh.documents.models import (
    KIND,
    DocumentType,
    DocumentTypeName,
    Field,
    FieldName,
    Issuer,
    IssuerName,
)
from cangxanh.documents.validation import check_upload
from cangxanh.editorial import facts, workflow
from cangxanh.editorial.models import Action, WorkflowEvent
from cangxanh.editorial.revisions import mark_approved
from cangxanh.news.models import Article, ArticleTranslation, Status

if TYPE_CHECKING:
    from .loader import Report

CONTENT = Path(__file__).parent / "content"
FILES = CONTENT / "files" / "documents"
# Documents reach the portal a couple of days after they are signed, in the morning;
# a change without a day of its own is published a week after that.
PUBLISHED_AFTER = timedelta(days=2, hours=9)
CHANGED_AFTER = timedelta(days=7)


def _terms(model, names_model, items: list[dict], report: "Report", label: str) -> dict:
    found = {}
    for position, item in enumerate(items):
        term = model.objects.filter(key=item["key"]).first()
        if term is None:
            term = model.objects.create(key=item["key"], position=position)
            for lang in languages.codes():
                if item.get(lang):
                    names_model.objects.create(term=term, language=lang, name=item[lang])
            report.add(label)
        found[item["key"]] = term.pk
    return found


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _extra(item: dict, terms: dict, articles: dict, files: list[int], **override) -> dict:
    values = item | override
    return {
        "number": values["number"],
        "type": terms["type"][values["type"]],
        "issuer": terms["issuer"][values["issuer"]],
        "field": terms["field"].get(values.get("field")),
        "signer": values.get("signer", ""),
        "issued_on": _day(values["issued_on"]),
        "effective_on": _day(values.get("effective_on")),
        "expires_on": _day(values.get("expires_on")),
        "legal_status": values["status"],
        "files": files,
        "relations": [
            {"target": articles[r["target"]].pk, "relation": r["relation"]}
            for r in values.get("relations", [])
            if r["target"] in articles
        ],
        "articles": sorted(
            Article.objects.filter(import_key__in=values.get("articles", [])).values_list(
                "pk", flat=True
            )
        ),
    }


def _facts(extra: dict) -> dict:
    return {
        "section": None,
        "author": None,
        "source": None,
        "source_url": "",
        "images": [],
        "extra": extra,
    }


def _attach(article: Article, item: dict) -> list[int]:
    path = FILES / f"{item['key']}.pdf"
    if not path.exists():
        return []
    upload = ContentFile(path.read_bytes(), name=f"{item['number'].replace('/', '-')}.pdf")
    stored = services.file_store(
        article=article, upload=upload, checked=check_upload(upload.name, upload), language="vi"
    )
    services.file_read_text(stored)
    return [stored.pk]


def load_documents(report: "Report") -> None:
    with open(CONTENT / "documents.toml", "rb") as fh:
        data = tomllib.load(fh)
    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    approver = User.objects.filter(username="approver").first() or admin
    terms = {
        "type": _terms(DocumentType, DocumentTypeName, data["type"], report, "document types"),
        "issuer": _terms(Issuer, IssuerName, data["issuer"], report, "issuing bodies"),
        "field": _terms(Field, FieldName, data["field"], report, "document fields"),
    }
    notes = data.get("note", {})
    known: dict[str, Article] = {}
    new: list[tuple[dict, Article]] = []
    for item in data["document"]:
        key = f"document-{item['key']}"
        article = Article.objects.filter(import_key=key).first()
        if article is None:
            article = Article.objects.create(import_key=key, kind=KIND, original_language="vi")
            new.append((item, article))
        known[item["key"]] = article
    now = timezone.now()
    zone = timezone.get_default_timezone()
    for item, article in new:
        files = _attach(article, item)
        facts.article_save_facts(
            article=article, facts=_facts(_extra(item, terms, known, files)), user=admin
        )
        signed = datetime.combine(_day(item["issued_on"]), time.min, tzinfo=zone)
        published = min(signed + PUBLISHED_AFTER, now - timedelta(hours=1))
        note = notes.get(item.get("note", ""), {})
        original = None
        for lang in languages.codes():
            text = item.get(lang)
            if not text:
                continue
            row = ArticleTranslation.objects.create(
                article=article,
                language=lang,
                title=text["title"],
                lead=text["summary"],
                body=f"<p>{html.escape(note[lang])}</p>" if note.get(lang) else "",
                status=Status.PUBLISHED,
                published_at=published,
                translated_from=original.revisions.order_by("-number").first()
                if original
                else None,
            )
            mark_approved(row)  # as an approver would have published it
            original = original or row
        if "changed" in item and original is not None:
            # Changed after publication: the new facts wait, then an approver publishes them.
            change = dict(item["changed"])
            on = _day(change.pop("on", None))
            changed = _extra(item, terms, known, files, **change)
            facts.article_save_facts(article=article, facts=_facts(changed), user=admin)
            event = workflow.perform(original, Action.PUBLISH, approver)
            when = datetime.combine(on, time(10), tzinfo=zone) if on else published + CHANGED_AFTER
            when = min(when, now)
            WorkflowEvent.objects.filter(pk=event.pk).update(created_at=when)
        report.add("documents")
