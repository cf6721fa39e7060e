"""The newsroom's admin of the image library. A picture readers see keeps its file,
credit, focal point and texts until an approver publishes its new version
(`editorial.picture_versions`); any other picture changes at once."""

import logging
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cangxanh.images.models import Image, ImageText
from cangxanh.images.renditions import image_renditions_ensure, rendition, unreadable
from cangxanh.images.storage import out_of_space, out_of_space_message
from cangxanh.images.validation import ImageUploadField

from . import picture_versions
from .roles import can_approve

logger = logging.getLogger(__name__)

FOCAL_DEFAULT = 50


class ImageTextFormSet(BaseInlineFormSet):
    """Shows the texts being worked on: a public picture's waiting ones, if any."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        waiting = getattr(self.instance, "_waiting_texts", {})
        text = waiting.get(form.instance.language) if form.instance.pk else None
        if text is not None:
            form.initial["alt"], form.initial["caption"] = text["alt"], text["caption"]
        return form


class ImageTextInline(admin.TabularInline):
    model = ImageText
    formset = ImageTextFormSet
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

    # Set on the form shown again after the disk was full (ImageAdmin.changeform_view).
    out_of_space = False

    def clean(self):
        cleaned = super().clean()
        if self.out_of_space:
            self.add_error("file", out_of_space_message())
        return cleaned

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
    except unreadable():
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

    change_form_template = "editorial/picture_change_form.html"

    class Media:
        js = ["cangxanh/focal.js"]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError as error:
            if not out_of_space(error):
                raise
            # The transaction is rolled back and the storage removed what it wrote: show
            # the form again, as typed, with the reason on the file field.
            logger.error("Upload refused, the disk is full: %s", error)
            request._out_of_space = True
            response = super().changeform_view(request, object_id, form_url, extra_context)
            response.status_code = 507
            return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "_out_of_space", False):
            form = type(form.__name__, (form,), {"out_of_space": True})
        return form

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        version = picture_versions.pending_of(obj) if obj is not None else None
        if version is not None:
            # The form shows the new version being worked on (nothing is saved here).
            for name in picture_versions.IMAGE_FIELDS:
                setattr(obj, name, getattr(version, name))
            obj._waiting_texts = version.texts
        return obj

    def save_model(self, request, obj, form, change):
        if change and picture_versions.in_public_use(obj.pk):
            request._picture_version = True  # saved with its texts in save_related
            return
        super().save_model(request, obj, form, change)
        # After the commit, so the database is not held while pictures are made.
        transaction.on_commit(partial(_make_renditions, obj), robust=True)

    def save_formset(self, request, form, formset, change):
        if not getattr(request, "_picture_version", False):
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills the lists the admin's log reads; writes nothing

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not getattr(request, "_picture_version", False):
            return
        texts = {}
        for formset in formsets:
            for inline in formset.forms:
                data = getattr(inline, "cleaned_data", None) or {}
                if data.get("language") and not data.get("DELETE"):
                    texts[data["language"]] = (data.get("alt", ""), data.get("caption", ""))
        version = picture_versions.image_save_version(
            image=form.instance,
            fields={name: form.cleaned_data.get(name) for name in picture_versions.IMAGE_FIELDS},
            texts=texts,
            new_file=form.cleaned_data["file"] if "file" in form.changed_data else None,
            user=request.user,
        )
        if version is not None:
            self.message_user(
                request,
                _(
                    "Readers see this picture: your changes wait for an approver, and "
                    "readers keep the picture as it is until then."
                ),
                messages.WARNING,
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        version = picture_versions.pending_of(obj) if obj is not None and obj.pk else None
        if version is not None:
            live = Image.objects.prefetch_related("texts").get(pk=obj.pk)
            context["picture_version"] = {
                "changes": picture_versions.changes(live, version),
                "by": version.author,
                "when": version.updated_at,
                "may_publish": can_approve(request.user),
                "action": reverse("editorial:picture", args=[obj.pk]),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

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
