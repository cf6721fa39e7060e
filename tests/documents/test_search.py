"""Finding documents on their list: by number however it is written, by words of the
summary, by a phrase of the attached PDF (read once, indexed by the site's analyzer),
with the filters applied. Runs on SQLite and on PostgreSQL alike."""

from datetime import date

import pytest

from cangxanh.documents.kind import MAX_INDEX_WORDS, index_text
from cangxanh.documents.models import DocumentFile, TextStatus
from cangxanh.search.models import SearchEntry

from .conftest import PDF_SENTENCE

NUMBER_SPELLINGS = [
    "62/2025",
    "qd-ubnd 62",
    "62/2025/QD-UBND",
    "62/2025/QĐ-UBND",
    "QĐ 62",
    "ubnd 2025 62",
    "062/2025",
]


def found(client, query, lang="vi", **filters) -> str:
    response = client.get(f"/{lang}/documents/", {"q": query, **filters})
    assert response.status_code == 200
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


@pytest.fixture
def documents(make_document, pdf_bytes):
    wanted = make_document(pdf=pdf_bytes)
    near = make_document("63/2025/QĐ-UBND")
    other_year = make_document("62/2024/QĐ-UBND", issued_on=date(2024, 5, 2))
    decree = make_document(
        "13/2023/NĐ-CP", type="decree", issuer="government", issued_on=date(2023, 4, 17)
    )
    return {"wanted": wanted, "near": near, "other_year": other_year, "decree": decree}


@pytest.mark.parametrize("query", NUMBER_SPELLINGS)
def test_a_number_in_its_spellings(client, site_identity, documents, query):
    body = found(client, query)
    assert f"-{documents['wanted'].pk}/" in body
    assert f"-{documents['near'].pk}/" not in body
    assert f"-{documents['decree'].pk}/" not in body


def test_a_number_finds_the_same_documents_on_every_language_page(
    client, site_identity, documents, make_document
):
    """The documents that cite a number are found by any spelling of it, on every
    language's page alike; a number's pieces far apart in a text are no mention of it."""
    citing = make_document(
        "08/2026/QĐ-UBND",
        langs=("vi", "en", "ko"),
        issued_on=date(2026, 1, 15),
        leads={
            "vi": "Sửa đổi Quy chế ban hành kèm theo Quyết định 62/2025/QĐ-UBND.",
            "en": "Amends the rules issued with Decision 62/2025/QĐ-UBND.",
            "ko": "결정 62/2025/QĐ-UBND와 함께 공포된 규정을 개정.",
        },
    )
    scattered = make_document(
        "15/2024/QĐ-UBND",
        langs=("vi", "en", "ko"),
        issued_on=date(2024, 3, 1),
        leads={
            "vi": "62 đoàn ra mỗi năm; sửa đổi Quyết định 9/2023/QĐ-UBND.",
            "en": "62 delegations a year; amends Decision 9/2023/QĐ-UBND.",
            "ko": "연간 62 대표단; 결정 9/2023/QĐ-UBND 개정.",
        },
    )
    for query in NUMBER_SPELLINGS:
        for lang in ("vi", "en", "ko"):
            body = found(client, query, lang=lang)
            wanted = body.find(f"-{documents['wanted'].pk}/")
            assert 0 <= wanted < body.find(f"-{citing.pk}/"), (query, lang)
            assert f"-{scattered.pk}/" not in body, (query, lang)
            assert f"-{documents['near'].pk}/" not in body, (query, lang)


def test_a_number_alone_finds_each_year_and_the_filters_narrow_it(client, site_identity, documents):
    body = found(client, "62 qd")
    assert f"-{documents['wanted'].pk}/" in body and f"-{documents['other_year'].pk}/" in body
    narrowed = found(client, "62 qd", year="2024")
    assert f"-{documents['other_year'].pk}/" in narrowed
    assert f"-{documents['wanted'].pk}/" not in narrowed
    assert f"-{documents['decree'].pk}/" in found(client, "nd-cp 13/2023")


def test_a_phrase_from_the_pdf(client, site_identity, documents):
    row = DocumentFile.objects.get(document=documents["wanted"])
    assert row.text_status == TextStatus.OK
    assert row.pages == 2
    phrase = "quy chế quản lý hoạt động đối ngoại của thành phố Hải Phòng"
    assert phrase in PDF_SENTENCE
    body = found(client, phrase)
    assert f"-{documents['wanted'].pk}/" in body
    assert f"-{documents['near'].pk}/" not in body
    # Without accents too, as the site's search finds words.
    assert f"-{documents['wanted'].pk}/" in found(client, "quan ly hoat dong doi ngoai")
    # Only in that language's translation: the Vietnamese PDF is not the English text.
    assert f"-{documents['wanted'].pk}/" not in found(client, phrase, lang="en")


def test_words_of_the_summary_and_the_filters(client, site_identity, documents):
    body = found(client, "unified management", lang="en")
    for key in ("wanted", "near", "other_year", "decree"):
        assert f"-{documents[key].pk}/" in body
    only = found(client, "unified management", lang="en", type="decree")
    assert f"-{documents['decree'].pk}/" in only
    assert f"-{documents['wanted'].pk}/" not in only


def test_nothing_found_says_so(client, site_identity, documents):
    body = found(client, "99/1999/QĐ-XYZ", lang="en")
    assert "No document matches this search." in body


def test_a_file_not_listed_is_not_searched(client, site_identity, make_document, pdf_bytes):
    from .conftest import stored_file

    document = make_document("5/2025/QĐ-UBND")
    stored_file(document, pdf_bytes, "cho-duyet.pdf", listed=False)
    from cangxanh.search.index import article_entries_update

    article_entries_update(document)
    assert f"-{document.pk}/" not in found(client, "quản lý hoạt động đối ngoại")


def test_the_pdf_text_is_capped_for_the_index(make_document, pdf_bytes):
    document = make_document(pdf=pdf_bytes)
    DocumentFile.objects.filter(document=document).update(text="từ " * (MAX_INDEX_WORDS + 500))
    row = document.translations.get(language="vi")
    assert len(index_text(row).split()) == MAX_INDEX_WORDS
    assert SearchEntry.objects.filter(translation=row).exists()
