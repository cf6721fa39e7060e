"""Template helpers for the public pages: dates, counts, renditions, the switcher.

The markup a page repeats (cards, figures, the switcher's entries) is written
here in Python rather than by an `{% include %}` per item: Django's template
engine costs about as much per node as the rest of the page's work. The
markup is the templates' own, escaped the way autoescaping does it. The
chrome (templates/chrome/) is rendered once per language and content version.
"""

import logging
import re
from functools import lru_cache
from html import escape as _html_escape

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext, trans_real

from cangxanh.core import languages
from cangxanh.core.site import agency_links, per_version
from cangxanh.core.text import shorten as shorten_text
from cangxanh.delivery import edge, live
from cangxanh.images.bodies import ANY_IMG, IMG_TAG, img_attributes, library_name
from cangxanh.images.renditions import Rendition
from cangxanh.images.renditions import rendition as image_rendition

register = template.Library()
logger = logging.getLogger(__name__)


def _e(value) -> str:
    """What autoescaping writes for a value that is not marked safe."""
    return _html_escape(str(value))


def _lang():
    return languages.get(translation.get_language() or settings.LANGUAGE_CODE)


@lru_cache(maxsize=8192)
def _formatted(value, format_string: str, lang: str, zone: str) -> str:
    """A pure function of its arguments (`lang` and `zone` are the active language,
    whose month names date_format uses, and time zone): pages format the same few
    hundred moments again and again."""
    return formats.date_format(timezone.localtime(value), format_string)


@register.filter
def local_datetime(value):
    if not value:
        return ""
    lang = _lang()
    return _formatted(value, lang.datetime_format, lang.code, timezone.get_current_timezone_name())


@register.filter
def local_date(value):
    if not value:
        return ""
    lang = _lang()
    return _formatted(value, lang.date_format, lang.code, timezone.get_current_timezone_name())


@register.filter
def shorten(value, limit):
    """`value` in at most `limit` characters, cut between words in the page's language
    (cangxanh.core.text)."""
    return shorten_text(str(value or ""), int(limit), _lang().code)


@register.filter
def number(value):
    return _lang().format_number(value or 0)


@register.filter
def views_label(value):
    count = int(value or 0)
    return ngettext("%(count)s view", "%(count)s views", count) % {"count": number(count)}


@register.simple_tag
def live_views(value):
    """An article's view count, marked so that a cached copy can show the live one."""
    return mark_safe(f"{live.OPEN}{escape(views_label(value))}{live.CLOSE}")


@register.simple_tag
def rendition(image, purpose: str = "card") -> Rendition | None:
    """An image's responsive renditions for a purpose (card, wide, full), or None.

    Sizes come from the image's record of its renditions, not from the files.
    """
    return image_rendition(image, purpose)


@register.simple_tag(takes_context=True)
def language_links(context):
    """Switcher entries: the same page in each language.

    Article pages pass `switcher_targets` (published translations); a language
    without one leads to that language's "not translated yet" page.
    """
    targets = context.get("switcher_targets") or {}
    article_id = context.get("article_id")
    current = _lang().code
    links = []
    for lang in languages.enabled():
        if lang.code in targets:
            href = targets[lang.code]
        elif article_id:
            href = reverse_in(lang.code, "news:permalink", article_id=article_id)
        else:
            href = f"/{lang.code}/"
        links.append(
            {
                "lang": lang,
                "href": href,
                "current": lang.code == current,
                "available": not article_id or lang.code in targets,
            }
        )
    return links


@register.simple_tag
def section_name(section, lang_code=None):
    row = section.translation(lang_code or _lang().code)
    return row


@register.simple_tag
def image_text(image):
    """Alt text and caption in the page's language (empty strings when missing)."""
    row = text_of(image, _lang().code) if image is not None else None
    return row or {"alt": "", "caption": ""}


CURRENT = ' aria-current="true"'
MISSING = ' class="is-missing"'


