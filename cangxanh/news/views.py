"""Public pages: home, section, article, and the "not translated yet" page.

Views stay thin: reads come from news.queries, counting from stats.services.
"""

import json
from datetime import datetime
from urllib.parse import unquote

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, prefetch_related_objects
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from cangxanh.core import languages
from cangxanh.core.site import absolute, known_identity, site_identity
from cangxanh.core.templatetags.portal import text_of
from cangxanh.core.text import shorten
from cangxanh.delivery import edge, fragments
from cangxanh.delivery.middleware import public_page
from cangxanh.images.bodies import body_pictures
from cangxanh.images.renditions import rendition
from cangxanh.stats import counter
from cangxanh.stats.queries import most_read_periods, visits_figure
from cangxanh.stats.referrers import kind_of
from cangxanh.stats.services import is_countable, reader

from . import feeds, queries
from .models import ArticleTranslation, Section
from .sanitize import top_level_blocks
from .sharing import share_targets

PAGE_SIZE = 12


# --- What pages tell other machines: social cards and schema.org JSON-LD ---

# A raster logo: search engines do not take the SVG favicon as a publisher logo.
LOGO = ("cangxanh/logo.png", 512, 512)
# Characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld(data: dict) -> str:
    """JSON-LD ready to stand inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # nothing in it can close the element


def iso(value: datetime | None) -> str:
    """ISO 8601 / W3CDTF in the site's time zone, with its offset."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def x_default_language(original: str, available) -> str | None:
    """The language of hreflang x-default: the original, else the first one published."""
    if original in available:
        return original
    return next((code for code in languages.codes() if code in available), None)


def _publisher(request, lang: str) -> dict:
    site = site_identity(lang)
    path, width, height = LOGO
    return {
        "@type": "Organization",
        "name": site["publisher"] or site["name"],
        "url": absolute(request, f"/{lang}/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(request, static(path)),
            "width": width,
            "height": height,
        },
    }


def _page_card(lang: str, *, title: str, url: str, langs) -> dict:
    """Open Graph for a home or section page (article pages have their own)."""
    return {
        "title": title,
        "url": url,
        "locale_alternates": [languages.get(code).og_locale for code in langs if code != lang],
    }


def _article_meta(
    request, article_obj, current, public, *, url, section_name, images, author_position
) -> dict:
    """Open Graph, Twitter card, Dublin Core and NewsArticle JSON-LD of an article page."""
    lang = current.language
    published = current.published_at
    modified = max(current.updated_at, published) if published else current.updated_at
    author = article_obj.author
    position = author_position if author else ""
    image = images[0] if images else None
    picture = feeds.share_picture(image) if image else None
    full = rendition(image, "full") if image else None
    alt = text_of(image, lang) if image else None
    description = shorten(current.lead, 300, lang)

    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": shorten(current.title, 110, lang),
        "description": description,
        "inLanguage": languages.get(lang).bcp47,
        "datePublished": iso(published),
        "dateModified": iso(modified),
        "publisher": _publisher(request, lang),
    }
    if not published:
        del data["datePublished"]
    if section_name:
        data["articleSection"] = section_name.name
    if author:
        data["author"] = {"@type": "Person", "name": author.name}
        if position:
            data["author"]["jobTitle"] = position
    else:
        data["author"] = {"@type": "Organization", "name": data["publisher"]["name"]}
    pictures = [p for p in (picture, full) if p]
    if pictures:
        data["image"] = [absolute(request, p.url) for p in pictures]
    if article_obj.source:
        source = {"@type": "Organization", "name": article_obj.source.name}
        if article_obj.source.url:
            source["url"] = article_obj.source.url
        based_on = {"@type": "CreativeWork", "publisher": source}
        if article_obj.source_url:
            based_on["url"] = article_obj.source_url
        data["isBasedOn"] = based_on
    original = public.get(article_obj.original_language)
    if original is not None and original is not current:
        data["translationOfWork"] = {
            "@type": "NewsArticle",
            "url": absolute(request, original.get_absolute_url()),
            "inLanguage": languages.get(original.language).bcp47,
        }

    return {
        "description": description,
        "published": iso(published),
        "modified": iso(modified),
        "creator": author.name if author else data["publisher"]["name"],
        "publisher": data["publisher"]["name"],
        "locale_alternates": [
            languages.get(code).og_locale
            for code in languages.codes()
            if code in public and code != lang
        ],
        "image": {
            "url": absolute(request, picture.url),
            "type": picture.mime_type,
            "width": picture.width,
            "height": picture.height,
            "alt": alt.alt if alt else "",
        }
        if picture
        else None,
        "json_ld": json_ld(data),
    }


