"""Pictures on the agency's pages: a leader's photo and a page's picture, as renditions."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cangxanh.core.templatetags.portal import picture_html, text_of
from cangxanh.images.renditions import rendition

register = template.Library()

PORTRAIT_SIZES = "(min-width: 62rem) 12rem, (min-width: 40rem) 10rem, 7rem"
PROFILE_SIZES = "(min-width: 40rem) 16rem, 60vw"


@register.simple_tag(takes_context=True)
def portrait(context, image, profile=False, named=""):
    """A leader's photo (its alt text in the page's language, else the person's name)."""
    if image is None:
        return ""
    found = rendition(image, "full")
    if found is None:
        return ""
    text = text_of(image, get_language() or "vi")
    alt = text.alt if text and text.alt else named
    lazy = not profile
    loading = "" if context.get("print_view") else None
    sizes = PROFILE_SIZES if profile else PORTRAIT_SIZES
    return mark_safe(picture_html(found, sizes, lazy=lazy, alt=escape(alt), loading=loading))
