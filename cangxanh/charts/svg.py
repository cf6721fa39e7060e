"""Charts drawn on the server as SVG from a Table (see the package's docstring for
why by hand and not with a library).

Nothing here may need the page to relax its Content-Security-Policy: no `style`
attribute, no `<style>` element, no script. Colours, fonts and sizes come from
classes (charts.css): the page's own font stack for its language, and the
newsroom's dark mode. The picture carries role="img" and the table's summary as its
accessible name; the table beside it holds the numbers for assistive technology.

Two layouts, so that text is never shrunk below reading size on a phone:

- `hbar` and `stacked` (categories, long labels): fluid. The SVG is as wide as its
  box and as tall as its rows; bars are percentages of the width, text keeps its
  size in CSS pixels. Each label stands on its own line above its bars (wrapped,
  never under a bar or another label), each value at its bar's end (inside the
  bar when the bar is long).
- `bar`, `vstacked` and `line` (years, days): a viewBox 360 units wide, scaled to
  its box and kept at most 30rem wide (charts.css), so 11-unit text reads at
  10.5 to 16 px; axis labels are thinned until they cannot overlap.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .tables import Column, Row, Table, format_number

KINDS = ("bar", "hbar", "stacked", "vstacked", "line")
SERIES_CLASSES = 8  # cx-s1 … cx-s8 in charts.css, then again from the first

# Fluid layout (CSS pixels).
NARROWEST = 288  # the width labels are wrapped for: a 320 px phone, less its margins
LABEL_SIZE, LABEL_LINE, VALUE_SIZE = 14, 18, 13
BAR, BAR_GAP, ROW_GAP = 16, 3, 14
MAX_LABEL_LINES = 3
WIDE_FROM, WIDE_WRAP = 608, 576  # a box this wide (38rem) gets labels wrapped this wide
INSIDE_FROM = 60.0  # a bar at least this % long carries its value inside
# Scaled layout (viewBox units).
WIDTH, PLOT_HEIGHT, TICK_SIZE, TOP, RIGHT = 360, 170, 11, 12, 6
MAX_TITLES = 150  # hover titles per chart; beyond, the table alone gives the numbers


@lru_cache(maxsize=4096)
def _em(char: str) -> float:
    """A character's advance in em, generously: wide for CJK and Hangul, narrow for i,
    l and punctuation; combining marks take no room."""
    if unicodedata.combining(char):
        return 0.0
    if unicodedata.east_asian_width(char) in "WF":
        return 1.0
    if char in " il.,:;'|!()[]ịíìỉĩ":
        return 0.32
    if char.isupper() or char in "mwMW@%—":
        return 0.78
    return 0.6


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of `text` at font size `size`."""
    return sum(map(_em, text)) * size


_CJK = r"\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_TOKENS = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+\s*|\s+")


def wrap(text: str, size: float, width: float, max_lines: int = MAX_LABEL_LINES) -> list[str]:
    """`text` in lines no wider than `width` (at words, or between CJK characters);
    at most `max_lines`, the last one ending in … if cut."""
    lines: list[str] = []
    line, used = "", 0.0  # the line so far and its width without its trailing space
    for token in _TOKENS.findall(" ".join(text.split())):
        word = token.rstrip()
        if line and used + text_width(line[len(line.rstrip()) :] + word, size) > width:
            lines.append(line.rstrip())
            line, used = "", 0.0
            token = token.lstrip()
            word = token.rstrip()
        if not line and text_width(word, size) > width:  # one word wider than a line
            while text_width(word, size) > width:
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            token = word + token[len(token.rstrip()) :]
        if not line:
            used = 0.0
        used += text_width(line[len(line.rstrip()) :] + token.rstrip(), size)
        line += token
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines or [""]


