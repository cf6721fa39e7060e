"""Files for the documents tests, written byte by byte so each test shows what it holds."""

import io
import zipfile
import zlib
from pathlib import Path

import pytest

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SENTENCE = (
    "Quyết định về việc ban hành quy chế quản lý hoạt động đối ngoại của thành phố Hải Phòng."
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{main}" ContentType="{type}"/>'
    "{extra}</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{main}"/></Relationships>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Kế hoạch hợp tác quốc tế năm 2025</w:t></w:r></w:p></w:body>"
    "</w:document>"
)
WORKBOOK_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Đoàn vào" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Đoàn Hàn Quốc</t></is></c></row>'
    "</sheetData></worksheet>"
)


def office(
    kind: str = "docx",
    *,
    main_type: str | None = None,
    parts: dict[str, bytes] | None = None,
    extra_types: str = "",
) -> bytes:
    """A minimal Word or Excel file (what Office needs to open it), with extra parts."""
    if kind == "docx":
        main, files = "word/document.xml", {"word/document.xml": DOCUMENT_XML.encode()}
        main_type = main_type or DOCX_MAIN
    else:
        main = "xl/workbook.xml"
        files = {
            "xl/workbook.xml": WORKBOOK_XML.encode(),
            "xl/worksheets/sheet1.xml": SHEET_XML.encode(),
        }
        main_type = main_type or XLSX_MAIN
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        types = CONTENT_TYPES.format(main=main, type=main_type, extra=extra_types)
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", ROOT_RELS.format(main=main))
        for name, content in {**files, **(parts or {})}.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def pdf(*objects: bytes, trailer: bytes = b"", header: bytes = b"%PDF-1.7\n") -> bytes:
    """A PDF of these objects (numbered from 1; the first is the catalog), with its xref."""
    out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def page_pdf(content: bytes, *, catalog_extra: bytes = b"", more: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF that draws `content` (compressed) in Helvetica."""
    return pdf(
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"/Filter /FlateDecode", zlib.compress(content)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *more,
    )


def object_stream(objects: list[tuple[int, bytes]], *, dictionary: bytes = b"") -> bytes:
    """An object stream (/Type /ObjStm) holding these numbered objects, compressed."""
    bodies = b""
    index = []
    for number, body in objects:
        index.append(b"%d %d" % (number, len(bodies)))
        bodies += body + b"\n"
    head = b" ".join(index) + b"\n"
    data = zlib.compress(head + bodies)
    return stream(
        b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode %s"
        % (len(objects), len(head), dictionary),
        data,
    )


def dejavu() -> Path:
    if not DEJAVU.exists():
        pytest.skip(f"the DejaVu font is missing ({DEJAVU}): install fonts-dejavu-core")
    return DEJAVU


def fpdf_document(pages: list[str], *, vietnamese: bool = True) -> bytes:
    """A real PDF written by fpdf2, one page per text: in DejaVu Sans, which has the
    Vietnamese letters, or in the built-in Helvetica for plain ASCII."""
    from fpdf import FPDF

    document = FPDF()
    if vietnamese:
        document.add_font("DejaVu", "", str(dejavu()))
    for text in pages:
        document.add_page()
        document.set_font("DejaVu" if vietnamese else "Helvetica", size=12)
        document.multi_cell(0, 8, text)
    return bytes(document.output())
