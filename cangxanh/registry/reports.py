"""The annual reports the ministries ask of the office, as XLSX workbooks:

- form 03 (Decision 06/2020/QĐ-TTg): the international conferences and seminars of
  the year — here the delegations whose purpose is a conference or forum;
- form 04 (Decree 58/2022/NĐ-CP): foreign NGO aid — every project active in the year,
  with its organisation, sector, district, amounts committed and disbursed.

Both read every record (public or not): they are the office's own reports. The
sheets carry the agency's name, the report's title and year, then one row per item
with plain values (numbers as numbers, dates as dates) and totals.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from cangxanh.charts.files import stable_xlsx
from cangxanh.core.site import site_identity

from . import models


def _book(
    title: str, year: int, headers: list[str], rows: list[list], *, money_from: int | None = None
):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    site = site_identity("vi")
    book = Workbook()
    book.properties.title = title
    sheet = book.active
    sheet.title = str(year)
    sheet.append([site.get("publisher") or site.get("name") or ""])
    sheet.append([title])
    sheet.append([_("Year: %(year)s") % {"year": year}])
    sheet.append([])
    sheet["A2"].font = Font(bold=True, size=13)
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
            elif (
                isinstance(cell.value, (int, float))
                and money_from is not None
                and cell.column > money_from
            ):
                cell.number_format = "#,##0.00"
    if money_from is not None and rows:
        first, last = header_row + 1, sheet.max_row
        total = [_("Total")] + [None] * (len(headers) - 1)
        sheet.append(total)
        for index in range(money_from, len(headers)):
            letter = get_column_letter(index + 1)
            if headers[index].endswith("(USD)"):
                cell = sheet.cell(
                    row=sheet.max_row,
                    column=index + 1,
                    value=f"=SUM({letter}{first}:{letter}{last})",
                )
                cell.number_format = "#,##0.00"
                cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(header) + 2, 12), 40)
    return stable_xlsx(book)


def form_03(year: int) -> bytes:
    delegations = (
        models.Delegation.objects.filter(purpose=models.Purpose.CONFERENCE, start__year=year)
        .prefetch_related("texts")
        .order_by("start", "pk")
    )
    headers = [
        _("No."),
        _("Conference or seminar"),
        _("From"),
        _("Until"),
        _("Direction"),
        _("Countries"),
        _("Inviting or hosting organisation"),
        _("Head of delegation"),
        _("Members"),
        _("Funding source"),
        _("Permission decision"),
        _("Unit in charge"),
    ]
    rows = []
    for number, d in enumerate(delegations, start=1):
        texts = {t.language: t.title for t in d.texts.all()}
        rows.append(
            [
                number,
                texts.get("vi") or next(iter(texts.values()), d.organisation),
                d.start,
                d.end,
                d.get_direction_display(),
                ", ".join(c.code for c in d.countries),
                d.organisation,
                d.leader,
                d.members_count,
                d.get_funding_display(),
                " ".join(
                    filter(
                        None,
                        [
                            d.decision_number,
                            d.decision_date.strftime("%d/%m/%Y") if d.decision_date else "",
                        ],
                    )
                ),
                d.unit,
            ]
        )
    return _book(_("Form 03: international conferences and seminars"), year, headers, rows)


def form_04(year: int) -> bytes:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    projects = (
        models.AidProject.objects.filter(start__lte=end)
        .exclude(end__lt=start)
        .select_related("organisation")
        .prefetch_related("texts")
        .order_by("organisation__name", "start", "pk")
    )
    headers = [
        _("No."),
        _("Foreign NGO"),
        _("Country"),
        _("Project"),
        _("Code"),
        _("Sector"),
        _("District"),
        _("From"),
        _("Until"),
        _("Status"),
        _("Currency"),
        _("Committed"),
        _("Disbursed"),
        _("Committed (USD)"),
        _("Disbursed (USD)"),
    ]
    rows = []
    for number, p in enumerate(projects, start=1):
        texts = {t.language: t.title for t in p.texts.all()}
        rows.append(
            [
                number,
                p.organisation.name,
                p.organisation.country.code,
                texts.get("vi") or next(iter(texts.values()), ""),
                p.code,
                p.get_sector_display(),
                p.district,
                p.start,
                p.end,
                p.get_status_display(),
                p.currency,
                float(p.committed),
                float(p.disbursed),
                float(p.committed_usd),
                float(p.disbursed_usd),
            ]
        )
    return _book(_("Form 04: foreign non-governmental aid"), year, headers, rows, money_from=11)


def years() -> list[int]:
    found = {d.year for d in models.Delegation.objects.dates("start", "year")}
    found |= {d.year for d in models.AidProject.objects.dates("start", "year")}
    return sorted(found, reverse=True)
