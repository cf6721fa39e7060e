"""The one text analyzer behind search, for SQLite and PostgreSQL alike (pure functions).

Both the index and the query go through the same steps, so what is stored and
what is looked for always agree, whatever the database:

- Unicode NFC for offsets, NFKC per word (full-width ＡＢＣ and ２０２４, common
  from CJK input methods, become ABC and 2024), then casefold.
- Two forms of every word: *exact* (accents kept: "hải") and *folded* (every
  combining mark removed and đ → d: "hai"), so "da nang" finds "Đà Nẵng" while
  "Đà Nẵng" can rank the articles that write it so above the others. Marks are
  removed from letters only: Japanese kana keep their voicing marks.
- Chinese and Japanese (Han and kana) and Korean (Hangul) runs become
  overlapping bigrams: 北九州 → 北九 九州, 하이퐁시의 → 하이 이퐁 퐁시 시의, so a
  word is found inside a longer run (하이퐁 finds 하이퐁시의) without a
  dictionary. Runs are split by the script, never by the page's language: a
  query typed on the English page finds the same words as one typed on the
  Korean page. Every character of those runs is also kept on its own, in the
  *chars* column, so a one-character query (港) finds every occurrence.
- Light English stemming: Harman's S-stemmer (ports → port, cities → city). It
  only touches words in ASCII letters ending in s, and no Vietnamese syllable
  ends in s, so it never changes Vietnamese.
- Each folded token is also kept joined to the next (*pairs*: hai_phong), so a
  two-word phrase is one token to look up, not two lists to walk side by side.

`parse_query` reads what a reader typed into a `Query` of units (a word, a word
written with hyphens, a CJK run, or a "quoted phrase"), never letting any of
the user's syntax through: the backends only ever see analysed tokens.
"""

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

# Placed between title, lead and body in the index so that no phrase spans two
# of them. No query can contain it: the analyzer never makes a token of "¶".
FILLER = "¶"
# Joins two tokens into one in the pairs column; the analyzer never makes a token with it.
PAIR = "_"

MAX_QUERY_CHARS = 200
MAX_UNITS = 12
MAX_UNIT_TOKENS = 16
# Longer "words" (a pasted hash, a run of letters) are cut: PostgreSQL refuses lexemes
# over 2 KiB, and nobody searches for them.
MAX_WORD_CHARS = 60
# Positions past 16,383 are all the same to PostgreSQL; the index keeps the first
# 16,000 tokens of a translation on both backends, so both find the same.
MAX_INDEX_TOKENS = 16_000

_CJK = (
    "\u3005-\u3007"  # 々 〆 〇
    "\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana, ー
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\u3400-\u4dbf"  # Han extension A
    "\u4e00-\u9fff"  # Han
    "\uf900-\ufaff"  # Han compatibility
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0003134f"  # Han extensions B-H
)
_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = rf"(?:[^\W_{_CJK}{_HANGUL}]|[{_MARKS}])+"
# A word may hold apostrophes inside (Vietnam's, o'clock); CJK and Hangul runs apart.
_TOKEN_RE = re.compile(
    rf"(?P<word>{_WORD}(?:['’]{_WORD})*)|(?P<cjk>[{_CJK}]+)|(?P<hangul>[{_HANGUL}]+)"
)
# Control and format characters (NUL, escapes, zero-width joiners, bidi controls).
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
# Opening quote → the characters that may close it (typographic quotes get typed both ways).
_QUOTES = {'"': '"', "“": "”“", "”": "”“", "„": "“”", "「": "」", "『": "』", "«": "»"}
QUOTE_CHARS = frozenset("".join(_QUOTES) + "".join(_QUOTES.values()))

_LETTER_FOLD = str.maketrans(
    {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
_S_STEM_KEEP = frozenset(
    {"news", "series", "species", "always", "perhaps", "thus", "lens", "physics"}
    | {"economics", "politics", "mathematics", "statistics", "logistics", "olympics"}
)
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|h[1-6]|ul|ol|li|blockquote|table|thead|tbody|tfoot|tr|td|th|caption|figure"
    r"|figcaption|div|section|article|hr|br|img|pre)\b[^>]*>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")
# What ends a chunk of a query (Hai-Phong stays one, "Hai Phong" is two).
_BREAK_RE = re.compile(r"[\s,;:!?()\[\]{}<>|…、。，；：！？「」『』【】（）]")


def plain_text(body_html: str) -> str:
    """The words of a (sanitised) body: blocks apart, inline markup gone, entities read."""
    text = _BLOCK_TAG_RE.sub("\n", body_html or "")
    text = _TAG_RE.sub("", text)
    return _SPACE_RE.sub(" ", html.unescape(text)).strip()


def _stem(word: str) -> str:
    """Harman's S-stemmer, for words in ASCII letters only."""
    if len(word) < 4 or not word.isascii() or not word.isalpha() or word in _S_STEM_KEEP:
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss", "is")):
        return word[:-1]
    return word


def _remove_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_FOLD))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


