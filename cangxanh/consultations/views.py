"""Consultations for readers: the list (`/<lang>/consultations/`: open, upcoming,
closed), one consultation (`…/<slug>-<id>/`: its summary, dates, draft document,
the draft paragraph by paragraph with the published comments under each, and once
closed the summary of what was received and how it was moderated), and the
comment form (`…/comment/`).

The list and the consultation are public pages for the page cache: nothing on them
belongs to one visitor. The comment form is a page of its own, `private, no-store`,
with the defences every public form has (`inbox.defences`: honeypot, fill-time
token, proof of work; a limit per client; the spam screen sets suspect comments
aside). Whether the consultation takes comments is decided on the server at the
moment a comment arrives, whatever page the writer had open.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import unquote

from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cangxanh.core import languages
from cangxanh.core.client import client_address
from cangxanh.core.site import absolute, site_identity
from cangxanh.core.templatetags.portal import body_html
from cangxanh.core.text import shorten
from cangxanh.delivery.middleware import public_page
from cangxanh.images.bodies import body_pictures
from cangxanh.inbox import defences, limits
from cangxanh.news.models import Article, ArticleTranslation, reverse_in
from cangxanh.news.views import iso, json_ld, not_translated, x_default_language
from cangxanh.questions.challenge import challenge as questions_challenge

from . import anchors, moderation, queries
from .forms import CommentForm
from .models import COMMENTABLE_TAGS, DOCUMENT_KIND, Comment, Refusal

PAGE_MAX_AGE = 300
FORM_NAME = "consultation-comment"  # names this form in its tokens (inbox.defences)


# --- addresses ----------------------------------------------------------------------


def _detail_url(row: ArticleTranslation) -> str:
    return reverse_in(
        row.language, "consultations:detail", slug=row.slug or "-", article_id=row.article_id
    )


def _comment_url(row: ArticleTranslation, paragraph: str = "") -> str:
    url = reverse_in(
        row.language, "consultations:comment", slug=row.slug or "-", article_id=row.article_id
    )
    return f"{url}?paragraph={paragraph}#comment-form" if paragraph else f"{url}#comment-form"


def last_day(closes_at: datetime) -> datetime:
    """The last moment comments are taken: a consultation that closes at midnight
    (00:00 in the site's time zone) takes them until the end of the day before, which
    is the day a reader must be told."""
    return closes_at - timedelta(microseconds=1)


def zone(moment: datetime) -> str:
    """The site's offset from UTC at `moment`, as "UTC+07:00"."""
    offset = timezone.localtime(moment).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# --- the list -------------------------------------------------------------------------


@public_page(ttl=PAGE_MAX_AGE)
@require_safe
def consultation_list(request):
    lang = request.LANGUAGE_CODE
    now = timezone.now()
    found = queries.listing(lang, now)
    for items in found.values():
        for item in items:
            if not item.translated:  # shown from its original: say in which language
                item.language_name = translation.get_language_info(item.language)["name_translated"]
                item.bcp47 = languages.get(item.language).bcp47
    path = reverse_in(lang, "consultations:list")
    canonical = absolute(request, path)
    site = site_identity(lang)
    title = _("Consultations on draft documents")
    description = _(
        "Draft documents of the agency open for comment: read the draft paragraph by "
        "paragraph and send your comments before the closing date."
    )
    switcher = {code: reverse_in(code, "consultations:list") for code in languages.codes()}
    return render(
        request,
        "consultations/list.html",
        {
            "title": title,
            "sections": [
                (queries.OPEN, _("Open for comments"), found[queries.OPEN]),
                (queries.UPCOMING, _("Opening soon"), found[queries.UPCOMING]),
                (queries.CLOSED, _("Closed"), found[queries.CLOSED]),
            ],
            "empty": not any(found.values()),
            "canonical": canonical,
            "page_alternates": [
                {"lang": other, "href": absolute(request, switcher[other.code])}
                for other in languages.enabled()
            ],
            "x_default": absolute(request, switcher[languages.codes()[0]]),
            "switcher_targets": switcher,
            "active_section_slug": "consultations",
            "meta": _meta(
                request,
                lang=lang,
                title=title,
                description=description,
                canonical=canonical,
                published=None,
                modified=None,
                ld={
                    "@type": "CollectionPage",
                    "name": title,
                    "url": canonical,
                    "inLanguage": languages.get(lang).bcp47,
                    "publisher": {"@type": "GovernmentOrganization", "name": _publisher(site)},
                },
            ),
        },
    )


def _publisher(site: dict) -> str:
    return site["publisher"] or site["name"]


def _meta(request, *, lang, title, description, canonical, published, modified, ld) -> dict:
    """What the head carries (agency/_meta.html): Open Graph, Dublin Core, JSON-LD."""
    site = site_identity(lang)
    return {
        "title": title,
        "description": shorten(description, 300, lang),
        "canonical": canonical,
        "publisher": _publisher(site),
        "published": iso(published),
        "modified": iso(modified),
        "image": None,
        "json_ld": json_ld({"@context": "https://schema.org"} | ld),
    }


# --- one consultation -------------------------------------------------------------


@dataclass
class Block:
    """A paragraph of the draft as the page shows it."""

    key: str
    number: int  # among the paragraphs readers comment on, from 1
    comments: list = field(default_factory=list)
    comment_url: str = ""


@dataclass
class Shown:
    """A published comment as the page shows it."""

    comment: Comment
    bcp47: str
    # For a comment not under its paragraph on this page: that paragraph's words,
    # and whether they are from an earlier version of the draft.
    quote: str = ""
    quote_bcp47: str = ""  # the language of those words
    earlier: bool = False


def _public(article_id: int) -> dict[str, ArticleTranslation]:
    rows = queries.consultation_rows(article_id)
    if not rows:
        return {}
    article = rows[0].article
    for row in rows:
        row.article = article
    return {row.language: row for row in rows}


@public_page(ttl=PAGE_MAX_AGE)
@require_safe
def detail(request, slug: str, article_id: int):
    lang = request.LANGUAGE_CODE
    public = _public(article_id)
    if not public:
        raise Http404
    current = public.get(lang)
    if current is None:
        return not_translated(request, next(iter(public.values())).article, public)
    canonical = _detail_url(current)
    if unquote(canonical) != request.path:
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(canonical + (f"?{query}" if query else ""))
    return render_consultation(request, current, public)


def _comments(article, here: set[str]) -> tuple[dict, list, list]:
    """The published comments: by paragraph of the page (`here`: its anchors), on the
    draft as a whole, and on paragraphs this page's text does not hold."""
    found = list(Comment.objects.public().filter(consultation_id=article.pk))
    under: dict[str, list[Shown]] = {}
    whole: list[Shown] = []
    elsewhere: list[Shown] = []
    for comment in found:
        shown = Shown(comment, languages.get(comment.language).bcp47)
        if not comment.paragraph:
            whole.append(shown)
        elif comment.paragraph in here:
            under.setdefault(comment.paragraph, []).append(shown)
        else:
            elsewhere.append(shown)
    _quote(article, elsewhere)
    return under, whole, elsewhere


def _quote(article: Article, comments: list[Shown]) -> None:
    """The words of the paragraph each comment is on, where this page's text does not
    hold it: the original's text as readers see it now (a translation made without
    the original's anchors), else the version of the draft the writer read (a
    paragraph removed since), from the revisions kept of every save."""
    if not comments:
        return
    original = (
        ArticleTranslation.objects.published()
        .filter(article_id=article.pk, language=article.original_language)
        .values_list("body", flat=True)
        .first()
    )
    now = {p.key: p.text for p in anchors.paragraphs(original) if p.key}
    earlier = [shown for shown in comments if shown.comment.paragraph not in now]
    for shown in comments:
        shown.quote = now.get(shown.comment.paragraph, "")
        shown.quote_bcp47 = languages.get(article.original_language).bcp47
    if not earlier:
        return
    # Approved revisions only: what readers were once shown, never a version still
    # waiting for an approver (or one that never got one).
    bodies: dict[str, list[tuple[int, str]]] = {}
    rows = (
        ArticleTranslation.objects.filter(
            article_id=article.pk,
            language__in={s.comment.language for s in earlier},
            revisions__approved=True,
        )
        .values_list("language", "revisions__number", "revisions__body")
        .order_by("-revisions__number")
    )
    for language, number, body in rows:
        if number is not None:
            bodies.setdefault(language, []).append((number, body))
    for shown in earlier:
        comment = shown.comment
        shown.earlier = True
        # The revision the writer read first, then the others from the newest.
        found = sorted(
            bodies.get(comment.language, []), key=lambda pair: pair[0] != comment.revision
        )
        for _number, body in found:
            texts = {p.key: p.text for p in anchors.paragraphs(body) if p.key}
            if comment.paragraph in texts:
                shown.quote = texts[comment.paragraph]
                shown.quote_bcp47 = shown.bcp47
                break


def _commentable(paragraph: anchors.Paragraph | None) -> bool:
    return paragraph is not None and bool(paragraph.key) and paragraph.tag in COMMENTABLE_TAGS


def _draft(current: ArticleTranslation, cut: list, is_open: bool, under: dict, print_view: bool):
    """The draft in pieces (`cut`: anchors.cut of its body), each paragraph readers
    comment on followed by its tools."""
    pictures = body_pictures(current.body, current.language)
    pieces = []
    number = 0
    for markup, paragraph in cut:
        block = None
        if _commentable(paragraph):
            number += 1
            block = Block(
                key=paragraph.key,
                number=number,
                comments=under.get(paragraph.key, []),
                comment_url=_comment_url(current, paragraph.key) if is_open else "",
            )
        pieces.append(
            {"html": mark_safe(body_html(markup, pictures, print_view=print_view)), "block": block}
        )
    return pieces, number


def _document(facts, lang: str):
    """The draft document in the documents' list, if readers can open it there."""
    if not facts.document_id:
        return None
    rows = {
        row.language: row
        for row in ArticleTranslation.objects.published()
        .of_kind(DOCUMENT_KIND)
        .filter(article_id=facts.document_id)
        .select_related("article")
    }
    row = rows.get(lang) or next(iter(rows.values()), None)
    if row is None:
        return None
    files = []
    if apps.is_installed("cangxanh.documents"):
        from cangxanh.documents.queries import listed_files

        files = listed_files(facts.document_id, lang)
    return {"title": row.title, "url": row.get_absolute_url(), "files": files}


def render_consultation(
    request, current: ArticleTranslation, public: dict, *, preview: str = "", facts=None
):
    lang = current.language
    article = current.article
    facts = facts or article.consultation_facts
    now = timezone.now()
    stage = queries.phase(facts.opens_at, facts.closes_at, now)
    print_view = request.GET.get("print") == "1"
    # Only the blocks readers comment on carry comments: a comment whose paragraph has
    # become a heading in a later version is shown with the others not under theirs.
    cut = anchors.cut(current.body)  # the draft read once, for its keys and its pieces
    page_keys = {paragraph.key for _markup, paragraph in cut if _commentable(paragraph)}
    under, whole, elsewhere = _comments(article, page_keys)
    is_open = stage == queries.OPEN and not preview
    pieces, paragraphs = _draft(current, cut, is_open, under, print_view)
    site = site_identity(lang)
    switcher, alternates = {}, []
    for code in languages.codes():
        if code in public:
            url = _detail_url(public[code])
            switcher[code] = url
            alternates.append({"lang": languages.get(code), "href": absolute(request, url)})
    url = absolute(request, _detail_url(current))
    x_default = switcher.get(x_default_language(article.original_language, switcher))
    published = current.published_at
    modified = max(current.updated_at, published) if published else current.updated_at
    ld = {
        "@type": "WebPage",
        "name": current.title,
        "url": url,
        "inLanguage": languages.get(lang).bcp47,
        "isPartOf": {
            "@type": "WebSite",
            "name": site["name"],
            "url": absolute(request, f"/{lang}/"),
        },
        "publisher": {"@type": "GovernmentOrganization", "name": _publisher(site)},
    }
    if current.lead:
        ld["description"] = shorten(current.lead, 300, lang)
    if published:
        ld["datePublished"] = iso(published)
    ld["dateModified"] = iso(modified)
    summary = moderation.summary(article.pk) if stage == queries.CLOSED else None
    # A translation of the title and summary only: where the draft's full text is.
    full_text_in = []
    if not current.body.strip():
        full_text_in = [
            {"lang": languages.get(code), "href": switcher[code]}
            for code in languages.codes()
            if code in public and code != lang and public[code].body.strip()
        ]
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": current,
            "facts": facts,
            "last_day": last_day(facts.closes_at),
            "zone": zone(facts.closes_at),
            "stage": stage,
            "is_open": stage == queries.OPEN,
            "is_upcoming": stage == queries.UPCOMING,
            "is_closed": stage == queries.CLOSED,
            "pieces": pieces,
            "paragraph_count": paragraphs,
            "full_text_in": full_text_in,
            "whole": whole,
            "elsewhere": elsewhere,
            "comment_count": sum(len(v) for v in under.values()) + len(whole) + len(elsewhere),
            "comment_url": _comment_url(current) if stage == queries.OPEN and not preview else "",
            "document": _document(facts, lang),
            "summary": summary,
            "reasons": _reasons(summary),
            "list_url": reverse_in(lang, "consultations:list"),
            "canonical": url,
            "page_alternates": alternates,
            "x_default": absolute(request, x_default) if x_default else url,
            "switcher_targets": switcher,
            "article_id": article.pk,
            "active_section_slug": "consultations",
            "print_view": print_view,
            "preview": preview,
            "noindex": bool(preview) or print_view,
            "printed_url": unquote(url),
            "meta": _meta(
                request,
                lang=lang,
                title=current.title,
                description=current.lead or site["slogan"],
                canonical=url,
                published=published,
                modified=modified,
                ld=ld,
            ),
        },
    )


