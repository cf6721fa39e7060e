"""The registries in the newsroom: registry officers keep the records, approvers
publish them (see `history`). Every add, change, publication, withdrawal and delete
is a revision; a record readers see cannot be deleted before it is withdrawn."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cangxanh.core import languages

from . import history
from .models import (
    Action,
    Agreement,
    AgreementText,
    AidProject,
    AidProjectText,
    Attachment,
    Delegation,
    DelegationText,
    Member,
    Organisation,
    Partner,
    PartnerText,
    Revision,
)


def suggestions(partner, limit: int = 8) -> list:
    """Published news translations that name `partner` (each name as a phrase in its
    own language), not linked to it yet, newest first: one per article."""
    from cangxanh.news.models import ArticleTranslation
    from cangxanh.search.analyzer import parse_query
    from cangxanh.search.engine import Filters, search

    linked = set(partner.articles.values_list("pk", flat=True))
    ids: list[int] = []
    names = {(t.language, t.name) for t in partner.texts.all() if t.name}
    names.add((None, partner.native_name))
    for lang, name in sorted(names, key=lambda item: (item[0] or "", item[1])):
        results = search(
            parse_query(f'"{name}"'), Filters(language=lang, kind="news"), per_page=limit
        )
        ids += [hit.id for hit in results.hits]
    rows = (
        ArticleTranslation.objects.filter(pk__in=ids)
        .exclude(article_id__in=linked)
        .order_by("-published_at")
    )
    seen, out = set(), []
    for row in rows:
        if row.article_id not in seen:
            seen.add(row.article_id)
            out.append(row)
    return out[:limit]


STATE_LABELS = {
    "draft": _("not shown to readers"),
    "waiting": _("waiting for an approver"),
    "live": _("readers see it"),
}


class TextsInline(admin.StackedInline):
    """One form per language; a new record starts with all five."""

    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        return len(self._missing(obj))

    def _missing(self, obj) -> list[str]:
        have = (
            set(obj.texts.values_list("language", flat=True))
            if obj is not None and obj.pk
            else set()
        )
        return [code for code in languages.codes() if code not in have]

    def get_max_num(self, request, obj=None, **kwargs):
        return len(languages.codes())


class RecordAdmin(admin.ModelAdmin):
    change_form_template = "registry/change_form.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["public"]

    # --- state, publication ------------------------------------------------------

    @admin.display(description=_("for readers"))
    def reader_state(self, obj):
        state = history.state(obj)
        return format_html(
            '<span class="registry-state registry-state--{}">{}</span>', state, STATE_LABELS[state]
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, TextsInline) and request.method != "POST":
            kwargs["initial"] = [{"language": code} for code in inline._missing(obj)]
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        history.record(obj, Action.CHANGE if change else Action.ADD, request.user)
        if history.state(obj) == "waiting" and obj.public_data is not None:
            self.message_user(
                request,
                _(
                    "Readers keep seeing the record as published until an approver publishes your changes."
                ),
                messages.WARNING,
            )

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.public_data is not None:
            return False  # withdraw it first: a delete is a public change too
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        if obj.public_data is not None:
            raise PermissionDenied
        history.record(obj, Action.DELETE, request.user, force=True)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:object_id>/step/",
                self.admin_site.admin_view(self.step_view),
                name=f"{info[0]}_{info[1]}_step",
            ),
            path(
                "<int:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name=f"{info[0]}_{info[1]}_revisions",
            ),
        ] + super().get_urls()

    def step_view(self, request, object_id):
        """Publish or withdraw (approvers only; POST)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_permission(request, obj) or not history.can_publish(request.user):
            raise PermissionDenied
        step = request.POST.get("step")
        comment = request.POST.get("comment", "")[:500]
        try:
            if step == "publish":
                history.publish(obj, request.user, comment)
                self.message_user(request, _("Published: readers see the record as it is now."))
            elif step == "withdraw":
                history.withdraw(obj, request.user, comment)
                self.message_user(request, _("Withdrawn: readers no longer see the record."))
            else:
                raise PermissionDenied
        except ValueError as error:
            self.message_user(request, str(error), messages.ERROR)
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk]))

    def revisions_view(self, request, object_id):
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": _("Revisions of %(record)s") % {"record": obj},
            "revisions": history.revisions(obj).order_by("-number"),
        }
        return TemplateResponse(request, "registry/revisions.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            info = self.opts.app_label, self.opts.model_name
            state = history.state(obj)
            context["registry"] = {
                "state": state,
                "state_label": STATE_LABELS[state],
                "live": obj.public_data is not None,
                "published_at": obj.published_at,
                "wished": obj.public,
                "may_publish": history.can_publish(request.user),
                "step_url": reverse(f"admin:{info[0]}_{info[1]}_step", args=[obj.pk]),
                "revisions_url": reverse(f"admin:{info[0]}_{info[1]}_revisions", args=[obj.pk]),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)


class PartnerTextInline(TextsInline):
    model = PartnerText


@admin.register(Partner)
class PartnerAdmin(RecordAdmin):
    inlines = [PartnerTextInline]
    list_display = [
        "__str__",
        "native_name",
        "country",
        "relation",
        "established_on",
        "reader_state",
    ]
    list_filter = ["public", "relation", "country"]
    search_fields = ["slug", "native_name", "texts__name"]
    autocomplete_fields = ["articles"]
    raw_id_fields = ["picture"]
    readonly_fields = ["suggested_articles"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "native_name",
                    "country",
                    "relation",
                    ("established_on", "established_by"),
                ]
            },
        ),
        (
            _("Profile"),
            {
                "fields": [
                    ("latitude", "longitude"),
                    ("area_km2", "population", "population_year"),
                    "picture",
                    "illustrative",
                ]
            },
        ),
        (_("Articles about it"), {"fields": ["articles", "suggested_articles"]}),
        (_("Readers"), {"fields": ["public"]}),
    ]

    @admin.display(description=_("suggested by search"))
    def suggested_articles(self, obj):
        """Published news that name the partner in any of its names and are not linked yet."""
        if obj is None or not obj.pk:
            return _("Save the record first: the search then suggests articles that name it.")
        found = suggestions(obj)
        if not found:
            return _("The search finds no other article that names it.")
        return format_html_join(
            "",
            '<p><a href="{}">{}</a> <span class="help">#{} · {}</span></p>',
            (
                (
                    reverse("admin:news_article_change", args=[hit.article_id]),
                    hit.title,
                    hit.article_id,
                    hit.language,
                )
                for hit in found
            ),
        )


