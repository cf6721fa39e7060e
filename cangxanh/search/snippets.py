"""Titles and snippets with what was found in <mark>.

Built in Python from the plain text of the translation, never from stored
HTML: everything is escaped, and the marks are placed by position, using the
analyzer's tokens, so a folded match marks the accented words as written
("da nang" marks "Đà Nẵng") and a CJK match marks the characters themselves
(北九州 inside 北九州市).
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from html import escape  # django.utils.html.escape's own, without its lazy-text wrapper
from itertools import accumulate

from django.utils.safestring import SafeString, mark_safe

from cangxanh.core.text import splits_run

from .analyzer import iter_tokens, normalise, plain_text, probe

SNIPPET_CHARS = 220  # about two lines; CJK characters count double
SCAN_CHARS = 20_000  # a snippet comes from the first this many characters
MAX_MARKS = 40  # places looked at per phrase: plenty for a title and a snippet
PROBE_FIRST = 4 * SNIPPET_CHARS


_WIDE_RUN_RE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\U00020000-\U0003ffff]+"
)


def _find_all(haystack: str, needle: str, limit: int) -> list[int]:
    found, at = [], haystack.find(needle)
    while at != -1 and len(found) < limit:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _in_word(char: str) -> bool:
    # Letters of alphabets (not CJK or Hangul, where any character may start a word).
    return (char.isalnum() and ord(char) < 0x1100) or bool(unicodedata.combining(char))


def _regions(text: str, starts: list[int], reach: int) -> list[tuple[int, int]]:
    """Stretches of text from candidate positions, widened to whole words, merged."""
    regions: list[list[int]] = []
    for at in starts:
        start, end = at, min(len(text), at + reach)
        while start > 0 and _in_word(text[start - 1]):
            start -= 1
        while end < len(text) and _in_word(text[end]):
            end += 1
        if regions and start <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], end)
        else:
            regions.append([start, end])
    return [(a, b) for a, b in regions]


def spans(
    text: str, phrases: list[tuple[str, ...]], *, near: int | None = None
) -> list[tuple[int, int]]:
    """Where the phrases (folded tokens) occur in `text` (NFC), merged, in order.

    Only the stretches where a phrase's first word could start are analysed: a
    cheap folded copy of the text (`analyzer.probe`, same length) is searched for
    the first characters of each phrase, then the analyzer's tokens decide. With
    `near`, the search stops that far after the first match (enough for a snippet).
    """
    wanted = [p for p in phrases if p]
    if not wanted or not text:
        return []
    found: list[tuple[int, int]] = []
    singles = {p[0] for p in wanted if len(p) == 1 and len(p[0]) == 1 and not p[0].isascii()}
    for char in singles:
        # A one-character CJK query: every occurrence of the character itself.
        found += [(at, at + 1) for at in _find_all(text, char, MAX_MARKS)]
    wanted = [p for p in wanted if not (len(p) == 1 and p[0] in singles)]
    # Folding costs a little per character: the start first, the rest if need be.
    starts: list[int] = []
    for begin, stop in ((0, PROBE_FIRST), (PROBE_FIRST, len(text))):
        if begin >= len(text) or (starts and near is not None):
            break
        folded_text = probe(text[begin:stop])
        starts += sorted(
            {begin + at for p in wanted for at in _find_all(folded_text, p[0][:3], MAX_MARKS)}
        )
    starts = starts[:MAX_MARKS]
    # Far enough for the longest phrase, with a separator and a stemmed ending per word.
    reach = max((sum(len(t) + 3 for t in p) for p in wanted), default=0)
    first = min((a for a, _b in found), default=None)
    for region_start, region_end in _regions(text, starts, reach):
        if near is not None and first is not None and region_start > first + near:
            break
        tokens = list(iter_tokens(text[region_start:region_end], chunks=False))
        folded = [t.folded for t in tokens]
        for i, token in enumerate(tokens):
            for phrase in wanted:
                if token.folded == phrase[0] and tuple(folded[i : i + len(phrase)]) == phrase:
                    end = tokens[i + len(phrase) - 1].end
                    found.append((region_start + token.start, region_start + end))
                    if first is None or region_start + token.start < first:
                        first = region_start + token.start
    found.sort()
    merged: list[list[int]] = []
    for start, end in found:
        # Overlapping bigrams, and words found one by one but standing together, make one mark.
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _marked(text: str, found: list[tuple[int, int]], start: int = 0, end: int | None = None):
    end = len(text) if end is None else end
    out, at = [], start
    for a, b in found:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(escape(text[at:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        at = b
    out.append(escape(text[at:end]))
    return "".join(out)


def _window(text: str, found: list[tuple[int, int]]) -> tuple[int, int]:
    """The stretch of about SNIPPET_CHARS that holds the most matches (the earliest of equals)."""
    if not found:
        return 0, _advance(text, 0, SNIPPET_CHARS)
    starts = [a for a, _b in found]
    # Every stretch measured below lies between these two.
    widths = _Widths(text, max(0, starts[0] - SNIPPET_CHARS), starts[-1] + SNIPPET_CHARS)
    best, best_count = found[0][0], 0
    for a in starts:
        begin = _back(text, a, SNIPPET_CHARS // 4, widths)
        stop = _advance(text, begin, SNIPPET_CHARS, widths)
        count = bisect_left(starts, stop) - bisect_left(starts, begin)
        if count > best_count:
            best, best_count = begin, count
    return best, _advance(text, best, SNIPPET_CHARS, widths)


class _Widths:
    """The widths of a stretch of text measured once (CJK and Hangul characters count
    double): the widest stretch that fits from a place (or before one) is one
    bisection of the running widths."""

    __slots__ = ("start", "end", "narrow", "running")

    def __init__(self, text: str, start: int, end: int):
        self.start, self.end = start, min(len(text), end)
        each = bytearray(b"\x01") * (self.end - start)
        self.narrow = True
        for run in _WIDE_RUN_RE.finditer(text, start, self.end):
            each[run.start() - start : run.end() - start] = b"\x02" * (run.end() - run.start())
            self.narrow = False
        # running[i]: the width of text[start : start + i]
        self.running = None if self.narrow else list(accumulate(each, initial=0))

    def fits_from(self, start: int, end: int, width: int) -> int:
        """The furthest place up to `end` whose stretch from `start` is at most `width` wide."""
        if self.narrow:
            return min(end, start + width)
        running, base = self.running, self.start
        limit = running[start - base] + width
        return bisect_right(running, limit, start - base, end - base + 1) - 1 + base

    def fits_before(self, start: int, end: int, width: int) -> int:
        """The first place from `start` whose stretch to `end` is at most `width` wide."""
        if self.narrow:
            return max(start, end - width)
        running, base = self.running, self.start
        return bisect_left(running, running[end - base] - width, start - base, end - base) + base


def _advance(text: str, start: int, width: int, widths: _Widths | None = None) -> int:
    """Where a stretch of `width` (CJK characters count double) from `start` ends."""
    end = min(len(text), start + width)
    if widths is None or not widths.start <= start <= end <= widths.end:
        widths = _Widths(text, start, end)
    return _end(text, widths.fits_from(start, end, width))


def _back(text: str, end: int, width: int, widths: _Widths | None = None) -> int:
    """Where a stretch of about `width` before `end` (a match) starts."""
    start = max(0, end - width)
    if widths is None or not widths.start <= start <= end <= widths.end:
        widths = _Widths(text, start, end)
    return _start(text, widths.fits_before(start, end, width), end)


# How far a snippet's start or end moves to a better place: a clause's beginning,
# a word's, out of a number.
REACH = 12
_CLAUSE_ENDS = frozenset("。！？、，；：．」』）")
_LATIN_ENDS = frozenset(".!?;:,")  # followed by a space
_SENTENCE_ENDS = frozenset("。！？")
_CONTINUING = frozenset("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶーヽヾゝゞ々")


def _clause_starts(text: str, at: int) -> bool:
    before = text[at - 1]
    return before in _CLAUSE_ENDS or (before in _LATIN_ENDS and text[at].isspace())


def _hiragana(char: str) -> bool:
    return "\u3041" <= char <= "\u309f"


def _han(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK ")


def _katakana(char: str) -> bool:
    return "\u30a1" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f"


def _kana_word_start(text: str, at: int) -> bool:
    """Whether a Japanese word may begin at `at`: not inside a katakana word, not on a
    kana that only continues one (っ, ー, ゃ), and not on kana after kanji (an ending or a
    particle): after a particle, before kanji or katakana, is a phrase's start."""
    char, before = text[at], text[at - 1]
    if char in _CONTINUING or (_katakana(char) and _katakana(before)):
        return False
    if _hiragana(char):
        return not (_hiragana(before) or _katakana(before) or _han(before))
    if _han(char):
        return not (_han(before) or _katakana(before))
    return True


