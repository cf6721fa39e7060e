"""The SVG: it parses, it has one bar per value at the right length, and it needs
nothing the Content-Security-Policy refuses (no style attribute or element, no
script); text is escaped; the picture is an image named by the table's summary."""

import time
from datetime import date, timedelta
from itertools import pairwise

import pytest
from lxml import etree

from cangxanh.charts import Column, Row, Table, day_row, render_chart, render_legend
from cangxanh.charts.svg import KINDS, NARROWEST, text_width, wrap

NS = {"s": "http://www.w3.org/2000/svg"}


def parsed(svg) -> etree._Element:
    return etree.fromstring(str(svg).encode())


def bars(root):
    """Every bar: a rect of class cx-bar, or a rect in a group of that class."""
    return root.xpath(
        "//s:rect[contains(concat(' ', @class, ' '), ' cx-bar ')"
        " or contains(concat(' ', ../@class, ' '), ' cx-bar ')]",
        namespaces=NS,
    )


def pct(value: str) -> float:
    assert value.endswith("%"), value
    return float(value[:-1])


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_parses_and_needs_no_inline_style_or_script(partners, delegations, kind):
    for table in (partners, delegations):
        svg = str(render_chart(table, kind))
        root = parsed(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("role") == "img"
        assert root.get("aria-label") == table.summary
        assert not root.xpath("//@style")
        assert not root.xpath("//s:style | //s:script | //s:foreignObject", namespaces=NS)
        assert not root.xpath("//@*[starts-with(name(), 'on')]")
        assert "style=" not in svg and "<style" not in svg


def test_labels_are_escaped(partners):
    svg = str(render_chart(partners, "hbar"))
    assert "<script>" not in svg
    texts = [t.xpath("string()") for t in parsed(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert any('<script>alert("x")</script>' in text for text in texts)
    quoted = Table('"', 'a "quoted" <b>summary</b> & more', "x", [Column("y")], [Row("a", (1,))])
    root = parsed(render_chart(quoted, "bar"))
    assert root.get("aria-label") == 'a "quoted" <b>summary</b> & more'


def test_horizontal_bars_one_per_value_at_relative_lengths(partners, delegations):
    root = parsed(render_chart(partners, "hbar"))
    found = bars(root)
    assert len(found) == 5  # zero included: a bar of no length
    widths = [pct(rect.get("width")) for rect in found]
    assert widths == pytest.approx([100, 80, 40, 20, 0])
    assert root.get("width") == "100%"  # fluid: text keeps its size on a phone

    root = parsed(render_chart(delegations, "hbar"))
    found = bars(root)
    assert len(found) == 7  # eight values, one missing
    top = 1234
    expected = [10, 4, 14, 6, 20, 1234, 8]
    assert [pct(r.get("width")) for r in found] == pytest.approx(
        [v / top * 100 for v in expected], abs=0.01
    )
    assert [r.get("class").split()[1] for r in found[:2]] == ["cx-s1", "cx-s2"]
    vertical = parsed(render_chart(delegations, "bar"))
    groups = vertical.xpath("//s:g[starts-with(@class, 'cx-bar ')]", namespaces=NS)
    assert [g.get("class") for g in groups] == ["cx-bar cx-s1", "cx-bar cx-s2"]
    assert [len(g) for g in groups] == [4, 3]


def test_vertical_bars_one_per_value_at_relative_heights(delegations):
    root = parsed(render_chart(delegations, "bar"))
    found = bars(root)
    assert len(found) == 7
    heights = [float(r.get("height")) for r in found]
    values = [10, 14, 20, 1234, 4, 6, 8]  # series by series
    for height, value in zip(heights, values, strict=True):
        assert height / heights[3] == pytest.approx(value / 1234, abs=0.003)
    # Bars stand on one baseline.
    bottoms = {round(float(r.get("y")) + float(r.get("height"))) for r in found}
    assert len(bottoms) == 1
    assert root.get("viewBox").startswith("0 0 360 ")


def test_stacked_bars_add_up(delegations):
    root = parsed(render_chart(delegations, "stacked"))
    found = bars(root)
    assert len(found) == 7
    # Per row, segments follow each other and the longest row fills the width.
    first, second = found[0], found[1]
    assert pct(second.get("x")) == pytest.approx(pct(first.get("x")) + pct(first.get("width")))
    assert pct(found[5].get("width")) + pct(found[6].get("width")) == pytest.approx(100)
    root = parsed(render_chart(delegations, "vstacked"))
    assert len(bars(root)) == 7


def test_a_line_has_a_point_per_value(delegations):
    root = parsed(render_chart(delegations, "line"))
    lines = root.xpath("//s:polyline", namespaces=NS)
    # The second series has a gap (2024): its line is cut in two, the lone point stays a dot.
    points = [len(line.get("points").split()) for line in lines]
    assert points[0] == 4
    dots = root.xpath("//s:circle", namespaces=NS)
    assert len(dots) == 7


def test_axis_labels_never_crowd_each_other():
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(90)]
    table = Table(
        "c", "s", "Ngày", [Column("Lượt xem")], [day_row(d, (n,), "vi") for n, d in enumerate(days)]
    )
    root = parsed(render_chart(table, "vstacked"))
    labels = [
        t
        for t in root.iter("{http://www.w3.org/2000/svg}text")
        if t.get("class") == "cx-tick" and t.text and "/" in t.text
    ]
    assert 3 <= len(labels) <= 12
    assert labels[-1].text == "31/3"  # the last day is always named
    xs = [float(t.get("x")) for t in labels]
    widest = max(text_width(t.text, 11) for t in labels)
    assert all(b - a >= widest for a, b in pairwise(xs))


def test_long_labels_are_wrapped_for_a_phone():
    lines = wrap(
        "Ủy ban nhân dân thành phố Hải Phòng và Cộng hòa Dân chủ Nhân dân Lào", 14, NARROWEST
    )
    assert len(lines) == 2
    assert all(text_width(line, 14) <= NARROWEST for line in lines)
    cjk = wrap("大韩民国仁川广域市与越南海防市建立友好城市关系已经三十年了", 14, NARROWEST)
    assert len(cjk) == 2 and all(text_width(line, 14) <= NARROWEST for line in cjk)
    cut = wrap("x " * 400, 14, NARROWEST)
    assert len(cut) == 3 and cut[-1].endswith("…")


def test_legend_only_for_several_series(partners, delegations):
    assert str(render_legend(partners)) == ""
    legend = str(render_legend(delegations))
    assert 'aria-hidden="true"' in legend and "Đoàn vào" in legend and "cx-s2" in legend


def test_unknown_kind_is_refused(partners):
    with pytest.raises(ValueError):
        render_chart(partners, "pie")


def test_what_a_chart_costs():
    """A ten-bar chart: a few kilobytes and about a millisecond (pygal 3.1.3: about 18 KB
    and 15 ms, with a <style> and a <script> the policy refuses)."""
    names = ["Hàn Quốc", "Nhật Bản", "Trung Quốc", "Hoa Kỳ", "Pháp", "Liên bang Nga", "Đức",
             "Cộng hòa Dân chủ Nhân dân Lào", "Thái Lan", "Úc"]  # fmt: skip
    table = Table("c", "s", "Quốc gia", [Column("Đối tác")],
                  [Row(n, (10 - i,)) for i, n in enumerate(names)])  # fmt: skip
    for kind in KINDS:
        svg = str(render_chart(table, kind))
        started = time.perf_counter()
        for _ in range(20):
            render_chart(table, kind)
        ms = (time.perf_counter() - started) / 20 * 1000
        print(f"{kind}: {len(svg.encode())} bytes, {ms:.2f} ms")
        assert len(svg.encode()) < 4000
        assert ms < 20


def test_long_labels_get_a_wider_picture_for_wide_boxes(partners):
    from cangxanh.charts import render_picture
    from cangxanh.charts.svg import WIDE_WRAP

    short = Table("c", "s", "r", [Column("v")], [Row("Hàn Quốc", (1,)), Row("Lào", (2,))])
    assert str(render_picture(short, "hbar")).count("<svg") == 1
    title = "Hải Phòng và Kitakyushu bàn giai đoạn mới hợp tác đô thị xanh"
    long = Table("c", "s", "r", [Column("v")], [Row(title, (1,)), Row("Lào", (2,))])
    picture = str(render_picture(long, "hbar"))
    assert picture.count("<svg") == 2
    narrow, wide = (
        etree.fromstring(part.encode()) for part in ("<svg" + p for p in picture.split("<svg")[1:])
    )
    assert "cx-svg--narrow" in narrow.get("class") and "cx-svg--wide" in wide.get("class")
    assert len(narrow.xpath("//s:text[@class='cx-label']", namespaces=NS)) == 3  # 2 lines + 1
    assert len(wide.xpath("//s:text[@class='cx-label']", namespaces=NS)) == 2
    assert all(
        text_width(t.text, 14) <= WIDE_WRAP for t in wide.iter("{http://www.w3.org/2000/svg}text")
    )
    assert str(render_picture(long, "bar")).count("<svg") == 1
