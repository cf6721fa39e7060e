"""The newsroom's documents: the article admin (its translations inline, the workflow's
steps, the editor) with a document's facts and files instead of a news article's,
saved through `editorial.facts` under "extra", so that a change to a published
document waits for an approver like its words do; and the lists of types,
issuers and fields with their names in each language.

An uploaded file is checked from its bytes (`validation.check_upload`) with the
rest of the form: a refused file refuses the whole save, with the reason beside
the field, and everything typed stays in the form. An accepted one is stored at
once (unlisted), added to the document's files in the facts saved, and its text
read after the save commits. Documents are articles, so the article permissions
decide who may work on them.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cangxanh.core import languages
from cangxanh.editorial import facts
from cangxanh.editorial.content_admin import (
    ArticleTranslationInline,
    KindAdmin,
    KindAdminForm,
    TranslationAdminForm,
)
from cangxanh.editorial.roles import can_edit_facts
from cangxanh.news import kinds
from cangxanh.news.models import Article
from cangxanh.search.index import article_entries_update

from . import services
from .kind import PAGE_FACTS
from .models import (
    KIND,
    Document,
    DocumentFile,
    DocumentType,
    DocumentTypeName,
    Field,
    FieldName,
    Issuer,
    IssuerName,
    LegalStatus,
    Relation,
)
from .queries import staff_file_url
from .validation import check_upload


class DocumentTextForm(TranslationAdminForm):
    """A document's words: its short title, its summary (trích yếu), notes."""

    labels = {
        "title": (_("Short title"), _("What readers see in lists: a few words.")),
        "lead": (
            _("Summary (trích yếu)"),
            _("The summary as the document states it. In other languages: a translation."),
        ),
        "body": (_("Notes"), _("Optional: what readers should know about the document.")),
    }


class DocumentTextInline(ArticleTranslationInline):
    form = DocumentTextForm


class _DocumentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        number = getattr(getattr(obj, "document_facts", None), "number", "")
        return f"{number} — {obj}" if number else str(obj)


class _FileChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        # The name opens the file at the staff's address: an approver reads it first.
        state = "" if obj.kind != "pdf" else f", {obj.get_text_status_display()}"
        listed = "" if obj.listed else f" — {_('not yet shown to readers')}"
        return format_html(
            '<a href="{}">{}</a> ({}, {}, {}{}){}',
            staff_file_url(obj.pk),
            obj.name,
            obj.get_kind_display(),
            filesizeformat(obj.size),
            obj.language,
            state,
            listed,
        )


def _documents():
    return (
        Article.objects.filter(kind=KIND)
        .select_related("document_facts")
        .prefetch_related("translations")
        .order_by("-document_facts__issued_on", "-pk")
    )


