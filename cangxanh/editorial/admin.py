from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cangxanh.core import languages
from cangxanh.core.models import SiteIdentity
from cangxanh.core.site import per_version

from . import content_admin, page_admin, picture_admin  # noqa: F401  (register the content's admin)
from .models import StaffProfile, WorkflowEvent
from .two_factor import authenticator, is_required, second_step_reset


def _portal_names() -> dict[str, str]:
    return dict(SiteIdentity.objects.values_list("language", "name"))


def newsroom_name() -> str:
    """The newsroom's header and title: the portal's own name (the site identity's, which
    the footer shows) in the active language, else in the site's first language, else in
    any. One query per content version, which a change to the identity moves."""
    names = per_version(("portal-names",), _portal_names)
    language = translation.get_language() or settings.LANGUAGE_CODE
    name = names.get(language) or names.get(settings.LANGUAGE_CODE)
    name = name or next((names[code] for code in languages.codes() if code in names), "")
    if not name:
        return gettext("Newsroom")
    return gettext("%(portal)s — newsroom") % {"portal": name}


# Lazy: read on every page, in that page's language.
admin.site.site_header = lazy(newsroom_name, str)()
admin.site.site_title = lazy(newsroom_name, str)()
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
# django-otp's own pages would show (and let anyone with the admin copy) a person's
# secret key; an administrator resets a second step from the user's page instead.
for _otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_otp_model):
        admin.site.unregister(_otp_model)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "email", "is_staff", "roles", "work_languages", "two_step"]
    change_form_template = "editorial/user_change_form.html"

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("groups")
            .select_related("staff_profile")
            .annotate(has_two_step=Exists(confirmed))
        )

    @admin.display(description=_("two-step sign-in"), boolean=True, ordering="has_two_step")
    def two_step(self, obj):
        return obj.has_two_step

    def get_urls(self):
        reset = self.admin_site.admin_view(self.two_step_reset_view)
        return [
            path("<id>/two-step-reset/", reset, name="auth_user_two_step_reset"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, unquote(object_id))
        extra = {"two_step": user is not None and authenticator(user) is not None}
        return super().change_view(request, object_id, form_url, extra | (extra_context or {}))

    def two_step_reset_view(self, request, id):
        """Reset a person's second step (a lost phone), after a confirmation: their next
        sign-in sets it up again; the user's history keeps who did it."""
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        change_url = reverse("admin:auth_user_change", args=[user.pk])
        if request.method == "POST":
            second_step_reset(user=user, by=request.user)
            self.message_user(
                request,
                gettext(
                    "Two-step sign-in of %(name)s was reset: they set it up again at "
                    "their next sign-in."
                )
                % {"name": user.get_username()},
                messages.SUCCESS,
            )
            return redirect(change_url)
        context = self.admin_site.each_context(request) | {
            "title": gettext("Reset two-step sign-in"),
            "person": user,
            "opts": self.opts,
            "change_url": change_url,
            "required": is_required(user),
        }
        return TemplateResponse(request, "editorial/two_step/reset.html", context)

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
