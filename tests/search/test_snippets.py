"""Snippets and titles: escaped text, marks placed by the analyzer's positions."""

from cangxanh.search.analyzer import parse_query
from cangxanh.search.snippets import SNIPPET_CHARS, snippet, spans, title


def phrases(q: str) -> list[tuple[str, ...]]:
    return [u.folded for u in parse_query(q).units]


def test_a_folded_query_marks_the_accented_words_as_written():
    assert title("Đoàn Đà Nẵng thăm Hải Phòng", [("da", "nang")]) == (
        "Đoàn <mark>Đà Nẵng</mark> thăm Hải Phòng"
    )


def test_a_phrase_marks_only_where_its_words_stand_together():
    text = "Phóng viên hàng hải đến Hải Phòng"
    assert title(text, [("hai", "phong")]) == "Phóng viên hàng hải đến <mark>Hải Phòng</mark>"


def test_cjk_marks_the_characters_of_the_word():
    assert title("北九州市の代表団", phrases("北九州")) == "<mark>北九州</mark>市の代表団"
    assert title("海防港口和釜山港", phrases("港")) == "海防<mark>港</mark>口和釜山<mark>港</mark>"
    assert title("하이퐁시의 대표단", phrases("하이퐁")) == "<mark>하이퐁</mark>시의 대표단"


def test_everything_is_escaped():
    marked = title("<b>Hải</b> & Phòng", [("hai",)])
    assert marked == "&lt;b&gt;<mark>Hải</mark>&lt;/b&gt; &amp; Phòng"


def test_the_snippet_is_the_stretch_with_the_matches():
    text = (
        ("Mở đầu dài dòng không liên quan. " * 20)
        + "Cảng Lạch Huyện đón tàu lớn. "
        + ("Phần kết. " * 30)
    )
    found = snippet(text, phrases("lach huyen"))
    assert "<mark>Lạch Huyện</mark>" in found
    assert found.startswith("…") and found.endswith("…")
    plain = found.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert len(plain) <= SNIPPET_CHARS + 25
    # Words are not cut in half at either end.
    at = text.index(plain)
    assert text[at - 1] == " " and text[at + len(plain)] == " "


def test_words_found_one_by_one_next_to_each_other_make_one_mark():
    assert title("Cảng Lạch Huyện", phrases("huyen lach")) == "Cảng <mark>Lạch Huyện</mark>"


def test_without_a_match_in_the_text_the_snippet_is_its_beginning():
    found = snippet("Một đoạn văn ngắn.", phrases("busan"))
    assert found == "Một đoạn văn ngắn."


def test_spans_merge_overlapping_bigrams():
    assert spans("北九州市", phrases("北九州")) == [(0, 3)]
    assert spans("", phrases("x")) == []
    assert spans("abc", []) == []
