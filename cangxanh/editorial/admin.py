from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from cangxanh.core import languages

from . import content_admin, picture_admin  # noqa: F401  (register the content's admin)
from .models import StaffProfile, WorkflowEvent

admin.site.site_header = _("cangxanh newsroom")
admin.site.site_title = _("cangxanh newsroom")
admin.site.index_title = _("Content and settings")


class StaffProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=languages.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Editors and translators work only in these languages."),
    )

    class Meta:
        model = StaffProfile
        fields = ["languages"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    form = StaffProfileForm
    can_delete = False
    verbose_name_plural = _("languages")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "email", "is_staff", "roles", "work_languages"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).prefetch_related("groups").select_related("staff_profile")
        )

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    @admin.display(description=_("languages"))
    def work_languages(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return ", ".join(profile.languages) if profile else ""


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(admin.ModelAdmin):
    """The audit log: read-only for everyone, administrators included."""

    list_display = ["created_at", "actor", "translation", "action", "from_status", "to_status"]
    list_filter = ["action", "to_status", "translation__language"]
    search_fields = ["translation__title", "actor__username", "comment"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
