"""System checks that guard the language configuration, and what the legal footer lacks."""

from django.conf import settings
from django.core.checks import Error, register

from . import languages


@register()
def check_languages(app_configs, **kwargs):
    errors = []
    known = {lang.code for lang in languages._ALL.values()}
    for code, _name in settings.LANGUAGES:
        if code not in known:
            errors.append(
                Error(
                    f"Language {code!r} is enabled in settings.LANGUAGES but has no entry in cangxanh.core.languages.",
                    id="cangxanh.E001",
                )
            )
    if settings.LANGUAGE_CODE not in dict(settings.LANGUAGES):
        errors.append(Error("LANGUAGE_CODE must be one of LANGUAGES.", id="cangxanh.E002"))
    return errors


# What Decree 42/2022/NĐ-CP asks every state portal's footer to name, in every language.
FOOTER_REQUIRED = ("publisher", "responsible", "address", "phone", "email")


def footer_missing(lang: str | None = None) -> list[tuple[str, str]]:
    """The footer fields the law requires that are blank: (language, field's verbose
    name) for `lang`, or for every enabled language. A language without a site
    identity lacks them all. The names are lazy: they read in the active language."""
    from .models import SiteIdentity

    wanted = [lang] if lang is not None else languages.codes()
    rows = {row.language: row for row in SiteIdentity.objects.filter(language__in=wanted)}
    missing = []
    for code in wanted:
        row = rows.get(code)
        for name in FOOTER_REQUIRED:
            if row is None or not getattr(row, name).strip():
                missing.append((code, SiteIdentity._meta.get_field(name).verbose_name))
    return missing
