"""`cangxanh backup <folder>`: a consistent copy of the serving site (cangxanh.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cangxanh.core.backup import BackupError, backup_write
from cangxanh.core.progress import bar


class Command(BaseCommand):
    # A failing system check (in production, an account with the demo password) must
    # not stop the nightly backup, or a restore that would repair things.
    requires_system_checks = []
    help = (
        "Write a backup of this site into a new folder cangxanh-<UTC time> inside FOLDER: "
        "the database (SQLite's online backup, or pg_dump), the media and the private "
        "originals, and manifest.json with the checksum of every file. Safe while the "
        "site serves. Not included: the secret key. See docs/operations.md, Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Where to create the backup's folder.")
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar."
        )

    def handle(self, *args, **options):
        progress = bar(self, desc="Copying files", unit=" files", disable=options["no_progress"])
        try:
            written = backup_write(into=options["folder"], progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:  # a full disk, a folder it may not write to
            raise CommandError(f"The backup stopped: {exc}") from exc
        for note in written.skipped:
            self.stdout.write(self.style.WARNING(note))
        for name in written.vanished:
            self.stdout.write(f"{name}: deleted while the backup ran; left out.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {written.folder} "
                f"(the database and {written.files} files, {written.bytes / 2**20:.1f} MiB)."
            )
        )
