"""The site's settings readers see on every page: the identity and footer per language,
and the links to other state agencies.

They are administrators' settings (only the Administrator role has their permissions,
editorial.roles), take effect at once like any administrator's act, and every change is
kept in the admin's history (Django's `LogEntry`: who, when) with what each changed
field held before and after, so a footer line can always be traced.
"""

from django.contrib import admin, messages
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .checks import FOOTER_REQUIRED, footer_missing
from .models import AgencyLink, AgencyLinkName, SiteIdentity
from .site import site_identity_changed


def _shown(value) -> str:
    if value is True or value is False:
        return gettext("yes") if value else gettext("no")
    return Truncator("" if value is None else str(value)).chars(200)


def _with_values(form, names) -> list[str]:
    """Each changed field as “label: «before» → «after»”, in the saver's language."""
    return [
        gettext("%(field)s: “%(before)s” → “%(after)s”")
        % {
            "field": form.fields[name].label if name in form.fields else name,
            "before": _shown(form.initial.get(name)),
            "after": _shown(form.cleaned_data.get(name)),
        }
        for name in names
    ]


class AuditedAdmin(admin.ModelAdmin):
    """The admin's history keeps, for a change, what each field held before and after
    (Django's own message keeps only the fields' names)."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if add:
            return message
        inline_forms = {
            id(inline.instance): inline
            for formset in formsets or []
            for inline in formset.initial_forms
        }
        changed_inlines = iter(
            (obj, fields) for formset in formsets or [] for obj, fields in formset.changed_objects
        )
        for entry in message:
            changed = entry.get("changed")
            if changed is None:
                continue
            if "name" not in changed:
                changed["fields"] = _with_values(form, form.changed_data)
                continue
            obj, fields = next(changed_inlines, (None, []))
            inline = inline_forms.get(id(obj))
            if inline is not None:
                changed["fields"] = _with_values(inline, fields)
        return message


@admin.register(SiteIdentity)
class SiteIdentityAdmin(AuditedAdmin):
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
class AgencyLinkAdmin(AuditedAdmin):
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
