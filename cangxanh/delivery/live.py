"""The live parts of a cached page: the view count, put in as the page is served.

The article template writes the count between two markers; a cached copy
keeps the bytes before and after them, and each hit joins them around the
count of that moment, formatted as the template would have written it.
"""

from django.utils import translation
from django.utils.html import escape

OPEN = "<!--cx:views-->"
CLOSE = "<!--/cx:views-->"
_OPEN_B = OPEN.encode()
_CLOSE_B = CLOSE.encode()


def views_text(lang: str, count: int) -> str:
    from cangxanh.core.templatetags.portal import views_label

    with translation.override(lang):
        return escape(views_label(count))


def split(content: bytes) -> tuple[bytes, bytes, bytes] | None:
    """The bytes before, of and after the count, markers removed; None without markers."""
    start = content.find(_OPEN_B)
    if start < 0:
        return None
    end = content.find(_CLOSE_B, start)
    if end < 0:
        return None
    return content[:start], content[start + len(_OPEN_B) : end], content[end + len(_CLOSE_B) :]
