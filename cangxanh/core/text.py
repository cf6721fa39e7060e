"""Shortening a text for a list: a lead on a card, a summary, a quotation.

`shorten(text, limit, lang)` keeps at most `limit` characters, the ellipsis
included, and never cuts a word in half:

- Vietnamese, English and Korean separate words by spaces: the text ends after
  the last whole word that fits.
- Japanese and Chinese do not: the text ends between two characters, never
  inside a run of digits or Latin letters (10月 is not cut to 1…, nor APEC to
  AP…), after a clause (。、，) when one ends near the limit.

A text that fits is returned as it is. A shortened one ends with one "…",
with the space and punctuation before it removed ("the port," → "the port…").
A text in another language than the page's still comes out whole-worded: a
space-separated language without a space near the limit is cut as a
Japanese or Chinese one.

`core.templatetags.portal.shorten` is the template filter; every public page
that shortens a text goes through this function.
"""

import unicodedata

ELLIPSIS = "…"
UNSPACED = frozenset({"ja", "zh", "zh-hans", "zh-hant"})
# Ends of clauses and sentences in Chinese and Japanese: a good place to stop.
CLAUSE_ENDS = frozenset("。、，！？；：．」』）】")
# Removed before the ellipsis: what would read as a broken sentence ("port,…", "(…").
_TRAILING = frozenset(",.;:!?…‥·-–—/、。，．；：！？・（(「『【“‘«[{")
# Between two letters or digits these keep a word or a number whole (U.S., 3.5, 10,000, co-op).
_JOINERS = frozenset(".,:/-'’")


def _letter(char: str) -> bool:
    """A letter or digit of a word that is not written in Han or kana (Latin, Hangul,
    digits, full-width ones too), or a combining mark on one."""
    if unicodedata.combining(char):
        return True
    if not char.isalnum():
        return False
    name = unicodedata.name(char, "")
    return not name.startswith(
        ("CJK ", "IDEOGRAPHIC ", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA")
    )


def _joined(text: str, at: int) -> bool:
    """Whether text[at] belongs to a run of letters and digits (10,000 and U.S. included)."""
    char = text[at]
    if _letter(char):
        return True
    return (
        char in _JOINERS
        and 0 < at < len(text) - 1
        and _letter(text[at - 1])
        and _letter(text[at + 1])
    )


def splits_run(text: str, at: int) -> bool:
    """Whether a cut before text[at] splits a run of digits or Latin (or Hangul) letters."""
    return 0 < at < len(text) and _joined(text, at - 1) and _joined(text, at)


def _finish(kept: str) -> str:
    end = len(kept)
    while end and (kept[end - 1].isspace() or kept[end - 1] in _TRAILING):
        end -= 1
    return kept[:end] + ELLIPSIS if end else ""


def _clause_cut(text: str, room: int) -> int | None:
    """Just after the last clause end near `room`, if there is one."""
    reach = max(1, min(20, room // 4))
    for at in range(room, max(0, room - reach), -1):
        if text[at - 1] in CLAUSE_ENDS:
            return at
    return None


def _char_cut(text: str, room: int) -> int:
    """The cut for text without spaces: a clause end near the limit, else the last place
    that splits no run of letters or digits, else (one long run) the limit itself."""
    clause = _clause_cut(text, room)
    if clause is not None:
        return clause
    for at in range(room, max(0, room // 2), -1):
        if not splits_run(text, at):
            return at
    return room


def _word_cut(text: str, room: int) -> int | None:
    """Before the first space after the last whole word that fits (not too far back)."""
    for at in range(room, max(0, room // 2), -1):
        if text[at].isspace() and not text[at - 1].isspace():
            return at
    return None


def shorten(text: str, limit: int, lang: str | None = None) -> str:
    """`text` in at most `limit` characters, cut at a word boundary (see the module)."""
    text = text or ""
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    if room <= 0:
        return ELLIPSIS[: max(0, limit)]
    cut = None
    if (lang or "").lower() not in UNSPACED:
        cut = _word_cut(text, room)
    if cut is None:
        cut = _char_cut(text, room)
    return _finish(text[:cut]) or _finish(text[:room]) or text[:room] + ELLIPSIS
