"""The documents for readers: the list with its filters and search
(`/<lang>/documents/?q=&type=&issuer=&field=&year=&status=&page=`), a document's page
(`/<lang>/documents/<slug>-<id>/`, `?print=1` for paper) and its attached files
(`/documents/files/<id>/<name>`, outside the language prefixes).

Pages are public pages for the page cache (delivery.middleware.public_page); reads
come from `queries`. A filter value nobody can mean (an unknown type, year 0)
shows every document with a message saying so, never an error page. A search
that looks like a number (`62/2025`, `qd-ubnd 62`) is tried against the numbers
first; every search also goes through the site's search engine, restricted to
documents in the page's language, for the words of the summaries and of the
attached PDFs, and so do the numbers it found, as they are written, for the
documents that cite them. A number is the same in every language, so what it
finds is too (`_text_hits`).
"""

import re
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_date
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cangxanh.core import (
    converters,  # noqa: F401  (registers id and uslug)
    languages,
)
from cangxanh.core.site import absolute, site_identity
from cangxanh.core.templatetags.portal import body_html
from cangxanh.core.text import shorten
from cangxanh.delivery import edge
from cangxanh.delivery.middleware import public_page
from cangxanh.images.bodies import body_pictures
from cangxanh.news.models import reverse_in
from cangxanh.news.views import iso, json_ld, not_translated, x_default_language
from cangxanh.search import engine
from cangxanh.search.analyzer import Query, parse_query

from . import numbers, queries
from .kind import PAGE_FACTS, DocumentKindFacts, row_facts
from .models import KIND, DocumentFile, LegalStatus, documents_storage
from .validation import ACCEPTED

PAGE_SIZE = 20
PAGE_MAX_AGE = 300
# The documents that cite a number are looked for by the numbers of the newest this
# many documents that it spells.
MENTIONED = 5
# A file's bytes never change at its address (a new upload is a new file, with a new id),
# but whether readers may have it does: unpublished, its document's file must not stay
# in shared caches for longer than a page does. The ETag makes a check cheap (304).
FILE_MAX_AGE = PAGE_MAX_AGE
FILE_CHUNK = 64 * 1024
PRIVATE = "private, no-store"
MIN_YEAR, MAX_YEAR = 1900, 2999

# schema.org LegalForceStatus of each legal status.
LEGAL_FORCE = {
    LegalStatus.IN_FORCE: "https://schema.org/InForce",
    LegalStatus.AMENDED: "https://schema.org/InForce",
    LegalStatus.REPLACED: "https://schema.org/NotInForce",
    LegalStatus.EXPIRED: "https://schema.org/NotInForce",
    LegalStatus.NOT_YET: "https://schema.org/NotInForce",
}


def _quoted(raw: str) -> str:
    return shorten("".join(c for c in raw if c.isprintable()), 40, translation.get_language())


def _print_view(request) -> bool:
    return request.GET.get("print") == "1"


# --- The list -------------------------------------------------------------------------------


def _read_filters(request, known: queries.Terms) -> tuple[queries.Filters, list[str]]:
    problems = []
    chosen = {}
    for name, message in (
        ("type", _("There is no type of document “%(value)s”: every type is shown.")),
        ("issuer", _("There is no issuing body “%(value)s”: every issuer is shown.")),
        ("field", _("There is no field “%(value)s”: every field is shown.")),
    ):
        raw = request.GET.get(name, "")
        if raw:
            chosen[name] = known.by_key[name].get(raw)
            if chosen[name] is None:
                problems.append(message % {"value": _quoted(raw)})
    raw_year = request.GET.get("year", "")
    year = None
    if raw_year:
        # The whole value, and short: `019999` is no year (the date lookup would fail on
        # it), and thousands of digits are past what int() reads.
        value = (
            int(raw_year) if raw_year.isascii() and raw_year.isdigit() and len(raw_year) <= 6 else 0
        )
        if MIN_YEAR <= value <= MAX_YEAR:
            year = value
        else:
            problems.append(
                _("“%(value)s” is not a year: documents of every year are shown.")
                % {"value": _quoted(raw_year)}
            )
    status = request.GET.get("status", "")
    if status and status not in LegalStatus.values:
        problems.append(
            _("There is no legal status “%(value)s”: every status is shown.")
            % {"value": _quoted(status)}
        )
        status = ""
    return queries.Filters(year=year, status=status, **chosen), problems


