"""Template helpers for the public pages: dates, counts, renditions, the switcher."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from cangxanh.core import languages
from cangxanh.delivery import live
from cangxanh.images.renditions import Rendition
from cangxanh.images.renditions import rendition as image_rendition

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
