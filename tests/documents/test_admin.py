"""Documents in the newsroom, over HTTP: made with their file, a refused file saying why
and keeping what was typed, and a published document's new facts and files waiting
for an approver while readers' pages stay byte for byte what they were."""

import hashlib
import zipfile
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from cangxanh.documents.models import Document, DocumentFacts, DocumentFile, TextStatus
from cangxanh.editorial import facts, roles, workflow
from cangxanh.editorial.models import Action, PendingVersion, StaffProfile
from cangxanh.news.models import Article, Status

from . import files

ADD = "admin:documents_document_add"


@pytest.fixture
def make_user(django_user_model):
    def make(username, role, languages=()):
        user = django_user_model.objects.create_user(username, password="pw-123456", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, languages=list(languages))
        return django_user_model.objects.get(pk=user.pk)

    return make


def texts_post(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "translations-TOTAL_FORMS": str(len(rows)),
        "translations-INITIAL_FORMS": str(initial),
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"translations-{index}-{name}": value for name, value in row.items()}
    return data


def facts_post(taxonomy, **more) -> dict:
    data = {
        "original_language": "vi",
        "number": "62/2025/QĐ-UBND",
        "type": str(taxonomy["decision"].pk),
        "issuer": str(taxonomy["city"].pk),
        "field": str(taxonomy["foreign"].pk),
        "signer": "Nguyễn Văn Tùng",
        "issued_on": "2025-06-24",
        "effective_on": "2025-08-01",
        "expires_on": "",
        "legal_status": "in_force",
        "upload_language": "vi",
    }
    return data | more


NEW_TEXT = {
    "language": "vi",
    "title": "Quy chế quản lý đoàn ra, đoàn vào",
    "slug": "",
    "lead": "Quyết định ban hành Quy chế quản lý thống nhất các hoạt động đối ngoại.",
    "body": "",
}


def test_an_editor_makes_a_document_with_its_pdf(
    client, taxonomy, make_user, pdf_bytes, django_capture_on_commit_callbacks
):
    editor = make_user("editor", roles.EDITOR, ["vi"])
    client.force_login(editor)
    form = client.get(reverse(ADD), HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200
    html = form.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="number"' in html and 'name="upload"' in html
    assert "Summary (trích yếu)" in html

    upload = SimpleUploadedFile("Quyết định 62.pdf", pdf_bytes, content_type="application/pdf")
    data = facts_post(taxonomy, upload=upload) | texts_post([NEW_TEXT])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(ADD), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get()
    row = DocumentFacts.objects.get(article=document)
    assert (row.number, row.number_key) == ("62/2025/QĐ-UBND", "62 2025 qd ubnd")
    stored = DocumentFile.objects.get(document=document)
    # Nobody reads it yet: listed at once, its text read after the save.
    assert stored.listed and stored.name == "quyet-dinh-62.pdf" and stored.kind == "pdf"
    assert stored.text_status == TextStatus.OK and files.SENTENCE in stored.text
    assert stored.file.name.endswith(f"{stored.sha256[:32]}.pdf")
    assert document.translations.get().status == Status.DRAFT


def _exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200) + b"This program cannot be run"


