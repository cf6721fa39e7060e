"""Write the demo documents' attached PDFs (cangxanh/demo/content/files/documents/).

Run once after changing `pdf` texts in cangxanh/demo/content/documents.toml:

    .venv/bin/python bench/demo_document_pdfs.py

Each PDF is a one-page sheet in DejaVu Sans (Vietnamese letters; `apt-get install
fonts-dejavu-core`), made with fpdf2 (a dev dependency, so the demo loader never needs
it: the files are committed). The creation date is fixed, so the same text always
makes the same bytes. Every sheet says it belongs to the demo.
"""

import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "cangxanh" / "demo" / "content"
OUT = CONTENT / "files" / "documents"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
BANNER = "BẢN TRÌNH DIỄN — KHÔNG PHẢI VĂN BẢN CHÍNH THỨC"


def line(pdf: FPDF, *args, **kwargs) -> None:
    """A paragraph, the next one starting at the left margin below it."""
    pdf.multi_cell(*args, new_x="LMARGIN", new_y="NEXT", **kwargs)


def sheet(document: dict, names: dict) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(CREATED)
    pdf.set_title(f"{document['number']} {document['vi']['title']}")
    pdf.set_producer("cangxanh demo")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(22, 20, 22)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 9)
    pdf.set_text_color(200, 50, 31)
    line(pdf, 0, 6, BANNER, align="C")
    pdf.ln(4)
    pdf.set_text_color(20, 30, 40)
    pdf.set_font("DejaVu", "", 11)
    line(pdf, 0, 6, names["issuer"][document["issuer"]].upper(), align="C")
    line(pdf, 0, 6, f"Số: {document['number']}", align="C")
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 14)
    line(pdf, 0, 8, f"{names['type'][document['type']].upper()}", align="C")
    pdf.set_font("DejaVu", "B", 12)
    line(pdf, 0, 7, document["vi"]["title"], align="C")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 11)
    line(pdf, 0, 6.5, document["vi"]["summary"])
    pdf.ln(3)
    line(pdf, 0, 6.5, document["pdf"])
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 9)
    pdf.set_text_color(86, 97, 109)
    line(
        pdf,
        0,
        5,
        f"Ngày ban hành: {document['issued_on']}. Trang tóm tắt do cổng thông tin đối ngoại "
        "soạn cho bản trình diễn; toàn văn chính thức được đăng trên Công báo.",
    )
    return bytes(pdf.output())


def main() -> int:
    with open(CONTENT / "documents.toml", "rb") as fh:
        data = tomllib.load(fh)
    names = {
        "type": {item["key"]: item["vi"] for item in data["type"]},
        "issuer": {item["key"]: item["vi"] for item in data["issuer"]},
    }
    OUT.mkdir(parents=True, exist_ok=True)
    for document in data["document"]:
        path = OUT / f"{document['key']}.pdf"
        path.write_bytes(sheet(document, names))
        print(path.relative_to(ROOT), path.stat().st_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
