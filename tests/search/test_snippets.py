"""Snippets and titles: escaped text, marks placed by the analyzer's positions."""

import pytest

from cangxanh.core.text import splits_run
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


# Text without punctuation: only the words say where a snippet may start.
JA_FILLER = (
    "国際交流課は長年にわたり各国の自治体との協力を続けており地域の若者の交流事業も広げている" * 3
)
ZH_FILLER = "外事部门多年来一直与各国城市保持密切合作并不断扩大青年交流项目的规模和范围" * 3


def _shown(text: str, q: str) -> tuple[str, int]:
    """The snippet's text without marks or ellipses, and where it starts in `text`."""
    found = snippet(text, phrases(q))
    plain = found.replace("<mark>", "").replace("</mark>", "").strip("…")
    return plain, text.index(plain)


@pytest.mark.parametrize(
    ("filler", "q", "after"),
    [
        (JA_FILLER, "ハイフォン", "市の担当者と環境協力について話し合い今後の計画を確認した"),
        (ZH_FILLER, "绿色港口", "合作问题及人才培训计划"),
    ],
    ids=["ja", "zh"],
)
def test_japanese_and_chinese_snippets_do_not_start_inside_a_number(filler, q, after):
    # The date stands at every distance before the match: the snippet's start, about two
    # dozen characters before it, falls in 2026, 10 and 17 in turn ("…0月17日").
    for gap in range(5, 40):
        text = filler[:60] + "2026年10月17日" + filler[60 : 60 + gap] + q + after + filler
        plain, at = _shown(text, q)
        assert q in plain
        assert not splits_run(text, at), plain[:12]
        assert not splits_run(text, at + len(plain)), plain[-12:]


def test_a_cjk_snippet_starts_after_the_clause_before_it():
    clause = "。2026年10月17日，海防市代表团抵达北九州市并讨论绿色港口合作"
    plain, _at = _shown(ZH_FILLER + clause + ZH_FILLER, "绿色港口")
    assert plain.startswith("2026年10月17日，海防市代表团")


def test_a_japanese_snippet_starts_at_a_phrase_not_inside_a_word():
    # Started two dozen characters before the match, it would begin "…本の北九州市".
    text = JA_FILLER[:60] + "日本の北九州市" + JA_FILLER[60:82] + "ハイフォン市の担当者" + JA_FILLER
    plain, _at = _shown(text, "ハイフォン")
    assert plain.startswith("北九州市")
