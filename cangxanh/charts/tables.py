"""The data behind every chart: a `Table` of numbers with its words.

Everything a reader sees in words (caption, summary, headings, row labels) is
given by the caller, already translated; this module only formats numbers, in
the page's language (`core.languages`: 8.034 in Vietnamese, 8,034 elsewhere).
The same Table gives the HTML table, the SVG and the files, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import formats, translation

from cangxanh.core import languages

# How a column's numbers are written.
INTEGER, DECIMAL, PERCENT = "int", "decimal", "percent"
FORMATS = (INTEGER, DECIMAL, PERCENT)

Number = int | float | Decimal


@dataclass(frozen=True)
class Column:
    """One column of numbers (one series of a grouped or stacked chart)."""

    heading: str
    format: str = INTEGER
    decimals: int = 0  # for DECIMAL and PERCENT
    unit: str = ""  # e.g. "USD", shown after the heading in every output

    def __post_init__(self):
        if self.format not in FORMATS:
            raise ValueError(f"unknown format {self.format!r}; one of {', '.join(FORMATS)}")

    @property
    def title(self) -> str:
        """The heading as tables and files show it, with its unit."""
        return f"{self.heading} ({self.unit})" if self.unit else self.heading


@dataclass(frozen=True)
class Row:
    """A category: its label (as read), its numbers (one per column; None = no value),
    `key` for files (a date becomes ISO 8601; by default the label) and `axis`, a
    shorter label for a chart's axis (by default the label)."""

    label: str
    values: tuple[Number | None, ...]
    key: str | date | int | None = None
    axis: str = ""

    @property
    def file_key(self) -> str | date | int:
        return self.label if self.key is None else self.key

    @property
    def axis_label(self) -> str:
        return self.axis or self.label


@dataclass(frozen=True)
class Table:
    caption: str  # names the table (and the chart)
    summary: str  # one sentence: what the chart shows; the picture's accessible name
    row_heading: str  # heading of the column of row labels
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = field(default=())  # sources, definitions: under the table

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(self.rows))
        for row in self.rows:
            if len(row.values) != len(self.columns):
                raise ValueError(
                    f"row {row.label!r} has {len(row.values)} values for {len(self.columns)} columns"
                )

    def values(self, column: int) -> list[Number | None]:
        return [row.values[column] for row in self.rows]

    def total(self, row: Row) -> Number:
        return sum((v for v in row.values if v is not None), 0)

    @property
    def is_empty(self) -> bool:
        return not any(v for row in self.rows for v in row.values)


def _separators(lang: str) -> tuple[str, str]:
    """(thousands, decimal) separators of a language."""
    thousands = languages.get(lang).thousands
    return thousands, "," if thousands == "." else "."


def format_number(
    value: Number | None, column: Column | None = None, lang: str | None = None
) -> str:
    """A number as the page writes it: digit groups of the language, the column's
    decimals, "%" for percentages; "" for no value (a table cell shows "–")."""
    if value is None:
        return ""
    lang = lang or translation.get_language() or "vi"
    column = column or Column("")
    decimals = column.decimals if column.format != INTEGER else 0
    if decimals == 0:
        text = languages.get(lang).format_number(round(value))
    else:
        thousands, point = _separators(lang)
        text = f"{float(value):,.{decimals}f}"
        text = text.replace(",", "\x00").replace(".", point).replace("\x00", thousands)
    return f"{text}%" if column.format == PERCENT else text


def plain_number(value: Number | None, column: Column | None = None) -> str:
    """A number as files carry it: no digit groups, a point for decimals."""
    if value is None:
        return ""
    column = column or Column("")
    if column.format == INTEGER:
        return str(round(value))
    return f"{float(value):.{column.decimals}f}" if column.decimals else str(round(value))


# Short day labels for an axis (a table row keeps the full date).
_SHORT_DAY = {"vi": "j/n", "en": "M j", "ko": "n/j", "ja": "n/j", "zh-hans": "n/j"}


def day_row(day: date, values, lang: str | None = None) -> Row:
    """A row for one day: the full local date as label, a short one on the axis, ISO in files."""
    lang = lang or translation.get_language() or "vi"
    full = formats.date_format(day, languages.get(lang).date_format)
    short = formats.date_format(day, _SHORT_DAY.get(lang, "j/n"))
    return Row(full, tuple(values), key=day, axis=short)
