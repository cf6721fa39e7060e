"""`cangxanh extract-documents`: read the text of attached PDFs whose reading failed or
never ran (or of all of them, `--all`), and index again the documents whose published
facts list them."""

from django.core.management.base import BaseCommand

from cangxanh.documents import services
from cangxanh.documents.models import RETRY, DocumentFile, FileKind
from cangxanh.search.index import article_entries_update


class Command(BaseCommand):
    help = "Read the text of attached PDFs that was not read yet (or failed), for the search."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Read every PDF again, not only the failed ones."
        )

    def handle(self, *args, **options):
        rows = DocumentFile.objects.filter(kind=FileKind.PDF).select_related("document")
        if not options["all"]:
            rows = rows.filter(text_status__in=RETRY)
        read = failed = 0
        documents = {}
        for row in rows.order_by("pk").iterator():
            if services.file_read_text(row):
                read += 1
                if row.listed:
                    documents[row.document_id] = row.document
            else:
                failed += 1
                self.stderr.write(f"{row.pk} {row.name}: {row.text_status} {row.text_error}")
        for article in documents.values():
            article_entries_update(article)
        self.stdout.write(
            f"{read} PDF(s) read, {failed} without text; {len(documents)} document(s) indexed again."
        )
