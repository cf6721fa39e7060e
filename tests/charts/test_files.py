"""CSV and XLSX of a Table: clean columns, numbers as numbers, dates in ISO, safe names."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from cangxanh.charts import content_disposition, csv_response, xlsx_response
from cangxanh.charts.files import ascii_filename, sheet_title


def test_csv_starts_with_the_bom_and_reads_back(partners, delegations, aid):
    response = csv_response(delegations, "đoàn-ra-vào")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [
        ["Năm", "Đoàn vào", "Đoàn ra"],
        ["2022", "10", "4"],
        ["2023", "14", "6"],
        ["2024", "20", ""],
        ["2025", "1234", "8"],  # no digit groups
    ]
    rows = list(csv.reader(io.StringIO(csv_response(aid, "aid").content.decode("utf-8-sig"))))
    assert rows[0] == ["Ngày", "Cam kết (USD)", "Tỷ lệ giải ngân"]
    assert rows[1] == ["2026-03-05", "1234567.50", "62.5"]  # ISO dates, a point for decimals
    text = csv_response(partners, "p").content.decode("utf-8-sig")
    assert '"<script>alert(""x"")</script> & ""Ư""",1' in text  # quoted as RFC 4180 says


def test_xlsx_reads_back_with_numbers_dates_and_a_bold_header(delegations, aid):
    response = xlsx_response(delegations, "delegations")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.title == "Đoàn ra, đoàn vào theo năm"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values == [
        ["Năm", "Đoàn vào", "Đoàn ra"],
        [2022, 10, 4],
        [2023, 14, 6],
        [2024, 20, None],
        [2025, 1234, 8],
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet["B5"].number_format == "#,##0"
    assert sheet.column_dimensions["A"].width >= 6
    assert sheet.freeze_panes == "B2"
    assert book.properties.title == "Đoàn ra, đoàn vào theo năm"

    sheet = load_workbook(io.BytesIO(xlsx_response(aid, "aid").content)).active
    assert sheet["A2"].value.date() == date(2026, 3, 5)
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].value == 1234567.5
    assert sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].value == 62.5


def test_sheet_titles_keep_to_excels_rules():
    assert sheet_title("A/B: [c]*?\\d") == "A B c d"
    assert len(sheet_title("x" * 80)) == 31
    assert sheet_title("  ") == "Data"


def test_file_names_are_safe_ascii_with_the_utf8_name_beside():
    assert (
        content_disposition("visits-2026-03-05.csv")
        == 'attachment; filename="visits-2026-03-05.csv"'
    )
    header = content_disposition("Đối tác theo quốc gia.xlsx")
    assert header == (
        'attachment; filename="Doi-tac-theo-quoc-gia.xlsx"; '
        "filename*=UTF-8''%C4%90%E1%BB%91i%20t%C3%A1c%20theo%20qu%E1%BB%91c%20gia.xlsx"
    )
    assert ascii_filename('a"b\r\nc;d/../e') == "a-b-c-d-..-e"
    assert ascii_filename("대한민국") == "data"
    assert "\n" not in content_disposition('x"\r\ny.csv')
    assert (
        csv_response_name("đoàn")
        == "attachment; filename=\"doan.csv\"; filename*=UTF-8''%C4%91o%C3%A0n.csv"
    )


def csv_response_name(name: str) -> str:
    from cangxanh.charts import Column, Row, Table

    table = Table("c", "s", "r", [Column("v")], [Row("a", (1,))])
    return csv_response(table, name)["Content-Disposition"]


def test_the_same_table_gives_the_same_xlsx_bytes():
    """No time of its own in the file: a restored site or a second request serves the same bytes."""
    import time

    from cangxanh.charts import files
    from cangxanh.charts.tables import Column, Row, Table

    table = Table("Caption", "Summary", "Row", (Column("A"),), (Row("x", (1,)),))
    first = files.xlsx_bytes(table)
    time.sleep(2.1)  # openpyxl dates the file to the second, zip entries to two seconds
    assert files.xlsx_bytes(table) == first


def test_a_long_sheet_title_is_cut_at_a_whole_word():
    assert sheet_title("Delegations by year and direction") == "Delegations by year and"
    assert sheet_title("Địa phương đối tác theo quốc gia") == "Địa phương đối tác theo quốc"
    assert sheet_title("Ủyban" * 10) == ("Ủyban" * 10)[:31]  # one long word: cut where it must
