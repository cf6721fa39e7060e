"""Shortened texts end between words, in every language, with one ellipsis."""

import pytest
from django.template import Context, Template
from django.utils import translation

from cangxanh.core.text import ELLIPSIS, shorten, splits_run

EN = "The city will speed up tax refunds and land allocation for investors in its industrial parks."
VI = "Thành phố đẩy nhanh hoàn thuế và giao đất cho nhà đầu tư tại các khu công nghiệp mới."
KO = "하이퐁시는 2026년 10월 17일 기타큐슈시와 환경 협력 각서를 체결하고 청년 교류를 늘리기로 했다."
JA = "ハイフォン市は2026年10月17日、APECの会合で北九州市との協力について話し合い、新しい計画を発表した。"
ZH = "海防市与北九州市于2026年10月17日签署合作备忘录，双方将在APEC框架下推进绿色港口建设。"


def test_english_is_cut_after_the_last_whole_word():
    # Cut by characters, this would end "…refunds and lan…".
    assert shorten(EN, 43, "en") == "The city will speed up tax refunds and…"
    assert shorten(EN, 44, "en") == "The city will speed up tax refunds and land…"


def test_vietnamese_is_cut_between_syllables_never_inside_one():
    assert shorten(VI, 30, "vi") == "Thành phố đẩy nhanh hoàn thuế…"
    assert shorten(VI, 27, "vi") == "Thành phố đẩy nhanh hoàn…"


def test_korean_is_cut_at_a_space():
    assert shorten(KO, 21, "ko") == "하이퐁시는 2026년 10월 17일…"
    assert shorten(KO, 19, "ko") == "하이퐁시는 2026년 10월…"


@pytest.mark.parametrize(("text", "lang"), [(EN, "en"), (VI, "vi"), (KO, "ko")])
def test_spaced_languages_keep_whole_words_at_every_length(text, lang):
    for limit in range(12, len(text)):
        cut = shorten(text, limit, lang)
        kept = cut.removesuffix(ELLIPSIS)
        assert len(cut) <= limit and cut.endswith(ELLIPSIS)
        assert text.startswith(kept)
        assert not text[len(kept)].isalnum(), (limit, cut)


@pytest.mark.parametrize(("text", "lang"), [(JA, "ja"), (ZH, "zh-hans")])
def test_japanese_and_chinese_never_split_a_number_or_a_latin_word(text, lang):
    for limit in range(4, len(text)):
        cut = shorten(text, limit, lang)
        kept = cut.removesuffix(ELLIPSIS)
        assert len(cut) <= limit and cut.endswith(ELLIPSIS)
        assert text.startswith(kept)
        assert not splits_run(text, len(kept)), (limit, cut)
        assert not cut.endswith(("…0月", "AP…", "202…"))


def test_japanese_and_chinese_end_after_a_clause_near_the_limit():
    # Cut by characters: "ハイフォン市は2026年10月17日、APEC…"; the clause ends just before.
    assert shorten(JA, 24, "ja") == "ハイフォン市は2026年10月17日…"
    assert shorten(ZH, 34, "zh-hans") == "海防市与北九州市于2026年10月17日签署合作备忘录…"
    # The limit falls inside 10: the number is left out whole ("2026年1…" by characters).
    assert shorten(ZH, 16, "zh-hans") == "海防市与北九州市于2026年…"


def test_the_ellipsis_is_one_character_without_space_or_punctuation_before_it():
    text = "Hai Phong, Kitakyushu and Busan signed an agreement on green ports."
    assert shorten(text, 12, "en") == "Hai Phong…"
    assert shorten("Các bạn trẻ ... rồi về nước sau kỳ nghỉ hè", 16, "vi") == "Các bạn trẻ…"
    for limit in range(5, len(EN)):
        cut = shorten(EN, limit, "en")
        assert "..." not in cut and " …" not in cut and cut.count(ELLIPSIS) == 1


def test_a_text_that_fits_is_left_as_it_is():
    assert shorten("Hải Phòng", 20, "vi") == "Hải Phòng"
    assert shorten(EN, len(EN), "en") == EN
    assert shorten("Trailing dots...", 16, "en") == "Trailing dots..."
    assert shorten("", 10, "ja") == ""


def test_a_text_in_another_language_than_the_page_is_still_cut_between_words():
    # Chinese on an English page: no space to cut at, so not split inside 2026.
    cut = shorten(ZH, 17, "en")
    assert not splits_run(ZH, len(cut) - 1)
    # English on a Japanese page: not inside a word.
    kept = shorten(EN, 43, "ja").removesuffix(ELLIPSIS)
    assert not EN[len(kept)].isalnum()


def test_the_template_filter_cuts_in_the_page_language():
    template = Template("{% load portal %}{{ text|shorten:43 }}")
    with translation.override("en"):
        assert template.render(Context({"text": EN})) == "The city will speed up tax refunds and…"
    with translation.override("ja"):
        assert Template("{% load portal %}{{ text|shorten:24 }}").render(Context({"text": JA})) == (
            "ハイフォン市は2026年10月17日…"
        )
