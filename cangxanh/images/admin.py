import logging
from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Image, ImageText
from .renditions import UNREADABLE, image_renditions_ensure, rendition
from .validation import ImageUploadField

logger = logging.getLogger(__name__)

FOCAL_DEFAULT = 50


class ImageTextInline(admin.TabularInline):
    model = ImageText
    extra = 0
    min_num = 1


class ImageAdminForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "credit", "focal_x", "focal_y"]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }

    # A focal point left empty is the centre.
    def clean_focal_x(self):
        value = self.cleaned_data.get("focal_x")
        return FOCAL_DEFAULT if value is None else value

    def clean_focal_y(self):
        value = self.cleaned_data.get("focal_y")
        return FOCAL_DEFAULT if value is None else value


def _make_renditions(image: Image) -> None:
    try:
        image_renditions_ensure(image=image)
    except UNREADABLE:
        # The page that shows the image tries again; the save itself stands.
        logger.exception("No renditions for image %s", image.pk)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    formfield_overrides = {
        models.ImageField: {"form_class": ImageUploadField, "widget": AdminFileWidget}
    }
    list_display = ["preview", "__str__", "dimensions", "focal_point", "credit", "created_at"]
    search_fields = ["file", "credit", "texts__alt", "texts__caption"]
    inlines = [ImageTextInline]
    readonly_fields = ["focal_picker", "dimensions", "original"]
    fieldsets = [
        (None, {"fields": ["file", ("dimensions", "original"), "credit"]}),
        (_("Focal point"), {"fields": ["focal_picker", ("focal_x", "focal_y")]}),
    ]

    class Media:
        js = ["cangxanh/focal.js"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # After the commit, so the database is not held while pictures are made.
        transaction.on_commit(partial(_make_renditions, obj), robust=True)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        card = rendition(obj, "card") if obj.pk else None
        if card is None:
            return "—"
        return format_html(
            '<img src="{}" width="160" height="90" srcset="{}" sizes="160px" alt="" loading="lazy">',
            card.src,
            card.srcset_fallback,
        )

    @admin.display(description=_("size in pixels"))
    def dimensions(self, obj):
        if not (obj.width and obj.height):
            return "—"
        return f"{obj.width} × {obj.height}"

    @admin.display(description=_("original file"))
    def original(self, obj):
        # The file as uploaded, metadata and all, is private: only this staff download
        # gives it out (the file field's own link leads to a rendition).
        if not (obj.pk and obj.file):
            return "—"
        return format_html(
            '<a href="{}" download>{}</a>',
            reverse("image-original", args=[obj.pk]),
            _("Download the original"),
        )

    @admin.display(description=_("focal point"))
    def focal_point(self, obj):
        return f"{obj.focal_x}%, {obj.focal_y}%"

    @admin.display(description=_("preview"))
    def focal_picker(self, obj):
        # The saved image: after a refused form, obj holds the values typed.
        saved = Image.objects.filter(pk=obj.pk).first() if obj.pk else None
        context = {"full": rendition(saved, "full"), "crop": rendition(saved, "card")}
        return render_to_string("images/focal_picker.html", context)
