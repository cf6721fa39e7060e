from django.core.management.base import BaseCommand
from tqdm import tqdm

from cangxanh.core.progress import Stream
from cangxanh.search.index import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the published translations, with a progress bar. "
        "Safe to run again; searches meanwhile see the old index until it is done."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar."
        )

    def handle(self, *args, **options):
        stream = Stream(self.stderr)
        terminal = stream.isatty()

        def progress(rows, total):
            return tqdm(
                rows,
                total=total,
                desc="Indexing",
                unit=" translations",
                file=stream,
                disable=options["no_progress"],
                # Without a terminal (CI, cron), a plain line every few seconds.
                ascii=not terminal,
                ncols=None if terminal else 80,
                mininterval=0.2 if terminal else 5,
            )

        count = index_rebuild(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} published translations."))