@require_safe
def language_root(request):
    """`/`: the visitor's preferred enabled language, else the default."""
    lang = translation.get_language_from_request(request)
    with translation.override(lang):
        response = HttpResponseRedirect(f"/{lang}/")
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


HOME_LATEST = 5  # the lead story and the four top stories
HOME_PER_SECTION = 4


@public_page(ttl=60, tags=(edge.HOME,))
@require_safe
def home(request):
    lang = request.LANGUAGE_CODE
    # One list serves both: the newest of all are among the newest of their sections,
    # and a section whose newest are all on top still has enough for its block.
    listed = queries.latest_by_section(lang, HOME_LATEST + HOME_PER_SECTION)
    latest = listed[:HOME_LATEST]
    lead = next((t for t in latest if t.image), latest[0] if latest else None)
    top = [t for t in latest if t is not lead][:4]
    # Readers want more stories, not the same one again further down: the section
    # blocks and most read leave out what the lead and the top stories show.
    shown = {item.id for item in (lead, *top) if item is not None}
    by_section: dict[int, list[queries.Item]] = {}
    for item in listed:
        if item.id not in shown:
            by_section.setdefault(item.section_id, []).append(item)
    sections = []
    for section in queries.sections_in_menu():
        items = by_section.get(section.pk, [])[:HOME_PER_SECTION]
        name = section.translation(lang)
        if items and name:
            sections.append({"name": name, "items": items})
    most_read = most_read_periods(lang, limit=5, exclude=shown)
    return render(
        request,
        "news/home.html",
        {
            "lead": lead,
            "top": top,
            "sections": sections,
            "most_read": most_read,
            "visits": visits_figure(),
            "page_alternates": _home_alternates(request),
            **_home_meta(request, lang),
        },
    )


def _home_meta(request, lang: str) -> dict:
    url = absolute(request, f"/{lang}/")
    site = site_identity(lang)
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site["name"],
        "url": url,
        "inLanguage": languages.get(lang).bcp47,
        "publisher": _publisher(request, lang),
    }
    if site["slogan"]:
        website["description"] = site["slogan"]
    return {
        "canonical": url,
        "page_card": _page_card(lang, title=site["name"], url=url, langs=languages.codes()),
        "page_json_ld": json_ld(website),
    }


def _home_alternates(request):
    return [
        {"lang": lang, "href": absolute(request, f"/{lang.code}/")} for lang in languages.enabled()
    ]