def _address(lang: str, **params) -> str:
    query = {name: value for name, value in params.items() if value not in (None, "", 1)}
    path = reverse_in(lang, "documents:list")
    return f"{path}?{urlencode(sorted(query.items()))}" if query else path


def _filter_params(filters: queries.Filters) -> dict:
    return {
        "type": filters.type.key if filters.type else "",
        "issuer": filters.issuer.key if filters.issuer else "",
        "field": filters.field.key if filters.field else "",
        "year": filters.year or "",
        "status": filters.status,
    }


def _text_hits(query: Query, lang: str, *, only_number: bool) -> list[int]:
    """The translations in `lang` of the documents the search engine finds for `query`,
    by id, best first.

    The words of a query that are not found together are looked for apart on some
    languages' pages and not on the Vietnamese one (engine.search: a syllable is not a
    word). A number alone (numbers.only_number) is no words of any language: found
    apart, its pieces ("QĐ" in one sentence, "62" in another) are no mention of it, on
    any page. Spelt otherwise than as written in the texts (`qd-ubnd 62` for
    62/2025/QĐ-UBND), a number finds the documents that cite it by the numbers it
    spells instead (the view's second search).
    """
    results = engine.search(query, engine.Filters(language=lang, kind=KIND), per_page=engine.LIMIT)
    if only_number and results.mode == "scattered":
        return []
    return [hit.id for hit in results.hits]


@public_page(ttl=PAGE_MAX_AGE)
@require_safe
def documents(request):
    lang = request.LANGUAGE_CODE
    known = queries.terms(lang)
    filters, problems = _read_filters(request, known)
    q = " ".join(request.GET.get("q", "").split())[:200]
    if q:
        by_number = queries.numbered(q)
        query = parse_query(q)
        hits = _text_hits(query, lang, only_number=numbers.only_number(q))
        for number in dict.fromkeys(number for _id, number in by_number[:MENTIONED]):
            cited = parse_query(number)
            if cited.units != query.units:
                hits += _text_hits(cited, lang, only_number=True)
        found = queries.matching([article_id for article_id, _n in by_number], filters, hits)
        paginator = Paginator(found, PAGE_SIZE)
    else:
        ordered = queries.newest_first(queries.filtered(filters))
        paginator = Paginator(ordered.values_list("article_id", flat=True), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404 from exc
    shown = queries.items(list(page.object_list), lang)
    params = _filter_params(filters)
    canonical_path = _address(lang, q=q, page=page.number, **params)
    statuses = [{"value": value, "label": label} for value, label in LegalStatus.choices]
    title = _("Legal documents")
    return render(
        request,
        "documents/list.html",
        {
            "title": title,
            "items": shown,
            "page": page,
            "total": paginator.count,
            "q": q,
            "filters": filters,
            "params": params,
            "problems": problems,
            "terms": known,
            "statuses": statuses,
            "searching": bool(q) or filters.any,
            "clear_href": reverse_in(lang, "documents:list"),
            "previous_href": _address(lang, q=q, page=page.previous_page_number(), **params)
            if page.has_previous()
            else "",
            "next_href": _address(lang, q=q, page=page.next_page_number(), **params)
            if page.has_next()
            else "",
            "feed_href": reverse_in(lang, "documents:feed"),
            "canonical": absolute(request, canonical_path),
            # A search or a filtered list is not a page of its own for search engines.
            "noindex": bool(q) or filters.any or bool(problems),
            "page_alternates": [
                {"lang": other, "href": absolute(request, _address(other.code, page=page.number))}
                for other in languages.enabled()
            ],
            "switcher_targets": {
                code: _address(code, q=q, page=page.number, **params) for code in languages.codes()
            },
            "active_section_slug": "documents",
        },
    )


# --- One document ---------------------------------------------------------------------------


def _legislation(
    request, *, current, facts, original, publisher, known, related, files, canonical
) -> dict:
    """schema.org Legislation: the number, type, dates, legal force, who passed it, what
    it amends or replaces, and its files."""
    lang = current.language
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": current.title,
        "url": canonical,
        "inLanguage": languages.get(lang).bcp47,
        "legislationIdentifier": facts["number"],
        "legislationDate": facts["issued_on"] or "",
        "legislationLegalForce": {"@id": LEGAL_FORCE.get(facts["legal_status"], "")},
        "publisher": {"@type": "GovernmentOrganization", "name": publisher},
    }
    if current.lead:
        data["abstract"] = current.lead
        data["description"] = shorten(current.lead, 300, lang)
    if known["type"] is not None:
        data["legislationType"] = known["type"].name
    if known["issuer"] is not None:
        data["legislationPassedBy"] = {
            "@type": "GovernmentOrganization",
            "name": known["issuer"].name,
        }
    if facts["signer"]:
        data["legislationResponsible"] = {"@type": "Person", "name": facts["signer"]}
    if known["field"] is not None:
        data["about"] = known["field"].name
    if facts["expires_on"]:
        data["expires"] = facts["expires_on"]
    if current.published_at:
        data["datePublished"] = iso(current.published_at)
    amends = [link for link in related.amends if link.relation == "amends"]
    replaces = [link for link in related.amends if link.relation == "replaces"]
    if amends:
        data["legislationAmends"] = [_legislation_link(request, link) for link in amends]
    if related.amends:
        # Amending and replacing are both changes (legislationAmends is the narrower one).
        data["legislationChanges"] = [_legislation_link(request, link) for link in related.amends]
    if replaces:
        data["legislationRepeals"] = [_legislation_link(request, link) for link in replaces]
    if files:
        data["encoding"] = [
            {
                "@type": "MediaObject",
                "contentUrl": absolute(request, link.url),
                "encodingFormat": ACCEPTED[link.kind][1],
                "contentSize": str(link.size),
                "name": link.name,
            }
            for link in files
            if link.url
        ]
    if original is not None and original is not current:
        data["translationOfWork"] = {
            "@type": "Legislation",
            "url": absolute(request, original.get_absolute_url()),
            "inLanguage": languages.get(original.language).bcp47,
            "legislationIdentifier": facts["number"],
        }
    return data


