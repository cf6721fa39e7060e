"""`cangxanh notify-moderators`: e-mail approvers one digest of the comments on
consultations that wait for moderation (consultations.digest; run it from cron)."""

from django.core.management.base import BaseCommand

from cangxanh.consultations.digest import THROTTLE, send_digest


class Command(BaseCommand):
    help = (
        "E-mail each approver one digest of the comments on consultations waiting for "
        "moderation: only when a comment arrived since the last digest, and at most once "
        f"every {int(THROTTLE.total_seconds() // 60)} minutes (--force: now)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Send now, even within the throttle."
        )

    def handle(self, *args, force=False, **options):
        sent = send_digest(force=force)
        self.stdout.write(f"Moderators' digest: {sent} e-mail(s) sent.")
