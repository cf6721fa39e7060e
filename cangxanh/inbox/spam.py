"""Screening what strangers write: plain text only, and spam set aside for a person.

`normalise` is what every free text a stranger sends goes through before it is
kept: Unicode NFC, control, zero-width and bidi-override characters removed
(newlines and tabs stay), trailing spaces trimmed, and a size limit with a
clear message. The text stays plain text: nothing here turns it into HTML, and
the templates escape it.

`screen` says whether a message should be set aside (quarantined) and why, as
reason codes. It never refuses: a person releases or refuses each message
later, so a false alarm costs a moderator a click, while spam that slips
through costs the site its name (the 2023 wave of defaced .gov.vn sites went
in through public forms, with gambling ads). A message is set aside when:

- `link`: it holds a link in any spelling: http(s)://, www., a bare domain
  (abc.com, abc .com, abc . com, abc[.]com, abc dot com, full-width and ideographic
  dots), spaced-out letters (n h a c a i . c o m), a host with a path (t.me/x);
  an e-mail address alone is not a link;
- `gambling`: it holds the vocabulary of gambling spam (nhà cái, cá cược, tài
  xỉu, nổ hũ, casino, bắn cá, lô đề, xổ số, slot game, đá gà, baccarat…, and
  bookmakers' names such as W88 or 188bet), matched after folding case,
  full-width forms, look-alike letters and leet digits (c4 cu0c) and removing
  spaces, dots, dashes and underscores between the letters (n.h.à c-á-i).
  A word written with accents counts only when its accents agree with the
  term's, so "nhà cải cách" (a reformer) is not "nhà cái", and the terms that
  mean something ordinary when written without accents ("co bac": có bác)
  count only when written with some;
- `mixed_script`: one word mixes Latin, Cyrillic, Greek, Armenian or Cherokee
  letters (pаypal with a Cyrillic а); Latin next to Chinese, Japanese or
  Korean is ordinary writing and does not count;
- `markup`: HTML tags, script-like text (javascript:, onerror=), character
  references or template syntax;
- `hidden_characters`: bidi overrides, invisible tag characters, or
  zero-width characters inside a word (they hide or reorder what a moderator
  reads);
- `repetition`: the same character, word, line or phrase over and over.

The name is screened like the text; the e-mail address only for gambling
words (an address is a domain, so it is not a link).
"""

import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LINK = "link"
GAMBLING = "gambling"
MIXED_SCRIPT = "mixed_script"
MARKUP = "markup"
HIDDEN_CHARACTERS = "hidden_characters"
REPETITION = "repetition"
# In this order in `Screening.reasons`.
REASONS = (LINK, GAMBLING, MIXED_SCRIPT, MARKUP, HIDDEN_CHARACTERS, REPETITION)


@dataclass(frozen=True)
class Screening:
    quarantine: bool
    reasons: list[str] = field(default_factory=list)
    clean_text: str = ""


# --- normalising ---------------------------------------------------------------

_NEWLINES = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n"})
_NEWLINES.update({0x2028: "\n", 0x2029: "\n"})
_KEEP = frozenset("\n\t")


def _stripped(char: str) -> bool:
    # Cc: controls; Cf: format characters (zero-width, bidi overrides and isolates,
    # soft hyphen, invisible tags); Cs: lone surrogates.
    return char not in _KEEP and unicodedata.category(char) in ("Cc", "Cf", "Cs")


def _clean(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").translate(_NEWLINES)
    # Stripped first: a zero-width space between a letter and its accent would keep
    # them apart through NFC.
    text = unicodedata.normalize("NFC", "".join(c for c in text if not _stripped(c)))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def normalise(text: str, max_chars: int) -> str:
    """`text` as it is kept: NFC, no control or invisible formatting characters
    (newlines and tabs stay), no trailing spaces; ValidationError over `max_chars`."""
    text = _clean(text)
    if len(text) > max_chars:
        raise ValidationError(
            _(
                "This text is too long: it has %(length)s characters and at most "
                "%(limit)s are accepted. Please shorten it and send it again."
            ),
            code="max_length",
            params={"length": len(text), "limit": max_chars},
        )
    return text


# --- folding ------------------------------------------------------------------

# Letters of other scripts that look like Latin ones (after case folding), and a
# few Latin ones that look like others: spam writes "саsinо" to slip past filters.
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j", "к": "k",
        "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x",
        "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c",
        # Armenian
        "օ": "o", "ս": "u", "ո": "n", "հ": "h",
        # Latin look-alikes
        "ı": "i", "ɩ": "i", "ɑ": "a", "ɡ": "g", "ʏ": "y", "ꞵ": "b",
    }
)  # fmt: skip


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold_case(text: str) -> str:
    """NFKC (full-width and styled letters: ｎｈà, 𝐧𝐡à), case folded, look-alikes to
    Latin, accents kept; marks NFC cannot attach (strike-through, overlays) dropped."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).casefold())
    return _COMBINING.sub("", text.translate(_LOOKALIKES))


def _fold(text: str) -> str:
    """`_fold_case` without accents: "Đà Nẵng" → "da nang"."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", _fold_case(text).replace("đ", "d")))