def _start(text: str, start: int, match: int) -> int:
    """A good place to start a snippet near `start`, never after `match`: just after a
    clause's punctuation or at the text's beginning when one is near, else at a
    word's beginning (after a space; in Japanese, after a particle), never inside a
    number or a Latin word."""
    if start <= 0:
        return 0
    behind = range(start, max(0, start - REACH) - 1, -1)
    for at in (*behind, *range(start + 1, min(match, start + REACH) + 1)):
        if at == 0 or _clause_starts(text, at):
            while at < match and text[at].isspace():
                at += 1
            return at
    if text[start - 1].isspace():
        return start
    space = text.rfind(" ", max(0, start - 20), start)
    if space != -1:
        return space + 1
    if splits_run(text, start):
        for at in range(start - 1, max(0, start - REACH) - 1, -1):
            if not splits_run(text, at):
                return at
        at = start
        while at < match and splits_run(text, at):
            at += 1
        return at
    if any(_hiragana(c) or _katakana(c) for c in text[max(0, start - REACH) : match]):
        if _kana_word_start(text, start):
            return start
        ahead = range(start + 1, min(match, start + REACH) + 1)
        behind = range(start - 1, max(0, start - REACH), -1)
        for at in (*ahead, *behind):
            if not splits_run(text, at) and _kana_word_start(text, at):
                return at
    return start


