"""The portal's own datasets: news articles, sections, documents and calendar entries.

Each is read from `ArticleTranslation.objects.published()` of its kind, in the language
asked (`lang`), like the public pages: a draft, a translation in review, an unpublished
or archived one, a publication still to come, or another language's text never appears.
Of the other kinds only what their public pages show is given: a document's public facts
and the files its published facts list; an engagement's time, place, leaders, host (when
its page is public) and whether it is cancelled. Nothing strangers sent (questions,
comments: their names and addresses) is in any dataset.

A list is a fixed number of queries, whatever its length: the page, then one each for
the other languages' addresses, the authors' positions, pictures, files or leaders.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from ninja import Router, Schema
from ninja.params import Path

from cangxanh.agenda.kind import entry_url
from cangxanh.agenda.models import KIND as EVENT
from cangxanh.agenda.models import EventLeader
from cangxanh.agenda.queries import plain
from cangxanh.core import site
from cangxanh.core.converters import MAX_ID
from cangxanh.documents.models import KIND as DOCUMENT
from cangxanh.documents.models import DocumentFile, FileKind, LegalStatus
from cangxanh.documents.queries import file_url, terms
from cangxanh.images.bodies import IMG_TAG, body_pictures, img_attributes, library_name
from cangxanh.images.models import ImageText
from cangxanh.images.renditions import rendition
from cangxanh.news import kinds
from cangxanh.news.models import ArticleTranslation, PersonPosition, article_url
from cangxanh.news.queries import first_images, section_index

from . import datasets, paging, respond
from .errors import ApiError
from .schemas import (
    ERRORS,
    CursorParam,
    Day,
    LangParam,
    Language,
    LimitParam,
    Moment,
    TranslationLink,
    list_of,
    one_of,
)

ArticleId = Path(..., ge=1, le=MAX_ID, description=gettext_noop("The article's id."))


def absolute(url: str) -> str:
    """A site path or a storage URL as an absolute address (core.site.absolute)."""
    return site.absolute(None, url)


def public_url(kind: str, lang: str, slug: str, article_id: int, section_id: int | None) -> str:
    """The absolute address of a public translation (news.kinds), with no query."""
    if kind == kinds.NEWS:
        name = section_index().name(section_id, lang) if section_id else None
        return absolute(article_url(lang, name.slug if name else "-", slug, article_id))
    found = kinds.get(kind)
    row = ArticleTranslation(language=lang, slug=slug, article_id=article_id)
    return absolute(found.url(row)) if found and found.url else ""


def other_languages(article_ids, kind: str) -> dict[int, list[dict]]:
    """Each article's public translations (every language), as links. One query."""
    found: dict[int, list[dict]] = {}
    rows = (
        ArticleTranslation.objects.published()
        .filter(article_id__in=list(article_ids))
        .values_list("article_id", "language", "slug", "article__section_id")
    )
    order = {code: i for i, (code, _name) in enumerate(settings.LANGUAGES)}
    for article_id, lang, slug, section_id in sorted(rows, key=lambda r: order.get(r[1], 99)):
        found.setdefault(article_id, []).append(
            {"language": lang, "url": public_url(kind, lang, slug, article_id, section_id)}
        )
    return found


def _listing(request, rows, data, *, dataset: str, lang: str, cursor, limit: int):
    """A list endpoint's answer: a page of `rows`, newest first, built by `data`."""
    found = paging.page(
        request, rows, dataset=dataset, order=paging.NEWEST, cursor=cursor, limit=limit
    )
    return respond.listing(lang, data(found.rows, lang), found, limit)


def _single(rows, data, *, article_id: int, lang: str):
    """A one-item endpoint's answer: the row of `article_id` built by `data`, or 404."""
    row = rows.filter(article_id=article_id).first()
    if row is None:
        raise ApiError.not_found()
    return respond.single(lang, data([row], lang)[0])


def body_for_api(html: str, lang: str) -> str:
    """A cleaned body (news.sanitize) with each library picture as its rendition's absolute
    address, like pages show it; a picture that is not a library one is left out."""
    if "<img" not in html.lower():
        return html
    pictures = body_pictures(html, lang)

    def picture(match) -> str:
        attributes = img_attributes(match)
        name = library_name(attributes.get("src", ""))
        image = pictures.get(name) if name else None
        found = rendition(image, "full") if image is not None else None
        if found is None:
            return ""
        alt = attributes.get("alt", "")
        text = image.page_texts.get(lang)
        if not alt and text is not None:
            alt = text.alt
        alt = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        return (
            f'<img src="{absolute(found.src)}" width="{found.width}" '
            f'height="{found.height}" alt="{alt}">'
        )

    return IMG_TAG.sub(picture, html)