@lru_cache(maxsize=262_144)
def word_forms(word: str) -> tuple[str, str]:
    """(exact, folded) for one word; ("", "") when nothing searchable is left."""
    exact = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", word).casefold())
    if exact.endswith(("'s", "’s")):
        exact = exact[:-2]
    exact = exact.replace("'", "").replace("’", "")
    folded = _remove_marks(exact)
    if not any(c.isalnum() for c in folded):
        return "", ""  # marks alone (a stray accent) are nothing to search for
    return _stem(exact[:MAX_WORD_CHARS]), _stem(folded[:MAX_WORD_CHARS])


def _probe_table() -> dict[int, str]:
    table = {}
    for code in [
        *range(0x41, 0x5B),
        *range(0xC0, 0x2B0),
        *range(0x1E00, 0x1F00),
        *range(0xFF01, 0xFF5F),
    ]:
        char = chr(code)
        folded = _remove_marks(unicodedata.normalize("NFKC", char).casefold())
        if len(folded) == 1 and folded != char:
            table[code] = folded
    return table


_PROBE = _probe_table()


def probe(text: str) -> str:
    """`text` folded character by character (same length, same offsets): a quick way to
    find where a folded word may stand before the tokens say whether it does."""
    return text.translate(_PROBE)


@lru_cache(maxsize=65_536)
def _cjk_char(char: str) -> str:
    normal = unicodedata.normalize("NFKC", char).casefold()
    return normal if len(normal) == 1 else char


def _run_chars(run: str) -> str:
    return "".join(_cjk_char(c) for c in run)


class Token(NamedTuple):
    """One indexed unit of text, with where it stands in the NFC text."""

    exact: str
    folded: str
    start: int
    end: int
    cjk: bool = False
    chunk: int = 0  # tokens of one whitespace-separated chunk share a number


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", _CONTROL_RE.sub(" ", text or ""))


def iter_tokens(text: str, *, chunks: bool = True) -> Iterator[Token]:
    """Every token of `text` (already NFC: pass `normalise(text)`), in order, with offsets.

    `chunks=False` skips numbering the whitespace-separated chunks (only queries need them).
    """
    chunk = 0
    last_end = 0
    for match in _TOKEN_RE.finditer(text):
        start, end = match.span()
        if chunks and (start == 0 or _BREAK_RE.search(text, last_end, start)):
            chunk += 1
        last_end = end
        if match.lastgroup == "word":
            exact, folded = word_forms(match.group())
            if folded:
                yield Token(exact, folded, start, end, False, chunk)
            continue
        run = _run_chars(match.group())
        if len(run) == 1:
            yield Token(run, run, start, end, True, chunk)
            continue
        for i in range(len(run) - 1):
            gram = run[i : i + 2]
            yield Token(gram, gram, start + i, start + i + 2, True, chunk)


def tokens(text: str) -> list[Token]:
    """The tokens of any text, normalised first."""
    return list(iter_tokens(normalise(text)))


@dataclass(frozen=True)
class IndexText:
    """The analysed text of one translation, as the index stores it (space-separated)."""

    title: str  # folded
    body: str  # folded lead ¶ body
    exact: str  # exact title ¶ lead ¶ body
    chars: str  # every CJK or Hangul character, one by one
    pairs: str  # folded tokens two by two (title ¶ lead ¶ body): phrases found as one token


def _forms(text: str) -> tuple[list[str], list[str], list[str]]:
    exact: list[str] = []
    folded: list[str] = []
    chars: list[str] = []
    for match in _TOKEN_RE.finditer(normalise(text)):
        if match.lastgroup == "word":
            e, f = word_forms(match.group())
            if f:
                exact.append(e)
                folded.append(f)
            continue
        run = _run_chars(match.group())
        grams = [run[i : i + 2] for i in range(len(run) - 1)] or [run]
        exact.extend(grams)
        folded.extend(grams)
        chars.extend(run)
    return exact, folded, chars