def _legislation_link(request, link: queries.Link) -> dict:
    return {
        "@type": "Legislation",
        "legislationIdentifier": link.number,
        "name": link.title,
        "url": absolute(request, link.url),
    }


@public_page(ttl=PAGE_MAX_AGE)
@require_safe
def document(request, slug: str, article_id: int):
    lang = request.LANGUAGE_CODE
    rows = queries.document_rows(article_id)
    if not rows:
        raise Http404
    article_obj = rows[0].article
    public = {}
    for row in rows:
        row.article = article_obj
        public[row.language] = row
    current = public.get(lang)
    if current is None:
        return not_translated(request, article_obj, public)
    canonical = current.get_absolute_url()
    if unquote(canonical) != request.path:
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(canonical + (f"?{query}" if query else ""))
    # The live facts in their JSON form, as a preview's are.
    facts = row_facts(article_obj.document_facts)
    return render_document(
        request,
        current=current,
        public=public,
        facts=facts,
        files=queries.listed_files(article_id, lang),
        related=queries.relations(article_id, lang),
        articles=queries.related_articles(article_id, lang),
        canonical=canonical,
        print_view=_print_view(request),
    )


def render_document(
    request,
    *,
    current,
    public,
    facts: dict,
    files,
    related,
    articles,
    canonical: str,
    print_view: bool = False,
    preview: str = "",
):
    lang = current.language
    article_obj = current.article
    known_terms = queries.terms(lang)
    known = {name: known_terms.by_id[name].get(facts[name]) for name in ("type", "issuer", "field")}
    switcher, alternates = {}, []
    for code in languages.codes():
        if code in public:
            url = public[code].get_absolute_url()
            switcher[code] = url
            alternates.append({"lang": languages.get(code), "href": absolute(request, url)})
    url = absolute(request, canonical)
    x_default = switcher.get(x_default_language(article_obj.original_language, switcher))
    original = public.get(article_obj.original_language)
    is_translation = lang != article_obj.original_language
    dates = {
        name: queries.day_label(parse_date(facts[name]) if facts[name] else None, lang)
        for name in ("issued_on", "effective_on", "expires_on")
    }
    site = site_identity(lang)
    publisher = site["publisher"] or site["name"]
    ld = _legislation(
        request,
        current=current,
        facts=facts,
        original=original,
        publisher=publisher,
        known=known,
        related=related,
        files=files,
        canonical=url,
    )
    published = current.published_at
    modified = max(current.updated_at, published) if published else current.updated_at
    list_href = reverse_in(lang, "documents:list")
    return render(
        request,
        "documents/document.html",
        {
            "document": current,
            "facts": facts,
            "dates": dates,
            "type": known["type"],
            "issuer": known["issuer"],
            "field": known["field"],
            "status_label": dict(LegalStatus.choices).get(facts["legal_status"], ""),
            "files": files,
            "related": related,
            "articles": articles,
            # The notes, with any library pictures they place (no query for notes without).
            "body": mark_safe(
                body_html(current.body, body_pictures(current.body, lang), print_view=print_view)
            )
            if current.body
            else "",
            "history": queries.history(
                article_obj.pk, lang, article_obj.original_language, current.published_at
            )
            if not preview
            else [],
            "is_translation": is_translation,
            "original": original,
            "original_language": languages.get(article_obj.original_language),
            "original_language_name": get_language_info(article_obj.original_language)[
                "name_translated"
            ],
            "list_href": list_href,
            "type_href": _address(lang, type=known["type"].key) if known["type"] else "",
            "issuer_href": _address(lang, issuer=known["issuer"].key) if known["issuer"] else "",
            "field_href": _address(lang, field=known["field"].key) if known["field"] else "",
            "canonical": url,
            "page_alternates": alternates,
            "x_default": absolute(request, x_default) if x_default else url,
            "switcher_targets": switcher,
            "article_id": article_obj.pk,
            "active_section_slug": "documents",
            "print_view": print_view,
            "preview": preview,
            "noindex": print_view or bool(preview),
            "printed_url": unquote(url),
            "meta": {
                "title": current.title,
                "description": shorten(current.lead or current.title, 300, lang),
                "creator": known["issuer"].name if known["issuer"] else "",
                "publisher": publisher,
                "subject": known["field"].name if known["field"] else "",
                "issued": facts["issued_on"] or "",
                "published": iso(published),
                "modified": iso(modified),
                "json_ld": json_ld(ld),
            },
        },
    )


