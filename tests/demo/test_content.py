"""The demo's words agree with themselves: credits name people, and each place is spelt one way
in each language, in every content file as the demo command reads it (tomllib).

A newcomer noticed the software credited as photographer, "Hải Phòng" and "Hai Phong" on one
English page, and Lạch Huyện as 沥县 in an article and 拉县 under its picture (issue 15).
"""

import re
import tomllib
from collections.abc import Iterator

import pytest

from cangxanh.demo.loader import CONTENT

LANGS = ("vi", "en", "ko", "ja", "zh-hans")

# English writes Vietnamese place names without diacritics, as English-language official
# usage does ("Hai Phong", "Lach Huyen"); people keep theirs. Accented form: what English says.
ENGLISH_PLACES = {
    "Hải Phòng": "Hai Phong",
    "Lạch Huyện": "Lach Huyen",
    "Cát Bà": "Cat Ba",
    "Cát Bi": "Cat Bi",
    "Cát Hải": "Cat Hai",
    "Đồ Sơn": "Do Son",
    "Đình Vũ": "Dinh Vu",
    "Tràng Duệ": "Trang Due",
    "Lan Hạ": "Lan Ha",
    "Hạ Long": "Ha Long",
    "Hà Nội": "Hanoi",
    "Ha Noi": "Hanoi",
    "Tiên Lãng": "Tien Lang",
    "Thủy Nguyên": "Thuy Nguyen",
    "Quảng Ninh": "Quang Ninh",
    "Hồng Bàng": "Hong Bang",
    "Kiến An": "Kien An",
    "Cửa Cấm": "Cua Cam",
    "Cấm River": "Cam River",
    "Tân Vũ": "Tan Vu",
    "Bàng La": "Bang La",
    "An Lão": "An Lao",
}

# One spelling per place (or body) and language: (language, the spelling, the others seen).
SPELLINGS = [
    ("zh-hans", "拉县", ["沥县", "沥湖"]),  # Lạch Huyện: 拉县港 is the name in use
    ("zh-hans", "兰夏", ["兰下"]),  # Lan Hạ
    ("zh-hans", "吉碑", ["吉碧"]),  # Cát Bi
    ("zh-hans", "亭武", ["定武"]),  # Đình Vũ
    ("zh-hans", "庄瑞", ["长睿", "长瑞"]),  # Tràng Duệ
    ("zh-hans", "外务厅", ["外事厅", "外事局"]),  # Sở Ngoại vụ, the portal's own office
    ("ja", "ラックフェン", ["ラックフエン"]),  # Lạch Huyện
    ("ja", "カットバ", ["カットバー"]),  # Cát Bà
    ("ja", "ランハ", ["ランハー"]),  # Lan Hạ
    ("ja", "カットビ", ["カットビー"]),  # Cát Bi
    ("ja", "ディープC", ["ディープシー"]),  # Deep C industrial zone
    ("ja", "ハイフォン海事港湾局", ["ハイフォン港湾局"]),  # the Maritime Administration
    ("ko", "짱주에", ["짱쥬에"]),  # Tràng Duệ
    ("ko", "껌강", ["깜강"]),  # the Cấm River
    ("ko", "딥씨", ["딥시"]),  # Deep C
    ("ko", "하이퐁 해사항만청", ["하이퐁 항만청"]),  # the Maritime Administration
]


def content() -> Iterator[tuple[str, dict]]:
    for path in sorted(CONTENT.rglob("*.toml")):
        with open(path, "rb") as fh:
            yield str(path.relative_to(CONTENT)), tomllib.load(fh)


def texts(node, lang: str | None = None, where: str = "") -> Iterator[tuple[str | None, str, str]]:
    """Every string with its language: under a language key (`[en]`, `en = …`), or in a
    table that says `lang = "en"` / `language = "en"` (questions, comments, new versions)."""
    if isinstance(node, dict):
        for marker in ("lang", "language"):
            if node.get(marker) in LANGS:
                lang = node[marker]
        for key, value in node.items():
            yield from texts(value, key if key in LANGS else lang, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts(value, lang, f"{where}[{i}]")
    elif isinstance(node, str):
        yield lang, where, node


def all_texts() -> list[tuple[str, str | None, str, str]]:
    return [(name, *item) for name, data in content() for item in texts(data)]


def credits(node) -> Iterator[str]:
    if isinstance(node, dict):
        if "credit" in node:
            yield node["credit"]
        for value in node.values():
            yield from credits(value)
    elif isinstance(node, list):
        for value in node:
            yield from credits(value)


def test_every_picture_credits_a_person_never_the_software():
    found = [credit for _, data in content() for credit in credits(data)]
    # images.toml's illustrations, the agency's portraits and map, the partners' pictures
    assert len(found) >= 20
    assert all(credit.strip() for credit in found)
    assert not [c for c in found if "cangxanh" in c.lower() or "demo" in c.lower()]


def test_english_writes_places_without_diacritics():
    english = [(name, where, text) for name, lang, where, text in all_texts() if lang == "en"]
    assert len(english) > 500  # the walk finds the English texts at all
    wrong = [
        f"{name}{where}: {accented!r} (English: {plain!r})"
        for name, where, text in english
        for accented, plain in ENGLISH_PLACES.items()
        if re.search(rf"(?<!\w){re.escape(accented)}(?!\w)", text)
    ]
    assert wrong == []
    assert any("Hai Phong" in text for _, _, text in english)


def test_english_writes_the_country_as_its_state_does():
    """English writes "Viet Nam", as the country's own agencies do (and the interface:
    "Viet Nam time"); "Vietnam" only inside a company's or an office's own name."""
    own_names = ("Minori Optical Components Vietnam", "Country Director for Vietnam")
    english = [(name, where, text) for name, lang, where, text in all_texts() if lang == "en"]
    wrong = []
    for name, where, text in english:
        for own in own_names:
            text = text.replace(own, "")
        if re.search(r"\bVietnam(?!ese)\b", text):
            wrong.append(f"{name}{where}")
    assert wrong == []
    assert any("Viet Nam" in text for _, _, text in english)


@pytest.mark.parametrize(("lang", "spelling", "others"), SPELLINGS, ids=lambda v: str(v))
def test_one_spelling_per_place_and_language(lang, spelling, others):
    written = [(name, where, text) for name, code, where, text in all_texts() if code == lang]
    assert any(spelling in text for _, _, text in written)
    assert [
        f"{name}{where}: {other}"
        for name, where, text in written
        for other in others
        if other in text
    ] == []


def test_japanese_names_the_citys_departments_with_shi():
    """ハイフォン alone is the place; the city as an administration is ハイフォン市 (its
    departments, its People's Committee), as the articles write it everywhere else."""
    japanese = [text for _, lang, _, text in all_texts() if lang == "ja"]
    bodies = (
        r"外務局|人民委員会|人民評議会|の各部局|(?:計画投資|建設|商工|内務|交通運輸|科学技術)局"
    )
    assert [m.group(0) for t in japanese for m in re.finditer(rf"ハイフォン(?:{bodies})", t)] == []
    assert sum(t.count("ハイフォン市外務局") for t in japanese) >= 10
