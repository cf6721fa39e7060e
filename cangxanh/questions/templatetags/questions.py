"""Template helpers of questions and answers: calendar days in the reader's format."""

from datetime import date

from django import template
from django.conf import settings
from django.utils import formats, translation

from cangxanh.core import languages

register = template.Library()


@register.filter
def day(value: date | None) -> str:
    """A calendar day (a due date, a holiday) in the active language's date format; unlike
    `portal.local_date`, no time zone applies: it is the same day everywhere."""
    if not value:
        return ""
    lang = languages.get(translation.get_language() or settings.LANGUAGE_CODE)
    return formats.date_format(value, lang.date_format)