# --- Sections ---------------------------------------------------------------------------

sections_router = Router(tags=["sections"])


class SectionOut(Schema):
    id: int
    key: str
    name: str
    url: str
    parent: int | None
    position: int
    in_menu: bool


SectionList = list_of(SectionOut, "SectionList")


@sections_router.get(
    "/",
    response={200: SectionList, **ERRORS},
    url_name="sections",
    summary=gettext_noop("The news sections"),
    description=gettext_noop(
        "Every section that has a name in the language asked, in the menu's order."
    ),
)
def sections(request, lang: LangParam = "vi"):
    index = section_index()
    data = []
    for section in index.sections:
        name = index.name(section.pk, lang)
        if name is None:
            continue
        data.append(
            {
                "id": section.pk,
                "key": section.key,
                "name": name.name,
                "url": absolute(name.get_absolute_url()),
                "parent": section.parent_id,
                "position": section.position,
                "in_menu": section.in_menu,
            }
        )
    return respond.listing(lang, data, None, len(data))


# --- News articles ----------------------------------------------------------------------

articles_router = Router(tags=["articles"])


class SectionRef(Schema):
    id: int
    name: str
    url: str


class Author(Schema):
    name: str
    position: str


class SourceOut(Schema):
    name: str
    url: str | None
    article_url: str | None


class Picture(Schema):
    url: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str


class ArticleOut(Schema):
    id: int
    language: Language
    title: str
    lead: str
    body: str
    url: str
    published_at: Moment
    section: SectionRef | None
    author: Author | None
    source: SourceOut | None
    image: Picture | None
    translations: list[TranslationLink]


ArticleList = list_of(ArticleOut, "ArticleList")
ArticleOne = one_of(ArticleOut, "ArticleAnswer")


def _news(lang: str):
    return (
        ArticleTranslation.objects.published()
        .news()
        .in_language(lang)
        .select_related("article__author", "article__source")
    )


def _articles(rows: list[ArticleTranslation], lang: str) -> list[dict]:
    ids = [row.article_id for row in rows]
    links = other_languages(ids, kinds.NEWS)
    authors = {row.article.author_id for row in rows if row.article.author_id}
    positions = dict(
        PersonPosition.objects.filter(person_id__in=authors, language=lang).values_list(
            "person_id", "position"
        )
    )
    images = first_images(ids)
    texts = {
        text.image_id: text
        for text in ImageText.objects.filter(
            image_id__in=[image.pk for image in images.values()], language=lang
        )
    }
    index = section_index()
    data = []
    for row in rows:
        article = row.article
        name = index.name(article.section_id, lang) if article.section_id else None
        picture = None
        image = images.get(row.article_id)
        found = rendition(image, "wide") if image is not None else None
        if found is not None:
            text = texts.get(image.pk)
            picture = {
                "url": absolute(found.src),
                "width": found.width,
                "height": found.height,
                "alt": text.alt if text else "",
                "caption": text.caption if text else "",
                "credit": image.credit,
            }
        data.append(
            {
                "id": row.article_id,
                "language": row.language,
                "title": row.title,
                "lead": row.lead,
                "body": body_for_api(row.body, lang),
                "url": public_url(kinds.NEWS, lang, row.slug, row.article_id, article.section_id),
                "published_at": row.published_at,
                "section": {
                    "id": article.section_id,
                    "name": name.name,
                    "url": absolute(name.get_absolute_url()),
                }
                if name
                else None,
                "author": {
                    "name": article.author.name,
                    "position": positions.get(article.author_id, ""),
                }
                if article.author
                else None,
                "source": {
                    "name": article.source.name,
                    "url": article.source.url or None,
                    "article_url": article.source_url or None,
                }
                if article.source
                else None,
                "image": picture,
                "translations": links.get(row.article_id, []),
            }
        )
    return data


@articles_router.get(
    "/",
    response={200: ArticleList, **ERRORS},
    url_name="articles",
    summary=gettext_noop("News articles"),
    description=gettext_noop(
        "The news articles published in the language asked, newest first, a page at a time."
    ),
)
def articles(
    request,
    lang: LangParam = "vi",
    cursor: CursorParam = None,
    limit: LimitParam = 20,
):
    return _listing(
        request, _news(lang), _articles, dataset="articles", lang=lang, cursor=cursor, limit=limit
    )


