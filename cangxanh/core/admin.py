from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .checks import FOOTER_REQUIRED, footer_missing
from .models import AgencyLink, AgencyLinkName, SiteIdentity
from .site import site_identity_changed


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    list_display = ["language", "name", "slogan", "footer_complete"]
    fieldsets = [
        (None, {"fields": ["language", "name", "slogan"]}),
        (
            _("Footer (required by law)"),
            {
                "fields": ["publisher", "responsible", "address", "phone", "email"],
                "description": _(
                    "Decree 42/2022/NĐ-CP: every state portal names its owner agency, the "
                    "person responsible, the address, phone and e-mail, in every language."
                ),
            },
        ),
        (
            _("More in the footer"),
            {
                "fields": [
                    "responsible_position",
                    "licence",
                    "hours",
                    "copyright",
                    "footer",
                ]
            },
        ),
    ]

    @admin.display(boolean=True, description=_("footer complete"))
    def footer_complete(self, obj) -> bool:
        return all(getattr(obj, name).strip() for name in FOOTER_REQUIRED)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        site_identity_changed()
        missing = [str(name) for _lang, name in footer_missing(obj.language)]
        if missing:
            # Saved all the same: what was typed is kept, and the compliance check lists it.
            messages.warning(
                request,
                gettext("The footer still lacks what the law requires: {fields}.").format(
                    fields=", ".join(missing)
                ),
            )

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        site_identity_changed()


class AgencyLinkNameInline(admin.TabularInline):
    model = AgencyLinkName
    extra = 0
    min_num = 1


@admin.register(AgencyLink)
class AgencyLinkAdmin(admin.ModelAdmin):
    # Addresses typed without a scheme are taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["url", "names", "position", "in_footer"]
    list_editable = ["position", "in_footer"]
    fields = ["url", "position", "in_footer"]
    inlines = [AgencyLinkNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    @admin.display(description=_("names"))
    def names(self, obj) -> str:
        return " · ".join(name.name for name in obj.names.all())
