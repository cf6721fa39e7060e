"""A legal or administrative document: an `Article` of kind "document".

Its words per language are the article's translations (title = short title,
lead = summary, the trích yếu, body = optional notes), so they go through the
one workflow, revisions, desk and XLIFF. What is the same in every language is
kept beside the article and written only by `kind.DocumentKindFacts.apply`
inside editorial.facts, so that a change to a published document waits for an
approver: its number, type, issuer, signer, field, dates and legal status
(`DocumentFacts`), what it amends or replaces (`DocumentRelation`), the news it
is related to, and which of its uploaded files readers get (`DocumentFile.listed`).

Types, issuers and fields are small lists with a name per language (`Term` and
`TermName`, like sections): their `key` is what the list's filters put in the
address (`?type=decree`).
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cangxanh.core.languages import choices
from cangxanh.news.models import Article, KindManager

KIND = "document"
STORAGE = "documents"
MAX_NUMBER = 100


def documents_storage():
    """The private storage of attached files (settings.STORAGES["documents"])."""
    return storages[STORAGE]


class Document(Article):
    """Documents in the newsroom: articles of kind "document" (admin.DocumentAdmin)."""

    objects = KindManager(KIND)

    class Meta:
        proxy = True
        verbose_name = _("document")
        verbose_name_plural = _("documents")


# --- Types, issuers, fields ----------------------------------------------------------


class Term(models.Model):
    key = models.SlugField(
        _("key"),
        max_length=60,
        unique=True,
        help_text=_("Latin letters, digits and hyphens: the filter's value in addresses."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "key"]

    def __str__(self) -> str:
        # In the newsroom's language (its choices, the change lists), else the site's.
        names = {row.language: row.name for row in self.names.all()}
        return (
            names.get(get_language() or "")
            or names.get(settings.LANGUAGE_CODE)
            or next(iter(names.values()), self.key)
        )


class TermName(models.Model):
    language = models.CharField(_("language"), max_length=10, choices=choices)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["language"]

    def __str__(self) -> str:
        return self.name


class DocumentType(Term):
    class Meta(Term.Meta):
        verbose_name = _("type of document")
        verbose_name_plural = _("types of document")


class DocumentTypeName(TermName):
    term = models.ForeignKey(DocumentType, on_delete=models.CASCADE, related_name="names")

    class Meta(TermName.Meta):
        verbose_name = _("name")
        verbose_name_plural = _("names")
        constraints = [
            models.UniqueConstraint(fields=["term", "language"], name="documenttypename_once")
        ]


class Issuer(Term):
    class Meta(Term.Meta):
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")


class IssuerName(TermName):
    term = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="names")

    class Meta(TermName.Meta):
        verbose_name = _("name")
        verbose_name_plural = _("names")
        constraints = [models.UniqueConstraint(fields=["term", "language"], name="issuername_once")]


class Field(Term):
    class Meta(Term.Meta):
        verbose_name = pgettext_lazy("document", "field")
        verbose_name_plural = pgettext_lazy("document", "fields")


class FieldName(TermName):
    term = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="names")

    class Meta(TermName.Meta):
        verbose_name = _("name")
        verbose_name_plural = _("names")
        constraints = [models.UniqueConstraint(fields=["term", "language"], name="fieldname_once")]


# --- A document's facts ---------------------------------------------------------------


class LegalStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPLACED = "replaced", _("Replaced")
    EXPIRED = "expired", _("Expired")
    NOT_YET = "not_yet", _("Not yet in force")


class DocumentFacts(models.Model):
    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="document_facts",
        verbose_name=_("document"),
    )
    number = models.CharField(_("number and symbol"), max_length=MAX_NUMBER)
    # numbers.number_key(number): what the number is searched by ("62 2025 qd ubnd").
    number_key = models.CharField(max_length=2 * MAX_NUMBER, db_index=True, editable=False)
    # PROTECT: deleting a type, issuer or field must not change a published document unseen.
    type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    issuer = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing body")
    )
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("document", "field"),
    )
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), db_index=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("in force until"), null=True, blank=True)
    legal_status = models.CharField(
        _("legal status"),
        max_length=20,
        choices=LegalStatus.choices,
        default=LegalStatus.IN_FORCE,
        db_index=True,
    )
    # News articles about the document (kind "news").
    articles = models.ManyToManyField(
        Article,
        blank=True,
        related_name="related_documents",
        verbose_name=_("related articles"),
    )

    class Meta:
        verbose_name = _("facts of a document")
        verbose_name_plural = _("facts of documents")

    def __str__(self) -> str:
        return self.number


class Relation(models.TextChoices):
    AMENDS = "amends", _("amends")
    REPLACES = "replaces", _("replaces")


class DocumentRelation(models.Model):
    """`source` amends or replaces `target` (pages show it both ways)."""

    source = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="document_relations",
        verbose_name=_("document"),
    )
    target = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="document_relations_in",
        verbose_name=_("other document"),
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)

    class Meta:
        verbose_name = _("relation between documents")
        verbose_name_plural = _("relations between documents")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="documentrelation_once"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="documentrelation_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.relation} {self.target_id}"


# --- Attached files -------------------------------------------------------------------


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"


class TextStatus(models.TextChoices):
    """Where reading a PDF's text stands (documents.extract)."""

    PENDING = "pending", _("waiting to be read")
    OK = "ok", _("read")
    EMPTY = "empty", _("no text (a scan?)")
    FAILED = "failed", _("could not be read")
    TIMEOUT = "timeout", _("took too long")
    NONE = "none", _("not a PDF")


RETRY = (TextStatus.PENDING, TextStatus.FAILED, TextStatus.TIMEOUT)


def _stored_path(instance, filename: str) -> str:
    # Named after its content, never after what the uploader called it.
    return f"{instance.uploaded_at:%Y/%m}/{instance.sha256[:32]}.{instance.kind}"


class DocumentFile(models.Model):
    """A file uploaded for a document. Stored at once, in the private "documents"
    storage; readers get it only while the published facts list it (`listed`)."""

    document = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="document_files", verbose_name=_("document")
    )
    file = models.FileField(_("file"), storage=documents_storage, upload_to=_stored_path)
    name = models.CharField(_("file name"), max_length=200)  # as readers download it
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(_("type"), max_length=10, choices=FileKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=choices)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    # A PDF's text, read once (documents.services.file_read_text), for the search index.
    text = models.TextField(blank=True, editable=False)
    text_status = models.CharField(
        _("text"), max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    text_error = models.CharField(max_length=200, blank=True, editable=False)
    # Shown to readers: written only by DocumentKindFacts.apply (an approved version).
    listed = models.BooleanField(_("listed"), default=False, editable=False)
    position = models.PositiveSmallIntegerField(default=0, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["document", "listed"], name="documentfile_listed")]

    def __str__(self) -> str:
        return self.name
