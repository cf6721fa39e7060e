"""The content model: sections, people, sources, articles and their translations.

Translations are rows, not columns: one ArticleTranslation per (article,
language), guarded by a database constraint. The article holds what is the
same in every language (section, author, source, images); the translation
holds the words, the slug, the status and the publication time.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cangxanh.core.languages import choices
from cangxanh.images.models import Image

from . import kinds
from .sanitize import sanitize_html

VI_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def make_slug(text: str, lang: str) -> str:
    """A URL slug: ASCII for Latin-script languages, Unicode words for CJK."""
    if lang in {"vi", "en"}:
        return slugify(text.translate(VI_FOLD))[:180].strip("-") or "bai-viet"
    return slugify(text, allow_unicode=True)[:120].strip("-") or "article"


_URLS: dict[tuple, str] = {}


def reverse_in(lang: str, name: str, **kwargs) -> str:
    """reverse() in `lang`, remembered: pages link to the same few addresses again and again.

    A pure function of its arguments and the URL configuration, so nothing here
    can go stale; the table is emptied when it grows large.
    """
    key = (
        lang,
        name,
        *kwargs.values(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    try:
        return _URLS[key]
    except KeyError:
        pass
    with translation.override(lang):
        url = reverse(name, kwargs=kwargs)
    if len(_URLS) > 50_000:
        _URLS.clear()
    _URLS[key] = url
    return url


def article_url(lang: str, section_slug: str, slug: str, article_id: int) -> str:
    """The address of an article's page in `lang` (what ArticleTranslation.get_absolute_url gives)."""
    return reverse_in(
        lang, "news:article", section_slug=section_slug, slug=slug, article_id=article_id
    )


class Section(models.Model):
    key = models.SlugField(
        _("key"), max_length=60, unique=True, help_text=_("Internal identifier, never shown.")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    in_menu = models.BooleanField(_("in the menu"), default=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        # Its name where people choose it (forms, filters), in their language.
        named = self.translation(translation.get_language() or "vi") or self.translation("vi")
        return named.name if named else self.key

    def translation(self, lang: str) -> "SectionTranslation | None":
        for row in self.translations.all():
            if row.language == lang:
                return row
        return None


class SectionTranslation(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=choices)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)

    class Meta:
        verbose_name = _("section name")
        verbose_name_plural = _("section names")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "language"], name="sectiontranslation_one_per_language"
            ),
            models.UniqueConstraint(
                fields=["language", "slug"], name="sectiontranslation_slug_unique"
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(slug=""), name="sectiontranslation_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_in(self.language, "news:section", section_slug=self.slug)

    def clean(self):
        super().clean()
        if self.slug in kinds.reserved():
            raise ValidationError(
                {
                    "slug": _(
                        "“%(slug)s” is the address of another page of the site: choose another."
                    )
                    % {"slug": self.slug}
                }
            )


class Person(models.Model):
    name = models.CharField(_("name"), max_length=120)
    import_key = models.SlugField(
        max_length=100, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def position(self, lang: str) -> str:
        for row in self.positions.all():
            if row.language == lang:
                return row.position
        return ""


class PersonPosition(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    language = models.CharField(_("language"), max_length=10, choices=choices)
    position = models.CharField(_("position"), max_length=200)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "language"], name="personposition_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return self.position


class Source(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(_("web site"), blank=True)
    import_key = models.SlugField(
        max_length=100, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    # What it is: a news article, or another kind the portal publishes (news.kinds).
    kind = models.CharField(_("kind"), max_length=20, default=kinds.NEWS, db_index=True)
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("section"),
        help_text=_("Every news article belongs to a section."),
    )
    original_language = models.CharField(
        _("original language"), max_length=10, choices=choices, default="vi"
    )
    author = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("author"),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("source"),
        help_text=_("For reprinted articles: where it first appeared."),
    )
    source_url = models.URLField(_("original article URL"), blank=True)
    images = models.ManyToManyField(
        Image, through="ArticleImage", blank=True, related_name="articles", verbose_name=_("images")
    )
    import_key = models.SlugField(
        max_length=100, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_url="") | Q(source__isnull=False),
                name="article_source_url_needs_source",
            ),
            models.CheckConstraint(
                condition=~Q(kind=kinds.NEWS) | Q(section__isnull=False),
                name="article_news_has_section",
            ),
        ]

    def __str__(self) -> str:
        original = next(
            (t for t in self.translations.all() if t.language == self.original_language), None
        )
        return original.title if original else f"#{self.pk}"

    def clean(self):
        super().clean()
        kind = kinds.get(self.kind)
        if kind is None:
            raise ValidationError({"kind": _("Unknown kind of content.")})
        if kind.needs_section and self.section_id is None:
            raise ValidationError({"section": _("Choose the section this article belongs to.")})


