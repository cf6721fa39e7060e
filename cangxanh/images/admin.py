from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from easy_thumbnails.files import get_thumbnailer

from .models import Image, ImageText


class ImageTextInline(admin.TabularInline):
    model = ImageText
    extra = 0
    min_num = 1


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["preview", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["file", "credit", "texts__alt", "texts__caption"]
    inlines = [ImageTextInline]
    readonly_fields = ["preview", "width", "height"]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk or not obj.file:
            return "—"
        thumb = get_thumbnailer(obj.file)["card"]
        return format_html('<img src="{}" width="160" height="90" alt="">', thumb.url)
