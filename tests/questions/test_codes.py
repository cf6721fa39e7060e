"""Tracking codes: the shape, the Damm check digit, and the two kinds of refusal."""

import pytest
from django.utils import translation

from cangxanh.questions.codes import (
    CheckDigitMismatch,
    InvalidCode,
    NotACode,
    Parsed,
    check_digit,
    make_code,
    parse_code,
)

# Codes spread over the whole range, each year's first and last included.
SAMPLES = [
    (year, number)
    for year in (2025, 2026, 2099)
    for number in (1, 9, 10, 123, 4_567, 80_808, 999_999, *range(31_337, 999_999, 97_531))
]


def test_damm_reference_value():
    # The worked example of Damm's algorithm: 572 has check digit 4.
    assert check_digit("572") == 4
    assert check_digit("5724") == 0


def test_displayed_format():
    code = make_code(2026, 123)
    assert code.startswith("HD-2026-000123-")
    assert len(code) == len("HD-2026-000123-8")
    assert check_digit(code.replace("HD", "").replace("-", "")) == 0


@pytest.mark.parametrize(("year", "number"), SAMPLES)
def test_round_trip(year, number):
    parsed = parse_code(make_code(year, number))
    assert parsed == Parsed(year, number)
    assert parsed.code == make_code(year, number)


def _digits(year, number):
    code = make_code(year, number)
    return code, code.replace("HD", "").replace("-", "")


def test_every_single_digit_substitution_is_caught():
    tried = 0
    for year, number in SAMPLES:
        code, digits = _digits(year, number)
        for position, digit in enumerate(digits):
            for other in "0123456789":
                if other == digit:
                    continue
                typo = "HD" + digits[:position] + other + digits[position + 1 :]
                with pytest.raises(CheckDigitMismatch):
                    parse_code(typo)
                tried += 1
    assert tried == len(SAMPLES) * 11 * 9


def test_every_adjacent_transposition_is_caught():
    tried = 0
    for year, number in SAMPLES:
        code, digits = _digits(year, number)
        for position in range(len(digits) - 1):
            a, b = digits[position], digits[position + 1]
            if a == b:
                continue
            swapped = digits[:position] + b + a + digits[position + 2 :]
            # Displayed with dashes, as the person would type it back.
            typo = f"HD-{swapped[:4]}-{swapped[4:10]}-{swapped[10]}"
            with pytest.raises(CheckDigitMismatch):
                parse_code(typo)
            tried += 1
    assert tried > len(SAMPLES) * 3  # the samples have plenty of distinct neighbours


@pytest.mark.parametrize(
    "typed",
    [
        "{code}",
        "{lower}",
        "  {code}  ",
        "HD 2026 000123 {c}",
        "HD20260001237".replace("7", "{c}"),
        "HD-2026-0001237".replace("7", "{c}"),
        "hd_2026.000123/{c}",
        "HD\u20132026\u2014000123\u2010{c}",  # en dash, em dash, hyphen
        "HD\u22122026\u2212000123\u2212{c}",  # minus sign
        "HD-2026-000123\u30fc{c}",  # the Japanese long vowel mark typed as a dash
        "\uff28\uff24\uff0d\uff12\uff10\uff12\uff16\uff0d\uff10\uff10\uff10\uff11\uff12\uff13\uff0d{wide}",
        "HĐ-2026-000123-{c}",
        "hđ 2026 000123 {c}",
    ],
)
def test_accepted_spellings(typed):
    code = make_code(2026, 123)
    c = code[-1]
    text = typed.format(code=code, lower=code.lower(), c=c, wide=chr(0xFF10 + int(c)))
    assert parse_code(text) == Parsed(2026, 123)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "123",
        "HD-2026-00123-{c}",  # a digit short
        "HD-2026-0001234-{c}",  # a digit too many
        "XX-2026-000123-{c}",
        "2026-000123-{c}",  # no prefix
        "HD-2026-00O123-{c}",  # letter O for zero
        "HD-2026-000123",  # no check digit
        "HD-\u0662\u0660\u0662\u0666-000123-{c}",  # Arabic-Indic digits are not ours
        "<script>HD-2026-000123-{c}</script>",
        "HD-2026-000123-{c}" + " " * 100,  # too long to be a code
    ],
)
def test_not_a_code(typed):
    text = typed.format(c=make_code(2026, 123)[-1])
    with pytest.raises(NotACode) as caught:
        parse_code(text)
    assert caught.value.code == "not_a_code"


def test_not_a_string_is_not_a_code():
    with pytest.raises(NotACode):
        parse_code(None)


def test_right_check_digit_but_impossible_number_is_not_a_code():
    for digits in ("2026000000", "0999000123"):
        with pytest.raises(NotACode):
            parse_code(f"HD{digits}{check_digit(digits)}")


def test_the_two_errors_are_distinct_and_explained():
    code = make_code(2026, 123)
    typo = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(CheckDigitMismatch) as mistyped:
        parse_code(typo)
    with pytest.raises(NotACode) as shapeless:
        parse_code("hello")
    assert isinstance(mistyped.value, InvalidCode) and isinstance(shapeless.value, InvalidCode)
    assert mistyped.value.code != shapeless.value.code
    with translation.override("en"):
        assert "mistyped" in str(mistyped.value.message)
        assert "HD-2026-000123-8" in str(shapeless.value.message)


@pytest.mark.parametrize(("year", "number"), [(999, 1), (10_000, 1), (2026, 0), (2026, 1_000_000)])
def test_make_code_refuses_out_of_range(year, number):
    with pytest.raises(ValueError):
        make_code(year, number)
