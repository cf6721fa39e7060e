"""A draft's paragraph anchors survive a new version: edits, moves, inserts, deletes, and an
editor that drops every id. No database."""

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cangxanh.consultations import anchors
from cangxanh.consultations.anchors import Paragraph, carry, paragraphs
from cangxanh.editorial import segments
from cangxanh.news.sanitize import sanitize_html

ANCHOR = re.compile(r"p-[0-9a-f]{8}")
EDITOR_OUTPUT = Path(__file__).parents[1] / "news" / "fixtures" / "editor-output.html"

LONG = (
    "Nghị định này quy định việc tổ chức và quản lý các hoạt động hợp tác quốc tế của "
    "Ủy ban nhân dân thành phố, các sở, ban, ngành và Ủy ban nhân dân các quận, huyện."
)
# A draft as the editor writes it: a list item's words sit in a <p>, a quotation's too.
DRAFT = (
    "<h2>Chương I. Quy định chung</h2>"
    "<h3>Điều 1. Phạm vi điều chỉnh</h3>"
    f"<p>{LONG}</p>"
    "<h3>Điều 2. Đối tượng áp dụng</h3>"
    "<ul><li><p>Cơ quan chuyên môn thuộc Ủy ban nhân dân thành phố.</p></li>"
    "<li><p>Tổ chức, cá nhân nước ngoài làm việc với thành phố.</p></li></ul>"
    "<blockquote><p>Hợp tác quốc tế phải bảo đảm chủ quyền và lợi ích quốc gia.</p></blockquote>"
    "<p>Nghị định có hiệu lực kể từ ngày ký.</p>"
)


def without_ids(html: str) -> str:
    """What the rich-text editor sends back: the same body, every id dropped."""
    return re.sub(r' id="[^"]*"', "", html)


def keys(html: str) -> list[str]:
    return [p.key for p in paragraphs(html)]


def by_text(html: str) -> dict[str, str]:
    return {p.text: p.key for p in paragraphs(html)}


@pytest.fixture
def v1() -> str:
    return carry(None, DRAFT)


def test_every_block_gets_an_anchor_of_its_own_and_nothing_else_changes(v1):
    assert len(keys(v1)) == 8
    assert all(ANCHOR.fullmatch(key) for key in keys(v1))
    assert len(set(keys(v1))) == 8
    # The <p> inside a list item or a quotation is the anchor, not what holds it.
    assert "<ul><li><p id=" in v1
    assert "<blockquote><p id=" in v1
    assert without_ids(v1) == DRAFT


def test_what_carry_writes_the_cleaner_keeps_as_it_is(v1):
    assert sanitize_html(v1) == v1
    editor = sanitize_html(EDITOR_OUTPUT.read_text())
    carried = carry(None, editor)
    assert sanitize_html(carried) == carried
    assert without_ids(carried) == editor
    # Every block holding words has its anchor, in tables and lists too.
    assert {p.tag for p in paragraphs(carried)} == {"h2", "h3", "h4", "p"}
    assert all(p.key for p in paragraphs(carried))


def test_ids_the_editor_dropped_come_back(v1):
    assert carry(v1, without_ids(v1)) == v1


def test_a_typo_fixed_keeps_the_anchor(v1):
    heading = by_text(v1)["Điều 2. Đối tượng áp dụng"]
    v2 = carry(
        v1, without_ids(v1).replace("Đối tượng", "Đối tựơng").replace("quy định", "quỵ định")
    )
    assert keys(v2) == keys(v1)
    assert by_text(v2)["Điều 2. Đối tựơng áp dụng"] == heading


def test_a_typo_in_a_two_word_heading_keeps_the_anchor():
    # Word by word, one of two words differs (0.5); letter by letter they are alike.
    v1 = carry(None, "<h3>Hiệu lưc</h3><p>Khác.</p>")
    v2 = carry(v1, "<h3>Hiệu lực</h3><p>Khác.</p>")
    assert keys(v2) == keys(v1)


