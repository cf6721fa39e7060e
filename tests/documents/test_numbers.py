"""Document numbers found in the spellings people type."""

import pytest

from cangxanh.documents.numbers import (
    looks_like_number,
    matches,
    number_key,
    only_number,
    query_tokens,
)

NUMBER = "62/2025/QĐ-UBND"


def test_a_number_becomes_folded_tokens():
    assert number_key(NUMBER) == "62 2025 qd ubnd"
    assert number_key("22/2023/TT-BTTTT") == "22 2023 tt btttt"
    assert number_key("42/2022/NĐ-CP") == "42 2022 nd cp"
    # Decomposed accents (as some systems paste them) and full-width digits fold the same.
    assert (
        number_key("62/2025/QD\u0309-UBND")
        == number_key("６２/２０２５/QĐ-UBND")
        == ("62 2025 qd ubnd")
    )


@pytest.mark.parametrize(
    "query",
    [
        "62/2025",
        "qd-ubnd 62",
        "62/2025/QD-UBND",
        "QĐ UBND 62 2025",
        "62/2025/QĐ-UBND",
        "ubnd",
        "  62 / 2025 ",
        "2025 62",
        "062/2025",
    ],
)
def test_every_spelling_finds_the_number(query):
    assert matches(query, number_key(NUMBER))


def test_leading_zeros_do_not_count():
    key = number_key("05/2024/TT-BNG")
    assert key == "5 2024 tt bng"
    assert matches("05/2024", key)
    assert matches("5/2024/TT-BNG", key)
    assert number_key("0/2024") == "0 2024"


@pytest.mark.parametrize(
    "query",
    [
        "63/2025",
        "62/2024",
        "62/2025/NĐ-CP",
        "qd-ubnd 6",  # a token must be whole: 6 is not 62
        "62/2025/QĐ-UBND/1",
        "",
        "  / - ",
    ],
)
def test_other_numbers_do_not_match(query):
    assert not matches(query, number_key(NUMBER))


def test_query_tokens_are_unique_and_bounded():
    assert query_tokens("62 62 QĐ qd") == ["62", "qd"]
    assert len(query_tokens(" ".join(str(n) for n in range(100)))) == 16


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("62/2025", True),
        ("qd-ubnd 62", True),
        ("QĐ 62", True),
        ("NĐ-CP 42", True),
        ("62/2025/QĐ-UBND", True),
        ("TT 22", True),
        ("công văn CV 15", True),
        ("2025", False),
        ("hội nghị 2025", False),
        ("QĐ-UBND", False),  # no digit: the words are searched
        ("Hải Phòng", False),
        ("", False),
    ],
)
def test_looks_like_number(query, expected):
    assert looks_like_number(query) is expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("qd-ubnd 62", True),
        ("QĐ 62", True),
        ("ubnd 2025 62", True),
        ("62/2025/QĐ-UBND", True),
        ("decision 62/2025", False),  # words beside it: searched as words too
        ("công văn CV 15", False),
        ("2025 62", False),  # no slash, no abbreviation: not a number
    ],
)
def test_only_number(query, expected):
    assert only_number(query) is expected
