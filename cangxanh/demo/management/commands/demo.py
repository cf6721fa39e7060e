from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cangxanh.core.backup import BackupError, backup_write, last_backup
from cangxanh.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo content (articles in five languages, images, people, a demo superuser). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-backup",
            action="store_true",
            help="Do not write the first backup of the demo install.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # The demo makes accounts with a password the README publishes.
            raise CommandError(
                "The demo content is refused in production (CANGXANH_PRODUCTION=1): it "
                "creates accounts whose password is public."
            )
        report = load_demo()
        self.stdout.write(self.style.SUCCESS(str(report)))
        if options["no_backup"] or last_backup() is not None:
            return
        # A new install's first backup, as an operator would take it: the compliance
        # page (editorial.compliance) reports its age, and `cangxanh restore` reads it.
        try:
            written = backup_write(into=Path(settings.VAR_DIR) / "backups")
        except BackupError as error:
            self.stderr.write(f"The demo's first backup was not written: {error}")
        else:
            self.stdout.write(f"First backup of the demo install: {written.folder}")