@public_page(ttl=300)
@require_safe
def section(request, section_slug: str):
    lang = request.LANGUAGE_CODE
    section_obj, name, exact = queries.access_section(lang, section_slug)
    if not exact:
        return HttpResponsePermanentRedirect(name.get_absolute_url())
    edge.add(f"s{section_obj.pk}")
    paginator = Paginator(queries.section_page_items(lang, section_obj), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404 from exc
    page.object_list = queries.items(page.object_list)
    alternates = []
    for row in section_obj.translations.all():
        alternates.append(
            {"lang": languages.get(row.language), "href": absolute(request, row.get_absolute_url())}
        )
    canonical = absolute(
        request, name.get_absolute_url() + (f"?page={page.number}" if page.number > 1 else "")
    )
    switcher = {row.language: row.get_absolute_url() for row in section_obj.translations.all()}
    return render(
        request,
        "news/section.html",
        {
            "section": section_obj,
            "section_name": name,
            "page": page,
            "page_alternates": alternates,
            "active_section_slug": name.slug,
            "switcher_targets": switcher,
            "canonical": canonical,
            "x_default": absolute(
                request, switcher[x_default_language(settings.LANGUAGE_CODE, switcher)]
            ),
            "feed_section": name,
            "page_card": _page_card(
                lang,
                title=name.name,
                url=canonical,
                langs=[row.language for row in section_obj.translations.all()],
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


@public_page(ttl=300)
@require_safe
def article(request, section_slug: str, slug: str, article_id: int):
    lang = request.LANGUAGE_CODE
    article_obj = queries.article_for_page(article_id, lang)
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

    # `?print=1` is the same article laid out for paper (for readers without scripts):
    # not a second reading, and not a page of its own for search engines.
    print_view = request.GET.get("print") == "1"
    # The article and its related list (its section's newest) for edges.
    edge.article(article_obj.pk)
    if article_obj.section_id is not None:
        edge.add(f"r{article_obj.section_id}")
    counted = request.environ.get("cangxanh.views")  # the page cache counted it already
    if counted is not None:
        views = counted
    elif is_countable(request) and not print_view and not fragments.wanted(request.META):
        # (An edge doing ESI counts each reader through the count's fragment.)
        views = counter.record(
            current.pk, current.view_count, reader(request.META), kind_of(request.META)
        )
    else:
        views = counter.shown(current.pk, current.view_count)
    # A cached copy of this page counts its own views and shows the total then
    # (from the stored total when the counter holds nothing newer).
    request.live_views = (current.pk, not print_view, current.view_count)
    return render_article(
        request,
        article_obj,
        current,
        public,
        views=views,
        canonical=canonical,
        print_view=print_view,
    )


def render_article(
    request,
    article_obj,
    current,
    public,
    *,
    views: int,
    canonical: str,
    preview: bool = False,
    print_view: bool = False,
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
    related = queries.related(lang, article_obj)
    url = absolute(request, canonical)
    section_name = article_obj.section.translation(lang)
    author = article_obj.author
    if author is None:
        author_position = ""
    elif article_obj.author_position is not None:
        author_position = article_obj.author_position  # read with the article
    else:
        author_position = author.position(lang)
    # A translation behind its public original says so, and when the original changed
    # (the moment its own page gives as dateModified).
    original = public.get(article_obj.original_language)
    behind = None
    if getattr(current, "original_changed", False) and original not in (None, current):
        behind = {
            "updated": max(original.updated_at, original.published_at),
            "language": languages.get(original.language),
            "href": switcher[original.language],
        }
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
            # Library pictures the body places itself, shown as renditions (no query
            # for a body without any).
            "body_pictures": body_pictures(current.body, lang),
            "views": views,
            "author_position": author_position,
            "related": related,
            "behind_original": behind,
            "share_targets": share_targets(url, current.title),
            "share_url": url,
            "canonical": url,
            "page_alternates": alternates,
            "x_default": absolute(
                request,
                switcher.get(x_default_language(article_obj.original_language, switcher))
                or canonical,
            ),
            "switcher_targets": switcher,
            "article_id": article_obj.pk,
            "preview": preview,
            "print_view": print_view,
            "printed_url": unquote(url),  # on paper: 국제-협력, not %EA%B5%AD…
            "noindex": preview or print_view,
            "feed_section": section_name,
            "meta": _article_meta(
                request,
                article_obj,
                current,
                public,
                url=url,
                section_name=section_name,
                images=article_images,
                author_position=author_position,
            ),
        },
    )


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


def _years_by_section(lang: str, section_obj=None) -> dict[int, list[dict]]:
    """Public articles per section and year (in the site's time zone), newest year first."""
    rows = ArticleTranslation.objects.published().news().in_language(lang)
    if section_obj is not None:
        rows = rows.filter(article__section=section_obj)
    counts = (
        rows.annotate(year=ExtractYear("published_at"))
        .values("article__section_id", "year")
        .annotate(count=Count("id"))
        .order_by("article__section_id", "-year")
    )
    years: dict[int, list[dict]] = {}
    for row in counts:
        years.setdefault(row["article__section_id"], []).append(
            {"year": row["year"], "count": row["count"]}
        )
    return years


@public_page(ttl=300, tags=(edge.SITEMAP,))
@require_safe
def sitemap_page(request):
    """`/<lang>/sitemap/`: every section with its article count and a link per year."""
    lang = request.LANGUAGE_CODE
    sections = list(
        Section.objects.filter(translations__language=lang).prefetch_related("translations")
    )
    years = _years_by_section(lang)
    entries = {}
    for section_obj in sections:
        section_years = years.get(section_obj.pk, [])
        entries[section_obj.pk] = {
            "name": section_obj.translation(lang),
            "years": section_years,
            "count": sum(y["count"] for y in section_years),
            "children": [],
        }
    tree = []
    for section_obj in sections:  # in menu order; a child stands under its parent
        entry = entries[section_obj.pk]
        parent = entries.get(section_obj.parent_id)
        (parent["children"] if parent else tree).append(entry)
    return render(
        request,
        "news/sitemap.html",
        {
            "tree": tree,
            "total": sum(entry["count"] for entry in entries.values()),
            "canonical": absolute(request, reverse("news:sitemap")),
            "page_alternates": [
                {"lang": code_lang, "href": absolute(request, f"/{code_lang.code}/sitemap/")}
                for code_lang in languages.enabled()
            ],
            "switcher_targets": {code: f"/{code}/sitemap/" for code in languages.codes()},
        },
    )


@public_page(ttl=300, tags=(edge.SITEMAP,))
@require_safe
def sitemap_year(request, section_slug: str, year: int):
    """`/<lang>/sitemap/<section>/<year>/`: a section's articles of one year, by month."""
    lang = request.LANGUAGE_CODE
    section_obj, name, exact = queries.access_section(lang, section_slug)
    if not exact:
        return HttpResponsePermanentRedirect(
            reverse("news:sitemap-year", kwargs={"section_slug": name.slug, "year": year})
        )
    rows = list(
        ArticleTranslation.objects.published()
        .news()
        .in_language(lang)
        .filter(article__section=section_obj, published_at__year=year)
        .select_related("article")
        .defer("body", "lead")
        .newest_first()
    )
    if not rows:
        raise Http404
    prefetch_related_objects([section_obj], "translations")
    months: list[dict] = []
    for row in rows:
        row.article.section = section_obj  # its names are prefetched once, not per row
        month = timezone.localtime(row.published_at).date().replace(day=1)
        if not months or months[-1]["month"] != month:
            months.append({"month": month, "items": []})
        months[-1]["items"].append(row)
    return render(
        request,
        "news/sitemap_year.html",
        {
            "section_name": name,
            "year": year,
            "months": months,
            "count": len(rows),
            "years": _years_by_section(lang, section_obj).get(section_obj.pk, []),
            "feed_section": name,
            "canonical": absolute(request, request.path),
        },
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", {"noindex": True}, status=404)


def server_error(request):
    # Minimal context: the database may be what failed.
    html = render_to_string(
        "500.html", {"current_language": languages.get(translation.get_language() or "vi")}
    )
    from django.http import HttpResponseServerError

    return HttpResponseServerError(html)


def database_unavailable(request) -> str:
    """The readers' 503 page, in the language already active (the address's), for
    `editorial.errors.database_unavailable`: the site's look, the name this process
    last read, no query."""
    lang = languages.get(translation.get_language() or settings.LANGUAGE_CODE)
    return render_to_string(
        "503.html",
        {
            "current_language": lang,
            "site": known_identity(lang.code),
            "retry_url": request.get_full_path(),
        },
    )
