"""The search page's filters: checked, with a clear message for each bad value.

The query itself is not a form field: any text at all is searchable
(`analyzer.parse_query` cleans it), so it can never be "invalid".
"""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cangxanh.core import languages
from cangxanh.news import kinds
from cangxanh.news.models import Section

ALL_LANGUAGES = "all"
# Dates outside these are typing mistakes (and beyond what time zones convert).
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def section_choices(lang: str) -> list[tuple[str, str]]:
    """Sections with a name in `lang`, menu order, subsections under their parent."""
    sections = list(Section.objects.prefetch_related("translations"))
    named = {s.pk: s.translation(lang) for s in sections}
    choices: list[tuple[str, str]] = []
    for section in sections:
        if section.parent_id is None and named[section.pk]:
            choices.append((str(section.pk), named[section.pk].name))
            for child in sections:
                if child.parent_id == section.pk and named[child.pk]:
                    choices.append((str(child.pk), f"— {named[child.pk].name}"))
    return choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class SearchFilters(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("search filter", "Content"),
        required=False,
        error_messages={"invalid_choice": _("There is no such kind of content: all are searched.")},
    )
    section = forms.TypedChoiceField(
        label=pgettext_lazy("search filter", "Section"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("There is no such section: all sections are shown.")},
    )
    date_from = forms.DateField(
        label=pgettext_lazy("search filter", "From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={
            "invalid": _("The start date is not a date (write it as YYYY-MM-DD): it is ignored.")
        },
    )
    date_to = forms.DateField(
        label=pgettext_lazy("search filter", "To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={
            "invalid": _("The end date is not a date (write it as YYYY-MM-DD): it is ignored.")
        },
    )
    lang = forms.ChoiceField(
        label=pgettext_lazy("search filter", "Language"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Unknown language choice: this language is searched.")},
    )

    def __init__(self, data, *, lang: str):
        super().__init__(data)
        searched = [kind for kind in kinds.all_kinds() if kind.searchable]
        self.fields["kind"].choices = [
            ("", _("Everything")),
            *((kind.code, kind.label_plural) for kind in searched),
        ]
        # One kind only (the news): nothing to choose.
        self.kind_choosable = len(searched) > 1
        self.fields["section"].choices = [("", _("All sections")), *section_choices(lang)]
        self.fields["lang"].choices = [
            ("", languages.get(lang).native_name),
            (ALL_LANGUAGES, _("All languages")),
        ]

    def _clean_day(self, name: str):
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Use a date between %(first)s and %(last)s: this one is ignored."),
                params={"first": EARLIEST.year, "last": LATEST.year},
            )
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            # Keep both fields' values in the form; the range is simply not applied.
            self.add_error(
                None, _("The start date is after the end date: the dates are not applied.")
            )
            data["date_from"] = data["date_to"] = None
        return data

    def value(self, name: str):
        """The cleaned value of a field, or None when it was missing or bad."""
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
