"""The newsroom's consultations: the article admin (its translations inline, the
workflow's steps, the editor) with a consultation's facts — when comments open
and close, the draft document — saved through `editorial.facts` under "extra", so
that a change to a published consultation waits for an approver like its words do.

Consultations are articles, so the article permissions decide who may work on
them. Their comments are moderated in the newsroom (`editorial.consultations`).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cangxanh.editorial import facts
from cangxanh.editorial.content_admin import (
    ArticleTranslationInline,
    KindAdmin,
    KindAdminForm,
    TranslationAdminForm,
    local_time,
)
from cangxanh.news.models import Article

from .models import DOCUMENT_KIND, KIND, Consultation


class ConsultationTextForm(TranslationAdminForm):
    """A consultation's words: its title, the summary, the draft's text."""

    labels = {
        "title": (_("Title"), _("The draft's name, as readers see it in the list.")),
        "lead": (
            _("Summary"),
            _("What the draft is about and what the agency asks readers to comment on."),
        ),
        "body": (
            _("The draft's text"),
            _(
                "Readers comment paragraph by paragraph: each paragraph keeps its "
                "anchor from version to version, so comments stay with it."
            ),
        ),
    }


class ConsultationTextInline(ArticleTranslationInline):
    form = ConsultationTextForm


class ConsultationAdminForm(KindAdminForm):
    """The consultation's facts as editors work on them."""

    kind = KIND

    opens_at = forms.SplitDateTimeField(
        label=_("Opens for comments"), widget=widgets.AdminSplitDateTime
    )
    closes_at = forms.SplitDateTimeField(
        label=_("Closes"),
        widget=widgets.AdminSplitDateTime,
        help_text=_(
            "Comments sent after this moment are refused; the summary of the comments "
            "is shown from then on."
        ),
    )
    document = forms.ModelChoiceField(
        label=_("Draft document"),
        queryset=Article.objects.filter(kind=DOCUMENT_KIND).prefetch_related("translations"),
        required=False,
        help_text=_("The draft in the documents' list, whose files readers can download."),
    )

    class Meta:
        model = Consultation
        fields = ["original_language"]

    def initial_of(self, extra: dict) -> dict:
        return {
            "opens_at": local_time(extra["opens_at"]),
            "closes_at": local_time(extra["closes_at"]),
            "document": extra.get("document"),
        }

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The consultation must close after it opens."))
        return cleaned

    def extra(self) -> dict:
        data = self.cleaned_data
        return {
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "document": data["document"].pk if data.get("document") else None,
        }


FACT_FIELDS = ["opens_at", "closes_at", "document"]


@admin.register(Consultation)
class ConsultationAdmin(KindAdmin):
    form = ConsultationAdminForm
    fields = ["original_language", *FACT_FIELDS]
    inlines = [ConsultationTextInline]
    list_display = ["__str__", "opens", "closes", "languages", "comments_link"]
    date_hierarchy = "consultation_facts__closes_at"
    ordering = ["-consultation_facts__closes_at", "-pk"]
    kind = KIND
    live_facts = "consultation_facts"
    facts_field = "opens_at"
    translator_fields = ["original_language", "dates"]
    fact_fields = FACT_FIELDS
    facts_waiting_message = _(
        "Readers keep the consultation's current dates and draft document until an "
        "approver publishes the original's new version."
    )

    @admin.display(description=_("opens"), ordering="consultation_facts__opens_at")
    def opens(self, obj):
        found = self.live(obj)
        return timezone.localtime(found.opens_at) if found else "—"

    @admin.display(description=_("closes"), ordering="consultation_facts__closes_at")
    def closes(self, obj):
        found = self.live(obj)
        return timezone.localtime(found.closes_at) if found else "—"

    @admin.display(description=_("comments"))
    def comments_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("editorial:consultation-comments", kwargs={"article_id": obj.pk}),
            _("Moderate"),
        )

    @admin.display(description=_("dates"))
    def dates(self, obj):
        if obj is None or not obj.pk:
            return "—"
        extra = facts.working(obj).get("extra") or {}
        return format_html(
            "<p>{}: {}</p><p>{}: {}</p>",
            _("Opens"),
            local_time(extra.get("opens_at")) or "—",
            _("Closes"),
            local_time(extra.get("closes_at")) or "—",
        )
