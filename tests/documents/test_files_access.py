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


def assert_served_in_a_sandbox(response, row: DocumentFile, pdf_bytes: bytes) -> None:
    """The whole PDF, shown inline in a sandbox, never sniffed, tagged by its digest."""
    assert response.status_code == 200
    assert response.content_read == pdf_bytes
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(pdf_bytes))
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{row.sha256}"'


def test_a_listed_pdf_is_served_inline_in_a_sandbox(client, make_document, pdf_bytes):
    document = make_document(pdf=pdf_bytes)
    row = DocumentFile.objects.get(document=document)
    response = fetch(client, url_of(row))
    assert_served_in_a_sandbox(response, row, pdf_bytes)
    # Not a year: once its document is unpublished, no shared cache may keep it longer
    # than a page (the ETag makes checking again cheap).
    assert response["Cache-Control"] == "public, max-age=300"
    # …and an edge drops it with the documents' pages (cangxanh.delivery.edge).
    assert response["xkey"] == response["Surrogate-Key"] == "cx k-documents"
    assert response["Accept-Ranges"] == "bytes"
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
        "/documents/files/{pk}/..%2F{name}",
        "/documents/files/{pk}/%2E%2E%2F%2E%2E%2Fsettings.py",
        "/documents/files/{pk}/{name}%00",
        "/documents/files/{pk}/{name}%20",
        "/documents/files/{pk}/{name}/",
        "/documents/files/{pk}/{name}\\",
        "/documents/files/{pk}/{upper}",
        "/documents/files/{pk}/" + "a" * 5000 + ".pdf",
        "/documents/files/{pk}/%ED%A0%80.pdf",
        "/documents/files/-{pk}/{name}",
        "/documents/files/{pk}.0/{name}",
    ],
)
def test_any_other_address_is_404(client, make_document, pdf_bytes, path):
    document = make_document(pdf=pdf_bytes)
    row = DocumentFile.objects.get(document=document)
    response = fetch(client, path.format(pk=row.pk, name=row.name, upper=row.name.upper()))
    assert response.status_code == 404


def test_head_answers_the_headers_without_opening_the_file(client, make_document, pdf_bytes):
    document = make_document(pdf=pdf_bytes)
    row = DocumentFile.objects.get(document=document)
    opened = []
    storage = type(row.file.storage)
    original = storage.open
    storage.open = lambda self, *args, **kwargs: (
        opened.append(args) or original(self, *args, **kwargs)
    )
    try:
        response = client.head(url_of(row))
    finally:
        storage.open = original
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(pdf_bytes))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert opened == []
    waiting = stored_file(document, files.office("docx"), "moi.docx", listed=False)
    assert client.head(url_of(waiting)).status_code == 404


def test_one_byte_range_is_served(client, make_document, pdf_bytes):
    document = make_document(pdf=pdf_bytes)
    row = DocumentFile.objects.get(document=document)
    size = len(pdf_bytes)
    for asked, first, last in (
        ("bytes=0-9", 0, 9),
        ("bytes=10-", 10, size - 1),
        ("bytes=-20", size - 20, size - 1),
        (f"bytes=5-{size + 1000}", 5, size - 1),
    ):
        response = fetch(client, url_of(row), HTTP_RANGE=asked)
        assert response.status_code == 206, asked
        assert response.content_read == pdf_bytes[first : last + 1], asked
        assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
        assert response["Content-Length"] == str(last - first + 1)
        assert response["Content-Security-Policy"] == "sandbox"
        assert response["X-Content-Type-Options"] == "nosniff"
    # Past the end: 416, saying how long the file is.
    response = fetch(client, url_of(row), HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{size}"
    # Several ranges, a range that is none, or an If-Range of another version: the whole.
    for headers in (
        {"HTTP_RANGE": "bytes=0-1,5-9"},
        {"HTTP_RANGE": "bytes=9-2"},
        {"HTTP_RANGE": "pages=1"},
        {"HTTP_RANGE": "bytes=" + "9" * 40 + "-"},
        {"HTTP_RANGE": "bytes=0-9", "HTTP_IF_RANGE": '"another"'},
    ):
        response = fetch(client, url_of(row), **headers)
        assert response.status_code == 200, headers
        assert response.content_read == pdf_bytes
    same = fetch(client, url_of(row), HTTP_RANGE="bytes=0-3", HTTP_IF_RANGE=f'"{row.sha256}"')
    assert same.status_code == 206 and same.content_read == b"%PDF"
    # Not public: a range changes nothing.
    waiting = stored_file(document, pdf_bytes, "moi.pdf", listed=False)
    assert fetch(client, url_of(waiting), HTTP_RANGE="bytes=0-9").status_code == 404


def test_deleting_a_document_leaves_nothing_public_nor_on_disk(
    client, make_document, pdf_bytes, django_user_model, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from cangxanh.documents.models import DocumentFacts
    from cangxanh.news.models import Article

    document = make_document(pdf=pdf_bytes)
    row = DocumentFile.objects.get(document=document)
    second = stored_file(document, files.office("xlsx"), "phu-luc.xlsx")
    page = document.translations.get(language="vi").get_absolute_url()
    storage = row.file.storage
    assert storage.exists(row.file.name) and fetch(client, url_of(row)).status_code == 200
    assert client.get(page).status_code == 200
    chief = django_user_model.objects.create_superuser("chief", "c@example.test", "pw-123456")
    client.force_login(chief)
    delete = reverse("admin:documents_document_delete", args=[document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()
    assert not Article.objects.filter(pk=document.pk).exists()
    assert not DocumentFacts.objects.filter(article_id=document.pk).exists()
    assert not storage.exists(row.file.name) and not storage.exists(second.file.name)
    assert fetch(client, url_of(row)).status_code == 404
    assert client.get(page).status_code == 404
    assert 'class="document-card"' not in client.get("/vi/documents/").content.decode()


def test_a_stored_file_another_row_names_is_kept(
    make_document, pdf_bytes, django_capture_on_commit_callbacks
):
    document = make_document(pdf=pdf_bytes)
    row = DocumentFile.objects.get(document=document)
    twin = DocumentFile.objects.get(pk=row.pk)
    twin.pk = None
    twin.save()
    with django_capture_on_commit_callbacks(execute=True):
        row.delete()
    assert twin.file.storage.exists(twin.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        twin.delete()
    assert not twin.file.storage.exists(twin.file.name)


def test_a_pdf_that_is_also_a_web_page_is_served_as_an_inert_pdf(client, make_document):
    # Starts as a PDF (so it is one), holds a page and a script a browser sniffing it
    # would run: it is sent as a PDF nobody may sniff, in a sandbox, from a bare origin.
    polyglot = (
        b"%PDF-1.4\n<html><body><script>document.title='owned'</script></body></html>\n"
        + files.page_pdf(b"BT ET")[len(b"%PDF-1.4\n") :]
    )
    document = make_document()
    row = stored_file(document, polyglot, "trang.pdf")
    assert row.kind == "pdf"
    response = fetch(client, url_of(row))
    assert response.status_code == 200 and response.content_read == polyglot
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
