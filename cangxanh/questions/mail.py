"""E-mail to askers: the tracking code, and the answer (published, or sent privately).

A message is first kept as a `QuestionMail` row, in the transaction of the step
that calls for it, then sent once that transaction is committed (never for a
step that was rolled back). One that cannot be sent keeps its row with the
error's kind and is retried by `cangxanh send-question-mail`. Logs name the
question's id and the message's kind only: never an address or a text.

What a message carries is deliberately little. The tracking code's message has
the code and the tracking link, never the question or the name the form was
given, so the form cannot be used to relay someone's words to any address.
"""

import logging
from html import unescape

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from cangxanh.core.site import site_url
from cangxanh.news.models import ArticleTranslation, Status, reverse_in

from .models import MailKind, Question, QuestionMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12


def mail_queue(question: Question, kind: str) -> QuestionMail:
    """Keep a message to the asker; it is sent when the current transaction commits."""
    row = QuestionMail.objects.create(question=question, kind=kind)
    transaction.on_commit(lambda: mail_send(row.pk))
    return row


def track_url(question: Question) -> str:
    return site_url() + reverse_in(question.language, "questions:track") + f"?code={question.code}"


def _answer_text(question: Question) -> tuple[str, str, str]:
    """The approved answer in the question's language (else the original): title,
    question as published, answer, as plain text."""
    rows = {
        row.language: row
        for row in ArticleTranslation.objects.filter(article_id=question.answer_id).exclude(
            status__in=[Status.DRAFT, Status.REVIEW]
        )
    }
    row = rows.get(question.language) or next(iter(rows.values()), None)
    if row is None:
        return "", "", ""
    body = row.body.replace("</p>", "</p>\n\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    return row.title, row.lead, unescape(strip_tags(body)).strip()


def _answer_url(question: Question) -> str:
    # Published, also at a time still to come (a scheduled publication): the asker is
    # told where the answer will be, never given an empty link.
    rows = ArticleTranslation.objects.filter(
        article_id=question.answer_id, status=Status.PUBLISHED
    ).exclude(published_at=None)
    row = rows.filter(language=question.language).first() or rows.first()
    return site_url() + row.get_absolute_url() if row is not None else ""


def _message(row: QuestionMail) -> EmailMessage:
    question = row.question
    context = {"question": question, "track_url": track_url(question), "site_url": site_url()}
    with translation.override(question.language):
        if row.kind == MailKind.RECEIVED:
            subject = _("Your question has been received: %(code)s")
            template = "questions/mail/received.txt"
        elif row.kind == MailKind.PUBLISHED:
            subject = _("Your question has been answered: %(code)s")
            template = "questions/mail/published.txt"
            context["answer_url"] = _answer_url(question)
        else:
            subject = _("The answer to your question %(code)s")
            template = "questions/mail/private.txt"
            context["title"], context["lead"], context["answer"] = _answer_text(question)
        body = render_to_string(template, context)
        subject = subject % {"code": question.code}
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[question.email],
    )


def mail_send(pk: int) -> bool:
    """Send one kept message (if it is still unsent); True when it went out."""
    row = QuestionMail.objects.select_related("question").filter(pk=pk, sent_at=None).first()
    if row is None:
        return False
    try:
        _message(row).send()
    except Exception as error:  # noqa: BLE001 - any failure is kept and retried
        QuestionMail.objects.filter(pk=pk).update(
            attempts=F("attempts") + 1, last_error=type(error).__name__[:200]
        )
        logger.warning(
            "E-mail %s for question %s not sent (%s); `cangxanh send-question-mail` retries it.",
            row.kind,
            row.question_id,
            type(error).__name__,
        )
        return False
    QuestionMail.objects.filter(pk=pk).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    logger.info("E-mail %s for question %s sent.", row.kind, row.question_id)
    return True


def mail_retry() -> tuple[int, int]:
    """Send every kept message not yet sent (fewer than MAX_ATTEMPTS tries): (sent, failed)."""
    sent = failed = 0
    pending = QuestionMail.objects.filter(sent_at=None, attempts__lt=MAX_ATTEMPTS).order_by("pk")
    for pk in pending.values_list("pk", flat=True):
        if mail_send(pk):
            sent += 1
        else:
            failed += 1
    return sent, failed