def _marked(char: str) -> bool:
    return char == "đ" or unicodedata.normalize("NFD", char) != char


# --- gambling vocabulary --------------------------------------------------------

# Leet spellings: what a digit or symbol may stand for.
_LEET = {"o": "0", "i": "1!|", "l": "1|", "e": "3", "a": "4@", "s": "5$", "t": "7"}
_SYMBOLS = frozenset("@$!|")
_HARD_BREAK = frozenset(".!?;,…。！？；，")


@dataclass(frozen=True)
class _Term:
    pattern: re.Pattern  # a lookahead, so that matches may overlap
    start: bool = False  # must begin a word
    end: bool = False  # must end a word (digits may follow: nohu88)
    marked: bool = False  # counts only written with some accent


# Vietnamese letters carry a vowel mark (ă â ê ô ơ ư) and a tone (à á ả ã ạ).
_VOWEL_MARKS = frozenset("\u0302\u0306\u031b")


@lru_cache(maxsize=256)
def _letter_class(char: str) -> str:
    """The characters a term's letter may be written as: itself, the bare letter, the
    letter without its tone (ợ: o ơ ợ, but not ọ: "bán" is not "bắn"), its leet digits."""
    if char == "đ":
        allowed = {"đ", "d"}
    else:
        base, *marks = unicodedata.normalize("NFD", char)
        vowel = "".join(m for m in marks if m in _VOWEL_MARKS)
        allowed = {base, char, unicodedata.normalize("NFC", base + vowel)}
        allowed.update(_LEET.get(base, ""))
    return "[" + "".join(re.escape(c) for c in sorted(allowed)) + "]"


def _term(words: str, *, start=False, end=False, marked=False) -> _Term:
    letters = "".join(_letter_class(c) for c in words if not c.isspace())
    return _Term(re.compile(f"(?=({letters}))"), start, end, marked)


# Words of gambling spam, written as a Vietnamese writes them. Short ones that
# sit inside ordinary words (nổ hũ in "no human", lô đề in "explode", bắn cá in
# "bancassurance") must stand as words; the ones that are ordinary words when
# written without accents (cờ bạc: có bác) need some accent.
_TERMS = (
    _term("nhà cái", start=True),
    _term("cá cược", start=True),
    _term("cá độ", start=True, end=True, marked=True),
    _term("tài xỉu"),
    _term("nổ hũ", start=True, end=True),
    _term("bắn cá", start=True, end=True, marked=True),
    _term("lô đề", start=True, end=True, marked=True),
    _term("đánh đề", start=True, end=True),
    _term("xổ số", start=True, end=True),
    _term("đá gà", start=True, end=True, marked=True),
    _term("cờ bạc", start=True, end=True, marked=True),
    _term("sòng bạc", start=True, end=True, marked=True),
    _term("xóc đĩa", start=True, end=True),
    _term("soi kèo", start=True, end=True),
    _term("game bài", start=True),
    _term("casino"),
    _term("baccarat"),
    _term("slot game", start=True),
    _term("poker", start=True),
    _term("jackpot", start=True),
    _term("betting", start=True, end=True),
    _term("sportsbook", start=True),
    # Chinese, Japanese and Korean spam: casino, baccarat, gambling, toto sites.
    *(
        _Term(re.compile(f"(?=({re.escape(word)}))"))
        for word in (
            "赌场",
            "博彩",
            "百家乐",
            "赌博",
            "カジノ",
            "バカラ",
            "카지노",
            "바카라",
            "토토사이트",
        )
    ),
)
# Bookmakers' names: letters and 88 (W88, FB88), a number and "bet" (188bet, bet365).
_BOOKMAKER = re.compile(r"(?<![a-z0-9])(?:[a-z]{1,8}88|\d{1,4}bet|bet\d{1,4})(?![a-z0-9])")


