"""The back office for this stage: Django's admin, with translations inline."""

from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    Article,
    ArticleImage,
    ArticleTranslation,
    Person,
    PersonPosition,
    Section,
    SectionTranslation,
    Source,
    Status,
)

# Addresses typed without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class SectionTranslationInline(admin.TabularInline):
    model = SectionTranslation
    extra = 0
    min_num = 1


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["key", "names", "position", "in_menu"]
    list_editable = ["position", "in_menu"]
    inlines = [SectionTranslationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("names"))
    def names(self, obj):
        return " · ".join(t.name for t in obj.translations.all())


class PersonPositionInline(admin.TabularInline):
    model = PersonPosition
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "positions__position"]
    inlines = [PersonPositionInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "url"]
    search_fields = ["name", "url"]


class ArticleImageInline(admin.TabularInline):
    model = ArticleImage
    extra = 0
    autocomplete_fields = ["image"]


class ArticleTranslationInline(admin.StackedInline):
    model = ArticleTranslation
    extra = 0
    min_num = 1
    fields = [
        "language",
        "title",
        "slug",
        "lead",
        "body",
        "status",
        "published_at",
        "view_count",
        "preview_link",
    ]
    readonly_fields = ["view_count", "preview_link"]

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("news-preview", kwargs={"translation_id": obj.pk})
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            url,
            _("Preview as readers will see it"),
        )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["__str__", "section", "languages", "author", "created_at"]
    list_filter = ["section", "translations__language", "translations__status"]
    search_fields = ["translations__title", "translations__lead"]
    autocomplete_fields = ["author", "source"]
    inlines = [ArticleTranslationInline, ArticleImageInline]
    actions = ["publish_now"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("section", "author")
            .prefetch_related("translations")
        )

    @admin.display(description=_("languages"))
    def languages(self, obj):
        return ", ".join(
            f"{t.language}{'' if t.status == Status.PUBLISHED else ' (' + str(t.get_status_display()) + ')'}"
            for t in obj.translations.all()
        )

    @admin.action(description=_("Publish all translations of the selected articles now"))
    def publish_now(self, request, queryset):
        now = timezone.now()
        count = (
            ArticleTranslation.objects.filter(article__in=queryset)
            .exclude(status=Status.PUBLISHED)
            .update(status=Status.PUBLISHED, published_at=now)
        )
        self.message_user(
            request,
            ngettext("%(count)d translation published.", "%(count)d translations published.", count)
            % {"count": count},
            messages.SUCCESS,
        )
