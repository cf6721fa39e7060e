"""Attached files: served only while the live facts of a document readers can see list
them, with their real type and headers that keep a file from acting as a page."""

import pytest
from django.utils import timezone

from cangxanh.documents.models import DocumentFile
from cangxanh.news.models import Status

from . import files
from .conftest import stored_file


def url_of(row: DocumentFile) -> str:
    return f"/documents/files/{row.pk}/{row.name}"


def fetch(client, url, **headers):
    """GET, with a streamed file read to its end (the test client then closes it)."""
    response = client.get(url, **headers)
    if response.streaming:
        response.content_read = b"".join(response.streaming_content)
    return response


def test_a_listed_pdf_is_served_inline_in_a_sandbox(client, make_document, pdf_bytes):
    document = make_document(pdf=pdf_bytes)
    row = DocumentFile.objects.get(document=document)
    response = fetch(client, url_of(row))
    assert response.status_code == 200
    assert response.content_read == pdf_bytes
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(pdf_bytes))
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{row.sha256}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Language" not in response.get("Vary", "")
    again = fetch(client, url_of(row), HTTP_IF_NONE_MATCH=f'"{row.sha256}"')
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("kind", "data", "content_type"),
    [
        (
            "docx",
            files.office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "xlsx",
            files.office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_word_and_excel_files_are_downloads(client, make_document, kind, data, content_type):
    document = make_document()
    row = stored_file(document, data, f"Bảng tổng hợp.{kind}")
    assert row.name == f"bang-tong-hop.{kind}"
    response = fetch(client, url_of(row))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="bang-tong-hop.{kind}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" not in response.get("Content-Security-Policy", "")


def test_a_file_not_yet_approved_is_404(client, make_document, pdf_bytes):
    document = make_document()
    waiting = stored_file(document, pdf_bytes, "moi.pdf", listed=False)
    response = fetch(client, url_of(waiting))
    assert response.status_code == 404
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-store"


def test_files_of_drafts_scheduled_and_unpublished_documents_are_404(
    client, make_document, pdf_bytes
):
    draft = make_document("1/2025/QĐ-UBND", pdf=pdf_bytes, status=Status.DRAFT)
    later = make_document(
        "2/2025/QĐ-UBND", pdf=pdf_bytes, published_at=timezone.now() + timezone.timedelta(days=1)
    )
    for document in (draft, later):
        assert fetch(client, url_of(DocumentFile.objects.get(document=document))).status_code == 404
    shown = make_document("3/2025/QĐ-UBND", pdf=pdf_bytes)
    row = DocumentFile.objects.get(document=shown)
    assert fetch(client, url_of(row)).status_code == 200
    shown.translations.update(status=Status.UNPUBLISHED)
    from cangxanh.delivery import version

    version.bump()
    assert fetch(client, url_of(row)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/documents/files/{pk}/other-name.pdf",
        "/documents/files/{pk}/../{name}",
        "/documents/files/99999999/{name}",
        "/documents/files/{pk}/",
        "/documents/files/0/{name}",
        "/documents/files/99999999999999999999999/{name}",
    ],
)
def test_any_other_address_is_404(client, make_document, pdf_bytes, path):
    document = make_document(pdf=pdf_bytes)
    row = DocumentFile.objects.get(document=document)
    assert fetch(client, path.format(pk=row.pk, name=row.name)).status_code == 404
