"""Template helpers: the locale's home page, the language switcher, JSON-LD."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from wagtail.models import Locale, Site

from news.models import to_json

register = template.Library()


@register.simple_tag(takes_context=True)
def locale_home(context):
    """The home page of the active locale (site name, slogan, menu), once per request."""
    request = context["request"]
    if not hasattr(request, "_locale_home"):
        site = Site.find_for_request(request)
        request._locale_home = site.root_page.localized.specific
    return request._locale_home


@register.simple_tag(takes_context=True)
def language_links(context, page):
    """One link per locale: the page's translation, else that locale's home page."""
    home = locale_home(context)
    translations = {
        p.locale.language_code: p
        for p in page.get_translations(inclusive=True).live().select_related("locale")
    }
    homes = {
        p.locale.language_code: p
        for p in home.get_translations(inclusive=True).live().select_related("locale")
    }
    links = []
    for locale in Locale.objects.all():
        code = locale.language_code
        target = translations.get(code) or homes.get(code)
        if target is None:
            continue
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "page": target,
                "home": homes.get(code, home),
                "available": code in translations,
                "current": code == page.locale.language_code,
            }
        )
    return links


@register.filter
def ld_json(data):
    return mark_safe(to_json(data))  # to_json escapes what could close the element
