"""Reads of the site identity, cached per language, and the site's absolute addresses."""

from django.conf import settings
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


def absolute(request, url: str) -> str:
    """An absolute address for a site path (SITE_URL first) or for a storage URL."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{request.scheme}:{url}"
    if settings.SITE_URL:
        return settings.SITE_URL + url
    return request.build_absolute_uri(url)