@register.simple_tag(takes_context=True)
def switcher_items(context):
    """The switcher's entries (`language_links`), each on its own line. A language the
    page is not translated into says so in words too, in that language (the link's
    own), not only by its look."""
    parts = []
    for link in language_links(context):
        lang = link["lang"]
        native = _e(lang.native_name)
        if not link["available"]:
            # Without activating the language: a page renders in its own.
            missing = trans_real.translation(lang.code).gettext("Not translated yet")
            native = f"{native} — {_e(missing)}"
        parts.append(
            f'\n          <li><a href="{_e(link["href"])}" hreflang="{_e(lang.bcp47)}" '
            f'lang="{_e(lang.bcp47)}" title="{native}"'
            f"{CURRENT if link['current'] else ''}{'' if link['available'] else MISSING}>"
            f'{_e(lang.label)} <span class="visually-hidden">{native}</span></a></li>'
        )
    return mark_safe("".join(parts))


# --- The chrome: rendered once per language and content version ---------------


def _feed_key(context):
    name = context.get("feed_section")
    return (name.slug, name.name) if name else None


def _menu_key(context):
    match = getattr(context.get("request"), "resolver_match", None)
    return (context.get("active_section_slug") or "", getattr(match, "url_name", None) == "home")


# Each part of templates/chrome/, with what it depends on besides the language
# and the public rows: the page's section (its feeds, its menu entry), the home page.
_CHROME = {
    "head": _feed_key,
    "head_end": lambda context: None,
    "masthead": lambda context: None,
    "menu": _menu_key,
    "footer": lambda context: None,
}


@register.simple_tag(takes_context=True)
def chrome(context, part: str):
    """A part of the chrome (templates/chrome/<part>.html), the same for every page
    with the same language, section and content version: rendered once for them all."""
    from cangxanh.news.queries import sections_in_menu

    code = _lang().code
    extra = _CHROME[part](context)

    def render():
        active, is_home = extra if part == "menu" else ("", False)
        names = (
            [n for s in sections_in_menu() if (n := s.translation(code))] if part == "menu" else []
        )
        html = get_template(f"chrome/{part}.html").render(
            {
                "site": context.get("site"),
                "current_language": context.get("current_language"),
                "languages": context.get("languages"),
                "feed_section": context.get("feed_section") if part == "head" else None,
                "menu_names": names,
                "active_section_slug": active,
                "is_home": is_home,
                "agency_links": agency_links(code) if part == "footer" else [],
            }
        )
        return mark_safe(html)

    key = ("chrome", part, translation.get_language(), extra, settings.ROOT_URLCONF)
    return per_version(key, render)


# --- Cards, pictures and figures ----------------------------------------------

CARD_SIZES = {
    "compact": "(min-width: 40rem) 9rem, 38vw",
    "wide": "(min-width: 72rem) 25rem, (min-width: 40rem) 36vw, calc(100vw - 2rem)",
    "": "(min-width: 62rem) 25rem, (min-width: 40rem) 50vw, 38vw",
}
HEADLINE_SIZES = "(min-width: 72rem) 40rem, (min-width: 40rem) 57vw, 100vw"
FIGURE_SIZES = (
    "(min-width: 62rem) 41.5rem, (min-width: 40rem) calc(100vw - 6.5rem), calc(100vw - 2rem)"
)


def picture_html(
    r: Rendition, sizes: str, *, lazy: bool, alt: str = "", loading: str | None = None
) -> str:
    """news/_picture.html: a rendition as <picture>; `loading` overrides the lazy/eager attribute."""
    if loading is None:
        loading = ' loading="lazy"' if lazy else ' fetchpriority="high"'
    return (
        f'<picture><source type="image/webp" srcset="{_e(r.srcset_webp)}" sizes="{sizes}">'
        f'<img src="{_e(r.src)}" srcset="{_e(r.srcset_fallback)}" sizes="{sizes}" '
        f'width="{r.width}" height="{r.height}" alt="{alt}"{loading} decoding="async"></picture>'
    )


def _iso(value) -> str:
    """The `date:'c'` filter: ISO 8601 in the current time zone."""
    return timezone.localtime(value).isoformat() if value else ""


