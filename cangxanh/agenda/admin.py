"""The newsroom's calendar entries: the article admin (its translations inline, the
workflow's steps, the editor) with an engagement's facts instead of a news
article's, saved through `editorial.facts` under "extra", so that a change to a
published engagement waits for an approver like its words do.

Calendar entries are articles, so the article permissions decide who may work
on them (the roles in editorial.roles need no proxy permissions).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from cangxanh.editorial import facts
from cangxanh.editorial.content_admin import (
    ArticleTranslationInline,
    KindAdmin,
    KindAdminForm,
    TranslationAdminForm,
    local_time,
)
from cangxanh.news.models import Article, Person

from .models import HOST_KIND, KIND, Event


class EventTextForm(TranslationAdminForm):
    """An engagement's words: what, where, who attends."""

    labels = {
        "title": (_("What"), _("The engagement, as readers see it in the calendar.")),
        "lead": (_("Where"), _("The place, with its address.")),
        "body": (
            _("Who attends"),
            _("Besides the leaders chosen above: delegations, guests, units."),
        ),
    }


class EventTextInline(ArticleTranslationInline):
    form = EventTextForm


class EventAdminForm(KindAdminForm):
    """The engagement's facts as editors work on them."""

    kind = KIND

    starts_at = forms.SplitDateTimeField(label=_("Starts"), widget=widgets.AdminSplitDateTime)
    ends_at = forms.SplitDateTimeField(
        label=_("Ends"), required=False, widget=widgets.AdminSplitDateTime
    )
    all_day = forms.BooleanField(
        label=_("All day"),
        required=False,
        help_text=_("Only the dates count: from the start's day to the end's day."),
    )
    host = forms.ModelChoiceField(
        label=_("Host unit"),
        queryset=Article.objects.filter(kind=HOST_KIND).prefetch_related("translations"),
        required=False,
        help_text=_("The division of the agency that organises it (one of the agency's pages)."),
    )
    cancelled = forms.BooleanField(
        label=_("Cancelled"),
        required=False,
        help_text=_("Readers still see the engagement, struck through and marked as cancelled."),
    )
    leaders = forms.ModelMultipleChoiceField(
        label=_("Leaders"),
        queryset=Person.objects.order_by("pk"),
        required=False,
        widget=widgets.FilteredSelectMultiple(_("leaders"), is_stacked=False),
    )

    class Meta:
        model = Event
        fields = ["original_language"]

    def initial_of(self, extra: dict) -> dict:
        return {
            "starts_at": local_time(extra["starts_at"]),
            "ends_at": local_time(extra["ends_at"]),
            "all_day": extra["all_day"],
            "host": extra["host"],
            "cancelled": extra["cancelled"],
            "leaders": extra["leaders"],
        }

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The engagement cannot end before it starts."))
        return cleaned

    def extra(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data.get("ends_at"),
            "all_day": data.get("all_day", False),
            "host": data["host"].pk if data.get("host") else None,
            "cancelled": data.get("cancelled", False),
            # In the order the newsroom entered the people (the head first).
            "leaders": sorted(person.pk for person in data.get("leaders") or []),
        }


FACT_FIELDS = ["starts_at", "ends_at", "all_day", "host", "cancelled", "leaders"]


@admin.register(Event)
class EventAdmin(KindAdmin):
    form = EventAdminForm
    fields = ["original_language", *FACT_FIELDS]
    inlines = [EventTextInline]
    list_display = ["__str__", "starts", "languages", "is_cancelled"]
    list_filter = [*KindAdmin.list_filter, "event_facts__cancelled"]
    date_hierarchy = "event_facts__starts_at"
    ordering = ["-event_facts__starts_at", "-pk"]
    kind = KIND
    live_facts = "event_facts"
    facts_field = "starts_at"
    translator_fields = ["original_language", "summary"]
    fact_fields = FACT_FIELDS
    facts_waiting_message = _(
        "Readers keep the engagement's current time, leaders, host and cancellation "
        "until an approver publishes the original's new version."
    )

    @admin.display(description=_("starts"), ordering="event_facts__starts_at")
    def starts(self, obj):
        found = self.live(obj)
        return timezone.localtime(found.starts_at) if found else "—"

    @admin.display(description=_("cancelled"), boolean=True)
    def is_cancelled(self, obj):
        found = self.live(obj)
        return bool(found and found.cancelled)

    @admin.display(description=_("engagement"))
    def summary(self, obj):
        if obj is None or not obj.pk:
            return "—"
        extra = facts.working(obj).get("extra") or {}
        people = dict(
            Person.objects.filter(pk__in=extra.get("leaders") or []).values_list("pk", "name")
        )
        rows = [
            (_("Starts"), local_time(extra.get("starts_at")) or "—"),
            (_("Ends"), local_time(extra.get("ends_at")) or "—"),
            (
                _("Leaders"),
                ", ".join(people.get(pk, "?") for pk in extra.get("leaders") or []) or "—",
            ),
        ]
        return format_html_join("", "<p>{}: {}</p>", rows)
