"""Template helpers for the public pages: dates, counts, renditions, the switcher."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import ngettext
from easy_thumbnails.files import get_thumbnailer

from cangxanh.core import languages

register = template.Library()


def _lang():
    return languages.get(translation.get_language() or settings.LANGUAGE_CODE)


@register.filter
def local_datetime(value):
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value), _lang().datetime_format)


@register.filter
def local_date(value):
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value), _lang().date_format)


@register.filter
def number(value):
    return _lang().format_number(value or 0)


@register.filter
def views_label(value):
    count = int(value or 0)
    return ngettext("%(count)s view", "%(count)s views", count) % {"count": number(count)}


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


@register.simple_tag
def rendition(image, alias: str = "card") -> Rendition | None:
    """A cached resized copy of an image, with its size computed, not read from disk."""
    if image is None or not image.file:
        return None
    options = settings.THUMBNAIL_ALIASES[""][alias]
    target_w, target_h = options["size"]
    w, h = image.width or 1, image.height or 1
    if options.get("crop") and target_h:
        scale = min(1.0, max(target_w / w, target_h / h))
        width, height = min(target_w, round(w * scale)), min(target_h, round(h * scale))
    else:
        scale = min(1.0, target_w / w)
        width, height = round(w * scale), round(h * scale)
    thumb = get_thumbnailer(image.file)[alias]
    return Rendition(thumb.url, width, height)


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
            with translation.override(lang.code):
                href = reverse("news:permalink", kwargs={"article_id": article_id})
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
    row = image.text(_lang().code) if image is not None else None
    return row or {"alt": "", "caption": ""}
