"""Suggestions for removing personal data from a question before it is published.

A published answer shows the question as its lead: the asker's words, which
may hold their e-mail address, phone number, ID card number (9 digits for the
old CMND, 12 for the CCCD) or name. `findings` lists what looks like such data;
`suggest` replaces each with "[…]". They are suggestions: the person writing
the answer reads the text and confirms that no personal data remains
(`digest` names exactly the text they confirmed), and the workflow refuses to
submit, publish or send a text nobody confirmed (kind.before_step).
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

REPLACEMENT = "[…]"

EMAIL = "email"
PHONE = "phone"
ID_NUMBER = "id_number"
NAME = "name"
LABELS = {
    EMAIL: _("e-mail address"),
    PHONE: _("phone number"),
    ID_NUMBER: _("ID card number"),
    NAME: _("the asker's name"),
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number: 0 and 9 to 12 more digits, or an area code in brackets and 7 to 10, or
# + and a country code, with spaces, dots or dashes between groups (0912 345 678,
# (0225) 3823 456, +84 912.345.678).
_PHONE = re.compile(
    r"(?<![\w+])(?:0(?:\d[\s.-]?){8,11}\d|\(0\d{1,3}\)[\s.-]?(?:\d[\s.-]?){6,9}\d"
    r"|\+\d{1,3}[\s.-]?(?:\d[\s.-]?){7,12}\d)(?!\w)"
)
# 9 or 12 digits standing alone (CMND, CCCD), also written in groups of three or four.
# (Groups with dots are amounts of money in Vietnamese: 100.000.000 đồng.)
_ID = re.compile(
    r"(?<![\w.,/-])(?:\d{12}|\d{9}|\d{3}(?: \d{3}){2,3}|\d{4}(?: \d{4}){2})(?![\w/,-]|\.\d)"
)
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self):
        return LABELS[self.kind]


def _fold(text: str) -> str:
    """Lower case without accents, one character for one (so positions stay)."""
    out = []
    for char in text:
        if "\uac00" <= char <= "\ud7a3":  # a Korean syllable stays whole
            out.append(char)
            continue
        base = unicodedata.normalize("NFD", char.replace("đ", "d").replace("Đ", "D"))[0]
        out.append(base.casefold()[:1] or char)
    return "".join(out)


def _name_patterns(name: str) -> list[re.Pattern]:
    words = [w for w in re.split(r"\s+", _fold(name).strip()) if w]
    if not words:
        return []
    variants = {" ".join(words)}
    if len(words) >= 3:
        variants.add(" ".join(words[1:]))  # without the family name: "Văn An"
    if len(words) >= 2:
        variants.add(" ".join(words[-2:]))
    patterns = []
    for variant in sorted(variants, key=len, reverse=True):
        body = r"\s*".join(map(re.escape, variant.split()))
        # Chinese, Japanese and Korean run words together: no word boundary to look for.
        patterns.append(re.compile(body if _CJK.search(variant) else rf"(?<!\w){body}(?!\w)"))
    return patterns


def findings(text: str, *, name: str = "") -> list[Finding]:
    """What in `text` looks like personal data, in order, without overlaps."""
    found: list[Finding] = []
    # An ID number before a phone number: a CCCD starting with 0 is named as what it is.
    for kind, pattern in ((EMAIL, _EMAIL), (ID_NUMBER, _ID), (PHONE, _PHONE)):
        found += [Finding(kind, m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    folded = _fold(text)
    for pattern in _name_patterns(name):
        found += [
            Finding(NAME, m.start(), m.end(), text[m.start() : m.end()])
            for m in pattern.finditer(folded)
        ]
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept


def suggest(text: str, *, name: str = "") -> str:
    """`text` with everything `findings` lists replaced by "[…]"."""
    parts, at = [], 0
    for finding in findings(text, name=name):
        parts += [text[at : finding.start], REPLACEMENT]
        at = finding.end
    parts.append(text[at:])
    return "".join(parts)


def digest(*parts: str) -> str:
    """Names one exact text (title, lead, body): what someone confirmed."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