def _n(value: float, places: int = 2) -> str:
    """A coordinate, short: 12, 12.5, 12.25."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _series(index: int) -> str:
    return f"cx-s{index % SERIES_CLASSES + 1}"


def _title(table: Table, row: Row, column: Column, value) -> str:
    if len(table.columns) == 1:
        return f"{row.label}: {format_number(value, column)}"
    return f"{row.label} — {column.title}: {format_number(value, column)}"


class _Svg:
    def __init__(self, table: Table, kind: str):
        self.table, self.kind = table, kind
        self.parts: list[str] = []
        self.titles = sum(1 for r in table.rows for v in r.values if v is not None) <= MAX_TITLES

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(self, x: str, y: float, value: str, cls: str, anchor: str = "", dx: str = "") -> None:
        extra = f' text-anchor="{anchor}"' if anchor else ""
        extra += f' dx="{dx}"' if dx else ""
        self.add(f'<text class="{cls}" x="{x}" y="{_n(y)}"{extra}>{escape(value)}</text>')

    def shape(self, tag: str, attrs: str, cls: str, title: str = "") -> None:
        if self.titles and title:
            self.add(f'<{tag} class="{cls}" {attrs}><title>{escape(title)}</title></{tag}>')
        else:
            self.add(f'<{tag} class="{cls}" {attrs}/>')

    def done(self, size: str, variant: str = "") -> SafeString:
        extra = f" cx-svg--{variant}" if variant else ""
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="cx-svg cx-svg--{self.kind}{extra}" '
            f'role="img" aria-label="{escape(self.table.summary)}" {size}>'
        )
        return mark_safe(head + "".join(self.parts) + "</svg>")


# --- Fluid horizontal bars ------------------------------------------------------------


def _hbar(table: Table, stacked: bool, wrap_at: float = NARROWEST, variant: str = "") -> SafeString:
    svg = _Svg(table, "stacked" if stacked else "hbar")
    columns = table.columns
    if stacked:
        top = max((table.total(row) for row in table.rows), default=0)
    else:
        top = max((v for row in table.rows for v in row.values if v is not None), default=0)
    top = top or 1
    y = 0.0
    for row in table.rows:
        lines = wrap(row.label, LABEL_SIZE, wrap_at)
        for number, line in enumerate(lines):
            svg.text("0", y + LABEL_SIZE + number * LABEL_LINE, line, "cx-label")
        y += LABEL_SIZE + (len(lines) - 1) * LABEL_LINE + 6
        if stacked:
            start = 0.0
            for index, (column, value) in enumerate(zip(columns, row.values, strict=True)):
                if value is None:
                    continue
                length = max(value, 0) / top * 100
                svg.shape(
                    "rect",
                    f'x="{_n(start)}%" y="{_n(y)}" width="{_n(length)}%" height="{BAR}"',
                    f"cx-bar {_series(index)}",
                    _title(table, row, column, value),
                )
                start += length
            _value_text(svg, start, y, format_number(table.total(row), columns[0]))
            y += BAR + BAR_GAP
        else:
            for index, (column, value) in enumerate(zip(columns, row.values, strict=True)):
                if value is not None:
                    length = max(value, 0) / top * 100
                    svg.shape(
                        "rect",
                        f'x="0" y="{_n(y)}" width="{_n(length)}%" height="{BAR}"',
                        f"cx-bar {_series(index)}",
                        _title(table, row, column, value),
                    )
                    _value_text(svg, length, y, format_number(value, column))
                y += BAR + BAR_GAP
        y += ROW_GAP - BAR_GAP
    return svg.done(f'width="100%" height="{_n(max(y - ROW_GAP + 2, 1))}"', variant)


def _value_text(svg: _Svg, length: float, y: float, shown: str) -> None:
    baseline = y + BAR / 2 + VALUE_SIZE * 0.36
    if length >= INSIDE_FROM:
        svg.text(f"{_n(length)}%", baseline, shown, "cx-value cx-value--in", "end", "-0.4em")
    else:
        svg.text(f"{_n(length)}%", baseline, shown, "cx-value", dx="0.4em")


# --- Scaled vertical charts -----------------------------------------------------------


def nice_ticks(top: float, integer: bool, count: int = 4) -> list[float]:
    """0 and round steps up to at least `top`: 1, 2, 2.5 or 5 times a power of ten."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1, math.ceil(step))
    ticks, value = [0.0], 0.0
    while value < top:
        value += step
        ticks.append(value)
    return ticks


