from datetime import date

import pytest

from cangxanh.charts import DECIMAL, PERCENT, Column, Row, Table


@pytest.fixture
def partners() -> Table:
    """One series, long Vietnamese labels, a label that tries to break out of its element."""
    return Table(
        caption="Đối tác theo quốc gia",
        summary="Hàn Quốc có nhiều địa phương đối tác nhất: 5.",
        row_heading="Quốc gia",
        columns=[Column("Đối tác")],
        rows=[
            Row("Hàn Quốc", (5,)),
            Row("Nhật Bản", (4,)),
            Row("Cộng hòa Dân chủ Nhân dân Lào", (2,)),
            Row('<script>alert("x")</script> & "Ư"', (1,)),
            Row("Không có", (0,)),
        ],
    )


@pytest.fixture
def delegations() -> Table:
    """Two series (in and out) by year; a missing value."""
    return Table(
        caption="Đoàn ra, đoàn vào theo năm",
        summary="Số đoàn vào tăng đều từ năm 2022.",
        row_heading="Năm",
        columns=[Column("Đoàn vào"), Column("Đoàn ra")],
        rows=[
            Row("2022", (10, 4), key=2022),
            Row("2023", (14, 6), key=2023),
            Row("2024", (20, None), key=2024),
            Row("2025", (1234, 8), key=2025),
        ],
    )


@pytest.fixture
def aid() -> Table:
    """Decimals, a percentage, a unit, dates as row keys."""
    return Table(
        caption="Viện trợ: cam kết và giải ngân",
        summary="Giải ngân đạt 62,5% cam kết.",
        row_heading="Ngày",
        columns=[
            Column("Cam kết", format=DECIMAL, decimals=2, unit="USD"),
            Column("Tỷ lệ giải ngân", format=PERCENT, decimals=1),
        ],
        rows=[
            Row("05/03/2026", (1234567.5, 62.5), key=date(2026, 3, 5)),
            Row("06/03/2026", (89.25, 100), key=date(2026, 3, 6)),
        ],
    )