@register.simple_tag
def card(item, show_section=False, show_lead=False, compact=False, wide=False, level=3):
    """A card for a list item (`news.queries.Item`): link, picture, section, date, lead.
    The page is tagged with the article's key for edges (cangxanh.delivery.edge)."""
    edge.article(item.article_id)
    url = _e(item.url)
    media = ""
    if item.image is not None:
        r = image_rendition(item.image, "card")
        if r is not None:
            sizes = CARD_SIZES["compact" if compact else "wide" if wide else ""]
            media = (
                f'<a class="card__media" href="{url}" tabindex="-1" aria-hidden="true">'
                f"{picture_html(r, sizes, lazy=True)}</a>"
            )
    kicker = ""
    if show_section and item.section is not None:
        kicker = (
            f'<a class="kicker" href="{_e(item.section.get_absolute_url())}">'
            f"{_e(item.section.name)}</a>"
        )
    lead = (
        f'<p class="card__lead">{_e(shorten_text(item.lead, 220, item.language))}</p>'
        if show_lead
        else ""
    )
    return mark_safe(
        f'<article class="card{" card--wide" if wide else ""}{" card--compact" if compact else ""}">\n'
        f"  {media}\n"
        f'  <div class="card__body">\n'
        f"    {kicker}\n"
        f'    <h{level} class="card__title"><a href="{url}">{_e(item.title)}</a></h{level}>\n'
        f'    <p class="meta"><time datetime="{_iso(item.published_at)}">'
        f"{_e(local_date(item.published_at))}</time></p>\n"
        f"    {lead}\n"
        f"  </div>\n"
        f"</article>\n"
    )


@register.simple_tag
def headline_picture(item):
    """The home page's lead picture, linked to the article, or nothing."""
    edge.article(item.article_id)
    if item.image is None:
        return ""
    r = image_rendition(item.image, "wide")
    if r is None:
        return ""
    return mark_safe(
        f'<a class="headline__media" href="{_e(item.url)}" tabindex="-1" aria-hidden="true">'
        f"{picture_html(r, HEADLINE_SIZES, lazy=False)}</a>"
    )


def text_of(image, lang: str):
    """An image's ImageText in `lang` (read with the page, else from its texts), or None."""
    known = getattr(image, "page_texts", None)
    if known is not None and lang in known:
        return known[lang]
    return image.text(lang)


def figure_html(image, *, lazy: bool, print_view: bool = False) -> str:
    """An article's figure: its picture, caption and credit (lazy or first, or for print)."""
    r = image_rendition(image, "full")
    if r is None:
        return "\n"
    text = text_of(image, _lang().code)
    alt, caption = (text.alt, text.caption) if text else ("", "")
    loading = "" if print_view else ' loading="lazy"' if lazy else ' fetchpriority="high"'
    figcaption = ""
    if caption or image.credit:
        credit = ""
        if image.credit:
            # gettext outside the f-string, where makemessages can find the message
            by = gettext("Image: %(credit)s") % {"credit": _e(image.credit)}
            credit = f' <span class="credit">{by}</span>'
        figcaption = f"<figcaption>{_e(caption)}{credit}</figcaption>"
    return (
        '<figure class="figure">\n'
        f"  {picture_html(r, FIGURE_SIZES, lazy=lazy, alt=_e(alt), loading=loading)}\n"
        f"  {figcaption}\n"
        "</figure>\n"
    )


@register.simple_tag(takes_context=True)
def figure(context, image, lazy=True):
    return mark_safe(figure_html(image, lazy=lazy, print_view=bool(context.get("print_view"))))


def reverse_in(lang: str, name: str, **kwargs) -> str:
    from cangxanh.news.models import reverse_in as news_reverse_in

    return news_reverse_in(lang, name, **kwargs)


# --- The article page's head metadata and share list ---------------------------


