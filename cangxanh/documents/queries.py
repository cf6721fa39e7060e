"""Reads of the documents: the list with its filters and search, one document's page,
the files readers may download, and the taxonomies' names.

Every read of a document starts from
`ArticleTranslation.objects.published().of_kind("document")`, so a draft, a
scheduled document before its time or an unpublished one is never shown, and a
file is public only while a published document's live facts list it. The list
is made of the documents' originals (one row per document), with their words in
the page's language where translated; pages read a fixed number of queries
whatever they list. Types, issuers, fields and years are kept per content
version (core.site.per_version).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from cangxanh.core import languages
from cangxanh.core.site import per_version
from cangxanh.news.models import ArticleTranslation, SectionTranslation, article_url

from . import numbers
from .models import (
    KIND,
    DocumentFile,
    DocumentRelation,
    DocumentType,
    DocumentTypeName,
    Field,
    FieldName,
    FileKind,
    Issuer,
    IssuerName,
    LegalStatus,
    Relation,
)

# --- Types, issuers, fields, years: kept per content version ----------------------------


@dataclass(frozen=True)
class Term:
    id: int
    key: str
    name: str


@dataclass
class Terms:
    types: list[Term]
    issuers: list[Term]
    fields: list[Term]
    years: list[int]  # of issue, of published documents, newest first

    def __post_init__(self):
        self.by_id = {
            "type": {t.id: t for t in self.types},
            "issuer": {t.id: t for t in self.issuers},
            "field": {t.id: t for t in self.fields},
        }
        self.by_key = {
            "type": {t.key: t for t in self.types},
            "issuer": {t.key: t for t in self.issuers},
            "field": {t.key: t for t in self.fields},
        }


def _named(model, names_model, lang: str) -> list[Term]:
    wanted = [lang, settings.LANGUAGE_CODE]
    names: dict[tuple[int, str], str] = {
        (term, language): name
        for term, language, name in names_model.objects.filter(language__in=wanted).values_list(
            "term_id", "language", "name"
        )
    }
    return [
        Term(pk, key, names.get((pk, lang)) or names.get((pk, settings.LANGUAGE_CODE)) or key)
        for pk, key in model.objects.order_by("position", "key").values_list("pk", "key")
    ]


def _published():
    return ArticleTranslation.objects.published().of_kind(KIND)


def _load_terms(lang: str) -> Terms:
    years = sorted(
        {
            day.year
            for day in _published()
            .filter(article__document_facts__isnull=False)
            .values_list("article__document_facts__issued_on", flat=True)
            .distinct()
        },
        reverse=True,
    )
    return Terms(
        types=_named(DocumentType, DocumentTypeName, lang),
        issuers=_named(Issuer, IssuerName, lang),
        fields=_named(Field, FieldName, lang),
        years=years,
    )


def terms(lang: str) -> Terms:
    """The names of types, issuers and fields in `lang` (else the site's language), and
    the years that have documents: read once per content version and language."""
    return per_version(("documents", "terms", lang), lambda: _load_terms(lang))


# --- Files readers may download ----------------------------------------------------------


@dataclass(frozen=True)
class PublicFile:
    id: int
    document_id: int
    stored: str  # its name in the documents storage
    name: str  # the name in its address and download
    kind: str
    size: int
    sha256: str

    @property
    def url(self) -> str:
        return file_url(self.id, self.name)


def file_url(file_id: int, name: str) -> str:
    from django.urls import reverse

    return reverse("document-file", kwargs={"file_id": file_id, "name": name})


def _load_public_files() -> dict[int, PublicFile]:
    public = _published().filter(article__document_facts__isnull=False)
    rows = DocumentFile.objects.filter(
        listed=True, document_id__in=public.values("article_id")
    ).values_list("pk", "document_id", "file", "name", "kind", "size", "sha256")
    return {row[0]: PublicFile(*row) for row in rows}


def public_files() -> dict[int, PublicFile]:
    """The files listed by the live facts of documents readers can see now, by id (one
    query per content version and process; fresh inside a transaction)."""
    return per_version(("documents", "public-files"), _load_public_files)


# --- What pages show -----------------------------------------------------------------------


def day_label(day: date | None, lang: str) -> str:
    if day is None:
        return ""
    with translation.override(lang):
        return formats.date_format(day, languages.get(lang).date_format)


@dataclass
class FileLink:
    id: int
    name: str
    kind: str
    kind_label: str
    size: int
    pages: int | None
    language: str  # its language's name in the page's language, "" if the page's
    url: str  # in a preview, the staff's address (readers get only listed files)


def staff_file_url(file_id: int) -> str:
    from django.urls import reverse

    return reverse("document-file-staff", kwargs={"file_id": file_id})


def _file_links(rows, lang: str, *, staff: bool = False) -> list[FileLink]:
    labels = dict(FileKind.choices)
    links = []
    for row in rows:
        name = ""
        if row.language and row.language != lang:
            name = translation.get_language_info(row.language)["name_translated"]
        links.append(
            FileLink(
                id=row.pk,
                name=row.name,
                kind=row.kind,
                kind_label=str(labels.get(row.kind, row.kind)),
                size=row.size,
                pages=row.pages,
                language=name,
                url=staff_file_url(row.pk) if staff else file_url(row.pk, row.name),
            )
        )
    return links


@dataclass
class Item:
    """A document as the list shows it."""

    id: int
    number: str
    title: str
    summary: str
    url: str
    language: str  # of the words shown
    translated: bool  # False: shown in its original language, not the page's
    unofficial: bool  # its words are a translation (only the original has legal force)
    language_name: str  # of the words shown, in the page's language, when not translated
    bcp47: str  # of the words shown, when not translated ("" otherwise)
    issued_on: date
    issued_label: str
    effective_label: str
    legal_status: str
    status_label: str
    type: Term | None
    issuer: Term | None
    field: Term | None
    files: list[FileLink] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    type: Term | None = None
    issuer: Term | None = None
    field: Term | None = None
    year: int | None = None
    status: str = ""

    @property
    def any(self) -> bool:
        return bool(self.type or self.issuer or self.field or self.year or self.status)


def _originals():
    """One published row per document: its original language's."""
    return _published().filter(
        language=F("article__original_language"), article__document_facts__isnull=False
    )


def filtered(filters: Filters):
    rows = _originals()
    if filters.type:
        rows = rows.filter(article__document_facts__type_id=filters.type.id)
    if filters.issuer:
        rows = rows.filter(article__document_facts__issuer_id=filters.issuer.id)
    if filters.field:
        rows = rows.filter(article__document_facts__field_id=filters.field.id)
    if filters.year:
        rows = rows.filter(article__document_facts__issued_on__year=filters.year)
    if filters.status:
        rows = rows.filter(article__document_facts__legal_status=filters.status)
    return rows


def newest_first(rows):
    return rows.order_by("-article__document_facts__issued_on", "-article_id")


def number_condition(query: str) -> Q:
    """Documents whose number has every token of `query`, in any order (the stored key
    is its tokens, space-separated: numbers.number_key)."""
    condition = Q()
    for token in numbers.query_tokens(query):
        condition &= (
            Q(article__document_facts__number_key=token)
            | Q(article__document_facts__number_key__startswith=f"{token} ")
            | Q(article__document_facts__number_key__endswith=f" {token}")
            | Q(article__document_facts__number_key__contains=f" {token} ")
        )
    return condition


def numbered(query: str) -> list[tuple[int, str]]:
    """The published documents whose number `query` spells, when it looks like one, as
    (article id, number), newest first, whatever the filters (the view looks for the
    documents that cite them too). One query."""
    if not (numbers.looks_like_number(query) and numbers.query_tokens(query)):
        return []
    return list(
        newest_first(_originals().filter(number_condition(query))).values_list(
            "article_id", "article__document_facts__number"
        )
    )


def matching(by_number: list[int], filters: Filters, text_hits: list[int]) -> list[int]:
    """The documents a search finds, as article ids in order: those whose number it
    spells first (`by_number`: numbered's, newest first), then those whose words it
    found (`text_hits`, translation ids in the search engine's order), within the
    filters. Two queries."""
    articles = (
        dict(ArticleTranslation.objects.filter(pk__in=text_hits).values_list("pk", "article_id"))
        if text_hits
        else {}
    )
    wanted = [*by_number, *(articles[pk] for pk in text_hits if pk in articles)]
    if not wanted:
        return []
    allowed = set(
        filtered(filters).filter(article_id__in=set(wanted)).values_list("article_id", flat=True)
    )
    return list(dict.fromkeys(article_id for article_id in wanted if article_id in allowed))


def items(article_ids: list[int], lang: str) -> list[Item]:
    """The documents of a page, in this order, in `lang` or else their original. Three
    queries: the originals with their facts, the translations, the listed files."""
    if not article_ids:
        return []
    originals = {
        row.article_id: row
        for row in _originals()
        .filter(article_id__in=article_ids)
        .select_related("article__document_facts")
    }
    local = {
        row.article_id: row
        for row in _published()
        .filter(article_id__in=article_ids, language=lang)
        .only("id", "article_id", "language", "title", "slug", "lead")
    }
    files: dict[int, list[DocumentFile]] = {}
    for row in DocumentFile.objects.filter(document_id__in=article_ids, listed=True):
        files.setdefault(row.document_id, []).append(row)
    known = terms(lang)
    statuses = dict(LegalStatus.choices)
    found = []
    for article_id in article_ids:
        original = originals.get(article_id)
        if original is None:
            continue  # unpublished between two reads
        facts = original.article.document_facts
        shown = local.get(article_id, original)
        shown.article = original.article
        translated = shown.language == lang
        found.append(
            Item(
                id=article_id,
                number=facts.number,
                title=shown.title,
                summary=shown.lead,
                url=shown.get_absolute_url(),
                language=shown.language,
                translated=translated,
                unofficial=shown.language != original.language,
                language_name=""
                if translated
                else translation.get_language_info(shown.language)["name_translated"],
                bcp47="" if translated else languages.get(shown.language).bcp47,
                issued_on=facts.issued_on,
                issued_label=day_label(facts.issued_on, lang),
                effective_label=day_label(facts.effective_on, lang),
                legal_status=facts.legal_status,
                status_label=str(statuses.get(facts.legal_status, "")),
                type=known.by_id["type"].get(facts.type_id),
                issuer=known.by_id["issuer"].get(facts.issuer_id),
                field=known.by_id["field"].get(facts.field_id),
                files=_file_links(files.get(article_id, []), lang),
            )
        )
    return found


# --- One document ---------------------------------------------------------------------------


def document_rows(article_id: int) -> list[ArticleTranslation]:
    """The published translations of a document, with its facts. One query."""
    return list(
        _published()
        .filter(article_id=article_id, article__document_facts__isnull=False)
        .select_related("article__document_facts")
    )


@dataclass
class Link:
    """Another document, or a news article, as a page links it."""

    id: int
    title: str
    url: str
    number: str = ""
    relation: str = ""
    relation_label: str = ""
    language: str = ""  # BCP 47 of the words shown, when not the page's


@dataclass
class Related:
    amends: list[Link]  # what this document amends or replaces
    amended_by: list[Link]  # what amends or replaces this one


def listed_files(article_id: int, lang: str, *, staff: bool = False) -> list[FileLink]:
    rows = DocumentFile.objects.filter(document_id=article_id, listed=True)
    return _file_links(rows, lang, staff=staff)


def waiting_files(article_id: int, ids: list[int], lang: str) -> list[FileLink]:
    """The files waiting facts list, for the staff preview (at the staff's address)."""
    rows = {row.pk: row for row in DocumentFile.objects.filter(document_id=article_id, pk__in=ids)}
    return _file_links([rows[pk] for pk in ids if pk in rows], lang, staff=True)


def relations(article_id: int, lang: str, outgoing: list[tuple[int, str]] | None = None) -> Related:
    """What the document amends or replaces, and what amends or replaces it, with the other
    documents' numbers and titles (in `lang`, else their original). Two queries, the
    second only when there are any. `outgoing` (target, relation) replaces the live
    ones (the preview of waiting facts)."""
    pairs = list(
        DocumentRelation.objects.filter(Q(source_id=article_id) | Q(target_id=article_id))
        .order_by("id")
        .values_list("source_id", "target_id", "relation")
    )
    if outgoing is not None:
        pairs = [p for p in pairs if p[0] != article_id]
        pairs += [(article_id, target, relation) for target, relation in outgoing]
    others = {s if t == article_id else t for s, t, _r in pairs}
    if not others:
        return Related([], [])
    shown: dict[int, ArticleTranslation] = {}
    for row in (
        _published()
        .filter(
            Q(language=lang) | Q(language=F("article__original_language")),
            article_id__in=others,
            article__document_facts__isnull=False,
        )
        .select_related("article__document_facts")
        .only(
            "id",
            "article_id",
            "language",
            "title",
            "slug",
            "article__kind",
            "article__original_language",
            "article__document_facts__number",
        )
    ):
        if row.article_id not in shown or row.language == lang:
            shown[row.article_id] = row
    outward = {Relation.AMENDS: gettext("Amends"), Relation.REPLACES: gettext("Replaces")}
    inward = {Relation.AMENDS: gettext("Amended by"), Relation.REPLACES: gettext("Replaced by")}
    related = Related([], [])
    for source, target, relation in pairs:
        other = target if source == article_id else source
        row = shown.get(other)
        if row is None:
            continue  # not public: no link readers could not follow
        link = Link(
            id=other,
            title=row.title,
            url=row.get_absolute_url(),
            number=row.article.document_facts.number,
            relation=relation,
            relation_label=str((outward if source == article_id else inward).get(relation, "")),
            language="" if row.language == lang else languages.get(row.language).bcp47,
        )
        (related.amends if source == article_id else related.amended_by).append(link)
    return related


def related_articles(article_id: int, lang: str, ids: list[int] | None = None) -> list[Link]:
    """The news articles related to the document, public in `lang`, newest first. One
    query (`ids`: the waiting facts' articles, for the preview)."""
    rows = ArticleTranslation.objects.published().news().in_language(lang)
    if ids is None:
        rows = rows.filter(article__related_documents__article_id=article_id)
    else:
        rows = rows.filter(article_id__in=ids)
    section_slug = SectionTranslation.objects.filter(
        section_id=OuterRef("article__section_id"), language=lang
    ).values("slug")[:1]
    return [
        Link(id=article, title=title, url=article_url(lang, slug_of_section or "-", slug, article))
        for article, title, slug, slug_of_section in rows.annotate(
            section_slug=Subquery(section_slug)
        )
        .order_by("-published_at", "-id")
        .values_list("article_id", "title", "slug", "section_slug")
    ]


@dataclass
class Event:
    when: datetime
    new_version: bool
    language: str  # the language's name, in the page's language


def history(
    article_id: int, lang: str, original: str, first: datetime | None = None
) -> list[Event]:
    """The publications of the document in this language and of its original (whose new
    versions carry the facts: number, status, files), oldest first; `first`, the
    translation's publication time, stands first when the log has no publication of it
    (a document imported with its time). One query."""
    rows = (
        ArticleTranslation.objects.filter(
            article_id=article_id,
            language__in={lang, original},
            # editorial.models.Action.PUBLISH, read by name: the audit log is the
            # newsroom's, above this app.
            workflow_events__action="publish",
        )
        # When readers got it: a scheduled publication's time, not when it was scheduled
        # (a new version's event keeps the first publication time: then the step's).
        .annotate(
            reached=Greatest(
                Coalesce("workflow_events__publish_at", "workflow_events__created_at"),
                "workflow_events__created_at",
            )
        )
        # A publication still to come is nobody's business yet.
        .filter(reached__lte=timezone.now())
        .order_by("reached", "workflow_events__id")
        .values_list("language", "reached", "workflow_events__new_version")
    )
    names: dict[str, str] = {}

    def name(code: str) -> str:
        return names.setdefault(code, translation.get_language_info(code)["name_translated"])

    events = [
        Event(when=when, new_version=bool(new_version), language=name(language))
        for language, when, new_version in rows
    ]
    if first is not None and not any(
        not event.new_version and event.language == name(lang) for event in events
    ):
        events.insert(0, Event(when=first, new_version=False, language=name(lang)))
    return events
