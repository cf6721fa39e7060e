from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from cangxanh.news.queries import sections_in_menu

from . import languages
from .site import site_identity


def site(request):
    lang = languages.get(translation.get_language() or settings.LANGUAGE_CODE)
    return {
        "site": site_identity(lang.code),
        "current_language": lang,
        "languages": languages.enabled(),
        "menu_sections": SimpleLazyObject(lambda: list(sections_in_menu())),
    }
