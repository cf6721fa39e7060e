"""The analyzer, as pure functions: folding, CJK and Hangul bigrams, stemming, queries."""

import itertools
import unicodedata

import pytest

from cangxanh.search.analyzer import (
    FILLER,
    MAX_QUERY_CHARS,
    MAX_UNITS,
    index_text,
    parse_query,
    plain_text,
    tokens,
    word_forms,
)

# Vietnamese vowels as base letter + the vowel's own mark (breve, circumflex, horn).
VOWELS = {
    "a": ["", "\u0306", "\u0302"],  # a ă â
    "e": ["", "\u0302"],  # e ê
    "i": [""],
    "o": ["", "\u0302", "\u031b"],  # o ô ơ
    "u": ["", "\u031b"],  # u ư
    "y": [""],
}
# No tone, huyền, sắc, hỏi, ngã, nặng.
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def folded(text: str) -> list[str]:
    return [t.folded for t in tokens(text)]


def exact(text: str) -> list[str]:
    return [t.exact for t in tokens(text)]


@pytest.mark.parametrize("base", list(VOWELS))
def test_every_vietnamese_vowel_with_every_tone_folds_to_its_base_letter(base):
    seen = set()
    for mark, tone, upper in itertools.product(VOWELS[base], TONES, (False, True)):
        letter = unicodedata.normalize("NFC", (base.upper() if upper else base) + mark + tone)
        assert len(letter) == 1, f"{letter!r} should compose to one character"
        seen.add(letter)
        assert word_forms(letter)[1] == base, letter
        # The exact form keeps the marks (lower case).
        assert word_forms(letter)[0] == letter.lower()
    assert len(seen) == len(VOWELS[base]) * len(TONES) * 2


def test_d_with_stroke_folds_to_d_and_whole_words_fold():
    assert word_forms("đ") == ("đ", "d")
    assert word_forms("Đ") == ("đ", "d")
    assert folded("Đà Nẵng Cần Thơ vận tải biển Hải Phòng") == [
        "da",
        "nang",
        "can",
        "tho",
        "van",
        "tai",
        "bien",
        "hai",
        "phong",
    ]
    assert exact("Đà Nẵng") == ["đà", "nẵng"]


def test_decomposed_input_is_the_same_as_composed():
    composed = "Đoàn đại biểu thăm Hải Phòng và Đà Nẵng"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert folded(decomposed) == folded(composed)
    assert exact(decomposed) == exact(composed)
    assert parse_query(decomposed).units == parse_query(composed).units


def test_casefold_and_full_width_forms():
    assert folded("STRASSE Straße") == ["strasse", "strasse"]
    assert folded("ＨＡＩ　ＰＨＯＮＧ ２０２４") == ["hai", "phong", "2024"]


def test_marks_are_only_removed_from_letters_not_from_kana():
    # が is か + a voicing mark once decomposed: it must stay が.
    assert folded("ガイド") == ["ガイ", "イド"]
    assert folded("がか") == ["がか"]


@pytest.mark.parametrize(
    ("text", "grams"),
    [
        ("海防", ["海防"]),
        ("北九州市", ["北九", "九州", "州市"]),
        ("釜山港", ["釜山", "山港"]),
        ("ハイフォン", ["ハイ", "イフ", "フォ", "ォン"]),
        ("港", ["港"]),
    ],
)
def test_chinese_and_japanese_become_overlapping_bigrams(text, grams):
    assert folded(text) == grams


def test_a_cjk_word_is_found_inside_a_longer_run():
    run = folded("北九州市の代表団")
    for word in ("北九州", "海防"):
        needle = folded(word)
        found = any(run[i : i + len(needle)] == needle for i in range(len(run)))
        assert found == (word == "北九州")


def test_korean_word_is_found_with_its_particles_attached():
    text = folded("하이퐁시의 대표단이 하이퐁에서")
    needle = folded("하이퐁")
    assert needle == ["하이", "이퐁"]
    hits = [i for i in range(len(text)) if text[i : i + 2] == needle]
    assert len(hits) == 2


def test_scripts_are_split_where_they_meet():
    assert folded("Deep C工业区2024年") == ["deep", "c", "工业", "业区", "2024", "年"]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("ports", "port"),
        ("cities", "city"),
        ("delegations", "delegation"),
        ("news", "news"),
        ("glass", "glass"),
        ("bus", "bus"),
        ("Vietnam's", "vietnam"),
        ("tàu", "tau"),
    ],
)
def test_light_english_stemming(word, stem):
    assert word_forms(word)[1] == stem


def test_index_text_keeps_title_lead_and_body_apart():
    text = index_text("Hải Phòng", "Cần Thơ", "<p>Đà <em>Nẵng</em></p><p>北九州</p>")
    assert text.title == "hai phong"
    assert text.body == f"can tho {FILLER} da nang 北九 九州"
    assert text.exact == f"hải phòng {FILLER} cần thơ {FILLER} đà nẵng 北九 九州"
    assert text.chars == "北 九 州"


def test_plain_text_separates_blocks_and_joins_inline_markup():
    assert plain_text("<p>Hải<strong>Phòng</strong></p><p>Busan&amp;Incheon</p>") == (
        "HảiPhòng Busan&Incheon"
    )


def test_query_units_phrases_and_quotes():
    query = parse_query('"Hải Phòng" cảng Hai-Phong 北九州 港')
    units = query.units
    assert [u.folded for u in units] == [
        ("hai", "phong"),
        ("cang",),
        ("hai", "phong"),
        ("北九", "九州"),
        ("港",),
    ]
    assert [u.quoted for u in units] == [True, False, False, False, False]
    assert units[0].exact == ("hải", "phòng") and units[0].marked
    assert units[4].single_cjk
    # The unquoted words that can stand together, as one phrase.
    assert query.run.folded == ("cang", "hai", "phong", "北九", "九州")


@pytest.mark.parametrize(
    "raw",
    ['"unpaired quote', "„Hải Phòng“", "「海防」", "“Đà Nẵng”"],
)
def test_quotes_of_every_kind_make_a_phrase_and_unpaired_ones_run_to_the_end(raw):
    units = parse_query(raw).units
    assert len(units) == 1
    assert len(units[0].folded) == 2 or units[0].folded == ("海防",)


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "\x00\x1f", "*", "-", "()", "😀🚢", "\u0301\u0303", "\u200b\u200d"],
)
def test_nothing_searchable_gives_an_empty_query(raw):
    query = parse_query(raw)
    assert query.empty
    assert "\x00" not in query.text


def test_fts_and_sql_syntax_is_only_words():
    query = parse_query("'; DROP TABLE news; -- NEAR(a b) OR AND NOT title:x*")
    assert [u.folded for u in query.units] == [
        ("drop",),
        ("table",),
        ("news",),
        ("near",),
        ("a",),
        ("b",),
        ("or",),
        ("and",),
        ("not",),
        ("title",),
        ("x",),
    ]


def test_long_queries_are_cut_and_say_so():
    long = parse_query("cảng " * 5000)
    assert long.shortened and len(long.text) <= MAX_QUERY_CHARS
    many = parse_query(" ".join(f"w{i}" for i in range(40)))
    assert many.shortened and len(many.units) == MAX_UNITS
    assert not parse_query("cảng biển").shortened