def _reasons(summary) -> list[tuple[str, int]]:
    if summary is None:
        return []
    return [(str(Refusal(code).label), count) for code, count in summary.refused_by_reason]


def render_preview(request, article_obj, current, public, *, canonical, preview=True, extra=None):
    """The staff preview of a consultation (news.kinds `render`): its working text, with
    the dates waiting for approval (`extra`) or else the live ones."""
    from .kind import ConsultationKindFacts
    from .models import ConsultationFacts

    extra = extra if extra is not None else ConsultationKindFacts().live(article_obj)
    if not extra:
        raise Http404
    facts = ConsultationFacts(
        article=article_obj,
        opens_at=parse_datetime(extra["opens_at"]),
        closes_at=parse_datetime(extra["closes_at"]),
        document_id=extra.get("document"),
    )
    for row in public.values():
        row.article = article_obj
    banner = _(
        "Preview — status: %(status)s. Readers do not see this page until it is published."
    ) % {"status": current.get_status_display()}
    return render_consultation(request, current, public, preview=banner, facts=facts)


# --- the comment form -----------------------------------------------------------------


def _wait(meta) -> float | None:
    """Seconds before this client may send another comment; None: it may now."""
    return limits.wait("consultation-comments", "COMMENTS_RATE", meta)


def _defence() -> defences.FormDefence:
    return defences.FormDefence(FORM_NAME)