def pairs(tokens: list[str] | tuple[str, ...]) -> list[str]:
    """Each token joined to the next: "hai phong" → "hai_phong" (a phrase as one token)."""
    return [f"{a}{PAIR}{b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def index_text(title: str, lead: str, body_html: str) -> IndexText:
    t_exact, t_folded, t_chars = _forms(title)
    l_exact, l_folded, l_chars = _forms(lead)
    b_exact, b_folded, b_chars = _forms(plain_text(body_html))
    # Titles are short (300 characters at most); the body gives way to the cap.
    room = MAX_INDEX_TOKENS - len(t_folded) - 1
    b_folded = b_folded[: max(0, room - len(l_folded) - 1)]
    return IndexText(
        title=" ".join(t_folded),
        body=" ".join([*l_folded, FILLER, *b_folded]),
        exact=" ".join([*t_exact, FILLER, *l_exact, FILLER, *b_exact[: len(b_folded)]]),
        chars=" ".join([*t_chars, *l_chars, *b_chars][:MAX_INDEX_TOKENS]),
        pairs=" ".join([*pairs(t_folded), FILLER, *pairs(l_folded), FILLER, *pairs(b_folded)]),
    )


# --- queries -----------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """What must be found: a word, a hyphenated or CJK word (a phrase), or a quoted phrase."""

    folded: tuple[str, ...]
    exact: tuple[str, ...]
    quoted: bool = False
    single_cjk: bool = False  # one CJK or Hangul character: looked for in the chars column

    @property
    def marked(self) -> bool:
        """Written with accents (or other marks): the exact form means something."""
        return self.exact != self.folded


@dataclass(frozen=True)
class Query:
    text: str  # what is searched for, cleaned (shown back in the box)
    units: tuple[Unit, ...] = ()
    shortened: bool = False  # the reader's text was cut to the limits
    ignored: bool = False  # there was text, but nothing searchable in it

    @property
    def empty(self) -> bool:
        return not self.units

    @property
    def free(self) -> tuple[Unit, ...]:
        """Unquoted units that can stand next to each other (single CJK characters excluded)."""
        return tuple(u for u in self.units if not u.quoted and not u.single_cjk)

    @property
    def run(self) -> Unit | None:
        """The unquoted words as one phrase, when there are two or more of them."""
        free = self.free
        if len(free) < 2:
            return None
        folded = tuple(t for u in free for t in u.folded)[: MAX_UNIT_TOKENS * 2]
        exact = tuple(t for u in free for t in u.exact)[: MAX_UNIT_TOKENS * 2]
        return Unit(folded, exact)

    @property
    def marked_units(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.marked and not u.quoted)


def _units_of(text: str, quoted: bool) -> list[Unit]:
    found = tokens(text)
    if not found:
        return []
    if quoted:
        groups = [found]
    else:
        groups = []
        for token in found:
            if groups and groups[-1][-1].chunk == token.chunk:
                groups[-1].append(token)
            else:
                groups.append([token])
    units = []
    for group in groups:
        group = group[:MAX_UNIT_TOKENS]
        single = len(group) == 1 and group[0].cjk and len(group[0].folded) == 1
        units.append(
            Unit(
                folded=tuple(t.folded for t in group),
                exact=tuple(t.exact for t in group),
                quoted=quoted and len(group) > 0,
                single_cjk=single,
            )
        )
    return units


def _split_quotes(text: str) -> list[tuple[str, bool]]:
    """Plain and quoted parts, in order; an unpaired quote runs to the end."""
    parts: list[tuple[str, bool]] = []
    start = i = 0
    while i < len(text):
        closing = _QUOTES.get(text[i])
        if closing is None:
            i += 1
            continue
        ends = [p for p in (text.find(c, i + 1) for c in closing) if p != -1]
        end = min(ends) if ends else len(text)
        parts.append((text[start:i], False))
        parts.append((text[i + 1 : end], True))
        start = i = end + 1
    parts.append((text[start:], False))
    return [(part, quoted) for part, quoted in parts if part.strip()]


def parse_query(raw: str | None) -> Query:
    """A reader's search text as a `Query`; anything at all is accepted."""
    text = _SPACE_RE.sub(" ", normalise(raw or "")).strip()
    shortened = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    units: list[Unit] = []
    for part, quoted in _split_quotes(text):
        for unit in _units_of(part, quoted):
            # A quoted single word is simply that word.
            if unit.quoted and len(unit.folded) == 1 and not unit.single_cjk:
                unit = Unit(unit.folded, unit.exact, quoted=unit.marked)
            if unit not in units:
                units.append(unit)
    if len(units) > MAX_UNITS:
        units, shortened = units[:MAX_UNITS], True
    return Query(
        text=text,
        units=tuple(units),
        shortened=shortened or any(len(u.folded) == MAX_UNIT_TOKENS for u in units),
        ignored=bool(text) and not units,
    )