def test_a_sentence_added_keeps_the_anchor(v1):
    added = LONG + " Việc hợp tác được thực hiện theo kế hoạch hằng năm đã được phê duyệt."
    v2 = carry(v1, without_ids(v1).replace(LONG, added))
    assert keys(v2) == keys(v1)
    assert by_text(v2)[added] == by_text(v1)[LONG]


def test_reordered_paragraphs_keep_their_anchors():
    blocks = [f"<p>Khoản {n}. {text}</p>" for n, text in enumerate(["Một", "Hai", "Ba", "Bốn"])]
    v1 = carry(None, "".join(blocks))
    v2 = carry(v1, "".join(reversed(blocks)))
    assert by_text(v2) == by_text(v1)
    assert keys(v2) == list(reversed(keys(v1)))


def test_a_paragraph_edited_and_moved_keeps_its_anchor(v1):
    old = "<p>Nghị định có hiệu lực kể từ ngày ký.</p>"
    new = "<p>Nghị định này có hiệu lực thi hành kể từ ngày ký.</p>"
    v2 = carry(v1, new + without_ids(v1).replace(old, ""))
    assert (
        by_text(v2)["Nghị định này có hiệu lực thi hành kể từ ngày ký."]
        == by_text(v1)["Nghị định có hiệu lực kể từ ngày ký."]
    )
    assert sorted(keys(v2)) == sorted(keys(v1))


def test_paragraphs_inserted_before_leave_the_others_their_anchors(v1):
    inserted = "<h2>Lời nói đầu</h2><p>Căn cứ Luật Tổ chức chính quyền địa phương;</p>"
    v2 = carry(v1, inserted + without_ids(v1))
    assert keys(v2)[2:] == keys(v1)
    assert len(set(keys(v2))) == 10
    assert not set(keys(v2)[:2]) & set(keys(v1))


def test_a_deleted_paragraph_takes_its_anchor_with_it(v1):
    deleted = by_text(v1)[LONG]
    v2 = carry(v1, without_ids(v1).replace(f"<p>{LONG}</p>", ""))
    assert deleted not in keys(v2)
    assert keys(v2) == [key for key in keys(v1) if key != deleted]


def test_a_new_paragraph_in_a_deleted_ones_place_gets_a_new_anchor(v1):
    deleted = by_text(v1)[LONG]
    other = "<p>Sở Ngoại vụ là cơ quan đầu mối giúp thành phố về công tác đối ngoại.</p>"
    v2 = carry(v1, without_ids(v1).replace(f"<p>{LONG}</p>", other))
    assert deleted not in keys(v2)
    assert set(keys(v2)) - set(keys(v1)) == {by_text(v2)[re.sub("<[^>]+>", "", other)]}


def test_an_anchor_the_previous_version_used_is_never_given_to_a_new_paragraph():
    new = "<p>Điều khoản mới.</p>"
    # What this paragraph would get on a body of its own...
    fresh = keys(carry(None, new))[0]
    # ...but the previous version gave that id to a paragraph now deleted.
    previous = f'<p id="{fresh}">Một đoạn văn hoàn toàn khác đã bị xóa khỏi dự thảo.</p>'
    v2 = carry(previous, new)
    assert ANCHOR.fullmatch(keys(v2)[0])
    assert keys(v2) != [fresh]


def test_identical_paragraphs_each_keep_their_own_anchor():
    body = "".join(f"<p>{text}</p>" for text in ["A", "Bãi bỏ.", "B", "Bãi bỏ.", "C", "Bãi bỏ."])
    v1 = carry(None, body)
    a, x1, b, x2, c, x3 = keys(v1)
    assert len({x1, x2, x3}) == 3
    # Inserted before: each keeps its own, in order.
    v2 = carry(v1, "<p>Mới</p>" + without_ids(v1))
    assert keys(v2)[1:] == keys(v1)
    # The repeat after "B" deleted: the others keep theirs by their place, not by their turn.
    v3 = carry(v1, "".join(f"<p>{text}</p>" for text in ["A", "Bãi bỏ.", "B", "C", "Bãi bỏ."]))
    assert keys(v3) == [a, x1, b, c, x3]


