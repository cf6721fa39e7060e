"""What a document's attached file may be: PDF, DOCX or XLSX judged by its bytes, and
each refusal with its own message."""

import hashlib
import io
import random
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from pypdf import PdfWriter

from cangxanh.documents import validation
from cangxanh.documents.validation import MESSAGES, check_upload, stored_name

from . import files

MiB = 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
SCRIPT = b"<< /S /JavaScript /JS (app.alert('x')) >>"


def refused(name: str, data, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(name, data, **kwargs)
    return caught.value


def message(error: ValidationError) -> str:
    # Read in English (the words the tests look for); numbers and sizes were written
    # in the language active at the check (the site's default, Vietnamese: "2.000").
    with translation.override("en"):
        return error.messages[0]


class Unseekable(io.RawIOBase):
    """A stream that can only be read forwards (a pipe, a request body)."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


# Accepted ---------------------------------------------------------------------


def test_a_real_pdf_is_accepted_with_its_type_size_and_hash():
    data = files.fpdf_document(["Plan for international cooperation, 2025."], vietnamese=False)
    checked = check_upload("ke-hoach.pdf", data)
    assert checked.kind == "pdf"
    assert checked.content_type == "application/pdf"
    assert checked.extension == "pdf"
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


def test_docx_and_xlsx_are_accepted():
    docx = check_upload("bao-cao.docx", files.office("docx"))
    xlsx = check_upload("danh-sach.xlsx", files.office("xlsx"))
    assert (docx.kind, docx.extension) == ("docx", "docx")
    assert docx.content_type.endswith("wordprocessingml.document")
    assert (xlsx.kind, xlsx.extension) == ("xlsx", "xlsx")
    assert xlsx.content_type.endswith("spreadsheetml.sheet")


def test_the_type_comes_from_the_bytes_not_the_name():
    checked = check_upload("quyet-dinh.pdf", files.office("docx"))
    assert checked.kind == "docx"
    assert stored_name("quyet-dinh.pdf", checked) == "quyet-dinh.docx"
    assert stored_name("", checked) == "document.docx"


def test_uploaded_files_and_forward_only_streams_give_the_same_answer():
    data = files.office("xlsx")
    upload = SimpleUploadedFile("danh-sach.xlsx", data)
    upload.read(10)
    from_upload = check_upload(upload.name, upload)
    assert upload.tell() == 0  # left at its start for whoever stores it
    from_stream = check_upload("danh-sach.xlsx", Unseekable(data))
    assert from_upload == from_stream == check_upload("danh-sach.xlsx", data)


def harmless_pdf() -> bytes:
    # An open action that shows page 1, names that start like the refused ones, a clean
    # object stream, and "/JS" by chance in a picture's bytes (stream data, where the
    # short name is not looked for).
    return files.page_pdf(
        b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET",
        catalog_extra=b"/OpenAction [3 0 R /Fit] /JSX 1 /JavaScripts 2 /Encrypted 3 ",
        more=(
            files.object_stream(
                [(7 + i, b"<< /Title (Ke hoach %d) /JSON (x) >>" % i) for i in range(40)]
            ),
            files.stream(
                b"/Type /XObject /Subtype /Image /Width 4 /Height 2 /BitsPerComponent 8 "
                b"/ColorSpace /DeviceGray",
                b"\x01/JS \x02\x03/XFA ",
            ),
        ),
    )


def test_harmless_pdf_structures_are_accepted():
    assert check_upload("ke-hoach.pdf", harmless_pdf()).kind == "pdf"


# Refused: what the file really is -------------------------------------------------


def test_a_renamed_program_is_refused():
    exe = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
        + bytes(200)
        + b"This program cannot be run in DOS mode"
    )
    error = refused("quyet-dinh.pdf", exe)
    assert error.code == "program"
    assert "program" in message(error)


def test_an_html_page_named_pdf_is_refused():
    page = b"\xef\xbb\xbf  <!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    error = refused("quyet-dinh.pdf", page)
    assert error.code == "other_format"
    assert "HTML" in message(error)


@pytest.mark.parametrize(
    ("data", "format"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "JPEG"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
    ],
)
def test_pictures_and_other_formats_are_named(data, format):
    error = refused("bao-cao.docx", data)
    assert error.code == "other_format"
    assert format in message(error)


def test_plain_zips_and_powerpoint_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    error = refused("bao-cao.docx", buffer.getvalue())
    assert (error.code, "ZIP" in message(error)) == ("other_format", True)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p/>")
    error = refused("slides.docx", buffer.getvalue())
    assert (error.code, "PowerPoint" in message(error)) == ("other_format", True)

    # Both word/ and xl/: neither a DOCX nor an XLSX.
    both = files.office("docx", parts={"xl/workbook.xml": files.WORKBOOK_XML.encode()})
    assert refused("bao-cao.docx", both).code == "not_a_document"


def test_unknown_bytes_are_refused():
    error = refused("bao-cao.pdf", b"just some text, no document")
    assert error.code == "not_a_document"


def test_an_empty_file_is_refused():
    assert refused("bao-cao.pdf", b"").code == "empty"


def test_an_ole2_file_is_refused_as_old_or_protected():
    # Old .doc and .xls, and every password-protected DOCX or XLSX, are OLE2 compound files.
    for name in ("bao-cao.doc", "bao-cao.docx", "bang.xlsx"):
        error = refused(name, OLE2)
        assert error.code == "old_office"
        assert "password" in message(error)


# Refused: macros --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "bao-cao.docm",
            files.office("docx", main_type=files.DOCM_MAIN, parts={"word/vbaProject.bin": OLE2}),
        ),
        # A docm renamed .docx: its content type says so, even without a macro part.
        ("bao-cao.docx", files.office("docx", main_type=files.DOCM_MAIN)),
        (
            "bang.xlsm",
            files.office("xlsx", main_type=files.XLSM_MAIN, parts={"xl/vbaProject.bin": OLE2}),
        ),
        # The macro project alone, under an ordinary content type.
        ("bang.xlsx", files.office("xlsx", parts={"xl/vbaProject.bin": OLE2})),
        # Excel 4.0 macro sheets.
        ("bang.xlsx", files.office("xlsx", parts={"xl/macrosheets/sheet1.xml": b"<xm/>"})),
        # A clean file whose name says it holds macros.
        ("bao-cao.docm", files.office("docx")),
    ],
)
def test_macro_enabled_files_are_refused(name, data):
    error = refused(name, data)
    assert error.code == "macros"
    assert "macros" in message(error)


# Refused: zip bombs and hidden files --------------------------------------------------


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = files.office("docx", parts={"word/media/image1.png": bytes(8 * MiB)})
    assert len(bomb) < 64 * 1024
    error = refused("bao-cao.docx", bomb)
    assert error.code == "compression_ratio"
    assert "zip bomb" in message(error)


def test_a_zip_with_too_many_entries_is_refused():
    parts = {f"word/media/p{i}.xml": b"<p/>" for i in range(validation.ZIP_MAX_ENTRIES)}
    error = refused("bao-cao.docx", files.office("docx", parts=parts))
    assert error.code == "too_many_entries"
    assert "2.000" in message(error)  # the Vietnamese way, the default language


def test_a_zip_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(validation, "ZIP_MAX_UNPACKED_BYTES", 64 * 1024)
    noise = random.Random(12).randbytes(100 * 1024)  # incompressible: no ratio to see
    error = refused("bang.xlsx", files.office("xlsx", parts={"xl/media/image1.png": noise}))
    assert error.code == "too_much_unpacked"


@pytest.mark.parametrize(
    "part",
    [
        ("word/embeddings/oleObject1.bin", OLE2),
        ("word/media/image1.png", files.office("xlsx")),  # a zip under a picture's name
        ("word/media/setup.png", b"MZ\x90\x00" + bytes(100)),
    ],
)
def test_a_file_hidden_inside_is_refused(part):
    error = refused("bao-cao.docx", files.office("docx", parts=dict([part])))
    assert error.code == "nested"


def test_an_encrypted_zip_entry_is_refused():
    data = bytearray(files.office("docx"))
    # Mark every entry encrypted (general purpose flag bit 0), in local and central headers.
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            data[at + flag_at] |= 0x1
            at = data.find(signature, at + 4)
    assert refused("bao-cao.docx", bytes(data)).code == "encrypted"


def test_a_truncated_or_corrupted_zip_is_damaged():
    data = files.office("docx")
    assert refused("bao-cao.docx", data[: len(data) // 2]).code == "damaged"
    corrupted = bytearray(data)
    at = corrupted.find(b"word/document.xml") + len("word/document.xml") + 5
    corrupted[at] ^= 0xFF  # inside the first part's compressed data: its CRC fails
    assert refused("bao-cao.docx", bytes(corrupted)).code == "damaged"


# Refused: PDFs ----------------------------------------------------------------------


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("", "owner-password", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    error = refused("bao-cao.pdf", buffer.getvalue())
    assert error.code == "encrypted"
    assert "password" in message(error)


@pytest.mark.parametrize(
    "action",
    [
        SCRIPT,
        # Every name written with escapes: /J#61v#61Script is /JavaScript, /#4A#53 is /JS.
        b"<< /S /J#61v#61Script /#4A#53 (app.alert('x')) >>",
        # The script name alone, escaped; and the /JS key alone.
        b"<< /S /#4Aava#53cript >>",
        b"<< /#4AS (app.alert('x')) >>",
    ],
)
def test_a_pdf_with_javascript_is_refused(action):
    data = files.page_pdf(b"BT ET", catalog_extra=b"/OpenAction 6 0 R ", more=(action,))
    error = refused("bao-cao.pdf", data)
    assert error.code == "pdf_script"
    assert "JavaScript" in message(error)


@pytest.mark.parametrize(
    "extra",
    [
        # A dynamic form: its scripts are XML inside the XFA stream, no /JavaScript name.
        (b"/AcroForm << /Fields [] /XFA 6 0 R >> ", files.stream(b"", b"<xdp:xdp/>")),
        (b"/AcroForm << /Fields [] /#58FA 6 0 R >> ", files.stream(b"", b"<xdp:xdp/>")),
        (b"", b"<< /Type /Annot /Subtype /RichMedia /RichMediaContent << >> >>"),
    ],
)
def test_an_xfa_form_or_rich_media_is_refused(extra):
    catalog, more = extra
    data = files.page_pdf(b"BT ET", catalog_extra=catalog, more=(more,))
    error = refused("to-khai.pdf", data)
    assert error.code == "pdf_form_script"
    assert "XFA" in message(error)


def test_an_xfa_form_in_an_object_stream_is_refused():
    data = files.page_pdf(
        b"BT ET",
        catalog_extra=b"/AcroForm 7 0 R ",
        more=(files.object_stream([(7, b"<< /Fields [] /XFA [(template) 8 0 R] >>")]),),
    )
    assert b"XFA" not in data
    assert refused("to-khai.pdf", data).code == "pdf_form_script"


def test_a_script_compressed_in_an_object_stream_is_refused():
    data = files.page_pdf(
        b"BT ET",
        catalog_extra=b"/OpenAction 7 0 R ",
        more=(files.object_stream([(7, b"<< /S /J#61vaScript /JS (app.alert('x')) >>")]),),
    )
    assert b"JavaScript" not in data and b"J#61va" not in data  # nothing to see uncompressed
    assert refused("bao-cao.pdf", data).code == "pdf_script"


def test_names_are_found_wherever_the_reading_chunks_cut_them(monkeypatch):
    # The file is read in windows; every cut through a name must still find it whole,
    # and never take the start of a longer name (/JSX, /JSON) for a refused one.
    fillers = [(8 + i, b"<< /Title (Ke hoach %d) >>" % i) for i in range(40)]
    hidden = files.page_pdf(
        b"BT ET",
        catalog_extra=b"/OpenAction 7 0 R ",
        more=(files.object_stream([*fillers, (7, b"<< /S /J#61v#61Script >>")]),),
    )
    escaped = files.page_pdf(b"BT ET", more=(b"<< /S /J#61v#61Script /#4A#53 (x) >>",))
    harmless = harmless_pdf()
    for chunk in range(validation.OVERLAP + 1, validation.OVERLAP + 160):
        monkeypatch.setattr(validation, "CHUNK", chunk)
        assert check_upload("a.pdf", harmless).kind == "pdf", chunk
        assert refused("a.pdf", hidden).code == "pdf_script", chunk
        assert refused("a.pdf", escaped).code == "pdf_script", chunk


@pytest.mark.parametrize(
    "dictionary",
    [
        b"/DecodeParms << /Predictor 12 /Columns 4 >>",  # rows filtered: names hidden
        b"/DecodeParms 9 0 R",  # parameters out of sight
    ],
)
def test_an_object_stream_that_cannot_be_read_plainly_is_refused(dictionary):
    data = files.page_pdf(
        b"BT ET", more=(files.object_stream([(7, b"<< /Title (x) >>")], dictionary=dictionary),)
    )
    assert refused("bao-cao.pdf", data).code == "pdf_unchecked"


def test_an_object_stream_under_another_filter_is_refused():
    data = files.page_pdf(
        b"BT ET",
        more=(files.stream(b"/Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode", b"3720300a>"),),
    )
    assert refused("bao-cao.pdf", data).code == "pdf_unchecked"


def test_a_pdf_that_launches_a_program_is_refused():
    action = b"<< /S /Launch /F (cmd.exe) >>"
    data = files.page_pdf(b"BT ET", catalog_extra=b"/OpenAction 6 0 R ", more=(action,))
    assert refused("bao-cao.pdf", data).code == "pdf_launch"


def test_a_pdf_with_attached_files_is_refused():
    data = files.page_pdf(
        b"BT ET",
        catalog_extra=b"/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >> ",
        more=(b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",),
    )
    error = refused("bao-cao.pdf", data)
    assert error.code == "pdf_attachment"


def test_a_truncated_pdf_is_damaged():
    data = files.fpdf_document(["Plan for 2025."], vietnamese=False)
    assert refused("bao-cao.pdf", data[: len(data) // 2]).code == "damaged"


# Refused: size ------------------------------------------------------------------------


def test_an_oversized_file_is_refused_before_it_is_read():
    data = files.fpdf_document(["Plan for 2025."], vietnamese=False)
    error = refused("bao-cao.pdf", data, max_bytes=500)
    assert error.code == "file_too_large"
    assert filesizeformat(len(data)) in message(error)
    assert filesizeformat(500) in message(error)

    class Huge(io.BytesIO):
        size = 30 * MiB  # what Django's UploadedFile knows of what came in

        def read(self, *args):
            raise AssertionError("a file known to be too large is not read")

    error = refused("bao-cao.pdf", Huge(), max_bytes=20 * MiB)
    assert error.code == "file_too_large"
    assert filesizeformat(30 * MiB) in message(error)


def test_an_oversized_stream_stops_at_the_limit():
    error = refused("bao-cao.docx", Unseekable(bytes(5000)), max_bytes=1000)
    assert error.code == "file_too_large_unknown"


def test_the_limit_comes_from_the_settings(settings):
    data = files.office("docx")
    settings.DOCUMENT_MAX_UPLOAD_BYTES = len(data) - 1
    assert refused("bao-cao.docx", data).code == "file_too_large"
    settings.DOCUMENT_MAX_UPLOAD_BYTES = len(data)
    assert check_upload("bao-cao.docx", data).size == len(data)


def test_every_refusal_has_its_own_message():
    texts = [str(text) for text in MESSAGES.values()]
    assert len(set(texts)) == len(texts)
