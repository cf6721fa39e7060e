"""E-mail to askers: kept until sent, retried by `cangxanh send-question-mail`, and the
logs name no address and no text."""

import logging

import pytest
from django.core import mail
from django.core.management import call_command

from cangxanh.questions import mail as question_mail
from cangxanh.questions.models import MailKind, QuestionMail

pytestmark = pytest.mark.django_db


class Refusing:
    """A mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_failed_mail_is_kept_logged_without_personal_data_and_retried(
    make_question, settings, caplog, django_capture_on_commit_callbacks
):
    question = make_question(email="secret.asker@example.vn", text="Câu hỏi rất riêng tư về visa.")
    settings.EMAIL_BACKEND = f"{__name__}.Refusing"
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        question_mail.mail_queue(question, MailKind.RECEIVED)
    row = QuestionMail.objects.get()
    assert row.sent_at is None and row.attempts == 1 and row.last_error == "ConnectionRefusedError"
    assert "send-question-mail" in caplog.text
    for private in ("secret.asker@example.vn", "riêng tư", question.name):
        assert private not in caplog.text
    # The server is back: the command sends what waited.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send-question-mail")
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""
    (message,) = mail.outbox
    assert message.to == ["secret.asker@example.vn"] and question.code in message.body
    # Sent once: running it again sends nothing more.
    call_command("send-question-mail")
    assert len(mail.outbox) == 1


def test_the_command_says_when_some_still_fail(make_question, settings):
    question = make_question()
    QuestionMail.objects.create(question=question, kind=MailKind.RECEIVED)
    settings.EMAIL_BACKEND = f"{__name__}.Refusing"
    with pytest.raises(SystemExit) as exited:
        call_command("send-question-mail")
    assert exited.value.code == 1


def test_a_mail_of_a_step_rolled_back_is_never_sent(make_question):
    from django.db import transaction

    question = make_question()
    with pytest.raises(RuntimeError), transaction.atomic():
        question_mail.mail_queue(question, MailKind.RECEIVED)
        raise RuntimeError("the step failed")
    assert not QuestionMail.objects.exists() and not mail.outbox


def test_mail_is_written_in_the_askers_language(make_question, django_capture_on_commit_callbacks):
    question = make_question(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        question_mail.mail_queue(question, MailKind.RECEIVED)
    (message,) = mail.outbox
    assert "/en/questions/track/?code=" in message.body
    assert "Tracking code:" in message.body
