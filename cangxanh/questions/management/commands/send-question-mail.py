"""`cangxanh send-question-mail`: send the e-mails to askers that could not be sent.

Each e-mail is kept until it is sent (questions.mail); run this from cron (every
few minutes) so that a mail server that was down delays a message, never loses it.
"""

from django.core.management.base import BaseCommand

from cangxanh.questions.mail import MAX_ATTEMPTS, mail_retry


class Command(BaseCommand):
    help = (
        "Send the e-mails to askers that are still waiting "
        f"(each is tried at most {MAX_ATTEMPTS} times)."
    )

    def handle(self, *args, **options):
        sent, failed = mail_retry()
        self.stdout.write(f"{sent} sent, {failed} still failing.")
        if failed:
            # A non-zero exit tells cron and monitoring that some still wait.
            raise SystemExit(1)