@dataclass
class _Squashed:
    """The letters and digits of a text run together, with where its words begin and
    end, which letters carry accents, and the stretches nothing is matched across."""

    text: str
    starts: list[bool]
    ends: list[bool]
    marks: list[bool]
    segments: list[int]


def _squash(text: str) -> _Squashed:
    folded = _fold_case(text)
    units: list[str] = []
    starts: list[bool] = []
    ends: list[bool] = []
    segments: list[int] = []
    segment = run = 0  # run: letters and digits since the last other character
    previous = ""
    for i, char in enumerate(folded):
        if char.isalnum() or char in _SYMBOLS:
            if run:
                ends[-1] = False
            # A word begins after a space or a sign, and after digits too (w88nhacai).
            starts.append(run == 0 or previous.isdigit())
            ends.append(True)
            units.append(char)
            segments.append(segment)
            run += 1
        else:
            # A line, or a sentence ended after a real word ("…ở nhà. Cái…"), is a
            # break nothing is matched across; spaced-out "n. h. à" stays one stretch.
            following = folded[i + 1 : i + 2]
            ends_sentence = char in _HARD_BREAK and (not following or following.isspace())
            if char == "\n" or (ends_sentence and run > 1):
                segment += 1
            run = 0
        previous = char
    return _Squashed("".join(units), starts, ends, [_marked(c) for c in units], segments)


def _has_gambling(text: str) -> bool:
    if not text:
        return False
    squashed = _squash(text)
    s = squashed.text
    for term in _TERMS:
        for match in term.pattern.finditer(s):
            i, j = match.start(1), match.end(1) - 1
            if squashed.segments[i] != squashed.segments[j]:
                continue
            if term.start and not squashed.starts[i]:
                continue
            if term.end and not (squashed.ends[j] or s[j + 1 : j + 2].isdigit()):
                continue
            if term.marked and not any(squashed.marks[i : j + 1]):
                continue
            return True
    return bool(_BOOKMAKER.search(_fold(text)))


# --- links --------------------------------------------------------------------

# Top-level domains that spam uses and that are not everyday words; "in", "me",
# "co", "is" would catch "…the delegation.In May" written without a space.
_TLDS = (
    "com|net|org|info|biz|vn|io|xyz|top|club|site|online|live|vip|bet|casino|win|fun|"
    "shop|store|app|cc|ru|cn|asia|link|click|pro|ws|uk|jp|kr|tk|ml|ga|cf|gq|icu|cyou|"
    "sbs|lol|today|life|world|games?|tv|ly|gg|su|pw|bid|loan|xxx|c0m|n3t"
)
_DOTS = str.maketrans({c: "." for c in "。｡．․‧·•∙⋅・﹒"})
_SCHEME = re.compile(
    r"\b(?:h\s*[tx]\s*[tx]\s*p\s*s?|ftp)\s*[:：]\s*/\s*/|\b[a-z][a-z0-9+.-]{1,15}://"
)
_WWW = re.compile(r"(?<![a-z0-9])w\s?w\s?w\s*\.")
# A written-out dot: abc[.]com, abc(.)com, abc dot com, abc chấm com.
_SPELLED_DOT = re.compile(r"\s*(?:[\[({<]\s*(?:\.|dot|cham)\s*[\])}>]|\s(?:dot|cham)\s)\s*")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOMAIN = re.compile(
    rf"(?<![\w.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*(?:\.|\s+\.\s*)(?:{_TLDS})(?![a-z0-9])"
)
_HOST_PATH = re.compile(r"(?<![\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[^\s/]")
# Four or more single characters spaced out: "n h a c a i . c o m".
_SPACED = re.compile(r"(?<!\S)(?:\S[ \t]){3,}\S(?!\S)")


