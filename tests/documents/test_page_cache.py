"""The page cache in front of the documents: a list or a document's page stays what it
was while new facts or files wait, and is retired the moment an approver publishes
them or a new document, or when a document leaves (through the real WSGI stack)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler

from cangxanh.delivery.front import PageCache
from cangxanh.documents import services
from cangxanh.documents.models import DocumentFile
from cangxanh.documents.validation import check_upload
from cangxanh.editorial import facts, workflow
from cangxanh.editorial.models import Action
from cangxanh.news.models import Status

from ..delivery.conftest import call
from . import files


@pytest.fixture
def front(settings):
    settings.PAGE_CACHE = True
    return PageCache(WSGIHandler())


def test_pages_are_retired_by_approval_and_kept_while_changes_wait(
    front, site_identity, make_document, django_user_model, django_capture_on_commit_callbacks
):
    chief = django_user_model.objects.create_superuser("chief", "c@example.test", "pw-123456")
    document = make_document()
    page = document.translations.get(language="en").get_absolute_url()
    lists = ["/en/documents/", "/en/documents/?type=decision", "/en/documents/feed/"]
    first = {url: call(front, url) for url in [page, *lists]}
    assert all(call(front, url).hit for url in first)

    # New facts and a new file wait: readers get the same bytes (counts aside).
    with django_capture_on_commit_callbacks(execute=True):
        data = files.office("xlsx")
        upload = SimpleUploadedFile("phu-luc.xlsx", data)
        added = services.file_store(
            article=document, upload=upload, checked=check_upload("x.xlsx", data), language="vi"
        )
        working = facts.working(document)
        working["extra"] = working["extra"] | {
            "number": "62/2025/QĐ-UBND-SĐ",
            "files": [*working["extra"]["files"], added.pk],
        }
        assert facts.article_save_facts(article=document, facts=working, user=chief)
    for url, before in first.items():
        again = call(front, url)
        assert again.status == 200 and again.body == before.body, url
    assert call(front, f"/documents/files/{added.pk}/{added.name}").status == 404

    # Published: every page shows it at once.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(document.translations.get(language="vi"), Action.PUBLISH, chief)
    for url in (page, "/en/documents/", "/en/documents/?type=decision"):
        fresh = call(front, url)
        assert not fresh.hit and "62/2025/QĐ-UBND-SĐ" in fresh.text, url
    assert "62/2025/QĐ-UBND-SĐ" in call(front, "/en/documents/feed/").text
    assert "phu-luc.xlsx" in call(front, page).text
    assert call(front, f"/documents/files/{added.pk}/{added.name}").status == 200

    # A new document appears on the cached list; an unpublished one leaves it.
    with django_capture_on_commit_callbacks(execute=True):
        other = make_document("9/2026/QĐ-UBND")
    assert "9/2026/QĐ-UBND" in call(front, "/en/documents/").text
    with django_capture_on_commit_callbacks(execute=True):
        for row in other.translations.order_by("-language"):  # the translation first
            workflow.perform(row, Action.UNPUBLISH, chief)
    assert "9/2026/QĐ-UBND" not in call(front, "/en/documents/").text
    assert call(front, other.translations.get(language="en").get_absolute_url()).status == 404
    assert DocumentFile.objects.filter(document=document, listed=True).count() == 1
    assert document.translations.filter(status=Status.PUBLISHED).count() == 2
