"""Suggestions for removing personal data from a question (questions.redact)."""

import pytest

from cangxanh.questions import redact


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("liên hệ an.nguyen@example.vn nhé", redact.EMAIL),
        ("gọi 0912 345 678", redact.PHONE),
        ("gọi 0912.345.678", redact.PHONE),
        ("call +84 912 345 678", redact.PHONE),
        ("(0225) 3823 456", redact.PHONE),
        ("CCCD 031190001234", redact.ID_NUMBER),
        ("CMND 123456789", redact.ID_NUMBER),
        ("CCCD 031 190 001 234", redact.ID_NUMBER),
    ],
)
def test_each_kind_is_found(text, kind):
    (found,) = redact.findings(text)
    assert found.kind == kind
    assert redact.REPLACEMENT in redact.suggest(text)


@pytest.mark.parametrize(
    "text",
    [
        "Phí là 100.000.000 đồng.",
        "Quyết định 62/2025/QĐ-UBND ngày 15/03/2026.",
        "Năm 2026 có 250 ngày làm việc.",
        "Đoàn 12 người đến ngày 20/11.",
    ],
)
def test_amounts_dates_and_document_numbers_are_not_personal_data(text):
    assert redact.findings(text) == []


def test_the_askers_name_is_found_with_or_without_accents_and_family_name():
    text = "Tôi là Nguyễn Văn An. Anh nguyen van an hỏi thêm; Văn An xin cảm ơn."
    suggested = redact.suggest(text, name="Nguyễn Văn An")
    assert "Nguyễn" not in suggested and "nguyen" not in suggested and "Văn An" not in suggested
    assert suggested.count(redact.REPLACEMENT) == 3
    assert "hỏi thêm" in suggested


def test_names_in_chinese_japanese_and_korean_run_into_the_text():
    assert redact.suggest("田中太郎です。", name="田中 太郎") == "[…]です。"
    assert redact.suggest("김민준입니다", name="김민준") == "[…]입니다"


def test_the_digest_names_one_exact_text():
    assert redact.digest("a", "b", "c") == redact.digest("a", "b", "c")
    assert redact.digest("a", "b", "c") != redact.digest("a", "bc", "")
