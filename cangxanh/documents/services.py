"""Writing a document's files: storing an upload, and reading a PDF's text once.

`file_store` keeps a file that passed `validation.check_upload` in the private
"documents" storage, named after its content; the row it makes is not listed,
so readers get nothing until facts that list it are published (kind.apply).
`file_read_text` reads a stored PDF's text in a limited child process
(`extract`) and keeps it with its status, for the search index: callers that
may change what readers find (the admin after its upload commits,
`cangxanh extract-documents`) then index the document's translations again.
`stored_file_forget` removes a deleted row's stored file once the deletion commits
(a document deleted with its files, or one file), unless another row names it.
"""

import logging
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .extract import extract_pdf_text
from .models import DocumentFile, FileKind, TextStatus
from .validation import Checked

logger = logging.getLogger(__name__)

_FOLD = str.maketrans({"đ": "d", "Đ": "D"})


def download_name(name: str, checked: Checked) -> str:
    """The name readers download a file by, in its address too: ASCII words and hyphens
    with the extension of its real type (`Quyết định 62.docx` → `quyet-dinh-62.docx`)."""
    last = (name or "").replace("\\", "/").rsplit("/", 1)[-1]  # a path's last part only
    stem = slugify(PurePath(last).stem.translate(_FOLD))[:80].strip("-") or "document"
    return f"{stem}.{checked.extension}"


def file_store(*, article, upload, checked: Checked, language: str) -> DocumentFile:
    """Keep an accepted upload for `article` (unlisted: readers do not get it yet)."""
    row = DocumentFile(
        document=article,
        name=download_name(getattr(upload, "name", ""), checked),
        size=checked.size,
        sha256=checked.sha256,
        kind=checked.kind,
        language=language,
        text_status=TextStatus.PENDING if checked.kind == FileKind.PDF else TextStatus.NONE,
        uploaded_at=timezone.now(),
    )
    if hasattr(upload, "seek"):
        upload.seek(0)
    row.file.save(f"{checked.sha256[:32]}.{checked.extension}", upload, save=False)
    row.save()
    return row


def _read_stored(row: DocumentFile) -> bytes:
    with row.file.storage.open(row.file.name, "rb") as fh:
        # Never more than an upload may be: the stored file passed that check.
        return fh.read(settings.DOCUMENT_MAX_UPLOAD_BYTES + 1)


def file_read_text(row: DocumentFile) -> bool:
    """Read a stored PDF's text and keep it; True when there is text to index."""
    if row.kind != FileKind.PDF:
        if row.text_status != TextStatus.NONE:
            row.text_status = TextStatus.NONE
            row.save(update_fields=["text_status"])
        return False
    try:
        data = _read_stored(row)
    except OSError as exc:
        row.text, row.text_status = "", TextStatus.FAILED
        row.text_error = f"the stored file cannot be read: {exc.strerror or exc}"[:200]
    else:
        found = extract_pdf_text(data)
        row.text, row.text_status, row.text_error = found.text, found.status, found.error
        row.pages = found.pages or row.pages
    if row.text_status in (TextStatus.FAILED, TextStatus.TIMEOUT):
        logger.warning("document file %s: text not read (%s)", row.pk, row.text_error)
    row.save(update_fields=["text", "text_status", "text_error", "pages"])
    return row.text_status == TextStatus.OK


def stored_file_forget(sender, instance: DocumentFile, **kwargs) -> None:
    """post_delete of a DocumentFile: its stored file goes once the deletion commits, so
    nothing of a deleted document stays on disk (a rolled back deletion keeps it)."""
    name, storage = instance.file.name, instance.file.storage
    if not name:
        return

    def forget() -> None:
        if DocumentFile.objects.filter(file=name).exists():
            return  # another row still names it
        try:
            storage.delete(name)
        except OSError as exc:
            logger.warning("document file %s left in storage: %s", name, exc)

    transaction.on_commit(forget)