class DelegationTextInline(TextsInline):
    model = DelegationText


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(Delegation)
class DelegationAdmin(RecordAdmin):
    inlines = [DelegationTextInline, MemberInline, AttachmentInline]
    list_display = [
        "__str__",
        "direction",
        "start",
        "end",
        "level",
        "purpose",
        "members_count",
        "reader_state",
    ]
    list_filter = ["public", "direction", "purpose", "level", "funding"]
    date_hierarchy = "start"
    search_fields = ["organisation", "leader", "texts__title", "decision_number"]
    autocomplete_fields = ["partner", "article"]
    fieldsets = [
        (None, {"fields": ["direction", ("start", "end"), "countries", "partner", "organisation"]}),
        (
            _("Delegation"),
            {"fields": ["level", "leader", "purpose", "field", "members_count", "funding"]},
        ),
        (_("Internal"), {"fields": ["unit", ("decision_number", "decision_date"), "report"]}),
        (_("Readers"), {"fields": ["article", "public"]}),
    ]


class AgreementTextInline(TextsInline):
    model = AgreementText


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    inlines = [AgreementTextInline]
    list_display = [
        "__str__",
        "number",
        "kind",
        "signed_on",
        "expires_on",
        "status",
        "reader_state",
    ]
    list_filter = ["public", "kind", "status"]
    search_fields = ["number", "parties", "texts__title"]
    autocomplete_fields = ["partner"]
    fieldsets = [
        (None, {"fields": ["number", "kind", "parties", "partner", "status"]}),
        (
            _("Signing"),
            {
                "fields": [
                    ("signed_on", "signed_at"),
                    "signatories",
                    ("term_years", "expires_on"),
                    "text_file",
                    "reported_on",
                ]
            },
        ),
        (_("Readers"), {"fields": ["public"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(RecordAdmin):
    list_display = [
        "name",
        "short_name",
        "country",
        "registration",
        "registration_expires",
        "reader_state",
    ]
    list_filter = ["public", "country", "registration"]
    search_fields = ["name", "short_name", "name_vi", "registration_number"]


class AidProjectTextInline(TextsInline):
    model = AidProjectText


@admin.register(AidProject)
class AidProjectAdmin(RecordAdmin):
    inlines = [AidProjectTextInline]
    list_display = [
        "__str__",
        "organisation",
        "sector",
        "district",
        "committed",
        "currency",
        "status",
        "reader_state",
    ]
    list_filter = ["public", "sector", "status"]
    search_fields = ["code", "texts__title", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """The registries' audit log: read only."""

    list_display = ["at", "model", "label", "number", "action", "user"]
    list_filter = ["model", "action"]
    search_fields = ["label", "user__username"]
    readonly_fields = [f.name for f in Revision._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