@articles_router.get(
    "/{id:article_id}/",
    response={200: ArticleOne, **ERRORS},
    url_name="article",
    summary=gettext_noop("One news article"),
    description=gettext_noop("A news article in the language asked, if it is published in it."),
)
def article(request, article_id: int = ArticleId, lang: LangParam = "vi"):
    return _single(_news(lang), _articles, article_id=article_id, lang=lang)


# --- Documents --------------------------------------------------------------------------

documents_router = Router(tags=["documents"])


class Term(Schema):
    key: str
    name: str


class StatusOut(Schema):
    code: str
    name: str


class FileOut(Schema):
    id: int
    name: str
    media_type: str
    size: int
    pages: int | None
    language: Language
    url: str


class DocumentOut(Schema):
    id: int
    language: Language
    title: str
    summary: str
    notes: str
    url: str
    published_at: Moment
    number: str
    type: Term | None
    issuer: Term | None
    field: Term | None
    signer: str
    issued_on: Day
    effective_on: Day | None
    expires_on: Day | None
    legal_status: StatusOut
    files: list[FileOut]
    translations: list[TranslationLink]


DocumentList = list_of(DocumentOut, "DocumentList")
DocumentOne = one_of(DocumentOut, "DocumentAnswer")

MEDIA_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _with_facts(kind: str, facts: str, lang: str):
    """The published translations of `kind` in `lang` whose article has its `facts`."""
    return (
        ArticleTranslation.objects.published()
        .of_kind(kind)
        .in_language(lang)
        .filter(**{f"article__{facts}__isnull": False})
        .select_related(f"article__{facts}")
    )


def _documents(lang: str):
    return _with_facts(DOCUMENT, "document_facts", lang)


def _term(found, pk):
    term = found.get(pk) if pk else None
    return {"key": term.key, "name": term.name} if term else None


def _document_data(rows: list[ArticleTranslation], lang: str) -> list[dict]:
    ids = [row.article_id for row in rows]
    links = other_languages(ids, DOCUMENT)
    files: dict[int, list[dict]] = {}
    # Only the files the published facts list (DocumentFile.listed), as the page and
    # documents.views.file serve them.
    for row in DocumentFile.objects.filter(document_id__in=ids, listed=True):
        files.setdefault(row.document_id, []).append(
            {
                "id": row.pk,
                "name": row.name,
                "media_type": MEDIA_TYPES.get(row.kind, "application/octet-stream"),
                "size": row.size,
                "pages": row.pages,
                "language": row.language,
                "url": absolute(file_url(row.pk, row.name)),
            }
        )
    known = terms(lang)
    statuses = dict(LegalStatus.choices)
    data = []
    for row in rows:
        facts = row.article.document_facts
        data.append(
            {
                "id": row.article_id,
                "language": row.language,
                "title": row.title,
                "summary": row.lead,
                "notes": body_for_api(row.body, lang),
                "url": public_url(DOCUMENT, lang, row.slug, row.article_id, None),
                "published_at": row.published_at,
                "number": facts.number,
                "type": _term(known.by_id["type"], facts.type_id),
                "issuer": _term(known.by_id["issuer"], facts.issuer_id),
                "field": _term(known.by_id["field"], facts.field_id),
                "signer": facts.signer,
                "issued_on": facts.issued_on,
                "effective_on": facts.effective_on,
                "expires_on": facts.expires_on,
                "legal_status": {
                    "code": facts.legal_status,
                    "name": str(statuses.get(facts.legal_status, facts.legal_status)),
                },
                "files": files.get(row.article_id, []),
                "translations": links.get(row.article_id, []),
            }
        )
    return data


@documents_router.get(
    "/",
    response={200: DocumentList, **ERRORS},
    url_name="documents",
    summary=gettext_noop("Legal and administrative documents"),
    description=gettext_noop(
        "The documents published in the language asked, newest publication first, with "
        "their number, type, issuing body, dates, legal status and files."
    ),
)
def documents(
    request,
    lang: LangParam = "vi",
    cursor: CursorParam = None,
    limit: LimitParam = 20,
):
    return _listing(
        request,
        _documents(lang),
        _document_data,
        dataset="documents",
        lang=lang,
        cursor=cursor,
        limit=limit,
    )


@documents_router.get(
    "/{id:article_id}/",
    response={200: DocumentOne, **ERRORS},
    url_name="document",
    summary=gettext_noop("One document"),
    description=gettext_noop("A document in the language asked, if it is published in it."),
)
def document(request, article_id: int = ArticleId, lang: LangParam = "vi"):
    return _single(_documents(lang), _document_data, article_id=article_id, lang=lang)


