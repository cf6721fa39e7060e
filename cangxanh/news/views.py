"""Public pages: home, section, article, and the "not translated yet" page.

Views stay thin: reads come from news.queries, counting from stats.services.
"""

from urllib.parse import unquote

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from cangxanh.core import languages
from cangxanh.stats.services import is_countable, view_record

from . import queries
from .models import ArticleTranslation
from .sanitize import top_level_blocks
from .sharing import share_targets

PAGE_SIZE = 12


def absolute(request, path: str) -> str:
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


@require_safe
def language_root(request):
    """`/`: the visitor's preferred enabled language, else the default."""
    lang = translation.get_language_from_request(request)
    with translation.override(lang):
        response = HttpResponseRedirect(f"/{lang}/")
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _latest_by_section(lang: str, per_section: int = 4):
    ranked = (
        queries.public_translations(lang)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("article__section_id"),
                order_by=[F("published_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=per_section)
    )
    by_section: dict[int, list[ArticleTranslation]] = {}
    for item in ranked:
        by_section.setdefault(item.article.section_id, []).append(item)
    for items in by_section.values():
        items.sort(key=lambda t: (t.published_at, t.id), reverse=True)
    return by_section


@require_safe
def home(request):
    lang = request.LANGUAGE_CODE
    latest = list(queries.public_translations(lang).newest_first()[:5])
    lead = next((t for t in latest if t.main_image()), latest[0] if latest else None)
    top = [t for t in latest if t is not lead][:4]
    by_section = _latest_by_section(lang)
    sections = []
    for section in queries.sections_in_menu():
        items = [t for t in by_section.get(section.pk, []) if t is not lead]
        name = section.translation(lang)
        if items and name:
            sections.append({"name": name, "items": items[:4]})
    most_read = list(queries.public_translations(lang).most_read()[:6])
    return render(
        request,
        "news/home.html",
        {
            "lead": lead,
            "top": top,
            "sections": sections,
            "most_read": most_read,
            "page_alternates": _home_alternates(request),
        },
    )


def _home_alternates(request):
    return [
        {"lang": lang, "href": absolute(request, f"/{lang.code}/")} for lang in languages.enabled()
    ]


@require_safe
def section(request, section_slug: str):
    lang = request.LANGUAGE_CODE
    found = queries.section_by_slug(lang, section_slug)
    if found is None:
        raise Http404
    section_obj, exact = found
    name = section_obj.translation(lang)
    if name is None:
        raise Http404
    if not exact:
        return HttpResponsePermanentRedirect(name.get_absolute_url())
    paginator = Paginator(
        queries.public_translations(lang).filter(article__section=section_obj).newest_first(),
        PAGE_SIZE,
    )
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404 from exc
    alternates = []
    for row in section_obj.translations.all():
        alternates.append(
            {"lang": languages.get(row.language), "href": absolute(request, row.get_absolute_url())}
        )
    return render(
        request,
        "news/section.html",
        {
            "section": section_obj,
            "section_name": name,
            "page": page,
            "page_alternates": alternates,
            "active_section_slug": name.slug,
            "switcher_targets": {
                row.language: row.get_absolute_url() for row in section_obj.translations.all()
            },
            "canonical": absolute(
                request,
                name.get_absolute_url() + (f"?page={page.number}" if page.number > 1 else ""),
            ),
        },
    )


def _body_parts(body: str, images: list) -> list[tuple[str, object]]:
    """Split the body so the article's further images stand between paragraphs."""
    if not images:
        return [("html", body)]
    paragraphs = top_level_blocks(body)
    if len(paragraphs) < 2:
        return [("html", body)] + [("image", image) for image in images]
    step = len(paragraphs) / (len(images) + 1)
    slots = {max(1, round(step * (i + 1))): image for i, image in enumerate(images)}
    parts: list[tuple[str, object]] = []
    for index, paragraph in enumerate(paragraphs, start=1):
        parts.append(("html", paragraph))
        if index in slots:
            parts.append(("image", slots.pop(index)))
    parts.extend(("image", image) for image in slots.values())
    return parts


@require_safe
def article(request, section_slug: str, slug: str, article_id: int):
    lang = request.LANGUAGE_CODE
    article_obj = queries.article_for_page(article_id)
    if article_obj is None:
        raise Http404
    public = {t.language: t for t in article_obj.translations.all() if t.is_public}
    current = public.get(lang)
    if current is None:
        return not_translated(request, article_obj, public)
    current.article = article_obj  # the prefetched one, with images and section names
    canonical = current.get_absolute_url()
    if unquote(canonical) != request.path:
        target = canonical + (
            f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
        )
        return HttpResponsePermanentRedirect(target)

    views = current.view_count
    if is_countable(request):
        views = view_record(translation_id=current.pk)
    return _render_article(request, article_obj, current, public, views=views, canonical=canonical)


def _render_article(
    request, article_obj, current, public, *, views: int, canonical: str, preview: bool = False
):
    lang = current.language
    alternates = []
    switcher = {}
    for code, other in public.items():
        other.article = article_obj
        url = other.get_absolute_url()
        alternates.append({"lang": languages.get(code), "href": absolute(request, url)})
        switcher[code] = url
    article_images = [ai.image for ai in article_obj.article_images.all()]
    related = list(
        queries.public_translations(lang)
        .filter(article__section_id=article_obj.section_id)
        .exclude(article_id=article_obj.pk)
        .newest_first()[:4]
    )
    url = absolute(request, canonical)
    section_name = article_obj.section.translation(lang)
    return render(
        request,
        "news/article.html",
        {
            "article": article_obj,
            "translation": current,
            "section_name": section_name,
            "active_section_slug": section_name.slug if section_name else "",
            "main_image": article_images[0] if article_images else None,
            "body_parts": _body_parts(current.body, article_images[1:]),
            "views": views,
            "author_position": article_obj.author.position(lang) if article_obj.author else "",
            "related": related,
            "share_targets": share_targets(url, current.title),
            "share_url": url,
            "canonical": url,
            "page_alternates": alternates,
            "x_default": absolute(
                request, switcher.get(article_obj.original_language) or canonical
            ),
            "switcher_targets": switcher,
            "article_id": article_obj.pk,
            "preview": preview,
            "noindex": preview,
        },
    )


@staff_member_required
def preview(request, translation_id: int):
    """Any translation, draft or scheduled, exactly as readers will see it. Staff only."""
    row = (
        ArticleTranslation.objects.filter(pk=translation_id)
        .values_list("article_id", "language")
        .first()
    )
    if row is None:
        raise Http404
    article_obj = queries.article_for_page(row[0])
    current = next(t for t in article_obj.translations.all() if t.language == row[1])
    current.article = article_obj
    # A published text being edited: preview the new version, as it would appear.
    try:
        pending = current.pending_version
    except ObjectDoesNotExist:
        pending = None
    if pending is not None:
        current.title, current.lead, current.body = pending.title, pending.lead, pending.body
    public = {t.language: t for t in article_obj.translations.all() if t.is_public}
    with translation.override(current.language):
        request.LANGUAGE_CODE = current.language
        response = _render_article(
            request,
            article_obj,
            current,
            public,
            views=current.view_count,
            canonical=current.get_absolute_url(),
            preview=True,
        )
        response["Cache-Control"] = "private, no-store"
        return response


def not_translated(request, article_obj, public: dict[str, ArticleTranslation]):
    """The article exists, but not (yet) in this language: say so, offer what exists."""
    if not public:
        raise Http404
    available = []
    for code, other in sorted(public.items(), key=lambda item: languages.codes().index(item[0])):
        other.article = article_obj
        available.append(
            {"lang": languages.get(code), "title": other.title, "href": other.get_absolute_url()}
        )
    switcher = {code: other.get_absolute_url() for code, other in public.items()}
    return render(
        request,
        "news/not_translated.html",
        {
            "available": available,
            "switcher_targets": switcher,
            "article_id": article_obj.pk,
            "noindex": True,
        },
        status=404,
    )


@require_safe
def article_permalink(request, article_id: int):
    """`/<lang>/a/<id>/`: the article in this language, wherever it lives now."""
    lang = request.LANGUAGE_CODE
    article_obj = queries.article_for_page(article_id)
    if article_obj is None:
        raise Http404
    public = {t.language: t for t in article_obj.translations.all() if t.is_public}
    if lang in public:
        public[lang].article = article_obj
        return HttpResponsePermanentRedirect(public[lang].get_absolute_url())
    return not_translated(request, article_obj, public)


def page_not_found(request, exception=None):
    return render(request, "404.html", {"noindex": True}, status=404)


def server_error(request):
    # Minimal context: the database may be what failed.
    html = render_to_string(
        "500.html", {"current_language": languages.get(translation.get_language() or "vi")}
    )
    from django.http import HttpResponseServerError

    return HttpResponseServerError(html)