def test_the_same_save_gives_the_same_html(v1):
    assert carry(None, DRAFT) == v1
    edited = without_ids(v1).replace("Chương I", "Chương 1") + "<p>Điều khoản chuyển tiếp.</p>"
    v2 = carry(v1, edited)
    assert carry(v1, edited) == v2
    # Saved again with nothing changed, and again after the editor dropped the ids.
    assert carry(v2, v2) == v2
    assert carry(v2, without_ids(v2)) == v2


def test_vietnamese_typed_decomposed_is_the_same_text(v1):
    # Some keyboards and pastes write "ệ" as "e" + two combining marks.
    decomposed = unicodedata.normalize("NFD", without_ids(v1))
    assert decomposed != without_ids(v1)
    assert keys(carry(v1, decomposed)) == keys(v1)


def test_vietnamese_old_style_tone_marks_keep_the_anchor():
    v1 = carry(None, "<h2>Ủy ban nhân dân thành phố Hải Phòng</h2><p>Khác.</p>")
    v2 = carry(v1, "<h2>Uỷ ban nhân dân thành phố Hải Phòng</h2><p>Khác.</p>")
    assert keys(v2) == keys(v1)


CJK = {
    "zh": (
        "本办法适用于本市各级国家机关与外国城市开展的友好交流与合作活动。",
        "本办法适用于本市各级国家机关与外国地方政府开展的友好交流与合作活动。",
    ),
    "zh-long": (
        "市外事办公室负责统筹协调全市的对外交往工作，指导各区、各部门开展国际交流与合作，"
        "审核出访计划和来访接待方案，并对外事活动的安全保密工作进行监督检查。",
        "市外事办公室负责统筹协调全市的对外交往工作，指导各区、各部门开展国际交流与合作，"
        "审核出访计划和来访接待方案，并对外事活动的安全保密工作进行监督检查。"
        "具体办法由市外事办公室另行制定。",
    ),
    "ja": (
        "本市と海外の姉妹都市との交流に関する事務は、国際課が所管する。",
        "本市と海外の友好都市との交流に関する事務は、国際交流課が所管する。",
    ),
    "ko": (
        "이 규정은 시의 국제 교류 및 협력 업무에 적용한다.",
        "이 규정은 시의 국제 교류 및 협력 업무 전반에 적용한다.",
    ),
}


@pytest.mark.parametrize(("before", "after"), CJK.values(), ids=CJK.keys())
def test_cjk_paragraphs_keep_their_anchor_through_an_edit(before, after):
    unrelated = "<p>附则：本办法自发布之日起施行。</p>"
    v1 = carry(None, f"<h2>第一条</h2><p>{before}</p>")
    v2 = carry(v1, f"{unrelated}<h2>第一条</h2><p>{after}</p>")
    assert keys(v2)[1:] == keys(v1)
    assert keys(v2)[0] not in keys(v1)


def test_a_rewritten_paragraph_is_a_new_one(v1):
    rewritten = "<p>Các quy định trước đây trái với Nghị định này đều bị bãi bỏ.</p>"
    v2 = carry(
        v1, without_ids(v1).replace("<p>Nghị định có hiệu lực kể từ ngày ký.</p>", rewritten)
    )
    assert by_text(v1)["Nghị định có hiệu lực kể từ ngày ký."] not in keys(v2)
    assert keys(v2)[:-1] == keys(v1)[:-1]


def test_malformed_and_repeated_ids_are_replaced():
    body = (
        '<p id="main">A</p><p id="p-ABCDEF12">B</p><p id="p-1234567">C</p>'
        '<p id="p-0000000a">D</p><p id="p-0000000a">E</p><h2 id=" p-0000000c">F</h2>'
        '<ul id="p-0000000b"><li id="p-0000000d"><p>G</p></li></ul>'
    )
    carried = carry(None, body)
    found = keys(carried)
    assert len(found) == 7 and len(set(found)) == 7
    assert all(ANCHOR.fullmatch(key) for key in found)
    assert found[3] == "p-0000000a"  # the first of the two keeps it
    assert "main" not in carried and "ABCDEF12" not in carried
    # Ids anywhere but on a block holding words go.
    assert "<ul><li><p id=" in carried
    assert sanitize_html(carried) == carried


