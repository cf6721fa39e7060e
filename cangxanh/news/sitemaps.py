"""XML sitemaps: an index, one sitemap of articles per language, one of pages.

`/sitemap.xml` lists `/sitemap-articles-<lang>.xml` for every language with
public articles and `/sitemap-pages.xml` (home, section and HTML site-map
pages in every language), each cut into pages (`?p=2`, …). Articles come from
`ArticleTranslation.objects.published()` like every public list, so nothing
unpublished or still scheduled is listed.

Translations have their own slugs, so Django's per-language `i18n` alternates
(one `location()` per active language) do not fit: each article URL carries an
`xhtml:link` for every published translation of the same article, plus
x-default (the original language, as on the page), and an `image:image` for each
of its pictures. Every address starts with the site's configured address
(`cangxanh.core.site.site_url`), never the request's Host.

Sitemaps are public pages for the page cache (cangxanh.delivery), like the
feeds: kept whole with their gzip and brotli forms, and answered with its
validators: Last-Modified (set here: the newest change among the entries, the
index's among its sitemaps) and a weak ETag of the body (weak, because the
compressed forms share it), so a crawler polling an unchanged sitemap gets
304. The ETag also covers what no date records (an article withdrawn, a
section renamed); `max-age=300`, like the feeds, keeps shared caches from
guessing a freshness from Last-Modified.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from urllib.parse import quote

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Prefetch
from django.db.models.functions import Greatest
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import RFC3986_SUBDELIMS, http_date
from django.views.decorators.http import require_safe

from cangxanh.core import languages
from cangxanh.core.site import site_url
from cangxanh.delivery.middleware import public_page
from cangxanh.images.renditions import rendition

from . import kinds
from .models import ArticleImage, ArticleTranslation, Section
from .views import iso, x_default_language

TEMPLATE = "news/sitemap.xml"
INDEX_TEMPLATE = "news/sitemap_index.xml"
MAX_AGE = 300  # seconds, like the feeds


def _join(base: str, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else base + url


def _last_change():
    # A scheduled text saved before its time last changed, for readers, when it appeared.
    return Greatest("updated_at", "published_at")


def _with_w3c_dates(urls: list[dict]) -> list[dict]:
    for url in urls:
        url["lastmod_w3c"] = iso(url["lastmod"])
    return urls


class ArticleUrls:
    """Article paths as `ArticleTranslation.get_absolute_url` gives them, reversed once per
    language and section instead of once per row (a sitemap page has thousands)."""

    def __init__(self):
        self._prefixes: dict[tuple[str, str], str] = {}

    def __call__(self, row) -> str:
        section = row.section_translation()
        key = (row.language, section.slug if section else "-")
        prefix = self._prefixes.get(key)
        if prefix is None:
            with translation.override(row.language):
                sample = reverse(
                    "news:article",
                    kwargs={"section_slug": key[1], "slug": "0", "article_id": 0},
                )
            prefix = self._prefixes[key] = sample.removesuffix("0-0/")
        # The same quoting as `reverse`, for the slug alone.
        return f"{prefix}{quote(row.slug, safe=RFC3986_SUBDELIMS + '/~:@')}-{row.article_id}/"


def _own_url(row) -> str:
    return row.get_absolute_url()  # another kind's address, from its registry entry


class ArticleSitemap(Sitemap):
    """The public articles of one language and kind (news.kinds), newest first."""

    # Each URL carries up to five alternates and its images: 5,000 keep a page
    # to a few megabytes and a second or two of work (the protocol allows 50,000).
    limit = 5000

    def __init__(self, lang: str, kind: str = kinds.NEWS):
        self.lang = lang
        self.kind = kind

    def items(self):
        others = ArticleTranslation.objects.published().only("id", "article_id", "language", "slug")
        return (
            ArticleTranslation.objects.published()
            .of_kind(self.kind)
            .in_language(self.lang)
            .select_related("article__section")
            .only(
                "id",
                "article_id",
                "language",
                "slug",
                "published_at",
                "updated_at",
                "article__original_language",
                "article__kind",
                "article__section__id",
            )
            .prefetch_related(
                "article__section__translations",
                Prefetch("article__translations", queryset=others, to_attr="public_rows"),
                Prefetch(
                    "article__article_images",
                    queryset=ArticleImage.objects.select_related("image"),
                ),
            )
            .newest_first()
        )

    def get_latest_lastmod(self):
        return (
            ArticleTranslation.objects.published()
            .of_kind(self.kind)
            .in_language(self.lang)
            .aggregate(latest=Max(_last_change()))["latest"]
        )

    def get_urls(self, page=1, site=None, protocol=None):
        # Not the `site` and `protocol` Django's view passes: those come from the request.
        base = site_url()
        path = ArticleUrls() if self.kind == kinds.NEWS else _own_url
        urls = []
        for item in self.paginator.page(page).object_list:
            article = item.article
            public = {row.language: row for row in article.public_rows}
            alternates = []
            for code in languages.codes():
                if code in public:
                    public[code].article = article  # with its section names prefetched
                    alternates.append(
                        {
                            "lang_code": languages.get(code).bcp47,
                            "location": base + path(public[code]),
                        }
                    )
            x_default = x_default_language(article.original_language, public)
            if x_default:
                alternates.append(
                    {"lang_code": "x-default", "location": base + path(public[x_default])}
                )
            images = []
            for link in article.article_images.all():
                found = rendition(link.image, "full")
                if found is not None:
                    images.append(_join(base, found.src))
            urls.append(
                {
                    "item": item,
                    "location": base + path(item),
                    "lastmod": max(item.updated_at, item.published_at),
                    "alternates": alternates,
                    "images": images,
                }
            )
        if urls:
            # Django's sitemap view sends it as Last-Modified.
            self.latest_lastmod = max(url["lastmod"] for url in urls)
        return _with_w3c_dates(urls)


@dataclass
class Page:
    """A page that is not an article: home, a section, the HTML site map."""

    lang: str
    path: str
    lastmod: datetime | None
    alternates: dict[str, str] = field(default_factory=dict)  # language → path
    x_default: str | None = None


class PageSitemap(Sitemap):
    """Home, section and HTML site-map pages in every language."""

    def items(self) -> list[Page]:
        codes = languages.codes()
        latest: dict[tuple[str, int], datetime] = {}
        rows = (
            ArticleTranslation.objects.published()
            .news()
            .filter(language__in=codes)
            .values("language", "article__section_id")
            .annotate(latest=Max(_last_change()))
            .order_by()
        )
        for row in rows:
            latest[(row["language"], row["article__section_id"])] = row["latest"]
        by_lang = {
            code: max((when for (lang, _id), when in latest.items() if lang == code), default=None)
            for code in codes
        }
        pages: list[Page] = []
        homes = {code: f"/{code}/" for code in codes}
        site_maps = {}
        for code in codes:
            with translation.override(code):
                site_maps[code] = reverse("news:sitemap")
        x_home = x_default_language(settings.LANGUAGE_CODE, homes)
        for code in codes:
            pages.append(Page(code, homes[code], by_lang[code], homes, x_home))
            pages.append(Page(code, site_maps[code], by_lang[code], site_maps, x_home))
        for kind in kinds.all_kinds():  # each other kind's own list (`/<lang>/about/`…)
            if kind.code != kinds.NEWS and kind.in_sitemap and kind.list_url is not None:
                lists = {code: kind.list_url(code) for code in codes}
                x_list = x_default_language(settings.LANGUAGE_CODE, lists)
                pages += [Page(code, lists[code], None, lists, x_list) for code in codes]
        for section in Section.objects.prefetch_related("translations"):
            paths = {
                row.language: row.get_absolute_url()
                for row in section.translations.all()
                if row.language in codes
            }
            x_section = x_default_language(settings.LANGUAGE_CODE, paths)
            for code in codes:
                if code in paths:
                    when = latest.get((code, section.pk))
                    pages.append(Page(code, paths[code], when, paths, x_section))
        return pages

    def get_latest_lastmod(self):
        return (
            ArticleTranslation.objects.published()
            .news()
            .filter(language__in=languages.codes())
            .aggregate(latest=Max(_last_change()))["latest"]
        )

    def get_urls(self, page=1, site=None, protocol=None):
        # Not the `site` and `protocol` Django's view passes: those come from the request.
        base = site_url()
        urls = []
        for item in self.paginator.page(page).object_list:
            alternates = [
                {"lang_code": languages.get(code).bcp47, "location": base + path}
                for code, path in item.alternates.items()
            ]
            if item.x_default:
                alternates.append(
                    {"lang_code": "x-default", "location": base + item.alternates[item.x_default]}
                )
            urls.append(
                {
                    "item": item,
                    "location": base + item.path,
                    "lastmod": item.lastmod,
                    "alternates": alternates,
                    "images": [],
                }
            )
        # Django's sitemap view sends it as Last-Modified; pages with no article yet
        # (an empty section) have no date of their own.
        dates = [url["lastmod"] for url in urls if url["lastmod"] is not None]
        self.latest_lastmod = max(dates) if dates else None
        return _with_w3c_dates(urls)


# Other apps' sitemaps by name (`registry` adds its pages in its AppConfig.ready()).
OTHER_SITEMAPS: dict = {}


def sitemaps() -> dict:
    """The sitemaps by name; each request builds its own (they keep a little state)."""
    maps: dict = {f"articles-{code}": partial(ArticleSitemap, code) for code in languages.codes()}
    maps.update(OTHER_SITEMAPS)
    for kind in kinds.all_kinds():
        if kind.code != kinds.NEWS and kind.in_sitemap and kind.url is not None:
            for code in languages.codes():
                maps[f"{kind.code}-{code}"] = partial(ArticleSitemap, code, kind.code)
    maps["pages"] = PageSitemap
    return maps


def _dated(response: HttpResponse, last_modified: datetime | None) -> HttpResponse:
    """The rendered answer with its date; the page cache adds the ETag and answers 304."""
    if hasattr(response, "render"):
        response.render()
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@public_page(MAX_AGE, headers_from_view=True, tags=("sitemap",))
@require_safe
def index(request):
    """`/sitemap.xml`: every sitemap and each of its pages, with the newest change in it."""
    base = site_url()
    entries = []
    dates = []
    for name, make in sitemaps().items():
        sitemap = make()
        paginator = sitemap.paginator
        if not paginator.count:
            continue
        location = base + reverse("sitemap", kwargs={"section": name})
        lastmod = sitemap.get_latest_lastmod()
        if lastmod is not None:
            dates.append(lastmod)
        for number in range(1, paginator.num_pages + 1):
            entries.append(
                {
                    "location": location if number == 1 else f"{location}?p={number}",
                    "lastmod_w3c": iso(lastmod),
                }
            )
    response = TemplateResponse(
        request, INDEX_TEMPLATE, {"sitemaps": entries}, content_type="application/xml"
    )
    response["X-Robots-Tag"] = "noindex"
    return _dated(response, max(dates) if dates else None)


@public_page(MAX_AGE, headers_from_view=True, tags=("sitemap",))
@require_safe
def sitemap(request, section: str):
    """One sitemap page (`?p=`), through Django's own view and our template.

    Django's view sets Last-Modified from the sitemap's `latest_lastmod` (the
    newest entry on this page).
    """
    maps = sitemaps()
    if section not in maps:
        raise Http404
    response = sitemap_views.sitemap(
        request, sitemaps={section: maps[section]}, section=section, template_name=TEMPLATE
    )
    return _dated(response, None)
