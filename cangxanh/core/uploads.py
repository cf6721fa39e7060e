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
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


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