def _end(text: str, end: int) -> int:
    """A good place to end a snippet near `end`: at a space, after a sentence, or at
    least not inside a number or a Latin word."""
    if end >= len(text) or text[end].isspace():
        return min(end, len(text))
    for at in range(end, min(len(text), end + REACH)):
        if text[at - 1] in _SENTENCE_ENDS:
            return at
    # Do not cut a word in half: end at the next space if it is near.
    space = text.find(" ", end, end + 20)
    if space != -1:
        return space
    if splits_run(text, end):
        at = end
        while at < min(len(text), end + REACH) and splits_run(text, at):
            at += 1
        if not splits_run(text, at):
            return at
        at = end
        while splits_run(text, at):
            at -= 1
        return at
    return end


def snippet(text: str, phrases: list[tuple[str, ...]]) -> SafeString:
    text = normalise(text)[:SCAN_CHARS]
    found = spans(text, phrases, near=SNIPPET_CHARS)
    start, end = _window(text, found)
    body = _marked(text, found, start, end).strip()
    if start > 0:
        body = "…" + body
    if end < len(text):
        body += "…"
    return mark_safe(body)  # noqa: S308 - every piece of text is escaped above


def title(text: str, phrases: list[tuple[str, ...]]) -> SafeString:
    text = normalise(text)
    return mark_safe(_marked(text, spans(text, phrases)))  # noqa: S308 - escaped above


def for_text(
    title_text: str, lead: str, body_html: str, phrases: list[tuple[str, ...]]
) -> tuple[SafeString, SafeString]:
    """The marked title, and the snippet from the lead and the body's plain text."""
    text = " ".join(part for part in (lead.strip(), plain_text(body_html)) if part)
    return title(title_text, phrases), snippet(text, phrases)