def render_preview(request, article_obj, current, public, *, canonical, preview=True, extra=None):
    """The staff preview of a document (news.kinds `render`): its working text, with the
    facts waiting for approval (`extra`) or else the live ones."""
    lang = current.language
    if extra is None:
        extra = DocumentKindFacts().live(article_obj)
        waiting = False
    else:
        waiting = True
    if not extra:
        raise Http404
    for row in public.values():
        row.article = article_obj
    current.article = article_obj
    banner = _(
        "Preview — status: %(status)s. Readers do not see this page until it is published."
    ) % {"status": current.get_status_display()}
    outgoing = [(item["target"], item["relation"]) for item in extra.get("relations") or []]
    return render_document(
        request,
        current=current,
        public=public,
        facts={key: extra.get(key) for key in PAGE_FACTS},
        # Staff addresses: a draft's files, or those waiting, are not served to readers.
        files=queries.waiting_files(article_obj.pk, extra.get("files") or [], lang)
        if waiting
        else queries.listed_files(article_obj.pk, lang, staff=True),
        related=queries.relations(article_obj.pk, lang, outgoing),
        articles=queries.related_articles(article_obj.pk, lang, extra.get("articles") or []),
        canonical=current.get_absolute_url(),
        preview=banner,
    )


# --- Attached files ---------------------------------------------------------------------------

# `Range: bytes=0-1023`, `bytes=1024-`, `bytes=-500`: one range (several are answered whole).
_RANGE_RE = re.compile(r"bytes=(\d{0,19})-(\d{0,19})")


def _same_in_every_language(response: HttpResponse) -> HttpResponse:
    # No Vary: Accept-Language and no Content-Language (core.middleware.LocaleMiddleware).
    response.same_in_every_language = True
    return response


def _not_found() -> HttpResponse:
    response = HttpResponseNotFound(b"", content_type="text/plain")
    response["Cache-Control"] = PRIVATE
    response["X-Content-Type-Options"] = "nosniff"
    return _same_in_every_language(response)


