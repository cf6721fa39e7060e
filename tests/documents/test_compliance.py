"""The compliance item "documents carry their files": red while a published document has
no file, green once it has one; and `cangxanh extract-documents` reads what failed."""

from io import StringIO

from django.core.management import call_command

from cangxanh.documents.models import DocumentFile, TextStatus
from cangxanh.editorial import compliance

from .conftest import stored_file


def run():
    check = next(c for c in compliance._CHECKS.values() if c.code == "documents-files")
    return check.run()


def test_red_then_green(db, make_document, pdf_bytes):
    assert run().status == compliance.WARN  # nothing published yet
    bare = make_document("1/2025/QĐ-UBND")
    make_document("2/2025/QĐ-UBND", pdf=pdf_bytes)
    result = run()
    assert result.status == compliance.FAIL
    assert "1/2025/QĐ-UBND" in result.detail and "2/2025" not in result.detail
    assert result.fix_url == "/admin/documents/document/"
    # A file uploaded but not yet approved does not count.
    stored_file(bare, pdf_bytes, "cho.pdf", listed=False)
    assert run().status == compliance.FAIL
    DocumentFile.objects.filter(document=bare).update(listed=True)
    assert run().status == compliance.OK


def test_extract_documents_reads_what_failed(db, make_document, pdf_bytes):
    document = make_document(pdf=pdf_bytes)
    DocumentFile.objects.filter(document=document).update(
        text="", text_status=TextStatus.FAILED, text_error="no answer"
    )
    out = StringIO()
    call_command("extract-documents", stdout=out, stderr=StringIO())
    row = DocumentFile.objects.get(document=document)
    assert row.text_status == TextStatus.OK and row.text
    assert "1 PDF(s) read" in out.getvalue()
