"""Tracking codes of questions: `HD-2026-000123-8`.

A code is the prefix HD (hỏi đáp), the year the question arrived, its six-digit number in
that year, and a check digit. The check digit is Damm's (H. Michael Damm, 2004) over the ten
digits of year and number: it catches every single mistyped digit and every swap of two
neighbouring digits, so a mistyped code is answered "a character was probably mistyped"
without looking anything up, instead of a misleading "not found".

The check digit stands after its own dash so that nobody reads 000123-8 as question 1237;
the year and number read as in the issue's example (`HD-2026-000123`).

`parse_code` is forgiving about how a code is typed: lower case, spaces, no dashes or other
dashes (en dash, minus sign, the Japanese long vowel mark "ー", underscore, dot, slash),
full-width characters (NFKC), and the Vietnamese "HĐ". It tells apart text that is not a
tracking code at all (`NotACode`) from a code whose check digit fails (`CheckDigitMismatch`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PREFIX = "HD"
MAX_NUMBER = 999_999
_MAX_INPUT = 64  # longer text is no code; stop before normalising it

# Damm's table: a totally anti-symmetric quasigroup of order 10 (row: interim, column: digit).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_SEPARATORS = frozenset("_./\u2212\u30fc")  # besides white space and every dash (Unicode Pd)
_SHAPE = re.compile(r"HD([0-9]{4})([0-9]{6})([0-9])", re.ASCII)


class InvalidCode(ValueError):
    """Text that is not a valid tracking code; `message` is for the person who typed it."""

    code = "invalid"
    message = _("This is not a valid tracking code.")

    def __init__(self) -> None:
        super().__init__(str(self.message))


class NotACode(InvalidCode):
    code = "not_a_code"
    message = _("This is not a tracking code. A tracking code looks like HD-2026-000123-8.")


class CheckDigitMismatch(InvalidCode):
    code = "check_digit"
    message = _(
        "The check digit of this tracking code does not match: a character was probably "
        "mistyped. Please compare it with the code you received."
    )


@dataclass(frozen=True)
class Parsed:
    year: int
    number: int

    @property
    def code(self) -> str:
        return make_code(self.year, self.number)


def check_digit(digits: str) -> int:
    """Damm's check digit of a string of ASCII digits."""
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][ord(digit) - 48]
    return interim


def make_code(year: int, number: int) -> str:
    """The displayed code of question `number` of `year`: HD-2026-000123-8."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"A tracking code's year has four digits, not {year!r}.")
    if not 1 <= number <= MAX_NUMBER:
        raise ValueError(f"A tracking code's number runs from 1 to {MAX_NUMBER}, not {number!r}.")
    digits = f"{year:04d}{number:06d}"
    return f"{PREFIX}-{year:04d}-{number:06d}-{check_digit(digits)}"


def _compact(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).upper().replace("Đ", "D")
    return "".join(
        ch
        for ch in text
        if not (ch.isspace() or ch in _SEPARATORS or unicodedata.category(ch) == "Pd")
    )


def parse_code(text: str) -> Parsed:
    """The year and number in a typed code; raises NotACode or CheckDigitMismatch."""
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        raise NotACode()
    match = _SHAPE.fullmatch(_compact(text))
    if match is None:
        raise NotACode()
    year, number, check = match.groups()
    if check_digit(year + number + check) != 0:
        raise CheckDigitMismatch()
    # Checked after the digit so that any single typo gets the typo message.
    if int(year) < 1000 or int(number) == 0:
        raise NotACode()
    return Parsed(int(year), int(number))