def _revision_number(current: ArticleTranslation) -> int | None:
    """The revision of the text the writer read: the latest approved one (editorial's
    revisions of this translation, read through their relation)."""
    return (
        current.revisions.filter(approved=True)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def comment(request, slug: str, article_id: int):
    lang = request.LANGUAGE_CODE
    public = _public(article_id)
    current = public.get(lang)
    if current is None:
        raise Http404
    facts = current.article.consultation_facts
    paragraphs = [p for p in anchors.paragraphs(current.body) if _commentable(p)]
    defence = _defence()
    problems: list[str] = []
    status = 200
    # What was written for a consultation that stopped taking comments meanwhile: shown
    # back to its writer (this page is never stored), so it is not lost.
    unsent = ""
    stage = queries.phase(facts.opens_at, facts.closes_at, timezone.now())
    if request.method == "POST":
        form = CommentForm(request.POST, paragraphs=paragraphs)
        verdict = defence.check(request.POST)
        if stage != queries.OPEN:
            problems.append(_closed_message(stage))
            unsent = request.POST.get("text", "")[: moderation.TEXT_MAX]
            status = 403
        elif verdict.drop:
            # A filled honeypot or a proof used twice: answered as if received, kept nowhere.
            return redirect(_sent_url(current))
        elif verdict.errors:
            problems += [str(error) for error in verdict.errors]
            status = 400
        elif not form.is_valid():
            status = 400
        elif (left := _wait(request.META)) is not None:
            minutes = max(1, round(left / 60))
            problems.append(
                _(
                    "You have sent several comments in a short time. Please wait %(minutes)s "
                    "minutes and send this one again: what you wrote is kept below."
                )
                % {"minutes": minutes}
            )
            status = 429
        else:
            data = form.cleaned_data
            try:
                moderation.comment_receive(
                    consultation=current,
                    name=data["name"],
                    email=data["email"],
                    text=data["text"],
                    organisation=data.get("organisation", ""),
                    name_hidden=bool(data.get("hide_name")),
                    paragraph=data.get("paragraph", ""),
                    revision=_revision_number(current),
                    client=client_address(request.META),
                    reasons=verdict.quarantine_reasons,
                    proof_ok=verdict.proof_ok,
                )
            except moderation.ClosedError:
                problems.append(_closed_message(queries.CLOSED))
                unsent = data["text"]
                status = 403
            except ValidationError as error:
                problems += error.messages
                status = 400
            else:
                return redirect(_sent_url(current))
        hidden = defence.hidden_values(request.POST)
    else:
        wanted = request.GET.get("paragraph", "")
        known = {p.key for p in paragraphs}
        form = CommentForm(
            initial={"paragraph": wanted if wanted in known else ""}, paragraphs=paragraphs
        )
        hidden = defence.hidden_values()
        if stage != queries.OPEN:
            problems.append(_closed_message(stage))
    chosen = form["paragraph"].value() or ""
    quote = next((p for p in paragraphs if p.key == chosen), None)
    response = render(
        request,
        "consultations/comment.html",
        {
            "consultation": current,
            "facts": facts,
            "is_open": stage == queries.OPEN and not unsent,
            "zone": zone(facts.closes_at),
            "unsent": unsent,
            "form": form,
            "problems": problems,
            "quote": quote,
            "quote_number": paragraphs.index(quote) + 1 if quote else 0,
            "hidden": hidden,
            "fields": {
                "honeypot": defences.HONEYPOT_FIELD,
                "token": defences.TOKEN_FIELD,
                "proof": defences.PROOF_FIELD,
            },
            "honeypot_label": defences.HONEYPOT_LABEL,
            "form_attrs": defences.FormDefence.form_attrs(
                reverse_in(lang, "consultations:challenge")
            ),
            "back_url": _detail_url(current) + (f"#{quote.key}" if quote else ""),
            "privacy_url": _privacy_url(lang),
            "noindex": True,
            "switcher_targets": {code: _detail_url(row) for code, row in public.items()},
            "active_section_slug": "consultations",
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return limits.limited(response, left) if status == 429 else response


def _privacy_url(lang: str) -> str:
    try:
        return reverse_in(lang, "agency:privacy")
    except Exception:  # noqa: BLE001 - without the agency's pages, no link
        return ""


def _closed_message(stage: str) -> str:
    if stage == queries.UPCOMING:
        return _("This consultation does not take comments yet: nothing was saved.")
    return _("This consultation is closed: comments are no longer accepted and nothing was saved.")


def _sent_url(row: ArticleTranslation) -> str:
    return reverse_in(
        row.language, "consultations:sent", slug=row.slug or "-", article_id=row.article_id
    )


@never_cache
@require_safe
def sent(request, slug: str, article_id: int):
    """Said after a comment is sent (and after a dropped one, the same words)."""
    lang = request.LANGUAGE_CODE
    current = _public(article_id).get(lang)
    if current is None:
        raise Http404
    response = render(
        request,
        "consultations/sent.html",
        {
            "consultation": current,
            "back_url": _detail_url(current),
            "noindex": True,
            "active_section_slug": "consultations",
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The comment form's proof-of-work challenge: the questions' view (inbox.defences).
challenge = never_cache(questions_challenge)
