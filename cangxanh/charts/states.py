"""One address per chart state: `?chart=<id>&<filters>` shows that chart as the
page shows it, and `…&format=csv|xlsx` downloads exactly its table.

A view declares its charts once, as a `ChartSet` of `Chart`s (an id, a builder
that returns a Table from the filters it uses, a kind) and the page's `Filter`s,
then hands the request to `ChartSet.handle`: it answers the download itself, or
returns a `ChartPage` (every chart's state, or the one asked for) for the
template (`{% chart_figure state %}`, charts/figure.html).

What a stranger may type never reaches a 500: an unknown chart or format is a
404, a filter value that is not one of its choices (or that its parser refuses)
is ignored for the filter's default, and unknown parameters are ignored. Links
name every filter a chart uses, in a fixed order, so an address keeps meaning
the same state when a default changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.utils.safestring import SafeString

from .files import csv_response, xlsx_response
from .html import render_table
from .svg import KINDS, render_legend, render_picture
from .tables import Table

FORMATS = ("csv", "xlsx")
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


@dataclass(frozen=True)
class Filter:
    """A query parameter of the page. `choices`: the values accepted as typed (or
    None for any value `parse` accepts); `parse` turns the accepted text into what
    builders get (ValueError or TypeError: the default instead)."""

    name: str
    default: str
    choices: tuple[str, ...] | None = None
    parse: Callable[[str], Any] = str

    def clean(self, raw: str | None) -> str:
        if raw is None or (self.choices is not None and raw not in self.choices):
            return self.default
        try:
            self.parse(raw)
        except (ValueError, TypeError, OverflowError):
            return self.default
        return raw


@dataclass(frozen=True)
class Chart:
    id: str
    build: Callable[..., Table]  # build(**{filter name: parsed value for each in uses})
    kind: str = "bar"
    uses: tuple[str, ...] = ()
    # The files' name without extension: a text, or a function of the filters (as the
    # builder gets them); by default the set's prefix, the id and the filters' values.
    filename: str | Callable[..., str] = ""
    totals: bool = False  # the table ends with a row of sums
    collapse: bool = False  # the table folded under the chart (long tables)

    def __post_init__(self):
        if not _ID.fullmatch(self.id):
            raise ValueError(f"chart id {self.id!r}: lowercase letters, digits and hyphens")
        if self.kind not in KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}")


class ChartState:
    """A chart with its filters: its table (built once), picture, files and address."""

    def __init__(self, chart_set: ChartSet, chart: Chart, raw: dict[str, str], path: str):
        self.chart, self._set, self._path = chart, chart_set, path
        self.raw = {name: raw[name] for name in chart.uses}  # in the chart's order
        self.values = {name: chart_set.filters[name].parse(v) for name, v in self.raw.items()}

    @property
    def id(self) -> str:
        return self.chart.id

    @cached_property
    def table(self) -> Table:
        return self.chart.build(**self.values)

    @cached_property
    def svg(self) -> SafeString:
        return render_picture(self.table, self.chart.kind)

    @cached_property
    def legend(self) -> SafeString:
        return render_legend(self.table)

    @cached_property
    def table_html(self) -> SafeString:
        return render_table(self.table, totals=self.chart.totals, caption_hidden=True)

    def query(self, fmt: str | None = None) -> str:
        pairs = [("chart", self.chart.id), *self.raw.items()]
        if fmt:
            pairs.append(("format", fmt))
        return "?" + urlencode(pairs)

    @property
    def url(self) -> str:
        return self._path + self.query()

    @property
    def csv_url(self) -> str:
        return self._path + self.query("csv")

    @property
    def xlsx_url(self) -> str:
        return self._path + self.query("xlsx")

    @property
    def filename(self) -> str:
        if callable(self.chart.filename):
            return self.chart.filename(**self.values)
        if self.chart.filename:
            return self.chart.filename
        return "-".join([f"{self._set.prefix}{self.chart.id}", *self.raw.values()])

    def download(self, fmt: str) -> HttpResponse:
        if fmt == "csv":
            return csv_response(self.table, self.filename)
        return xlsx_response(self.table, self.filename)


@dataclass
class ChartPage:
    """What a page shows: `states` (every chart, or only `selected`), the filters' values."""

    states: list[ChartState]
    selected: ChartState | None
    filters: dict[str, str]
    path: str

    def url_with(self, **changes: str) -> str:
        """This page's address with some filters changed (the chart asked for kept)."""
        pairs = [("chart", self.selected.id)] if self.selected else []
        pairs += [(name, changes.get(name, value)) for name, value in self.filters.items()]
        return self.path + "?" + urlencode(pairs)


class ChartSet:
    def __init__(
        self, charts: Iterable[Chart], filters: Iterable[Filter] = (), *, prefix: str = ""
    ):
        self.charts = {chart.id: chart for chart in charts}
        self.filters = {f.name: f for f in filters}
        self.prefix = prefix
        for chart in self.charts.values():
            unknown = set(chart.uses) - set(self.filters)
            if unknown:
                raise ValueError(f"chart {chart.id!r} uses unknown filters {sorted(unknown)}")

    def clean(self, query) -> dict[str, str]:
        """Every filter's value from a QueryDict (or dict): as typed when acceptable,
        else its default."""
        return {name: f.clean(query.get(name)) for name, f in self.filters.items()}

    def handle(self, request) -> HttpResponse | ChartPage:
        """The download asked for, or the page's charts (404 for an unknown chart or format)."""
        query = request.GET
        raw = self.clean(query)
        wanted, fmt = query.get("chart"), query.get("format")
        selected = None
        if wanted is not None:
            chart = self.charts.get(wanted)
            if chart is None:
                raise Http404("No such chart.")
            selected = ChartState(self, chart, raw, request.path)
        if fmt is not None:
            if fmt not in FORMATS or selected is None:
                raise Http404("No such download.")
            return selected.download(fmt)
        if selected is not None:
            states = [selected]
        else:
            states = [ChartState(self, chart, raw, request.path) for chart in self.charts.values()]
        return ChartPage(states=states, selected=selected, filters=raw, path=request.path)
