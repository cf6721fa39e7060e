"""One address per chart state: the page, the chart alone and its files from one query
string; what a stranger types gives a 404 or the default, never a 500."""

import csv
import io

import pytest
from django.http import Http404, HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from cangxanh.charts import Chart, ChartPage, ChartSet, Column, Filter, Row, Table

built = []


def by_year(year: int, direction: str) -> Table:
    built.append((year, direction))
    return Table(
        caption=f"Đoàn {direction} năm {year}",
        summary="Tóm tắt.",
        row_heading="Quốc gia",
        columns=[Column("Đoàn")],
        rows=[Row("Hàn Quốc", (year - 2020,)), Row("Nhật Bản", (2,))],
    )


def totals() -> Table:
    return Table("Tổng", "Tóm tắt.", "Năm", [Column("Đoàn")], [Row("2025", (3,))])


CHARTS = ChartSet(
    [
        Chart("by-year", by_year, kind="hbar", uses=("year", "direction")),
        Chart("totals", totals, kind="bar"),
    ],
    [
        Filter("year", default="2025", parse=int),
        Filter("direction", default="in", choices=("in", "out")),
    ],
    prefix="delegations-",
)


def handle(query: str):
    return CHARTS.handle(RequestFactory().get("/vi/statistics/" + query))


def test_the_page_holds_every_chart_with_the_filters():
    built.clear()
    page = handle("?year=2024&direction=out&utm_source=x")
    assert isinstance(page, ChartPage)
    assert [state.id for state in page.states] == ["by-year", "totals"]
    assert page.selected is None
    state = page.states[0]
    assert state.values == {"year": 2024, "direction": "out"}
    assert built == []  # nothing built before the page asks for it
    assert state.table.caption == "Đoàn out năm 2024"
    assert state.url == "/vi/statistics/?chart=by-year&year=2024&direction=out"
    assert state.csv_url == "/vi/statistics/?chart=by-year&year=2024&direction=out&format=csv"
    assert page.states[1].url == "/vi/statistics/?chart=totals"
    assert page.url_with(year="2023") == "/vi/statistics/?year=2023&direction=out"


def test_a_chart_alone_and_its_files_agree():
    page = handle("?chart=by-year&year=2023&direction=out")
    assert [state.id for state in page.states] == ["by-year"]
    assert page.selected.table.rows[0].values == (3,)
    response = handle("?chart=by-year&year=2023&direction=out&format=csv")
    assert isinstance(response, HttpResponse)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Quốc gia", "Đoàn"], ["Hàn Quốc", "3"], ["Nhật Bản", "2"]]
    assert response["Content-Disposition"] == (
        'attachment; filename="delegations-by-year-2023-out.csv"'
    )
    response = handle("?chart=by-year&year=2023&direction=out&format=xlsx")
    assert response.content.startswith(b"PK")
    assert 'filename="delegations-by-year-2023-out.xlsx"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    "query",
    [
        "?chart=nope",
        "?chart=",
        "?chart=BY-YEAR",
        "?chart=by-year%00",
        "?chart=by-year&format=pdf",
        "?chart=by-year&format=",
        "?format=csv",  # which chart?
    ],
)
def test_unknown_charts_and_formats_are_not_found(query):
    with pytest.raises(Http404):
        handle(query)


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc&direction=sideways",
        "?year=99999999999999999999999999999999999999999999e9999&direction=%00",
        "?year=&direction=",
        "?year=1e5",
    ],
)
def test_junk_filters_fall_back_to_the_defaults(query):
    page = handle(query)
    assert page.filters == {"year": "2025", "direction": "in"}
    assert page.states[0].table.rows[0].values == (5,)


def test_a_chart_must_use_filters_the_page_has():
    with pytest.raises(ValueError):
        ChartSet([Chart("x", totals, uses=("month",))])
    with pytest.raises(ValueError):
        Chart("Bad id", totals)
    with pytest.raises(ValueError):
        Chart("x", totals, kind="pie")


def test_the_figure_block_shows_picture_table_and_files():
    state = handle("?chart=by-year").selected
    html = Template("{% load charts %}{% chart_figure state heading=3 %}").render(
        Context({"state": state})
    )
    assert '<h3 class="cx-figure__title" id="chart-by-year-title">Đoàn in năm 2025</h3>' in html
    assert 'role="img"' in html and "<table" in html
    assert html.index("<svg") < html.index("<table")
    assert (
        'href="/vi/statistics/?chart=by-year&amp;year=2025&amp;direction=in&amp;format=csv"' in html
    )