@register.simple_tag(takes_context=True)
def article_meta(context):
    """Description, Open Graph, Twitter card, Dublin Core and the NewsArticle JSON-LD
    (built in news.views._article_meta), written here rather than node by node."""
    meta, title = context["meta"], _e(context["translation"].title)
    description, canonical = _e(meta["description"]), _e(context["canonical"])
    language = context["current_language"]
    image = meta["image"]
    published = _e(meta["published"]) if meta["published"] else ""
    out = [
        f'<meta name="description" content="{description}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{title}">\n'
        f'<meta property="og:description" content="{description}">\n'
        f'<meta property="og:url" content="{canonical}">\n'
        f'<meta property="og:site_name" content="{_e(context["site"]["name"])}">\n'
        f'<meta property="og:locale" content="{_e(language.og_locale)}">\n'
    ]
    out += [
        f'<meta property="og:locale:alternate" content="{_e(locale)}">\n'
        for locale in meta["locale_alternates"]
    ]
    if image:
        out.append(
            f'<meta property="og:image" content="{_e(image["url"])}">\n'
            f'<meta property="og:image:type" content="{_e(image["type"])}">\n'
            f'<meta property="og:image:width" content="{_e(image["width"])}">\n'
            f'<meta property="og:image:height" content="{_e(image["height"])}">\n'
        )
        if image["alt"]:
            out.append(f'<meta property="og:image:alt" content="{_e(image["alt"])}">\n')
    if published:
        out.append(f'<meta property="article:published_time" content="{published}">\n')
    out.append(f'<meta property="article:modified_time" content="{_e(meta["modified"])}">\n')
    section_name = context.get("section_name")
    if section_name:
        out.append(f'<meta property="article:section" content="{_e(section_name.name)}">\n')
    author = context["article"].author
    if author:
        out.append(f'<meta property="article:author" content="{_e(author.name)}">\n')
    out.append(
        f'<meta name="twitter:card" content="{"summary_large_image" if image else "summary"}">\n'
        f'<meta name="twitter:title" content="{title}">\n'
        f'<meta name="twitter:description" content="{description}">\n'
    )
    if image:
        out.append(f'<meta name="twitter:image" content="{_e(image["url"])}">\n')
        if image["alt"]:
            out.append(f'<meta name="twitter:image:alt" content="{_e(image["alt"])}">\n')
    out.append(
        '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">\n'
        f'<meta name="DC.title" content="{title}">\n'
        f'<meta name="DC.creator" content="{_e(meta["creator"])}">\n'
    )
    if published:
        out.append(f'<meta name="DC.date" content="{published}">\n')
    out.append(
        f'<meta name="DC.description" content="{description}">\n'
        f'<meta name="DC.publisher" content="{_e(meta["publisher"])}">\n'
        f'<meta name="DC.identifier" content="{canonical}">\n'
        f'<meta name="DC.language" content="{_e(language.bcp47)}">\n'
        f'<script type="application/ld+json">{meta["json_ld"]}</script>\n'  # safe: views.json_ld
    )
    return mark_safe("".join(out))


@register.simple_tag
def share_items(targets):
    """The share list's entries: a link where the service has a share address, else a
    button the page's script answers (the share sheet, or copying the link)."""
    out = []
    for target in targets:
        key, label = _e(target.key), _e(target.label)
        if target.href:
            out.append(
                f'<li><a class="share__btn share__btn--{key}" href="{_e(target.href)}" '
                f'target="_blank" rel="noopener noreferrer">{label}</a></li>\n        '
            )
        else:
            out.append(
                f'<li><button type="button" class="share__btn share__btn--{key}" '
                f'data-share="app">{label}</button></li>\n        '
            )
    return mark_safe("".join(out))


# A table cell's alignment as the cleaner stores it (news.sanitize keeps exactly this
# style and no other); pages carry it as a class, since the Content-Security-Policy
# (core.headers) applies no style attribute.
CELL_ALIGNMENT = re.compile(r'(<t[dh]\b[^>]*?) style="text-align: (left|center|right);"')


def body_html(html: str, pictures: dict, *, print_view: bool = False) -> str:
    """A body block with each `<img>` of a library picture written as its renditions'
    <picture> (the article's figures' srcset and sizes; the body's alt text, else the
    picture's in the page's language), and every other `<img>` left out: readers'
    browsers never load an original, nor anything from elsewhere. A cell's alignment
    becomes a class (`CELL_ALIGNMENT`).

    `pictures` is images.bodies.body_pictures: the library images by original name.
    """
    if ' style="' in html:
        html = CELL_ALIGNMENT.sub(r'\1 class="align-\2"', html)
    if not ANY_IMG.search(html):
        return html

    def picture(match) -> str:
        attributes = img_attributes(match)
        src = attributes.get("src", "")
        name = library_name(src)
        image = pictures.get(name) if name else None
        found = image_rendition(image, "full") if image is not None else None
        if found is None:
            logger.warning("A body image that is not a library picture was left out: %.200r", src)
            return ""
        alt = attributes.get("alt", "")
        if not alt:
            text = text_of(image, _lang().code)
            alt = text.alt if text else ""
        loading = "" if print_view else None  # paper loads every picture
        return picture_html(found, FIGURE_SIZES, lazy=True, alt=_e(alt), loading=loading)

    return IMG_TAG.sub(picture, html)


