"""The demo's documents: fifteen, each with its PDF read for the search, one changed after
publication through the workflow; loading again changes nothing; a phrase that is only
in a PDF finds its document."""

import pytest

from cangxanh.demo.documents import load_documents
from cangxanh.demo.loader import Report
from cangxanh.documents.checks import documents_without_files
from cangxanh.documents.models import DocumentFacts, DocumentFile, TextStatus
from cangxanh.search.index import index_rebuild


@pytest.fixture
def demo(db, django_user_model):
    django_user_model.objects.create_superuser("admin", "a@example.test", "pw-123456")
    report = Report()
    load_documents(report)
    index_rebuild()
    return report


def test_fifteen_documents_with_their_files_loaded_once(demo):
    assert demo.created["documents"] == 15
    assert DocumentFacts.objects.count() == 15
    assert not documents_without_files()
    assert set(DocumentFile.objects.values_list("text_status", flat=True)) == {TextStatus.OK}
    assert DocumentFile.objects.filter(listed=True).count() == 15
    amended = DocumentFacts.objects.get(number="62/2025/QĐ-UBND")
    assert amended.legal_status == "amended"  # the change published after the first time
    again = Report()
    load_documents(again)
    assert again.created == {}


def test_the_demo_is_found_by_number_and_by_a_phrase_of_a_pdf(client, site_identity, demo):
    phrase = "tuần lễ văn hóa Hải Phòng"  # in the 2026 plan's PDF, nowhere else
    response = client.get("/vi/documents/", {"q": phrase})
    assert "45/KH-SNgV" in response.content.decode()
    response = client.get("/en/documents/", {"q": "qd-ubnd 62"})
    assert "62/2025/QĐ-UBND" in response.content.decode()
