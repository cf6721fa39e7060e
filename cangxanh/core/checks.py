"""System checks that guard the language configuration."""

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
