"""What the server's log keeps of a request that was refused.

Django's request log writes every 4xx it answers as a warning; for a refusal raised
as an exception (PermissionDenied: a translator opening another language's desk, a
crafted POST; a bad request) it adds the exception's traceback, which is not a fault
in our code and buries the real errors. Those keep one line: status, what was asked.
"""

import logging


class RefusalsInOneLine(logging.Filter):
    """On `django.request`: a 4xx record loses its traceback; 5xx records keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