@register.simple_tag(takes_context=True)
def article_body(context, parts):
    """The body's blocks (already cleaned, see news.sanitize, their library pictures as
    renditions, see `body_html`) with the further figures between them, as
    news.views._body_parts placed them."""
    print_view = bool(context.get("print_view"))
    pictures = context.get("body_pictures") or {}
    return mark_safe(
        "".join(
            body_html(part, pictures, print_view=print_view)
            if kind == "html"
            else figure_html(part, lazy=True, print_view=print_view)
            for kind, part in parts
        )
    )


_PRINT_ICON = (
    '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 24 24" '
    'fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round">'
    '<path d="M7 9V3h10v6"/><rect x="3" y="9" width="18" height="8" rx="2"/>'
    '<path d="M7 14h10v7H7z"/></svg>'
)


def behind_original_note(behind: dict) -> str:
    """The note on a translation whose original has changed since it was translated
    (news.views.render_article's `behind_original`), with a link to the original."""
    original = behind["language"]
    updated = gettext(
        "The original article was updated on %(date)s; this translation may not include "
        "the changes yet."
    ) % {"date": local_date(behind["updated"])}
    # Escaped before the language's name goes in: the name is markup of its own.
    link = _e(gettext("Read the original in %(language)s")) % {
        "language": f'<span lang="{_e(original.bcp47)}">{_e(original.native_name)}</span>'
    }
    return (
        f'<p class="translation-note" role="note">{_e(updated)} '
        f'<a href="{_e(behind["href"])}" hreflang="{_e(original.bcp47)}">{link}</a></p>\n    '
    )