class KindManager(models.Manager):
    """Articles of one kind only (news.kinds): the manager of a kind's proxy model."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


class ArticleImage(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_images")
    image = models.ForeignKey(
        Image, on_delete=models.PROTECT, related_name="+", verbose_name=_("image")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("article image")
        verbose_name_plural = _("article images")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "image"], name="articleimage_once_per_article"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.image}"


class Status(models.TextChoices):
    """Where a translation stands in the editorial workflow (`cangxanh.editorial.workflow`).

    Scheduled is Published with a `published_at` still to come.
    """

    DRAFT = "draft", pgettext_lazy("status", "Draft")
    REVIEW = "review", pgettext_lazy("status", "In review")
    PUBLISHED = "published", pgettext_lazy("status", "Published")
    UNPUBLISHED = "unpublished", pgettext_lazy("status", "Unpublished")
    ARCHIVED = "archived", pgettext_lazy("status", "Archived")


class ArticleTranslationQuerySet(models.QuerySet):
    def published(self, now=None):
        """Visible to readers at `now` (default: this moment): published, and its time
        has come. Compiled reads (core.compiled) pass the moment in as a value."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=now or timezone.now())

    def in_language(self, lang: str):
        return self.filter(language=lang)

    def news(self):
        """News articles only: what home, sections, news feeds and most read list."""
        return self.filter(article__kind=kinds.NEWS)

    def of_kind(self, code: str):
        return self.filter(article__kind=code)

    def for_listing(self):
        """What lists and cards need, in a fixed number of queries."""
        return self.select_related("article__section").prefetch_related(
            "article__section__translations",
            models.Prefetch(
                "article__article_images",
                queryset=ArticleImage.objects.select_related("image").prefetch_related(
                    "image__texts"
                ),
            ),
        )

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def most_read(self):
        return self.order_by("-view_count", "-published_at")


class ArticleTranslation(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="translations", verbose_name=_("article")
    )
    language = models.CharField(_("language"), max_length=10, choices=choices)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        allow_unicode=True,
        blank=True,
        help_text=_("Made from the title when left empty."),
    )
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("Formatting the editor cannot make is removed on save."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    view_count = models.PositiveBigIntegerField(_("views"), default=0, editable=False)
    # Which revision of the original this translation renders; a newer revision of
    # the original makes it outdated until the translator brings it up to date.
    translated_from = models.ForeignKey(
        "editorial.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("translated from"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleTranslationQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        permissions = [
            ("edit_original", _("Can write and edit the original-language text")),
            ("approve_translation", _("Can approve, publish, schedule, unpublish and archive")),
        ]
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="articletranslation_one_per_language"
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="articletranslation_title_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="articletranslation_published_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["language", "status", "-published_at"], name="translation_listing"
            ),
            models.Index(fields=["language", "-view_count"], name="translation_most_read"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Normalising the stored data (never a side effect): slug and clean HTML.
        if not self.slug:
            self.slug = make_slug(self.title, self.language)
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.article.kind != kinds.NEWS:
            kind = kinds.get(self.article.kind)
            if kind is not None and kind.url is not None:
                return kind.url(self)
        section = self.section_translation()
        return article_url(
            self.language, section.slug if section else "-", self.slug, self.article_id
        )

    def clean(self):
        super().clean()
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        """Published, with a publication time still to come."""
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def section_translation(self) -> SectionTranslation | None:
        section = self.article.section
        return section.translation(self.language) if section is not None else None

    def main_image(self):
        images = list(self.article.article_images.all())
        return images[0].image if images else None
