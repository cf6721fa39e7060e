"""View counts: a total on each translation, daily buckets for "most read" and the
newsroom's visit statistics, and where readers came from by kind of site per day."""

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
        permissions = [("view_visits", _("Can see the visit statistics"))]

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


class ReferrerKind(models.TextChoices):
    """Where a counted view came from, by the Referer's host only (stats.referrers)."""

    SEARCH = "search", _("Search engines")
    SOCIAL = "social", _("Social networks")
    DIRECT = "direct", _("Direct")
    OTHER = "other", _("Other sites")
    INTERNAL = "internal", _("This portal")


class DailyReferrers(models.Model):
    """Counted views per local day and kind of referrer: no address, no referring page
    and no referring host are kept, only the kind. Written with the views, in the same
    flush transaction (stats.counter)."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16, choices=ReferrerKind.choices)
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily referrers")
        verbose_name_plural = _("daily referrers")
        constraints = [
            models.UniqueConstraint(fields=["day", "kind"], name="dailyreferrers_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}: {self.count}"
