"""Charts for tables of numbers: one `Table`, drawn as an HTML table, an SVG chart,
a CSV and an XLSX file, so that all of them always agree.

    from cangxanh.charts import Column, Row, Table, render_table, render_chart
    table = Table(caption, summary, row_heading, [Column(_("Partners"))], rows)
    render_table(table); render_chart(table, "hbar")
    csv_response(table, "partners-by-country"); xlsx_response(table, "…")

`states.ChartSet` gives a page one address per chart state (`?chart=<id>&<filters>`,
`&format=csv|xlsx`), and `{% load charts %}{% chart_figure state %}` the block that
shows it (link `charts/charts.css` on the page).

Why drawn by hand (svg.py) and not with a library: pygal (3.1.3), the maintained
Python library that renders SVG on the server, writes a `<style>` element and a
`<script>` into every chart (refused by our style-src and script-src when the SVG is
inline), a random id and the date into its bytes (every render differs, so cached
pages could not agree), fixed 800x600 geometry whose text shrinks to 5 px on a
phone, and costs about 19 KB and 15 ms for a ten-bar chart (measured here). Ours,
for the same chart: about 2.5 KB (0.6 KB gzipped) and 1 to 2 ms, plus charts.css
once (5 KB, 2 KB gzipped, cached); under the policy as it is, with labels that keep
their size on a phone, the page's own fonts for each language and the newsroom's
dark mode (tests/charts/test_svg.py::test_what_a_chart_costs prints the numbers).
"""

from .files import content_disposition, csv_response, xlsx_response
from .html import render_table
from .states import Chart, ChartPage, ChartSet, ChartState, Filter
from .svg import render_chart, render_legend, render_picture
from .tables import DECIMAL, INTEGER, PERCENT, Column, Row, Table, day_row, format_number

__all__ = [
    "DECIMAL",
    "INTEGER",
    "PERCENT",
    "Chart",
    "ChartPage",
    "ChartSet",
    "ChartState",
    "Column",
    "Filter",
    "Row",
    "Table",
    "content_disposition",
    "csv_response",
    "day_row",
    "format_number",
    "render_chart",
    "render_legend",
    "render_picture",
    "render_table",
    "xlsx_response",
]
