from django.contrib import admin

from .models import SiteIdentity
from .site import site_identity_changed


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    list_display = ["language", "name", "slogan"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        site_identity_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        site_identity_changed()
