"""What readers see of the registries: public copies only (`public_data`).

Nothing here reads a record's working fields: a page, a feed, the API and the
search index get what an approver published, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from cangxanh.core import collation
from cangxanh.core.site import per_version

from .models import Agreement, AidProject, Delegation, Organisation, Partner


@dataclass
class Public:
    """A record as readers see it: its id, its public copy and its texts in one language
    (falling back to the original language, then to any)."""

    id: int
    data: dict
    lang: str
    text: dict = field(default_factory=dict)
    text_lang: str = ""

    def __getattr__(self, name):
        try:
            return self.__dict__["data"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def translated(self) -> bool:
        return self.text_lang == self.lang


def _texts(data: dict, lang: str) -> tuple[dict, str]:
    texts = data.get("texts") or {}
    for code in (lang, settings.LANGUAGE_CODE, "en"):
        if texts.get(code):
            return texts[code], code
    for code, text in texts.items():
        return text, code
    return {}, ""


def _public(model, lang: str) -> list[Public]:
    rows = model.objects.filter(public_data__isnull=False).values_list("pk", "public_data")
    out = []
    for pk, data in rows:
        text, text_lang = _texts(data, lang)
        out.append(Public(pk, data, lang, text, text_lang))
    return out


def _cached(name: str, model, lang: str) -> list[Public]:
    return per_version(("registry", name, lang), lambda: _public(model, lang))


def partners(lang: str) -> list[Public]:
    return sorted(
        _cached("partners", Partner, lang),
        key=lambda p: (p.country, p.text.get("name", p.native_name)),
    )


def partner(lang: str, slug: str) -> Public | None:
    return next((p for p in _cached("partners", Partner, lang) if p.slug == slug), None)


def delegations(lang: str) -> list[Public]:
    return sorted(
        _cached("delegations", Delegation, lang), key=lambda d: (d.start, d.id), reverse=True
    )


def agreements(lang: str) -> list[Public]:
    return sorted(
        _cached("agreements", Agreement, lang),
        key=lambda a: (a.signed_on or "", a.id),
        reverse=True,
    )


def organisations(lang: str) -> list[Public]:
    return sorted(
        _cached("organisations", Organisation, lang), key=lambda o: collation.key(o.name, lang)
    )


def projects(lang: str) -> list[Public]:
    live = {o.id for o in _cached("organisations", Organisation, lang)}
    # A project is public only with its organisation.
    return sorted(
        (p for p in _cached("projects", AidProject, lang) if p.organisation in live),
        key=lambda p: (p.start, p.id),
        reverse=True,
    )


def public_pictures() -> set[int]:
    """The library pictures public partner profiles show (images.access)."""
    rows = Partner.objects.filter(public_data__isnull=False).values_list("public_data", flat=True)
    return {data["picture"] for data in rows if data.get("picture")}
