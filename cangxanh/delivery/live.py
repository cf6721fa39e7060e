"""The live parts of a cached page: the view count, put in as the page is served.

The article template writes the count between two markers; a cached copy
keeps the bytes before and after them, and each hit joins them around the
count of that moment, formatted as the template would have written it.
"""

from django.utils.html import escape
from django.utils.translation import trans_real

from cangxanh.core import languages

OPEN = "<!--cx:views-->"
CLOSE = "<!--/cx:views-->"
_OPEN_B = OPEN.encode()
_CLOSE_B = CLOSE.encode()


# The msgids of portal.views_label, which the page itself uses (a test keeps them equal).
_ONE, _MANY = "%(count)s view", "%(count)s views"


def views_text(lang: str, count: int) -> str:
    """What `{{ count|views_label }}` writes in `lang`, without activating the language
    (a cache hit has no request and must not touch the thread's active language).

    Every counted hit asks, so what each translated text needs is made once: the text
    escaped (a formatted number has no character HTML would escape, so escaping the
    text before the number goes in writes the same bytes), split around the number,
    and the language's way of writing numbers."""
    text = trans_real.translation(lang).ngettext(_ONE, _MANY, count)
    found = _forms.get((lang, text))
    if found is None:
        found = _forms[(lang, text)] = _form(lang, text)
    before, after, number = found
    if after is None:
        return before % {"count": number(count)}
    return before + number(count) + after


_forms: dict[tuple[str, str], tuple] = {}  # two plural forms in five languages


def _form(lang: str, text: str) -> tuple:
    """(text before the number, text after it, Language.format_number) of a translated
    text; a text that is more than "... %(count)s ..." is kept whole (after: None)."""
    escaped = escape(text)
    before, found, after = escaped.partition("%(count)s")
    if not found or "%" in before + after:
        before, after = escaped, None
    return before, after, languages.get(lang).format_number


def split(content: bytes) -> tuple[bytes, bytes, bytes] | None:
    """The bytes before, of and after the count, markers removed; None without markers."""
    start = content.find(_OPEN_B)
    if start < 0:
        return None
    end = content.find(_CLOSE_B, start)
    if end < 0:
        return None
    return content[:start], content[start + len(_OPEN_B) : end], content[end + len(_CLOSE_B) :]