def _vertical(table: Table, kind: str) -> SafeString:
    svg = _Svg(table, kind)
    columns, rows = table.columns, table.rows
    stacked = kind == "vstacked"
    if stacked:
        top = max((table.total(row) for row in rows), default=0)
    else:
        top = max((v for row in rows for v in row.values if v is not None), default=0)
    integer = all(c.format == "int" for c in columns)
    ticks = nice_ticks(top, integer)
    scale_top = ticks[-1]
    tick_texts = [format_number(t, columns[0] if columns else None) for t in ticks]
    left = max(text_width(t, TICK_SIZE) for t in tick_texts) + 6
    plot_width = WIDTH - left - RIGHT
    plot_bottom = TOP + PLOT_HEIGHT
    count = max(len(rows), 1)
    band = plot_width / count

    for tick, shown in zip(ticks, tick_texts, strict=True):
        y = plot_bottom - tick / scale_top * PLOT_HEIGHT
        cls = "cx-axis" if tick == 0 else "cx-grid"
        svg.add(
            f'<line class="{cls}" x1="{_n(left, 1)}" x2="{_n(WIDTH - RIGHT, 1)}" '
            f'y1="{_n(y, 1)}" y2="{_n(y, 1)}"/>'
        )
        svg.text(_n(left - 4, 1), y + TICK_SIZE * 0.35, shown, "cx-tick", "end")

    def height(value) -> float:
        return max(value, 0) / scale_top * PLOT_HEIGHT

    if kind == "line":
        for index, column in enumerate(columns):
            run: list[str] = []
            runs = [run]
            for number, row in enumerate(rows):
                value = row.values[index]
                if value is None:
                    runs.append(run := [])
                    continue
                x, y = left + (number + 0.5) * band, plot_bottom - height(value)
                run.append(f"{_n(x, 1)},{_n(y, 1)}")
            for points in runs:
                if len(points) > 1:
                    svg.add(
                        f'<polyline class="cx-line {_series(index)}" points="{" ".join(points)}"/>'
                    )
            if len(rows) <= 45:
                for number, row in enumerate(rows):
                    value = row.values[index]
                    if value is not None:
                        x, y = left + (number + 0.5) * band, plot_bottom - height(value)
                        svg.shape(
                            "circle",
                            f'cx="{_n(x, 1)}" cy="{_n(y, 1)}" r="2.5"',
                            f"cx-dot {_series(index)}",
                            _title(table, row, column, value),
                        )
    else:
        # One group per series (its class once, not on each of up to hundreds of bars).
        group = band * (0.72 if band > 6 else 0.86)
        width = group if stacked else group / max(len(columns), 1)
        series: list[list[str]] = [[] for _ in columns]
        for number, row in enumerate(rows):
            x0 = left + number * band + (band - group) / 2
            base = plot_bottom
            for index, (column, value) in enumerate(zip(columns, row.values, strict=True)):
                if value is None:
                    continue
                h = height(value)
                x = x0 if stacked else x0 + index * width
                y = base - h
                rect = f'<rect x="{_n(x, 1)}" y="{_n(y, 1)}" width="{_n(width, 1)}" height="{_n(h, 1)}"'
                title = _title(table, row, column, value) if svg.titles else ""
                series[index].append(
                    f"{rect}><title>{escape(title)}</title></rect>" if title else rect + "/>"
                )
                if stacked:
                    base = y
        for index, bars in enumerate(series):
            if bars:
                svg.add(f'<g class="cx-bar {_series(index)}">{"".join(bars)}</g>')

    # Category labels under the plot, thinned so that none can touch the next one.
    widest = max((text_width(r.axis_label, TICK_SIZE) for r in rows), default=0)
    step = max(1, math.ceil((widest + 6) / band))
    for number, row in enumerate(rows):
        if (len(rows) - 1 - number) % step:
            continue
        x = left + (number + 0.5) * band
        anchor = "middle"
        if x - widest / 2 < 0:
            x, anchor = left, "start"
        elif x + widest / 2 > WIDTH:
            x, anchor = WIDTH, "end"
        svg.text(_n(x, 1), plot_bottom + TICK_SIZE + 5, row.axis_label, "cx-tick", anchor)
    total_height = plot_bottom + TICK_SIZE + 9
    return svg.done(f'viewBox="0 0 {WIDTH} {_n(total_height)}"')


def render_chart(table: Table, kind: str = "bar", *, wide: bool = False) -> SafeString:
    """The SVG of `table` as a chart of `kind`: "bar" (vertical, grouped by column),
    "hbar" (horizontal, grouped), "stacked" (horizontal, columns stacked), "vstacked"
    (vertical, stacked) or "line" (one line per column). `wide`: horizontal bars with
    labels wrapped for a box at least WIDE_FROM wide (see render_picture)."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}; one of {', '.join(KINDS)}")
    if kind in ("hbar", "stacked"):
        return _hbar(table, kind == "stacked", WIDE_WRAP if wide else NARROWEST)
    return _vertical(table, kind)


def render_picture(table: Table, kind: str = "bar") -> SafeString:
    """What a page shows: the chart, and for horizontal bars whose labels wrap for a
    phone, a second one with longer lines that charts.css shows instead in a box at
    least WIDE_FROM wide (a container query; browsers without them keep the first)."""
    if kind not in ("hbar", "stacked"):
        return render_chart(table, kind)
    stacked = kind == "stacked"
    if all(len(wrap(row.label, LABEL_SIZE, NARROWEST)) == 1 for row in table.rows):
        return _hbar(table, stacked)
    return mark_safe(
        _hbar(table, stacked, NARROWEST, "narrow") + _hbar(table, stacked, WIDE_WRAP, "wide")
    )


def render_legend(table: Table) -> SafeString:
    """The series' names and colours, as HTML that wraps like text (hidden from
    assistive technology: the table's column headings say the same). Empty for one series."""
    if len(table.columns) < 2:
        return mark_safe("")
    items: Iterable[str] = (
        f'<li><span class="cx-key {_series(i)}"></span>{escape(c.title)}</li>'
        for i, c in enumerate(table.columns)
    )
    return mark_safe(f'<ul class="cx-legend" aria-hidden="true">{"".join(items)}</ul>')
