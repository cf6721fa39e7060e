"""Who may work in which languages, and the audit log of every workflow step."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cangxanh.news.models import ArticleTranslation, Status


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Editors and translators work only in these languages."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return str(self.user)


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit for review")
    DISCARD = "discard", _("Discard the new version")
    WITHDRAW = "withdraw", _("Withdraw from review")
    REJECT = "reject", _("Reject")
    PUBLISH = "publish", _("Publish")
    UNPUBLISH = "unpublish", _("Unpublish")
    ARCHIVE = "archive", _("Archive")
    REOPEN = "reopen", _("Reopen as draft")
    # Only for kinds that close privately (news.kinds.Kind.private_close): an answer
    # approved and e-mailed to the asker alone, never published.
    SEND = "send", _("Approve and send privately")
    MARK_CURRENT = "current", _("Mark as up to date with the original")


class WorkflowEvent(models.Model):
    """One step of one translation, or of one picture's new version, through the
    workflow: who, when, from, to, why."""

    translation = models.ForeignKey(
        ArticleTranslation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="workflow_events",
        verbose_name=_("translation"),
    )
    image = models.ForeignKey(
        "images.Image",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="workflow_events",
        verbose_name=_("image"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="workflow_events",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    publish_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    new_version = models.BooleanField(
        _("new version"),
        default=False,
        help_text=_("The step concerned a new version of a published text, not what readers see."),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="reject") | ~models.Q(comment=""),
                name="workflowevent_reject_has_comment",
            ),
            models.CheckConstraint(
                condition=models.Q(translation__isnull=False, image__isnull=True)
                | models.Q(translation__isnull=True, image__isnull=False),
                name="workflowevent_one_subject",
            ),
        ]

    def __str__(self) -> str:
        subject = self.translation_id or f"image {self.image_id}"
        return f"{subject} {self.from_status} → {self.to_status}"


class Revision(models.Model):
    """A snapshot of a translation's text, kept on every save; restoring makes a new one."""

    translation = models.ForeignKey(
        ArticleTranslation,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("translation"),
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    slug = models.CharField(_("slug"), max_length=200, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The original's revisions also keep the article's facts (section, author, source,
    # pictures) as they were or would be with this text (`editorial.facts`).
    facts = models.JSONField(_("facts"), null=True, blank=True)
    # The text an approver published: an original's translations follow its latest
    # approved revision, never a draft saved since (`editing.original_latest_revision`).
    approved = models.BooleanField(_("approved"), default=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "number"], name="revision_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"


class PendingVersion(models.Model):
    """The next text of a published (or scheduled) translation, waiting for approval.

    Readers keep seeing the translation's own text until an approver publishes this
    version, which copies it onto the translation and removes it.
    """

    class State(models.TextChoices):
        DRAFT = Status.DRAFT.value, Status.DRAFT.label
        REVIEW = Status.REVIEW.value, Status.REVIEW.label

    translation = models.OneToOneField(
        ArticleTranslation,
        on_delete=models.CASCADE,
        related_name="pending_version",
        verbose_name=_("translation"),
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.CharField(_("slug"), max_length=200, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"), blank=True)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT)
    # Only on the original's new version: the article's facts as they will be once
    # this version is published (None: unchanged). See `editorial.facts`.
    facts = models.JSONField(_("facts"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("new version")
        verbose_name_plural = _("new versions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title=""), name="pendingversion_title_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ImageTextChange(models.Model):
    """A picture's alt text and caption in one language, changed while readers see the
    picture in that language: it waits with `translation`'s next version and reaches
    the picture when an approver publishes that translation (`workflow`)."""

    translation = models.ForeignKey(
        ArticleTranslation,
        on_delete=models.CASCADE,
        related_name="image_text_changes",
        verbose_name=_("translation"),
    )
    image = models.ForeignKey(
        "images.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image")
    )
    alt = models.CharField(_("alt text"), max_length=300)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("picture text waiting for approval")
        verbose_name_plural = _("picture texts waiting for approval")
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "image"], name="imagetextchange_once_per_translation"
            ),
            models.CheckConstraint(
                condition=~models.Q(alt=""), name="imagetextchange_alt_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.image_id} [{self.translation_id}]"


def _originals():
    from cangxanh.images.storage import originals

    return originals()


class PendingImage(models.Model):
    """A picture's next file, credit, focal point or texts, made while readers see the
    picture: it waits for an approver (`editorial.picture_versions`), who publishes it
    onto the picture or discards it. Readers keep the picture as it is meanwhile."""

    image = models.OneToOneField(
        "images.Image",
        on_delete=models.CASCADE,
        related_name="pending_version",
        verbose_name=_("image"),
    )
    file = models.ImageField(
        _("file"),
        upload_to="images/%Y/%m/",
        storage=_originals,
        width_field="width",
        height_field="height",
        blank=True,
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    focal_x = models.PositiveSmallIntegerField(_("focal point, across"), default=50)
    focal_y = models.PositiveSmallIntegerField(_("focal point, down"), default=50)
    # {language: {"alt": ..., "caption": ...}}: only the languages that change.
    texts = models.JSONField(_("alt texts and captions"), default=dict, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("new version of a picture")
        verbose_name_plural = _("new versions of pictures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__lte=100, focal_y__lte=100),
                name="pendingimage_focal_point_within_picture",
            ),
        ]

    def __str__(self) -> str:
        return str(self.image)