def _has_link(text: str) -> bool:
    if not text:
        return False
    folded = _fold(text).translate(_DOTS)
    folded = _EMAIL.sub(" ", folded)
    folded = _SPELLED_DOT.sub(".", folded)
    variants = (folded, _SPACED.sub(lambda m: m.group().replace(" ", "").replace("\t", ""), folded))
    for variant in variants:
        if (
            _SCHEME.search(variant)
            or _WWW.search(variant)
            or _DOMAIN.search(variant)
            or _HOST_PATH.search(variant)
        ):
            return True
    return False


# --- scripts, markup, hidden characters, repetition -------------------------------

_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")
_LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=4096)
def _script(char: str) -> str | None:
    name = unicodedata.name(char, "").removeprefix("FULLWIDTH ")
    return next((s for s in _CONFUSABLE_SCRIPTS if name.startswith(s)), None)


def _mixes_scripts(text: str) -> bool:
    for word in _LETTERS.finditer(text):
        scripts = {_script(c) for c in word.group()} - {None}
        if len(scripts) > 1:
            return True
    return False


_MARKUP = re.compile(
    r"<\s*/?\s*[a-z][a-z0-9-]*(?:\s[^<>]*)?/?\s*>"  # <b>, </div>, <img src=x>
    r"|<\s*(?:script|iframe|svg|img|object|embed|style|link|meta|form|base|a\s+href)\b"
    r"|<!--|<!\s*doctype|<\?"
    r"|j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:|vbscript\s*:|data\s*:\s*text/html"
    r"|(?<![a-z0-9])on[a-z]{3,}\s*="  # onerror=, onclick =
    r"|&#x?[0-9a-f]+;?|&(?:lt|gt);"
    r"|\{\{[^{}]{0,200}\}\}|\{%[^{}]{0,200}%\}|\$\{[^{}]{0,200}\}",
    re.IGNORECASE | re.DOTALL,
)

_BIDI_OR_TAGS = re.compile(
    r"[\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f\u115f\u1160\u3164\uffa0]"
)
_INSIDE_WORD = re.compile(r"(?<=\w)[\u200b-\u200d\u2060\ufeff\u180e]+(?=\w)")


def _hides(raw: str) -> bool:
    return bool(_BIDI_OR_TAGS.search(raw) or _INSIDE_WORD.search(raw))


_CHAR_RUN = re.compile(r"(\S)\1{29,}")
_WORDS = re.compile(r"\w+")


def _repeats(text: str) -> bool:
    if _CHAR_RUN.search(text):
        return True
    words = [w.casefold() for w in _WORDS.findall(text)]
    run = 1
    for a, b in zip(words, words[1:], strict=False):
        run = run + 1 if a == b else 1
        if run >= 8:
            return True
    lines = Counter(line.strip().casefold() for line in text.split("\n"))
    if any(count >= 3 and len(line) >= 8 for line, count in lines.items()):
        return True
    if len(words) >= 20:
        counts: dict[tuple[str, ...], int] = {}
        for gram in zip(words, words[1:], words[2:], strict=False):
            counts[gram] = counts.get(gram, 0) + 1
        top = max(counts.values(), default=0)
        if top >= 5 and top * 3 > len(words) * 0.3:
            return True
    # What no word count sees (a Chinese phrase over and over): the text shrinks
    # to nothing when compressed. Ordinary writing compresses three to four times.
    data = text.encode()
    return len(data) >= 600 and len(data) > 8 * len(zlib.compress(data, 6))


# --- the screen -----------------------------------------------------------------


def screen(text: str, *, name: str = "", email: str = "") -> Screening:
    """Whether a stranger's message should wait for a person, and why (reason codes
    in `REASONS` order); `clean_text` is the text as `normalise` keeps it."""
    clean = _clean(text)
    clean_name = _clean(name)
    found = set()
    if _has_link(clean) or _has_link(clean_name):
        found.add(LINK)
    if _has_gambling(clean) or _has_gambling(clean_name) or _has_gambling(email or ""):
        found.add(GAMBLING)
    if _mixes_scripts(clean) or _mixes_scripts(clean_name):
        found.add(MIXED_SCRIPT)
    if _MARKUP.search(clean) or _MARKUP.search(clean_name):
        found.add(MARKUP)
    if _hides(text or "") or _hides(name or ""):
        found.add(HIDDEN_CHARACTERS)
    if _repeats(clean):
        found.add(REPETITION)
    reasons = [reason for reason in REASONS if reason in found]
    return Screening(quarantine=bool(reasons), reasons=reasons, clean_text=clean)
