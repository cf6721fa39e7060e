"""The accessible table: caption, scopes, numbers written the page's way, text escaped."""

import lxml.html
from django.utils import translation

from cangxanh.charts import DECIMAL, PERCENT, Column, format_number, render_table


def _parsed(html):
    return lxml.html.fragment_fromstring(str(html))


def test_the_table_has_its_caption_and_header_scopes(partners):
    table = _parsed(render_table(partners))
    assert table.tag == "table"
    assert table.find("caption").text_content() == "Đối tác theo quốc gia"
    heads = table.findall("thead/tr/th")
    assert [th.get("scope") for th in heads] == ["col", "col"]
    assert [th.text_content() for th in heads] == ["Quốc gia", "Đối tác"]
    rows = table.findall("tbody/tr")
    assert len(rows) == 5
    for row in rows:
        assert row.find("th").get("scope") == "row"
        assert len(row.findall("td")) == 1
    assert rows[0].find("th").text_content() == "Hàn Quốc"


def test_labels_are_escaped(partners):
    html = str(render_table(partners))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Ư&quot;" in html
    assert _parsed(html).findall("tbody/tr")[3].find("th").text_content() == (
        '<script>alert("x")</script> & "Ư"'
    )


def test_numbers_follow_the_language(delegations):
    with translation.override("vi"):
        vi = _parsed(render_table(delegations, totals=True))
    with translation.override("en"):
        en = _parsed(render_table(delegations, totals=True))
    assert vi.findall("tbody/tr")[3].findall("td")[0].text_content() == "1.234"
    assert en.findall("tbody/tr")[3].findall("td")[0].text_content() == "1,234"
    assert vi.findall("tbody/tr")[2].findall("td")[1].text_content() == "–"  # no value
    foot = vi.find("tfoot/tr")
    assert foot.find("th").get("scope") == "row"
    assert [td.text_content() for td in foot.findall("td")] == ["1.278", "18"]


def test_decimals_and_percentages_and_units(aid):
    with translation.override("vi"):
        table = _parsed(render_table(aid))
    assert table.findall("thead/tr/th")[1].text_content() == "Cam kết (USD)"
    cells = [td.text_content() for td in table.findall("tbody/tr")[0].findall("td")]
    assert cells == ["1.234.567,50", "62,5%"]
    with translation.override("en"):
        assert format_number(1234567.5, Column("x", format=DECIMAL, decimals=2)) == "1,234,567.50"
        assert format_number(7, Column("x", format=PERCENT)) == "7%"


def test_a_hidden_caption_stays_for_assistive_technology(partners):
    table = _parsed(render_table(partners, caption_hidden=True))
    assert table.find("caption").get("class") == "visually-hidden"
    assert table.find("caption").text_content() == "Đối tác theo quốc gia"