# --- Calendar ---------------------------------------------------------------------------

events_router = Router(tags=["events"])


class LeaderOut(Schema):
    id: int
    name: str
    position: str


class HostOut(Schema):
    id: int
    name: str
    url: str


class EventOut(Schema):
    id: int
    language: Language
    title: str
    place: str
    attending: str
    url: str
    published_at: Moment
    starts_at: Moment
    ends_at: Moment | None
    all_day: bool
    cancelled: bool
    host: HostOut | None
    leaders: list[LeaderOut]
    translations: list[TranslationLink]


EventList = list_of(EventOut, "EventList")
EventOne = one_of(EventOut, "EventAnswer")


def _events(lang: str):
    return _with_facts(EVENT, "event_facts", lang)


def _event_data(rows: list[ArticleTranslation], lang: str) -> list[dict]:
    ids = [row.article_id for row in rows]
    links = other_languages(ids, EVENT)
    leaders: dict[int, list[dict]] = {}
    people = EventLeader.objects.filter(event_id__in=ids).select_related("person")
    positions = dict(
        PersonPosition.objects.filter(
            person_id__in=people.values("person_id"), language=lang
        ).values_list("person_id", "position")
    )
    for link in people.order_by("position", "id"):
        leaders.setdefault(link.event_id, []).append(
            {
                "id": link.person_id,
                "name": link.person.name,
                "position": positions.get(link.person_id, ""),
            }
        )
    hosts = {row.article.event_facts.host_id for row in rows} - {None}
    # A host unit is named only where its own page is public in this language.
    host_pages = {
        page.article_id: page
        for page in ArticleTranslation.objects.published()
        .in_language(lang)
        .filter(article_id__in=hosts)
        .select_related("article")
    }
    data = []
    for row in rows:
        facts = row.article.event_facts
        page = host_pages.get(facts.host_id)
        data.append(
            {
                "id": row.article_id,
                "language": row.language,
                "title": row.title,
                "place": row.lead.strip(),
                "attending": plain(row.body),
                "url": absolute(entry_url(row)),
                "published_at": row.published_at,
                "starts_at": facts.starts_at,
                "ends_at": facts.ends_at,
                "all_day": facts.all_day,
                "cancelled": facts.cancelled,
                "host": {
                    "id": page.article_id,
                    "name": page.title,
                    "url": absolute(page.get_absolute_url()),
                }
                if page
                else None,
                "leaders": leaders.get(row.article_id, []),
                "translations": links.get(row.article_id, []),
            }
        )
    return data


@events_router.get(
    "/",
    response={200: EventList, **ERRORS},
    url_name="events",
    summary=gettext_noop("The leaders' calendar"),
    description=gettext_noop(
        "The engagements published in the language asked, newest publication first, with "
        "their start and end, place, leaders, host unit and whether they are cancelled."
    ),
)
def events(
    request,
    lang: LangParam = "vi",
    cursor: CursorParam = None,
    limit: LimitParam = 20,
):
    return _listing(
        request, _events(lang), _event_data, dataset="events", lang=lang, cursor=cursor, limit=limit
    )


@events_router.get(
    "/{id:article_id}/",
    response={200: EventOne, **ERRORS},
    url_name="event",
    summary=gettext_noop("One engagement"),
    description=gettext_noop("An engagement in the language asked, if it is published in it."),
)
def event(request, article_id: int = ArticleId, lang: LangParam = "vi"):
    return _single(_events(lang), _event_data, article_id=article_id, lang=lang)


def register() -> None:
    """The portal's own datasets (apps.ApiConfig.ready)."""
    for key, router, title, description, theme in (
        (
            "articles",
            articles_router,
            _("News articles"),
            _(
                "The portal's news in five languages: title, lead, text, section, author, "
                "picture and publication time."
            ),
            "GOVE",
        ),
        (
            "sections",
            sections_router,
            _("News sections"),
            _("The sections the news is filed under, with their names in each language."),
            "GOVE",
        ),
        (
            "documents",
            documents_router,
            _("Legal and administrative documents"),
            _(
                "Documents the agency publishes: number, type, issuing body, dates, legal "
                "status and files."
            ),
            "JUST",
        ),
        (
            "events",
            events_router,
            _("The leaders' calendar"),
            _("The leaders' engagements: time, place, who attends, host unit, cancellations."),
            "GOVE",
        ),
    ):
        datasets.register(
            datasets.Dataset(key, router, title, description, theme=theme, list_name=key)
        )