@register.simple_tag(takes_context=True)
def article_content(context):
    """The article page between the menu and the footer, written in one pass: the page
    readers load most, where the template engine's per-node cost was most of the render.
    Every string is the template's (same msgids), escaped as autoescape does."""
    c = context
    translation_row, article = c["translation"], c["article"]
    language = c["current_language"]
    print_view, section_name = c.get("print_view"), c.get("section_name")
    # The messages first, where makemessages sees them (not inside f-strings).
    text = {
        "print_version": gettext("This is the print version of the article."),
        "back": gettext("Back to the article"),
        "breadcrumb": gettext("Breadcrumb"),
        "home": gettext("Home"),
        "source": gettext("Source:"),
        "share_title": gettext("Share this article"),
        "copied": gettext("Link copied"),
        "copied_app": gettext("Link copied: paste it into the app to share."),
        "share": gettext("Share…"),
        "copy": gettext("Copy link"),
        "related": gettext("Related articles"),
    }
    text = {key: _e(value) for key, value in text.items()}
    print_label = _e(pgettext("button", "Print"))
    out = [
        '\n<div class="wrap article-layout">\n'
        f'  <article class="article" lang="{_e(language.bcp47)}">\n    '
    ]
    if print_view:
        out.append(
            '<div class="print-toolbar">\n'
            f'      <p class="print-toolbar__text">'
            f"{text['print_version']}</p>\n"
            f'      <button type="button" class="button js-only" data-print>{_PRINT_ICON}'
            f"{print_label}</button>\n"
            f'      <a class="print-toolbar__back" href="{_e(translation_row.get_absolute_url())}">'
            f"{text['back']}</a>\n"
            "    </div>"
        )
    out.append("\n    ")
    if c.get("preview"):
        banner = gettext(
            "Preview — status: %(status)s. Readers do not see this page until it is published."
        ) % {"status": _e(translation_row.get_status_display())}
        out.append(f'<p class="preview-banner" role="status">{banner}</p>')
    out.append(
        f'\n    <nav class="breadcrumb no-print" aria-label="{text["breadcrumb"]}"><ol>'
        f'<li><a href="/{_e(language.code)}/">{text["home"]}</a></li>'
    )
    section_link = ""
    if section_name:
        section_url, name = _e(section_name.get_absolute_url()), _e(section_name.name)
        out.append(f'<li><a href="{section_url}">{name}</a></li>')
        section_link = f'<a class="kicker" href="{section_url}">{name}</a>'
    published = translation_row.published_at
    out.append(
        "</ol></nav>\n"
        '    <header class="article__header">\n'
        f"      {section_link}\n"
        f'      <h1 class="article__title">{_e(translation_row.title)}</h1>\n'
        '      <p class="article__meta meta">\n'
        f'        <time datetime="{_e(timezone.localtime(published).isoformat()) if published else ""}">'
        f"{_e(local_datetime(published))}</time>\n        "
    )
    source = article.source
    if source:
        if article.source_url:
            named = (
                f'<a href="{_e(article.source_url)}" rel="nofollow noopener">{_e(source.name)}</a>'
            )
        elif source.url:
            named = f'<a href="{_e(source.url)}" rel="nofollow noopener">{_e(source.name)}</a>'
        else:
            named = _e(source.name)
        out.append(f'<span class="article__source">{text["source"]} {named}</span>')
    out.append(
        f'\n        <span class="article__views no-print" data-views>{live_views(c["views"])}</span>'
        "\n        "
    )
    if not print_view:
        out.append(
            '<span class="article__print no-print">'
            f'<button type="button" class="tool-link js-only" data-print>{_PRINT_ICON}{print_label}</button>'
            f'<a class="tool-link no-js-only" href="?print=1" rel="nofollow">{_PRINT_ICON}{print_label}</a>'
            "</span>"
        )
    out.append("\n      </p>\n    </header>\n    ")
    behind = c.get("behind_original")
    if behind:
        out.append(behind_original_note(behind))
    if translation_row.lead:
        out.append(f'<p class="article__lead">{_e(translation_row.lead)}</p>')
    out.append("\n    ")
    if c.get("main_image"):
        out.append(figure_html(c["main_image"], lazy=False, print_view=bool(print_view)))
    out.append(
        '\n    <div class="article__body prose">\n      '
        f"{article_body(c, c['body_parts'])}\n"
        "    </div>\n    "
    )
    if article.author:
        position = c.get("author_position")
        out.append(
            '\n    <footer class="byline">\n'
            f'      <p class="byline__name">{_e(article.author.name)}</p>\n      '
            + (f'<p class="byline__position">{_e(position)}</p>' if position else "")
            + "\n    </footer>\n    "
        )
    # Where it was printed from, and no time: the page is one cached copy for every
    # reader and worker. site.js writes the time in (`data-print-note`, its %(date)s).
    printed_note = gettext("Printed from %(url)s") % {"url": c["printed_url"]}
    dated_note = gettext("Printed from %(url)s on %(date)s") % {
        "url": c["printed_url"],
        "date": "%(date)s",
    }
    out.append(
        "\n    "
        f'<p class="print-note print-only" data-print-note="{_e(dated_note)}" '
        f'data-date-format="{_e(language.datetime_format)}" '
        f'data-time-zone="{_e(timezone.get_current_timezone_name())}">{_e(printed_note)}</p>\n'
        '    <section class="share no-print" aria-labelledby="share-title">\n'
        f'      <h2 id="share-title" class="share__title">{text["share_title"]}</h2>\n'
        f'      <ul class="share__list" data-share-url="{_e(c["share_url"])}" '
        f'data-share-title="{_e(translation_row.title)}"\n'
        f'          data-copied="{text["copied"]}" '
        f'data-copied-app="{text["copied_app"]}">\n'
        '        <li class="share__native" hidden><button type="button" class="share__btn" '
        f'data-share="native">{text["share"]}</button></li>\n'
        f"        {share_items(c['share_targets'])}"
        '<li><button type="button" class="share__btn" data-share="copy">'
        f"{text['copy']}</button></li>\n"
        "      </ul>\n"
        '      <p class="share__status" role="status" aria-live="polite"></p>\n'
        "    </section>\n"
        "  </article>\n  "
    )
    related = c.get("related")
    if related and not print_view:
        out.append(
            '\n  <aside class="related no-print" aria-labelledby="related-title">\n'
            f'    <h2 id="related-title">{text["related"]}</h2>\n    '
            + "".join(card(item) for item in related)
            + "\n  </aside>\n  "
        )
    out.append("\n</div>\n")
    return mark_safe("".join(out))
