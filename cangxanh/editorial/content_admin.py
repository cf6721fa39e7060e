"""The newsroom's admin for the content model: sections, people, sources, and articles
with their translations inline and their facts (section, author, source, pictures)
saved through `editorial.facts`, so that a public article's facts wait for approval."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, F, Q, When
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cangxanh.core import languages
from cangxanh.core.converters import MAX_ID
from cangxanh.delivery import edge, version
from cangxanh.images.models import Image
from cangxanh.news import kinds
from cangxanh.news.models import (
    Article,
    ArticleTranslation,
    Person,
    PersonPosition,
    Section,
    SectionTranslation,
    Source,
    Status,
)
from cangxanh.search.index import article_entries_update

from . import editing, editor, facts, workflow
from .models import Action
from .pictures import PicturesField
from .roles import can_edit, can_edit_facts, user_languages

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


class TranslationFormSet(BaseInlineFormSet):
    """Refuses, on the server, any change to a language the user may not write in."""

    request = None

    def clean(self):
        super().clean()
        user = self.request.user
        # A posted row must be one the form showed (the user's languages): a crafted
        # id of another translation is refused, never taken as a new one.
        shown = {row.pk for row in self.get_queryset()}
        for form in self.initial_forms:
            posted = form.cleaned_data.get("id") if hasattr(form, "cleaned_data") else None
            if posted is not None and posted.pk not in shown:
                raise ValidationError(
                    _("You may not write in %(language)s for this article.")
                    % {"language": posted.get_language_display()},
                    code="language",
                )
        for form in self.forms:
            if not form.has_changed() and form not in self.deleted_forms:
                continue
            # Both the language it had and the one it is given: relabelling the
            # original as one's own language must be refused too.
            stored = form.initial.get("language")
            wanted = form.cleaned_data.get("language")
            for language in dict.fromkeys(filter(None, [stored, wanted])):
                probe = ArticleTranslation(article=self.instance, language=language)
                if not can_edit(user, probe):
                    raise ValidationError(
                        _("You may not write in %(language)s for this article.")
                        % {"language": probe.get_language_display()},
                        code="language",
                    )


def local_time(value: str | None):
    """A time of a kind's facts (ISO text in UTC) in the site's time zone, for forms."""
    return timezone.localtime(parse_datetime(value)) if value else None


class KindAdminForm(forms.ModelForm):
    """A kind's facts as editors work on them (news.kinds): a published item's waiting
    new facts when there are some, else the live ones, its own under "extra"."""

    kind = ""  # what a new item is validated as: a kind needs no section

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.kind = self.kind
            return
        extra = facts.working(self.instance).get("extra") or {}
        if extra:
            self.initial.update(self.initial_of(extra))
        if facts.is_guarded(self.instance) and "original_language" in self.fields:
            # Readers see it in some language: which one is the original stays.
            self.fields["original_language"].disabled = True

    def initial_of(self, extra: dict) -> dict:
        """The form's initial values from the kind's facts under "extra"."""
        return {}

    def extra(self) -> dict:
        """The kind's facts under "extra", from the cleaned form."""
        return {}

    def facts(self) -> dict:
        # A kind shows no section, author, source or pictures: what it had stays.
        common = facts.working(self.instance) if self.instance.pk else {}
        return {
            "section": None,
            "author": common.get("author"),
            "source": common.get("source"),
            "source_url": common.get("source_url", ""),
            "images": common.get("images", []),
            "extra": self.extra(),
        }


class TranslationAdminForm(forms.ModelForm):
    """Shows, and edits, the words being worked on: a published text's new version if any."""

    body = editor.body_formfield(ArticleTranslation._meta.get_field("body"))
    # What another kind calls the words (news.kinds): field → (label, help text).
    labels: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.labels.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].help_text = help_text
        if "lead" in self.fields:
            self.fields["lead"].widget.attrs["rows"] = 3
        pending = editing.pending_of(self.instance) if self.instance.pk else None
        if pending is not None:
            for field in editing.TEXT_FIELDS:
                self.initial[field] = getattr(pending, field)


