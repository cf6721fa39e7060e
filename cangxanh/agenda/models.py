"""An engagement of the leaders' calendar: an `Article` of kind "event".

Its words per language are the article's translations (title = what, lead =
where, body = who attends), so they go through the one workflow, revisions,
desk and XLIFF. What is the same in every language (when, the host unit, the
leaders who attend, whether it is cancelled) is `EventFacts`, beside the
article, written only by `kind.EventKindFacts.apply` inside editorial.facts,
so that a change to a published engagement waits for an approver.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cangxanh.news.models import Article, KindManager, Person

KIND = "event"
# The agency's own pages (cangxanh.agency): a division hosting an engagement is one.
HOST_KIND = "page"


class Event(Article):
    """Calendar entries in the newsroom: articles of kind "event" (admin.EventAdmin)."""

    objects = KindManager(KIND)

    class Meta:
        proxy = True
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")


class EventFacts(models.Model):
    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="event_facts",
        verbose_name=_("calendar entry"),
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    # None: no end given. For an all-day engagement, its local date is the last day.
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    all_day = models.BooleanField(_("all day"), default=False)
    host = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": HOST_KIND},
        verbose_name=_("host unit"),
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("time and place of an engagement")
        verbose_name_plural = _("times and places of engagements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="eventfacts_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.starts_at:%Y-%m-%d %H:%M}"


class EventLeader(models.Model):
    """A leader who attends an engagement; `position` orders them (the first chairs)."""

    event = models.ForeignKey(
        EventFacts, on_delete=models.CASCADE, related_name="leaders", verbose_name=_("engagement")
    )
    # PROTECT: deleting a person must not change a published engagement unseen.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("leader")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("leader attending")
        verbose_name_plural = _("leaders attending")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="eventleader_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.person_id}"
