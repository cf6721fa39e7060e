"""The image library: files with credit, focal point, alt text and caption per language,
and which article texts show which image (`BodyImage`, for what readers may load)."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cangxanh.core.languages import choices

from .storage import originals
from .validation import validate_image_file


class ImageQuerySet(models.QuerySet):
    def with_texts(self):
        return self.prefetch_related("texts")


class Image(models.Model):
    file = models.ImageField(
        _("file"),
        upload_to="images/%Y/%m/",
        # Private: readers only ever get renditions (see images.storage).
        storage=originals,
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    # The point every crop keeps, in percent of the width and height (50, 50: the centre).
    focal_x = models.PositiveSmallIntegerField(
        _("focal point, across"),
        default=50,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Percent of the width from the left edge: 0 is the left, 50 the middle, 100 the right."
        ),
    )
    focal_y = models.PositiveSmallIntegerField(
        _("focal point, down"),
        default=50,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Percent of the height from the top edge: 0 is the top, 50 the middle, 100 the bottom."
        ),
    )
    # Names and sizes of the renditions made for the current file and focal
    # point (see images.renditions): pages read them from this row.
    renditions = models.JSONField(default=dict, editable=False)
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Who made the image (photographer, agency); shown after the caption."),
    )
    import_key = models.SlugField(
        max_length=100, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__lte=100, focal_y__lte=100),
                name="image_focal_point_within_picture",
            ),
        ]

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    def save(self, *args, **kwargs):
        # Dimensions are data the pages need (width/height attributes): never leave them unset.
        if self.file and not (self.width and self.height):
            self.width, self.height = self.file.width, self.file.height
        super().save(*args, **kwargs)

    def text(self, lang: str) -> "ImageText | None":
        """Alt text and caption in `lang` (from prefetched rows when present)."""
        for row in self.texts.all():
            if row.language == lang:
                return row
        return None


class ImageText(models.Model):
    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=choices)
    alt = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("alt text and caption")
        verbose_name_plural = _("alt texts and captions")
        constraints = [
            models.UniqueConstraint(
                fields=["image", "language"], name="imagetext_one_per_language"
            ),
            models.CheckConstraint(condition=~models.Q(alt=""), name="imagetext_alt_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.image_id} [{self.language}]"


class BodyImage(models.Model):
    """A library image that a translation's body shows (`<img src="/media/images/...">`).

    Kept in step with the body on every save (images.bodies), so which pictures
    are public (images.access) is one query, not a read of every public body.
    """

    translation = models.ForeignKey(
        "news.ArticleTranslation", on_delete=models.CASCADE, related_name="+"
    )
    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="in_bodies")

    class Meta:
        verbose_name = _("picture in an article's text")
        verbose_name_plural = _("pictures in articles' texts")
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "image"], name="bodyimage_once_per_translation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.image} ({self.translation_id})"
