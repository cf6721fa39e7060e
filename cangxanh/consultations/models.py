"""A public consultation on a draft: an `Article` of kind "consultation".

Its words per language are the article's translations (title, lead = the
summary, body = the draft's text, each block with a stable anchor, `anchors`),
so they go through the one workflow, revisions, desk and XLIFF. What is the same
in every language (when comments open and close, the draft document it is
about) is `ConsultationFacts`, beside the article, written only by
`kind.ConsultationKindFacts.apply` inside editorial.facts, so that a change to a
published consultation waits for an approver.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cangxanh.inbox.models import State, Submission
from cangxanh.news.models import Article, KindManager

KIND = "consultation"
# The legal documents (cangxanh.documents): a consultation may be on one of them.
DOCUMENT_KIND = "document"
# The draft's blocks readers comment on (anchors.ANCHOR_TAGS less the headings, which
# name the parts: comments go to what follows them).
COMMENTABLE_TAGS = frozenset({"p", "li", "blockquote"})


class Consultation(Article):
    """Consultations in the newsroom: articles of kind "consultation" (admin.ConsultationAdmin)."""

    objects = KindManager(KIND)

    class Meta:
        proxy = True
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")


class ConsultationFacts(models.Model):
    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="consultation_facts",
        verbose_name=_("consultation"),
    )
    opens_at = models.DateTimeField(_("opens"), db_index=True)
    closes_at = models.DateTimeField(_("closes"), db_index=True)
    # The draft as a legal document of the documents' list, with its files.
    document = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": DOCUMENT_KIND},
        verbose_name=_("draft document"),
    )

    class Meta:
        verbose_name = _("dates of a consultation")
        verbose_name_plural = _("dates of consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="consultationfacts_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        opens, closes = timezone.localtime(self.opens_at), timezone.localtime(self.closes_at)
        return f"{self.article_id}: {opens:%Y-%m-%d %H:%M} – {closes:%Y-%m-%d %H:%M}"


class Refusal(models.TextChoices):
    """Why a moderator refused a comment: a fixed list, so the summary can count them."""

    OFF_TOPIC = "off_topic", _("Not about the draft")
    ABUSIVE = "abusive", _("Abusive or offensive")
    PERSONAL_DATA = "personal_data", _("Reveals personal data")
    SPAM = "spam", _("Spam or advertising")
    DUPLICATE = "duplicate", _("Duplicate of another comment")


class CommentQuerySet(models.QuerySet):
    def public(self):
        """What readers may see: published by a moderator, on a consultation whose
        page is public (the consultation's own reads check that)."""
        return self.filter(state=State.PUBLISHED)

    def waiting(self):
        """What a moderator must decide on: received, or set aside as suspect."""
        return self.filter(state__in=(State.RECEIVED, State.QUARANTINED))


class Comment(Submission):
    """A comment on a consultation's draft, from anyone (inbox.Submission: name, e-mail,
    text, state, why it was set aside). Readers see it only once a moderator has
    published it (`moderation`)."""

    consultation = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="comments",
        limit_choices_to={"kind": KIND},
        verbose_name=_("consultation"),
    )
    # The anchor of the paragraph it is about ("p-0123abcd"); "": the draft as a whole.
    paragraph = models.CharField(_("paragraph"), max_length=12, blank=True)
    # The number of the draft's revision (in the comment's language) the writer read:
    # a paragraph a later version removed is shown as it read then.
    revision = models.PositiveIntegerField(_("revision of the draft"), null=True, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # The writer asked that readers see the comment without their name. (A default in
    # the database too: a process of the release before, during a rolling deploy, keeps
    # taking comments.)
    name_hidden = models.BooleanField(_("name not published"), default=False, db_default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment on a consultation")
        verbose_name_plural = _("comments on consultations")
        ordering = ["created_at", "submission_ptr_id"]
        indexes = [
            models.Index(fields=["consultation", "paragraph"], name="comment_paragraph"),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}/{self.paragraph or '-'}: {self.pk}"
