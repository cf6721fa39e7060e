"""`cangxanh restore <backup>`: bring a backup into an empty install (cangxanh.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cangxanh.core.backup import BackupError, backup_restore
from cangxanh.core.progress import bar


class Command(BaseCommand):
    # A failing system check (in production, an account with the demo password) must
    # not stop the nightly backup, or a restore that would repair things.
    requires_system_checks = []
    help = (
        "Restore a backup made by `cangxanh backup` into this install. Every file is checked "
        "against the manifest first; an install that already has content is refused unless "
        "--force. Migrates a backup of an older release forward and retires every cached "
        "page. The install keeps its own secret key. See docs/operations.md, Backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup's folder (cangxanh-<time>).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the content of an install that is not empty (its database is "
            "replaced; files the backup does not have are left where they are).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar."
        )

    def handle(self, *args, **options):
        progress = bar(self, desc="Restoring files", unit=" files", disable=options["no_progress"])
        try:
            restored = backup_restore(
                folder=options["backup"], force=options["force"], progress=progress
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:  # a full disk, a folder it may not write to
            raise CommandError(f"The restore stopped: {exc}") from exc
        for note in restored.skipped:
            self.stdout.write(self.style.WARNING(note))
        if restored.migrated:
            self.stdout.write(
                f"Applied {restored.migrated} migrations this release has and the backup lacked."
            )
        manifest = restored.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} "
                f"({manifest['database']['engine']}, release "
                f"{manifest['release']['version'] or '?'}"
                f"{' ' + manifest['release']['name'] if manifest['release']['name'] else ''}) "
                f"and {restored.files} files; every cached page is retired."
            )
        )
