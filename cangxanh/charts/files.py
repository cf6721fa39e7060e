"""A Table as a file: CSV (UTF-8 with a byte order mark, so Excel opens Vietnamese
right) and XLSX (openpyxl). Clean columns: one header row, then one row per
category; numbers without digit groups, dates in ISO 8601 (a date cell in XLSX)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date, datetime
from urllib.parse import quote

from django.http import HttpResponse

from .tables import INTEGER, PERCENT, Table, plain_number

BOM = "\ufeff"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header(table: Table) -> list[str]:
    return [table.row_heading, *(column.title for column in table.columns)]


def _key(value) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_text(table: Table) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)  # RFC 4180: CRLF, quotes where needed
    writer.writerow(_header(table))
    for row in table.rows:
        writer.writerow(
            [
                _key(row.file_key),
                *(plain_number(v, c) for c, v in zip(table.columns, row.values, strict=True)),
            ]
        )
    return out.getvalue()


# What a file name keeps as it is in the plain `filename=` (RFC 6266's fallback).
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_filename(name: str) -> str:
    """`name` in safe ASCII: accents dropped (đ → d), anything else a hyphen."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _UNSAFE.sub("-", folded.encode("ascii", "ignore").decode()).strip("-.")
    return folded or "data"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII `filename` for every client, and `filename*`
    (RFC 5987/6266, UTF-8) when the name is not plain ASCII."""
    safe = ascii_filename(filename)
    if safe == filename:
        return f'attachment; filename="{safe}"'
    return f"attachment; filename=\"{safe}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(table: Table, filename: str) -> HttpResponse:
    if not filename.lower().endswith(".csv"):
        filename += ".csv"
    return _download(csv_text(table).encode("utf-8"), CSV_TYPE, filename)


# Characters Excel refuses in a sheet's title, and its length limit.
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(caption: str) -> str:
    title = " ".join(_SHEET_UNSAFE.sub(" ", caption).split()).strip(" '")
    if len(title) > 31:  # cut at the last whole word that fits, or mid-word if none does
        cut = title[:32].rsplit(" ", 1)[0]
        title = cut if " " in title[:32] else title[:31]
    return title.rstrip(" '") or "Data"


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# A fixed moment for the workbook's properties and its zip entries: the same table
# gives the same bytes (so a file's ETag holds, and a restored site serves what it did).
STABLE_TIME = datetime(2000, 1, 1)  # noqa: DTZ001  (openpyxl takes naive UTC times)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def stable_xlsx(book) -> bytes:
    """`book` saved with no time of its own in it: properties and zip entries dated
    STABLE_TIME, entries in the order openpyxl wrote them."""
    import zipfile

    book.properties.created = STABLE_TIME
    book.properties.modified = STABLE_TIME
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=STABLE_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = item.external_attr
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl dates it at save time
                data = _MODIFIED.sub(
                    rb"\g<1>" + STABLE_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
                    data,
                )
            target.writestr(entry, data)
    return out.getvalue()


def xlsx_bytes(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.properties.title = table.caption
    book.properties.subject = table.summary
    book.properties.creator = "cangxanh"
    sheet = book.active
    sheet.title = sheet_title(table.caption)
    header = _header(table)
    sheet.append(header)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "B2"
    formats = []
    for column in table.columns:
        decimals = column.decimals if column.format != INTEGER else 0
        number = "#,##0" + ("." + "0" * decimals if decimals else "")
        formats.append(number + ('"%"' if column.format == PERCENT else ""))
    widths = [_display_width(text) for text in header]
    for row in table.rows:
        key = row.file_key
        values = [key if isinstance(key, (date, int)) else str(key)]
        for column, value in zip(table.columns, row.values, strict=True):
            if value is None:
                values.append(None)
            elif column.format == INTEGER:
                values.append(round(value))
            else:
                values.append(float(value))
        sheet.append(values)
        cells = sheet[sheet.max_row]
        if isinstance(key, date):
            cells[0].number_format = "yyyy-mm-dd"
        for cell, number_format in zip(cells[1:], formats, strict=True):
            cell.number_format = number_format
        widths[0] = max(widths[0], _display_width(_key(key)))
        for index, value in enumerate(values[1:], start=1):
            widths[index] = max(widths[index], len(f"{value:,}") if value is not None else 0)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    return stable_xlsx(book)


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    return _download(xlsx_bytes(table), XLSX_TYPE, filename)