def _file_headers(response: HttpResponse, request, found: queries.PublicFile) -> HttpResponse:
    response["ETag"] = f'"{found.sha256}"'
    # A browser with a session cookie (staff) gets its own copy: a shared cache must not
    # keep an answer the session middleware may add a cookie to.
    scope = "private" if settings.SESSION_COOKIE_NAME in request.COOKIES else "public"
    response["Cache-Control"] = f"{scope}, max-age={FILE_MAX_AGE}"
    if scope == "public":  # edges drop it with the documents' pages (delivery.edge)
        edge.add(edge.app_key(__name__))
        edge.tag(response)
    response["X-Content-Type-Options"] = "nosniff"
    if found.kind == "pdf":
        # Shown in the browser, as a document that may run nothing and reach nothing.
        response["Content-Security-Policy"] = "sandbox"
    return _same_in_every_language(response)


def _wanted_range(request, found: queries.PublicFile) -> tuple[int, int] | None | bool:
    """The one byte range asked for, as (first, last) within the file; None for the whole
    file (no Range, several ranges, one that cannot be read, or an If-Range naming
    another version); False when the range lies past the end (416)."""
    header = request.META.get("HTTP_RANGE", "")
    if not header or request.method != "GET":
        return None
    if_range = request.META.get("HTTP_IF_RANGE")
    if if_range is not None and if_range.strip() != f'"{found.sha256}"':
        return None  # a date, or another file's tag: the whole (current) file
    match = _RANGE_RE.fullmatch(header.strip())
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    size = found.size
    if first == "":  # the last `last` bytes
        length = int(last)
        return (max(0, size - length), size - 1) if length and size else False
    first = int(first)
    if last and int(last) < first:
        return None  # not a valid range: the header is ignored
    if first >= size:
        return False
    return first, min(int(last) if last else size - 1, size - 1)


def _part(fh, first: int, last: int):
    try:
        fh.seek(first)
        left = last - first + 1
        while left > 0 and (chunk := fh.read(min(FILE_CHUNK, left))):
            left -= len(chunk)
            yield chunk
    finally:
        fh.close()


@require_safe
def file(request, file_id: int, name: str):
    """`/documents/files/<id>/<name>`: a file listed by the live facts of a document readers
    can see, with its real type; PDFs inline in a sandbox, Word and Excel files as
    downloads. Anything else (not listed yet, unpublished, a wrong name) is an empty 404.

    HEAD answers the headers without opening the file; one byte range is served (206)
    for viewers that read a long PDF piece by piece."""
    found = queries.public_files().get(file_id)
    if found is None or found.name != name:
        return _not_found()
    etag = f'"{found.sha256}"'
    match = request.META.get("HTTP_IF_NONE_MATCH", "")
    if match and (match.strip() == "*" or etag in (tag.strip() for tag in match.split(","))):
        return _file_headers(HttpResponseNotModified(), request, found)
    wanted = _wanted_range(request, found)
    if wanted is False:
        response = HttpResponse(b"", status=416, content_type="text/plain")
        response["Content-Range"] = f"bytes */{found.size}"
        return _file_headers(response, request, found)
    if request.method == "HEAD":
        response = HttpResponse(b"")
    else:
        try:
            fh = documents_storage().open(found.stored, "rb")
        except OSError:
            return _not_found()
        first, last = wanted or (0, found.size - 1)
        response = StreamingHttpResponse(_part(fh, first, last))
        response._resource_closers.append(fh.close)  # also when it is never read
        if wanted:
            response.status_code = 206
            response["Content-Range"] = f"bytes {first}-{last}/{found.size}"
    length = found.size if not wanted else wanted[1] - wanted[0] + 1
    response["Content-Type"] = ACCEPTED[found.kind][1]
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = content_disposition_header(found.kind != "pdf", found.name)
    return _file_headers(response, request, found)


@require_safe
def staff_file(request, file_id: int):
    """`/editorial/documents/files/<id>/`: any file of a document, listed or still waiting
    for approval, for the staff who write and approve documents (an approver opens the
    file before publishing it). Always a download, never kept by any cache."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not (user.is_active and user.is_staff and user.has_perm("news.view_article")):
        raise PermissionDenied
    row = get_object_or_404(DocumentFile, pk=file_id)
    try:
        fh = documents_storage().open(row.file.name, "rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(
        fh, as_attachment=True, filename=row.name, content_type=ACCEPTED[row.kind][1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE
    response["Content-Security-Policy"] = "sandbox"
    return response
