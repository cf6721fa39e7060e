"""Reads of the site identity, cached per language."""

from django.core.cache import cache
from django.utils.translation import gettext as _

from .models import SiteIdentity

CACHE_KEY = "site-identity:v1:{lang}"


def site_identity(lang: str) -> dict[str, str]:
    key = CACHE_KEY.format(lang=lang)
    data = cache.get(key)
    if data is None:
        row = SiteIdentity.objects.filter(language=lang).first()
        if row is None:
            data = {"name": _("News portal"), "slogan": "", "publisher": "", "footer": ""}
        else:
            data = {
                "name": row.name,
                "slogan": row.slogan,
                "publisher": row.publisher,
                "footer": row.footer,
            }
        cache.set(key, data, 300)
    return data


def site_identity_changed() -> None:
    from .languages import codes

    cache.delete_many([CACHE_KEY.format(lang=code) for code in codes()])