def test_an_anchor_the_new_version_holds_is_kept(v1):
    """A restored revision, or a translation on the original's layout, keeps its ids
    even where the words are all different."""
    swapped = v1.replace("Nghị định có hiệu lực kể từ ngày ký.", "The decree takes effect.")
    assert carry(v1, swapped) == swapped


def test_a_translation_put_together_on_the_originals_layout_shares_its_anchors(v1):
    words = [f"Segment {n}" for n in range(len(segments.split(v1)))]
    words[2] = ""  # not translated yet: the paragraph is left out
    translated = segments.fill(v1, words)
    expected = [key for n, key in enumerate(keys(v1)) if n != 2]
    assert keys(translated) == expected
    assert carry(None, translated) == translated
    # The translator's editor drops the ids; the translation's own last version brings them back.
    assert keys(carry(translated, without_ids(translated))) == expected


def test_paragraphs_lists_each_block_with_its_anchor_and_words():
    body = (
        '<h2 id="p-0000000a">Điều <strong>1</strong></h2>'
        '<p id="p-0000000b">Dòng một<br>dòng\n  hai &amp; <a href="/x">ba</a></p>'
        '<ul><li id="p-0000000b">Lặp lại</li><li>Không có</li></ul>'
    )
    assert paragraphs(body) == [
        Paragraph("p-0000000a", "h2", "Điều 1", "Điều <strong>1</strong>"),
        Paragraph(
            "p-0000000b",
            "p",
            "Dòng một dòng hai & ba",
            'Dòng một<br>dòng\n  hai &amp; <a href="/x">ba</a>',
        ),
        Paragraph("", "li", "Lặp lại", "Lặp lại"),
        Paragraph("", "li", "Không có", "Không có"),
    ]
    assert paragraphs(None) == paragraphs("") == []


def test_a_draft_rewritten_from_top_to_bottom_costs_time_in_proportion_to_its_length(
    monkeypatch,
):
    compared = []

    def similarity(chars, words, new, old):
        compared.append((new, old))
        return 0.0

    monkeypatch.setattr(anchors, "_similarity", similarity)
    v1 = carry(None, "".join(f"<p>Đoạn cũ số {n}.</p>" for n in range(500)))
    carry(v1, "".join(f"<p>Đoạn mới số {n}.</p>" for n in range(500)))
    # Each previous paragraph is compared with the open ones near its place, not all 500.
    assert 500 * anchors._REACH <= len(compared) <= 500 * 2 * anchors._REACH


_PIECES = [
    "<p>", "</p>", "<li>", "</li>", "<ul>", "</ul>", "<h2>", "</h2>", "<blockquote>",
    "</blockquote>", '<p id="p-0000000a">', '<p id="main">', "<p id='p-0000000b'>", "<p id>",
    '<li id="p-0000000a" id="p-0000000b">', "<br>", "<br/>", "<p/>", "<img src=x>", "<",
    ">", "&amp;", "&", "\n", "\r\n", "Điều ", "本办法", "<!-- c -->", "<script>", "</script>",
    "<p <p>", '<a href="/x">', "</a>", "x",
]  # fmt: skip


@given(
    st.lists(st.sampled_from(_PIECES), max_size=40), st.lists(st.sampled_from(_PIECES), max_size=40)
)
@settings(max_examples=300, deadline=None)
def test_any_markup_gets_anchors_without_an_error(previous, new):
    previous, new = "".join(previous), "".join(new)
    carried = carry(previous, new)
    found = keys(carried)
    assert all(ANCHOR.fullmatch(key) for key in found)
    assert len(set(found)) == len(found)
    assert carry(carried, carried) == carried