def _bomb() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            files.CONTENT_TYPES.format(main="word/document.xml", type=files.DOCX_MAIN, extra=""),
        )
        archive.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("quyet-dinh.pdf", _exe(), "This file is a program"),
        ("bao-cao.docm", files.office("docx", main_type=files.DOCM_MAIN), "contains macros"),
        ("bao-cao.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "password-protected"),
        ("bao-cao.docx", _bomb(), "zip bomb"),
        ("trang.pdf", b"<!doctype html><script>alert(1)</script>", "HTML format"),
    ],
)
def test_a_refused_file_says_why_and_keeps_what_was_typed(
    client, taxonomy, make_user, name, data, said
):
    editor = make_user("editor", roles.EDITOR, ["vi"])
    client.force_login(editor)
    typed = facts_post(taxonomy, number="15/2026/KH-UBND", signer="Trần Thị Mai")
    post = typed | {"upload": SimpleUploadedFile(name, data)} | texts_post([NEW_TEXT])
    response = client.post(reverse(ADD), post, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert said in html
    assert 'value="15/2026/KH-UBND"' in html and 'value="Trần Thị Mai"' in html
    assert "Quy chế quản lý đoàn ra, đoàn vào" in html
    assert not Article.objects.exists() and not DocumentFile.objects.exists()


def test_an_oversized_file_is_refused(client, taxonomy, make_user, settings, pdf_bytes):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1000
    editor = make_user("editor", roles.EDITOR, ["vi"])
    client.force_login(editor)
    post = facts_post(taxonomy) | {"upload": SimpleUploadedFile("a.pdf", pdf_bytes)}
    response = client.post(reverse(ADD), post | texts_post([NEW_TEXT]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "the largest file a document may carry is" in response.content.decode()
    assert not Article.objects.exists()


def change_post(document, taxonomy, **more) -> dict:
    rows = []
    for row in document.translations.filter(language="vi"):
        rows.append(
            {
                "id": str(row.pk),
                "article": str(document.pk),
                "language": row.language,
                "title": row.title,
                "slug": row.slug,
                "lead": row.lead,
                "body": row.body,
            }
        )
    listed = DocumentFile.objects.filter(document=document, listed=True)
    return facts_post(taxonomy, files=[str(f.pk) for f in listed], **more) | texts_post(
        rows, initial=len(rows)
    )


def test_a_published_documents_new_facts_and_file_wait_for_approval(
    client,
    site_identity,
    taxonomy,
    make_document,
    make_user,
    pdf_bytes,
    django_capture_on_commit_callbacks,
):
    document = make_document(pdf=pdf_bytes)
    page_vi = document.translations.get(language="vi").get_absolute_url()
    page_en = document.translations.get(language="en").get_absolute_url()

    def public():
        client.logout()
        return [client.get(url).content for url in (page_vi, page_en, "/vi/documents/")]

    before = public()
    editor = make_user("editor", roles.EDITOR, ["vi"])
    client.force_login(editor)
    url = reverse("admin:documents_document_change", args=[document.pk])
    xlsx = SimpleUploadedFile("Phụ lục.xlsx", files.office("xlsx"))
    data = change_post(document, taxonomy, number="62/2025/QĐ-UBND (sửa)", upload=xlsx)
    data["legal_status"] = "amended"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "until an approver publishes" in response.content.decode()

    assert public() == before  # byte for byte, in both languages and on the list
    added = DocumentFile.objects.get(document=document, kind="xlsx")
    assert not added.listed
    assert client.get(f"/documents/files/{added.pk}/{added.name}").status_code == 404
    waiting = PendingVersion.objects.get(translation__article=document)
    assert waiting.facts["extra"]["number"] == "62/2025/QĐ-UBND (sửa)"
    assert added.pk in waiting.facts["extra"]["files"]
    # The form shows what waits.
    client.force_login(editor)
    assert 'value="62/2025/QĐ-UBND (sửa)"' in client.get(url).content.decode()

    approver = make_user("approver", roles.APPROVER)
    workflow.perform(document.translations.get(language="vi"), Action.PUBLISH, approver)
    client.logout()
    served = client.get(f"/documents/files/{added.pk}/{added.name}")
    assert served.status_code == 200
    assert hashlib.sha256(b"".join(served.streaming_content)).hexdigest() == added.sha256
    after = client.get(page_en).content.decode()
    assert "62/2025/QĐ-UBND (sửa)" in after and "Amended" in after and added.name in after


def test_a_translator_translates_but_cannot_change_the_facts(
    client, taxonomy, make_document, make_user
):
    document = make_document(langs=("vi", "ko"))
    translator = make_user("translator", roles.TRANSLATOR, ["ko"])
    client.force_login(translator)
    url = reverse("admin:documents_document_change", args=[document.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="number"' not in page.content.decode()
    ko = document.translations.get(language="ko")
    text = {"id": str(ko.pk), "article": str(document.pk), "language": "ko", "title": "결정"}
    text |= {"slug": ko.slug, "lead": ko.lead, "body": ko.body}
    crafted = facts_post(taxonomy, number="1/2000/QĐ-UBND")
    assert client.post(url, crafted | texts_post([text], 1)).status_code == 302
    assert facts.pending(document) is None
    assert DocumentFacts.objects.get(article=document).number == "62/2025/QĐ-UBND"


def test_the_kinds_facts_refuse_what_cannot_be(make_document, django_user_model):
    chief = django_user_model.objects.create_superuser("chief", "c@example.test", "pw-123456")
    document = make_document()
    working = facts.working(document)
    for extra, message in (
        ({"number": "  "}, "number and symbol"),
        ({"type": 999999}, "type of the document"),
        ({"issued_on": "yesterday"}, "not a date"),
        ({"expires_on": "2020-01-01"}, "cannot cease"),
        ({"legal_status": "lost"}, "legal status"),
        ({"files": [999999]}, "do not exist"),
        ({"relations": [{"target": 999999, "relation": "amends"}]}, "do not exist"),
        ({"relations": [{"target": document.pk, "relation": "eats"}]}, "other documents"),
        ({"articles": [document.pk]}, "do not exist"),
    ):
        with translation.override("en"), pytest.raises(facts.FactsError, match=message):
            facts.article_save_facts(
                article=document, facts=working | {"extra": working["extra"] | extra}, user=chief
            )
    assert facts.pending(document) is None


def test_the_staff_preview_shows_the_waiting_facts(
    client, site_identity, make_document, django_user_model
):
    chief = django_user_model.objects.create_superuser("chief", "c@example.test", "pw-123456")
    document = make_document()
    working = facts.working(document)
    working["extra"] = working["extra"] | {"number": "77/2025/QĐ-UBND"}
    assert facts.article_save_facts(article=document, facts=working, user=chief)
    client.force_login(chief)
    english = document.translations.get(language="en")
    response = client.get(reverse("news-preview", args=[english.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="preview-banner"' in html and "77/2025/QĐ-UBND" in html


def test_the_taxonomy_admins(staff, taxonomy):
    for name in ("documenttype", "issuer", "field"):
        response = staff.get(reverse(f"admin:documents_{name}_changelist"))
        assert response.status_code == 200
    page = staff.get(reverse("admin:documents_issuer_change", args=[taxonomy["city"].pk]))
    assert "UBND thành phố Hải Phòng" in page.content.decode()


# --- What only an approver or an administrator may do, tried by others -------------------


def test_a_body_larger_than_any_form_takes_is_refused_before_it_is_read(
    client, taxonomy, make_user, settings, pdf_bytes
):
    settings.UPLOAD_MAX_REQUEST_BYTES = 20_000
    editor = make_user("editor", roles.EDITOR, ["vi"])
    client.force_login(editor)
    received = []
    from django.core.files import uploadhandler

    original = uploadhandler.TemporaryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        received.append(len(raw_data))
        return original(self, raw_data, start)

    big = files.fpdf_document(["Điều 1."] * 10) + b"%" + b"x" * 40_000 + b"\n%%EOF\n"
    post = facts_post(taxonomy) | {"upload": SimpleUploadedFile("a.pdf", big)}
    uploadhandler.TemporaryFileUploadHandler.receive_data_chunk = spy
    try:
        response = client.post(reverse(ADD), post | texts_post([NEW_TEXT]))
    finally:
        uploadhandler.TemporaryFileUploadHandler.receive_data_chunk = original
    assert response.status_code == 400
    assert received == []  # not a byte of it was kept anywhere
    assert not Article.objects.exists() and not DocumentFile.objects.exists()
    # A file within the limit goes through as before.
    small = facts_post(taxonomy) | {"upload": SimpleUploadedFile("b.pdf", pdf_bytes)}
    assert client.post(reverse(ADD), small | texts_post([NEW_TEXT])).status_code == 302


def test_an_editor_cannot_publish_delete_or_rename_what_readers_see(
    client, taxonomy, make_document, make_user
):
    document = make_document(status=Status.REVIEW)
    editor = make_user("editor", roles.EDITOR, ["vi", "en"])
    client.force_login(editor)
    changelist = reverse("admin:documents_document_changelist")
    crafted = {"action": "publish_now", "_selected_action": [str(document.pk)], "index": "0"}
    client.post(changelist, crafted)
    assert not document.translations.filter(status=Status.PUBLISHED).exists()
    delete = reverse("admin:documents_document_delete", args=[document.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=document.pk).exists()
    issuer = reverse("admin:documents_issuer_change", args=[taxonomy["city"].pk])
    assert client.get(issuer).status_code == 403
    assert client.post(issuer, {"key": "x", "position": "0"}).status_code == 403
    assert client.get(reverse("admin:documents_documenttype_add")).status_code == 403


def test_a_translator_cannot_upload_or_list_files_with_a_crafted_post(
    client, taxonomy, make_document, make_user, pdf_bytes
):
    document = make_document(langs=("vi", "ko"), pdf=pdf_bytes)
    listed = DocumentFile.objects.get(document=document)
    translator = make_user("translator", roles.TRANSLATOR, ["ko"])
    client.force_login(translator)
    url = reverse("admin:documents_document_change", args=[document.pk])
    ko = document.translations.get(language="ko")
    text = {"id": str(ko.pk), "article": str(document.pk), "language": "ko", "title": "결정"}
    text |= {"slug": ko.slug, "lead": ko.lead, "body": ko.body}
    crafted = facts_post(taxonomy, files=[], upload=SimpleUploadedFile("x.pdf", pdf_bytes))
    assert client.post(url, crafted | texts_post([text], 1)).status_code == 302
    assert list(DocumentFile.objects.filter(document=document)) == [listed]
    listed.refresh_from_db()
    assert listed.listed and facts.pending(document) is None


def test_an_editor_cannot_list_another_documents_file(
    client, taxonomy, make_document, make_user, pdf_bytes
):
    document = make_document()
    other = make_document("7/2025/QĐ-UBND", pdf=pdf_bytes, status=Status.DRAFT)
    theirs = DocumentFile.objects.get(document=other)
    editor = make_user("editor", roles.EDITOR, ["vi"])
    client.force_login(editor)
    url = reverse("admin:documents_document_change", args=[document.pk])
    response = client.post(url, change_post(document, taxonomy) | {"files": [str(theirs.pk)]})
    assert response.status_code == 200  # refused by the form: not one of this document's
    assert facts.pending(document) is None


def test_staff_open_a_waiting_file_before_approving_it(
    client, taxonomy, make_document, make_user, pdf_bytes, django_user_model
):
    from .conftest import stored_file

    document = make_document()
    waiting = stored_file(document, pdf_bytes, "moi.pdf", listed=False)
    working = facts.working(document)
    working["extra"] = working["extra"] | {"files": [waiting.pk]}
    approver = make_user("approver", roles.APPROVER)
    assert facts.article_save_facts(article=document, facts=working, user=approver)
    url = reverse("document-file-staff", args=[waiting.pk])
    # Readers: the public address is a 404, the staff one asks to sign in.
    assert client.get(f"/documents/files/{waiting.pk}/{waiting.name}").status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    reader = django_user_model.objects.create_user("reader", password="pw-123456")
    client.force_login(reader)
    assert client.get(url).status_code == 403
    # The preview and the form link it; it comes as a download nobody caches.
    client.force_login(approver)
    english = document.translations.get(language="en")
    preview = client.get(reverse("news-preview", args=[english.pk])).content.decode()
    assert f'href="{url}"' in preview
    form = client.get(reverse("admin:documents_document_change", args=[document.pk]))
    assert f'href="{url}"' in form.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes
    assert response["Content-Disposition"] == 'attachment; filename="moi.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("document-file-staff", args=[999999])).status_code == 404


def test_types_issuers_and_fields_are_named_in_the_newsroom_language(taxonomy):
    with translation.override("en"):
        assert str(taxonomy["decision"]) == "Decision"
    with translation.override("ko"):
        assert str(taxonomy["decision"]) == "결정"
        assert str(taxonomy["decree"]) == "Nghị định"  # no Korean name: the site's language
    assert str(taxonomy["decision"]) == "Quyết định"
