"""View counts: a total on each translation, and daily buckets for "most read"."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyViews(models.Model):
    translation = models.ForeignKey(
        "news.ArticleTranslation", on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(fields=["translation", "day"], name="dailyviews_one_per_day"),
        ]
        indexes = [models.Index(fields=["day", "translation"], name="dailyviews_day")]

    def __str__(self) -> str:
        return f"{self.translation_id} {self.day}: {self.count}"


class ViewFlush(models.Model):
    """A batch of buffered views that reached the database (each batch once)."""

    batch = models.CharField(max_length=80, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("view count batch")
        verbose_name_plural = _("view count batches")

    def __str__(self) -> str:
        return self.batch