class DocumentAdminForm(KindAdminForm):
    """The document's facts as editors work on them, and one more file to upload."""

    kind = KIND

    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=100,
        help_text=_("As printed on the document: 62/2025/QĐ-UBND."),
    )
    type = forms.ModelChoiceField(
        label=pgettext_lazy("document", "Type"),
        queryset=DocumentType.objects.prefetch_related("names"),
    )
    issuer = forms.ModelChoiceField(
        label=_("Issuing body"), queryset=Issuer.objects.prefetch_related("names")
    )
    field = forms.ModelChoiceField(
        label=pgettext_lazy("document", "Field"),
        queryset=Field.objects.prefetch_related("names"),
        required=False,
    )
    signer = forms.CharField(
        label=_("Signed by"),
        max_length=200,
        required=False,
        help_text=_("The person who signed it, with their position if you wish."),
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=widgets.AdminDateWidget)
    effective_on = forms.DateField(
        label=_("In force from"), required=False, widget=widgets.AdminDateWidget
    )
    expires_on = forms.DateField(
        label=_("In force until"), required=False, widget=widgets.AdminDateWidget
    )
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices)
    files = _FileChoice(
        label=_("Files readers get"),
        queryset=DocumentFile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Untick a file to stop showing it. A published document's readers get a new "
            "list of files once an approver publishes it."
        ),
    )
    upload = forms.FileField(
        label=_("Add a file"),
        required=False,
        help_text=_(
            "PDF, Word (.docx) or Excel (.xlsx): the type is read from the file itself. "
            "A PDF's text is read for the search."
        ),
    )
    upload_language = forms.ChoiceField(
        label=_("Language of the added file"), choices=languages.choices, required=False
    )
    amends = _DocumentChoice(
        label=_("Amends"),
        queryset=Article.objects.none(),
        required=False,
        widget=widgets.FilteredSelectMultiple(_("documents"), is_stacked=False),
    )
    replaces = _DocumentChoice(
        label=_("Replaces"),
        queryset=Article.objects.none(),
        required=False,
        widget=widgets.FilteredSelectMultiple(_("documents"), is_stacked=False),
    )
    articles = forms.ModelMultipleChoiceField(
        label=_("Related articles"),
        queryset=Article.objects.filter(kind=kinds.NEWS)
        .prefetch_related("translations")
        .order_by("-pk"),
        required=False,
        widget=widgets.FilteredSelectMultiple(_("articles"), is_stacked=False),
    )

    class Meta:
        model = Document
        fields = ["original_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None  # the accepted upload (validation.Checked)
        self.new_files: list[int] = []  # its stored row, set by the admin before facts()
        others = _documents()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            if "files" in self.fields:
                self.fields["files"].queryset = DocumentFile.objects.filter(document=self.instance)
        for name in ("amends", "replaces"):
            if name in self.fields:
                self.fields[name].queryset = others
        if "upload_language" in self.fields:
            self.fields["upload_language"].initial = self.instance.original_language or "vi"

    def initial_of(self, extra: dict) -> dict:
        relations = extra.get("relations") or []
        return {
            "number": extra["number"],
            "type": extra["type"],
            "issuer": extra["issuer"],
            "field": extra["field"],
            "signer": extra["signer"],
            "issued_on": extra["issued_on"],
            "effective_on": extra["effective_on"],
            "expires_on": extra["expires_on"],
            "legal_status": extra["legal_status"],
            "files": extra["files"],
            "amends": [r["target"] for r in relations if r["relation"] == Relation.AMENDS],
            "replaces": [r["target"] for r in relations if r["relation"] == Relation.REPLACES],
            "articles": extra["articles"],
        }

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            # Refused: the reason stands beside the field, and nothing of the form is saved.
            self.checked = check_upload(upload.name, upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error(
                "expires_on", _("A document cannot cease to be in force before it is issued.")
            )
        both = set(cleaned.get("amends") or []) & set(cleaned.get("replaces") or [])
        if both:
            self.add_error(
                "replaces",
                _("A document either amends or replaces another, not both: %(numbers)s.")
                % {"numbers": ", ".join(sorted(d.document_facts.number for d in both))},
            )
        return cleaned

    def extra(self) -> dict:
        data = self.cleaned_data
        kept = sorted(data.get("files") or [], key=lambda row: (row.position, row.pk))
        relations = [
            {"target": doc.pk, "relation": Relation.AMENDS} for doc in data.get("amends") or []
        ] + [
            {"target": doc.pk, "relation": Relation.REPLACES} for doc in data.get("replaces") or []
        ]
        return {
            "number": data["number"],
            "type": data["type"].pk,
            "issuer": data["issuer"].pk,
            "field": data["field"].pk if data.get("field") else None,
            "signer": data.get("signer", ""),
            "issued_on": data["issued_on"],
            "effective_on": data.get("effective_on"),
            "expires_on": data.get("expires_on"),
            "legal_status": data["legal_status"],
            "files": [row.pk for row in kept] + self.new_files,
            "relations": sorted(relations, key=lambda item: item["target"]),
            "articles": sorted(article.pk for article in data.get("articles") or []),
        }


# The facts a page shows, then what the form adds: files, relations, articles.
FACT_FIELDS = [
    *PAGE_FACTS,
    "files",
    "upload",
    "upload_language",
    "amends",
    "replaces",
    "articles",
]


def _read_texts(file_ids: list[int]) -> None:
    """Read the new PDFs' text once the upload is saved, and index the documents whose
    published facts list them already (the others are indexed when published)."""
    for row in DocumentFile.objects.filter(pk__in=file_ids).select_related("document"):
        if services.file_read_text(row) and row.listed:
            article_entries_update(row.document)


@admin.register(Document)
class DocumentAdmin(KindAdmin):
    form = DocumentAdminForm
    fields = ["original_language", *FACT_FIELDS]
    inlines = [DocumentTextInline]
    list_display = ["__str__", "number", "issued", "languages", "legal_status"]
    list_filter = [
        *KindAdmin.list_filter,
        "document_facts__legal_status",
        "document_facts__type",
    ]
    search_fields = ["translations__title", "translations__lead", "document_facts__number"]
    date_hierarchy = None
    ordering = ["-document_facts__issued_on", "-pk"]
    kind = KIND
    live_facts = "document_facts"
    facts_field = "number"
    translator_fields = ["original_language", "summary"]
    fact_fields = FACT_FIELDS
    facts_waiting_message = _(
        "Readers keep the document's current number, dates, status, relations and files "
        "until an approver publishes the original's new version."
    )

    def save_related(self, request, form, formsets, change):
        article = form.instance
        upload = form.cleaned_data.get("upload")
        if upload and form.checked is not None and can_edit_facts(request.user, article):
            language = form.cleaned_data.get("upload_language") or article.original_language
            stored = services.file_store(
                article=article, upload=upload, checked=form.checked, language=language
            )
            form.new_files = [stored.pk]
            transaction.on_commit(lambda: _read_texts([stored.pk]))
        super().save_related(request, form, formsets, change)

    @admin.display(description=_("number and symbol"), ordering="document_facts__number")
    def number(self, obj):
        found = self.live(obj)
        return found.number if found else "—"

    @admin.display(description=_("issued on"), ordering="document_facts__issued_on")
    def issued(self, obj):
        found = self.live(obj)
        return found.issued_on if found else "—"

    @admin.display(description=_("legal status"))
    def legal_status(self, obj):
        found = self.live(obj)
        return found.get_legal_status_display() if found else "—"

    @admin.display(description=_("document"))
    def summary(self, obj):
        if obj is None or not obj.pk:
            return "—"
        extra = facts.working(obj).get("extra") or {}
        rows = [
            (_("Number and symbol"), extra.get("number") or "—"),
            (_("Issued on"), extra.get("issued_on") or "—"),
            (_("Legal status"), dict(LegalStatus.choices).get(extra.get("legal_status"), "—")),
        ]
        return format_html_join("", "<p>{}: {}</p>", rows)


# --- Types, issuers, fields -------------------------------------------------------------


class _NameInline(admin.TabularInline):
    extra = 0
    min_num = 1
    fields = ["language", "name"]


class DocumentTypeNameInline(_NameInline):
    model = DocumentTypeName


class IssuerNameInline(_NameInline):
    model = IssuerName


class FieldNameInline(_NameInline):
    model = FieldName


class _TermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "key", "position", "names_list"]
    list_editable = ["position"]
    search_fields = ["key", "names__name"]
    ordering = ["position", "key"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    @admin.display(description=_("names"))
    def names_list(self, obj):
        return " · ".join(f"{row.language}: {row.name}" for row in obj.names.all())


@admin.register(DocumentType)
class DocumentTypeAdmin(_TermAdmin):
    inlines = [DocumentTypeNameInline]


@admin.register(Issuer)
class IssuerAdmin(_TermAdmin):
    inlines = [IssuerNameInline]


@admin.register(Field)
class FieldAdmin(_TermAdmin):
    inlines = [FieldNameInline]