class ArticleTranslationInline(admin.StackedInline):
    model = ArticleTranslation
    # The original is one of them: never call it a translation.
    verbose_name = _("language version")
    verbose_name_plural = _("language versions")
    form = TranslationAdminForm
    formset = TranslationFormSet
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
        "steps_link",
    ]
    # Status and publication time change only through the workflow's steps.
    readonly_fields = ["status", "published_at", "view_count", "steps_link"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    def view_on_site(self, obj):
        # Only a page readers can open: a draft's or a scheduled text's address is a 404.
        return obj.get_absolute_url() if obj.is_public else None

    def get_queryset(self, request):
        # Only the languages the user may write, the original first.
        return (
            super()
            .get_queryset(request)
            .filter(language__in=user_languages(request.user))
            .select_related("pending_version")
            .annotate(
                is_translation=Case(
                    When(language=F("article__original_language"), then=0), default=1
                )
            )
            .order_by("is_translation", "language")
        )

    def get_min_num(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0  # a new article starts with its original

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "language":
            writable = user_languages(request.user)
            kwargs["choices"] = [(c, n) for c, n in languages.choices() if c in writable]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description=_("workflow"))
    def steps_link(self, obj):
        if not obj.pk:
            return _("Save first; new translations start as drafts.")
        links = format_html(
            '<a href="{}">{}</a> · <a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("editorial:translation", kwargs={"translation_id": obj.pk}),
            _("Review and publish"),
            reverse("news-preview", kwargs={"translation_id": obj.pk}),
            _("Preview as readers will see it"),
        )
        if obj.status != Status.PUBLISHED:
            return links
        pending = editing.pending_of(obj)
        note = (
            _("Readers see the published text; saving here makes a new version for approval.")
            if pending is None
            else _("A new version (%(state)s) waits: readers still see the published text.")
            % {"state": pending.get_state_display()}
        )
        return format_html("{}<br>{}", note, links)


class ArticleAdminForm(forms.ModelForm):
    """The article's facts as editors work on them: a public article's waiting new
    facts when there are some, else the live ones."""

    pictures = PicturesField()

    class Meta:
        model = Article
        # The admin adds the others (`ArticleAdmin.fields`), with its widgets.
        fields = ["section"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "section" in self.fields:
            self.fields["section"].queryset = Section.objects.prefetch_related("translations")
        if self.instance.pk:
            working = facts.working(self.instance)
            for name in facts.FIELDS:
                self.initial[name] = working[name]
            self.initial["pictures"] = working["images"]
            if facts.is_guarded(self.instance) and "original_language" in self.fields:
                # Readers see it in some language: which one is the original stays.
                self.fields["original_language"].disabled = True

    def facts(self) -> dict:
        data = self.cleaned_data
        return {
            "section": data["section"].pk,
            "author": data["author"].pk if data.get("author") else None,
            "source": data["source"].pk if data.get("source") else None,
            "source_url": data.get("source_url") or "",
            "images": data.get("pictures") or [],
        }


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    formfield_overrides = URL_FIELDS
    list_display = ["__str__", "section", "languages", "author", "created_at"]
    list_filter = ["section", "translations__language", "translations__status"]
    search_fields = ["translations__title", "translations__lead"]
    autocomplete_fields = ["author", "source"]
    fields = ["section", "original_language", "author", "source", "source_url", "pictures"]
    inlines = [ArticleTranslationInline]
    actions = ["publish_now"]
    date_hierarchy = "created_at"
    kind = kinds.NEWS  # what this admin lists and creates (news.kinds)
    # Said when the facts saved wait for approval.
    facts_waiting_message = _(
        "Readers keep the current section, author, source and pictures "
        "until an approver publishes the original's new version."
    )

    class Media:
        # The editor's toolbar in the user's language (its dialogs use the JS catalog).
        js = ["cangxanh/editor-i18n.js"]

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: it runs with this answer's nonce.
        context["media"] = editor.nonced(context["media"], request)
        return super().render_change_form(request, context, *args, **kwargs)

    @method_decorator(editor.with_editor)
    def changeform_view(self, *args, **kwargs):
        return super().changeform_view(*args, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The board, the desk and the steps page link every kind here: an item of
        # another kind is edited in its kind's own admin.
        elsewhere = self._kind_admin_url(object_id)
        if elsewhere is not None:
            return HttpResponseRedirect(elsewhere)
        return super().change_view(request, object_id, form_url, extra_context)

    def _kind_admin_url(self, object_id) -> str | None:
        text = str(object_id)
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
            return None  # the admin's own answer for an id that is none
        kind = Article.objects.filter(pk=int(object_id)).values_list("kind", flat=True).first()
        if kind is None or kind == self.kind:
            return None
        for model, model_admin in self.admin_site._registry.items():
            if isinstance(model_admin, ArticleAdmin) and model_admin.kind == kind:
                opts = model._meta
                return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
        return None

    def save_model(self, request, obj, form, change):
        if not change:
            obj.kind = self.kind
            return super().save_model(request, obj, form, change)
        # The facts are saved with the translations (save_related), where they wait
        # for approval if readers see the article; only the original's language is
        # written here, and only while nobody sees the article.
        if "original_language" in form.changed_data and not facts.is_guarded(obj):
            obj.save(update_fields=["original_language", "updated_at"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if self.facts_in_form(form) and can_edit_facts(request.user, article):
            try:
                waiting = facts.article_save_facts(
                    article=article, facts=form.facts(), user=request.user
                )
            except facts.FactsError as error:
                # The rest of the form is saved; say plainly what was not.
                self.message_user(request, str(error), messages.ERROR)
            else:
                if waiting:
                    self.message_user(request, self.facts_waiting_message, messages.WARNING)
        if change:  # a moved section, or a translation's changed language, reaches search
            transaction.on_commit(lambda: article_entries_update(article))

    def facts_in_form(self, form) -> bool:
        """Does the form carry the facts (they are read-only for translators)?"""
        return "section" in form.cleaned_data

    @admin.display(description=_("pictures"))
    def pictures(self, obj):
        if obj is None or not obj.pk:
            return "—"
        ids = facts.working(obj)["images"]
        found = {image.pk: str(image) for image in Image.objects.filter(pk__in=ids)}
        return ", ".join(found[i] for i in ids if i in found) or "—"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(kind=self.kind)  # its own kind: every other kind has an admin of its own
            .select_related("section", "author")
            .prefetch_related("translations", "section__translations")
        )

    @admin.display(description=_("languages"))
    def languages(self, obj):
        return ", ".join(
            f"{t.language}{'' if t.status == Status.PUBLISHED else ' (' + str(t.get_status_display()) + ')'}"
            for t in obj.translations.all()
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not ArticleTranslation:
            return super().save_formset(request, form, formset, change)
        # The words go where editing decides (a published text keeps its own until
        # approval); `save(commit=False)` only fills the lists the admin's log reads.
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            obj = inline_form.instance
            if obj.pk and "language" in inline_form.changed_data:
                ArticleTranslation.objects.filter(pk=obj.pk).update(language=obj.language)
                version.bump()
                edge.changed(obj)
            text = {field: inline_form.cleaned_data.get(field) for field in editing.TEXT_FIELDS}
            editing.translation_save_text(translation=obj, text=text, user=request.user)

    def get_readonly_fields(self, request, obj=None):
        # Translators translate: the article's own facts belong to editors and approvers.
        if request.user.has_perm("news.edit_original"):
            return super().get_readonly_fields(request, obj)
        return ["section", "original_language", "author", "source", "source_url", "pictures"]

    def has_approve_permission(self, request):
        return request.user.has_perm("news.approve_translation")

    @admin.action(
        description=_("Publish all translations of the selected articles now"),
        permissions=["approve"],
    )
    def publish_now(self, request, queryset):
        count = 0
        waiting = ~Q(status=Status.PUBLISHED) | Q(pending_version__isnull=False)
        found = ArticleTranslation.objects.filter(waiting, article__in=queryset).select_related(
            "article"
        )
        # Originals first: a translation is published only after its original.
        ordered = sorted(found, key=lambda t: t.language != t.article.original_language)
        for translation in ordered:
            try:
                workflow.perform(translation, Action.PUBLISH, request.user)
            except (workflow.WorkflowError, PermissionDenied) as error:
                self.message_user(request, f"{translation}: {error}", messages.ERROR)
            else:
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d translation published.", "%(count)d translations published.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class KindAdmin(ArticleAdmin):
    """The admin of another kind of content (news.kinds: pages, documents, calendar
    entries, consultations): articles, so the article permissions decide, and their
    facts belong to the editors of originals — a translator sees `translator_fields`,
    read-only, and a form field left out of the form is never saved from a crafted post."""

    facts_field = ""  # a field of the form that is there only when the facts are
    fact_fields: list[str] = []  # the facts' fields, read-only for translators
    translator_fields = ["original_language"]  # what a translator sees
    live_facts = ""  # the relation to the kind's live facts, for the list's columns
    autocomplete_fields: list[str] = []  # a kind has no author or source to choose
    list_filter = ["translations__language", "translations__status"]

    def get_queryset(self, request):
        found = super().get_queryset(request)
        return found.select_related(self.live_facts) if self.live_facts else found

    def live(self, obj):
        """The item's live facts (what readers see now), or None."""
        return getattr(obj, self.live_facts, None)

    def _may(self, request, action: str) -> bool:
        return request.user.has_perm(f"news.{action}_article")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view") or self._may(request, "change")

    def has_add_permission(self, request):
        return self._may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete")

    def facts_in_form(self, form) -> bool:
        return self.facts_field in form.cleaned_data

    def get_fields(self, request, obj=None):
        if request.user.has_perm("news.edit_original"):
            return self.fields
        return self.translator_fields

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("news.edit_original"):
            return []
        return [*self.translator_fields, *self.fact_fields]
