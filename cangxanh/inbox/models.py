"""What strangers send, and what the office did with it.

`Submission` is the concrete parent of every message from the public (a
question, later a comment on a consultation): who wrote it, in which language,
the plain text, where it stands, and why it was set aside. The client is kept
only as a keyed hash (`client_hash`), never as an address, so messages from one
sender can be seen together without the table saying who that was.

`SubmissionEvent` is the audit log of each message: released from quarantine,
assigned, paused, resumed, extended, refused, answered, published, sent
privately, personal data checked. Events are added, never changed: the answer
clock of a question is computed from them, so a pause or an extension can never
quietly reset it. (The steps of an answer's text are the editorial workflow's
own `WorkflowEvent`s, on the answer's translation.)
"""

from hashlib import blake2b

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cangxanh.core.languages import choices

NAME_MAX = 120
EMAIL_MAX = 254


def client_hash(address: str) -> str:
    """A keyed hash of a client address (core.client): the same sender gives the same
    value, and the value cannot be turned back into the address without SECRET_KEY."""
    if not address:
        return ""
    key = salted_hmac("cangxanh.inbox.client", "key", algorithm="sha256").digest()
    return blake2b(address.encode(), key=key, digest_size=16).hexdigest()


class State(models.TextChoices):
    QUARANTINED = "quarantined", pgettext_lazy("message state", "Set aside")
    RECEIVED = "received", pgettext_lazy("message state", "Received")
    ASSIGNED = "assigned", pgettext_lazy("message state", "Assigned")
    ANSWERED = "answered", pgettext_lazy("message state", "Answered, in review")
    PUBLISHED = "published", pgettext_lazy("message state", "Published")
    ANSWERED_PRIVATELY = "answered_privately", pgettext_lazy("message state", "Answered privately")
    REFUSED = "refused", pgettext_lazy("message state", "Refused")


# Still waiting for the office (the answer clock runs), and closed for good.
OPEN_STATES = (State.RECEIVED, State.ASSIGNED, State.ANSWERED)
CLOSED_STATES = (State.PUBLISHED, State.ANSWERED_PRIVATELY, State.REFUSED)


class Submission(models.Model):
    language = models.CharField(_("language"), max_length=10, choices=choices)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    email = models.EmailField(_("e-mail"), max_length=EMAIL_MAX)
    text = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    client = models.CharField(_("sender (keyed hash)"), max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    # Why it was set aside (inbox.spam.REASONS and inbox.defences' codes); kept after release.
    flags = models.JSONField(_("reasons set aside"), default=list, blank=True)
    proof_ok = models.BooleanField(_("proof of work verified"), default=False)

    class Meta:
        verbose_name = _("message from the public")
        verbose_name_plural = _("messages from the public")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("moderate_submission", _("Can release or refuse messages set aside")),
        ]

    def __str__(self) -> str:
        return f"{self.pk} ({self.get_state_display()})"

    @property
    def quarantined(self) -> bool:
        return self.state == State.QUARANTINED


class Action(models.TextChoices):
    RELEASED = "released", pgettext_lazy("message event", "Released from quarantine")
    ASSIGNED = "assigned", pgettext_lazy("message event", "Assigned")
    PAUSED = "paused", pgettext_lazy("message event", "Paused: waiting for clarification")
    RESUMED = "resumed", pgettext_lazy("message event", "Resumed")
    EXTENDED = "extended", pgettext_lazy("message event", "Deadline extended")
    REFUSED = "refused", pgettext_lazy("message event", "Refused")
    ANSWERED = "answered", pgettext_lazy("message event", "Answer submitted for review")
    RETURNED = "returned", pgettext_lazy("message event", "Answer returned to its writer")
    PUBLISHED = "published", pgettext_lazy("message event", "Answer published")
    SENT = "sent", pgettext_lazy("message event", "Answer sent privately")
    CHECKED = "checked", pgettext_lazy("message event", "Personal data removed (confirmed)")


class SubmissionEvent(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", verbose_name=_("message")
    )
    # None: the site itself (a workflow step taken for it, a message received).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices, blank=True)
    comment = models.TextField(_("reason"), blank=True)
    # What the step needs beside its reason: {"on": "2026-03-02"} for a pause or a resume,
    # {"days": 5} for an extension, {"to": user id} for an assignment, {"translation": id,
    # "digest": …} for a personal-data check.
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("message event")
        verbose_name_plural = _("message events")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action__in=["paused", "extended", "refused"])
                | ~models.Q(comment=""),
                name="submissionevent_reason_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.action}"
