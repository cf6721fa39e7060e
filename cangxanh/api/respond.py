"""The envelope of every answer: the licence, the language, the data, the next page."""

from cangxanh.core.site import site_identity

from .schemas import LICENCE_NAME, LICENCE_URL


def licence(lang: str) -> dict:
    site = site_identity(lang)
    who = " — ".join(part for part in (site["publisher"], site["name"]) if part)
    return {"name": LICENCE_NAME, "url": LICENCE_URL, "attribution": who}


def listing(lang: str, data: list, page, limit: int) -> dict:
    return {
        "licence": licence(lang),
        "language": lang,
        "data": data,
        "next": page.next if page is not None else None,
        "limit": limit,
    }


def single(lang: str, data) -> dict:
    return {"licence": licence(lang), "language": lang, "data": data}
