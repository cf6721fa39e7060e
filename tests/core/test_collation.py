"""Sorting in the order a language's readers expect (core.collation)."""

import random

from cangxanh.core import collation


def test_vietnamese_follows_its_alphabet_then_its_tones():
    expected = [
        "Anh", "Áo", "Ấn Độ", "Ba Lan", "Bỉ", "Cuba", "Đan Mạch", "Đức", "Hà Lan", "Hàn Quốc",
        "Lào", "Mỹ", "Nga", "Nhật Bản", "Ô-xtrây-li-a", "Pháp", "Trung Quốc", "Ý",
    ]  # fmt: skip
    shuffled = expected[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=lambda name: collation.key(name, "vi")) == expected


def test_tones_decide_only_between_the_same_letters():
    words = ["ma", "mà", "mả", "mã", "má", "mạ", "mă", "mâ", "mb"]
    assert sorted(reversed(words), key=lambda word: collation.key(word, "vi")) == words


def test_other_languages_sort_their_folded_letters_then_accents():
    names = ["denmark", "Germany", "cuba", "Áustria", "Austria"]
    assert sorted(names, key=lambda name: collation.key(name, "en")) == [
        "Austria", "Áustria", "cuba", "denmark", "Germany",
    ]  # fmt: skip
