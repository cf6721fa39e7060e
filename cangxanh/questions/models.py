"""Questions from the public and what the office keeps around them.

A `Question` is an inbox `Submission` (multi-table inheritance) with its
tracking code, topic, optional phone, the version of the personal-data notice
the asker agreed to, who handles it, its due date and its answer. The answer is
an `Article` of kind "answer" (kind.py): its lead is the question with personal
data removed, its body the answer, so it goes through the one workflow,
revisions, translation desk and search index like everything else published.

`due_on` is a copy, kept in step by `services.due_sync` from the clock
(clock.py) after every event that moves it and after every change to the
working-day calendar (`WorkCalendarDay`): the truth is the received time, the
events and the calendar, never the stored date.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cangxanh.core.languages import choices
from cangxanh.inbox.models import Submission
from cangxanh.news.models import Article, KindManager

KIND = "answer"  # the kind of a published answer (news.kinds)
TEXT_MAX = 4_000  # characters of a question
PHONE_MAX = 30


class Topic(models.Model):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("offered on the form"),
        default=True,
        help_text=_("An inactive topic keeps its questions but is not offered to askers."),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.key

    def name(self, lang: str) -> str:
        """Its name in `lang`, else in Vietnamese, else its key (names prefetched or not)."""
        names = {row.language: row.name for row in self.names.all()}
        return names.get(lang) or names.get(settings.LANGUAGE_CODE) or self.key


class TopicName(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=choices)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("topic name")
        verbose_name_plural = _("topic names")
        constraints = [
            models.UniqueConstraint(fields=["topic", "language"], name="topicname_one_per_language")
        ]

    def __str__(self) -> str:
        return self.name


class Question(Submission):
    code = models.CharField(_("tracking code"), max_length=20, unique=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="questions", verbose_name=_("topic")
    )
    phone = models.CharField(_("phone"), max_length=PHONE_MAX, blank=True)
    consent_version = models.CharField(_("personal-data notice agreed to"), max_length=60)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("handled by"),
    )
    # The last working day to answer (services.due_sync); None while a pause stops the clock.
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    answer = models.OneToOneField(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="question",
        limit_choices_to={"kind": KIND},
        verbose_name=_("answer"),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.code


class Answer(Article):
    """Published answers in the admin: articles of kind "answer"."""

    objects = KindManager("answer")

    class Meta:
        proxy = True
        verbose_name = pgettext_lazy("kind of content", "answer")
        verbose_name_plural = pgettext_lazy("kind of content", "answers")


class CodeCounter(models.Model):
    """The last tracking number given out in a year (taken under a row lock)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("tracking number counter")
        verbose_name_plural = _("tracking number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class DayKind(models.TextChoices):
    OFF = "off", pgettext_lazy("calendar day", "Day off")
    WORK = "work", pgettext_lazy("calendar day", "Working day")


class WorkCalendarDay(models.Model):
    """A day the government declared otherwise than the holidays library knows: an extra
    day off, or a make-up working day (ngày làm bù). Changed only by administrators;
    saving or deleting one moves the due dates of open questions (services)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("the day is"), max_length=4, choices=DayKind.choices)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("What the day is, as the tracking page shows it: “Nghỉ bù Tết Dương lịch”."),
    )
    basis = models.CharField(
        _("legal basis"),
        max_length=200,
        blank=True,
        help_text=_("The government's decision or notice that declared it, by number."),
    )

    class Meta:
        verbose_name = _("working-day calendar entry")
        verbose_name_plural = _("working-day calendar")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.kind}"


class MailKind(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("question mail", "Tracking code")
    PUBLISHED = "published", pgettext_lazy("question mail", "Answer published")
    PRIVATE = "private", pgettext_lazy("question mail", "Answer sent privately")


class QuestionMail(models.Model):
    """An e-mail to an asker, kept until it is sent (`mail.send`; the command
    `cangxanh send-question-mail` retries those that failed)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(_("kind"), max_length=20, choices=MailKind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The error's kind only: never the address or the text.
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("e-mail to an asker")
        verbose_name_plural = _("e-mails to askers")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sent_at", "attempts"], name="questionmail_unsent")]

    def __str__(self) -> str:
        return f"{self.question_id} {self.kind}"
