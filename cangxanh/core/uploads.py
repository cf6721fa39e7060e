"""The first upload handler of every request: a body larger than any form can take is
refused before a byte of it is read.

Django writes an upload past FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, all of
it, before any form looks at its size, and the CSRF check reads the body of every
POST (anyone can get a token). So without this, one request of many gigabytes fills
the disk's temporary folder. The largest legitimate request is the largest file a
form takes (a document's attachment, a library picture) and the other fields
(DATA_UPLOAD_MAX_MEMORY_SIZE): `UPLOAD_MAX_REQUEST_BYTES`. A file a little over
its own limit still arrives and its form says why it is refused; a body over the
whole limit is a 400 (Django's RequestDataTooBig), read no further. A body sent
without a length is read as empty by Django, so the declared length is the bound.

The next two handlers are Django's own, which keep an upload in memory or in a
temporary file, except that they name it by `short_file_name`: a long name (a
document's whole title, typed by its author) is shortened to a readable stem and
its extension instead of being refused by a form (a FileField takes names as long
as its `max_length`, 100 for the library's pictures) or failing on a file system
that takes 255 bytes per name (a Vietnamese or Chinese character is three; a
rendition adds its options to the original's name). Every upload field gets it, so
no form has to remember it; the storage still makes each stored name safe
(`get_valid_name`) and unique (`get_available_name`: `_` and seven characters).
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    TemporaryFileUploadHandler,
)

# An upload's stem is kept to this many characters and UTF-8 bytes: with the library's
# folders, the storage's uniqueness suffix and the extension it stays within Image.file's
# 100 characters, and with a rendition's options within a file system's 255 bytes.
STEM_CHARACTERS = 60
STEM_BYTES = 120
EXTENSION_CHARACTERS = 10  # longer, or not letters and digits: part of the stem
# Where a shortened stem may end, so that it ends on a whole word.
WORD_ENDS = " _-.,;"


class RequestSizeLimit(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > settings.UPLOAD_MAX_REQUEST_BYTES:
            raise RequestDataTooBig(
                f"Request body of {content_length} bytes exceeds UPLOAD_MAX_REQUEST_BYTES."
            )

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # the next handlers keep it

    def file_complete(self, file_size):
        return None


def short_file_name(name: str) -> str:
    """`name` as it came when its stem is short enough; else its stem cut to
    STEM_CHARACTERS and STEM_BYTES, back to the end of its last whole word when that is
    in the last third of what is kept, followed by its extension."""
    stem, dot, extension = name.rpartition(".")
    if not (dot and stem and len(extension) <= EXTENSION_CHARACTERS and extension.isalnum()):
        stem, extension = name, ""
    if len(stem) <= STEM_CHARACTERS and len(stem.encode()) <= STEM_BYTES:
        return name
    stem = unicodedata.normalize("NFC", stem)  # composed accents: fewer characters and bytes
    kept = stem[:STEM_CHARACTERS]
    while len(kept.encode()) > STEM_BYTES:
        kept = kept[:-1]
    if len(kept) < len(stem) and stem[len(kept)] not in WORD_ENDS:
        end = max(kept.rfind(mark) for mark in WORD_ENDS)
        if end >= len(kept) * 2 // 3:
            kept = kept[:end]
    kept = kept.rstrip(WORD_ENDS) or kept
    return f"{kept}.{extension}" if extension else kept


class _ShortNames:
    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, short_file_name(file_name), *args, **kwargs)


class ShortNamesInMemory(_ShortNames, MemoryFileUploadHandler):
    """Django's in-memory upload handler, naming the file by `short_file_name`."""


class ShortNamesOnDisk(_ShortNames, TemporaryFileUploadHandler):
    """Django's temporary-file upload handler, naming the file by `short_file_name`."""
