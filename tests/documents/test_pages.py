"""The documents for readers: the list and its filters, a document's page with its
metadata for machines (schema.org Legislation, Dublin Core), the print layout,
the unofficial-translation note, and the feed of new documents."""

import json
import re
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from cangxanh.news.models import ArticleTranslation, Status

from .conftest import relate

LIST = "/{lang}/documents/"


def main(content: bytes) -> str:
    text = content.decode()
    return text[text.index("<main") : text.index("</main>")]


def page_of(article, lang="vi") -> str:
    return article.translations.get(language=lang).get_absolute_url()


@pytest.mark.parametrize("lang", ["vi", "en", "ko", "ja", "zh-hans"])
def test_the_list_in_every_language(client, site_identity, make_document, lang):
    document = make_document()
    response = client.get(LIST.format(lang=lang))
    assert response.status_code == 200
    body = main(response.content)
    assert "62/2025/QĐ-UBND" in body
    assert f"-{document.pk}/" in body


def test_an_untranslated_document_is_listed_from_its_original(client, site_identity, make_document):
    make_document(langs=("vi",))
    body = main(client.get("/en/documents/").content)
    assert "Quy chế quản lý đoàn ra, đoàn vào" in body
    assert 'lang="vi"' in body
    assert "Not translated yet" in body
    assert "Unofficial translation" not in body  # the original's own words


def test_a_translated_summary_in_the_list_is_marked_unofficial(
    client, site_identity, make_document
):
    make_document()
    english = main(client.get("/en/documents/").content)
    assert "Rules on delegations abroad" in english and "Unofficial translation." in english
    assert "Unofficial translation" not in main(client.get("/vi/documents/").content)
    assert "Bản dịch không chính thức" not in main(client.get("/vi/documents/").content)


def test_filters_by_type_issuer_field_year_and_status(client, site_identity, make_document):
    decision = make_document()
    decree = make_document(
        "13/2023/NĐ-CP",
        type="decree",
        issuer="government",
        field="it",
        issued_on=date(2023, 4, 17),
        legal_status="expired",
    )
    for query, shown, hidden in (
        ({"type": "decree"}, decree, decision),
        ({"issuer": "ubnd-hai-phong"}, decision, decree),
        ({"field": "cntt"}, decree, decision),
        ({"year": "2023"}, decree, decision),
        ({"status": "in_force"}, decision, decree),
        ({"type": "decision", "year": "2025", "status": "in_force"}, decision, decree),
    ):
        body = main(client.get("/vi/documents/", query).content)
        assert f"-{shown.pk}/" in body, query
        assert f"-{hidden.pk}/" not in body, query
        assert "1 văn bản" in body or "1 document" in body


def test_a_filter_nobody_can_mean_shows_everything_with_a_message(
    client, site_identity, make_document
):
    document = make_document()
    for query in ({"type": "nope"}, {"year": "0"}, {"year": "２０２５"}, {"status": "x"}):
        response = client.get("/en/documents/", query)
        assert response.status_code == 200
        body = main(response.content)
        assert 'role="alert"' in body
        assert f"-{document.pk}/" in body


@pytest.mark.parametrize(
    "query",
    [
        "year=019999",  # its first digits look like a year: the date lookup failed (500)
        "year=01999" + "9" * 5000,  # past what int() reads
        "year=" + "0" * 5000 + "2025",
        "year=-2025",
        "year=%00",
        "year=2025&year=abc",
        "type=999999999999999999999",
        "type=a&type=b&issuer=%00&field=" + "%C3%A9" * 300,
        "status=%00",
        "page=-1",
        "page=0",
        "page=1e3",
        "page=" + "9" * 5000,
        "q=%00",
        "q=62%2F2025%00",
        "q=%ED%A0%80",  # a lone surrogate, as UTF-8
        "q=%FF%FE",
        "q=%22&type=decision",
        "q=NEAR(a+b)+OR+*",
        "q=%25_",
        "q=" + "a%2F" * 300,
        "q=qd+ubnd+" + "1+" * 200,
        "q=" + "%E2%80%8B" * 60,
        "q=%F0%9F%98%80+62%2F2025&year=2025&type=decision&issuer=ubnd-hai-phong&status=in_force",
    ],
)
def test_junk_parameters_never_break_the_list(client, site_identity, make_document, query):
    document = make_document()
    for path in ("/vi/documents/", "/en/documents/feed/", page_of(document, "en")):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 404), (path, response.status_code)
    response = client.get(f"/en/documents/?{query}")
    if query.startswith("year=") and response.status_code == 200:
        assert 'role="alert"' in main(response.content)  # no such year: it says so


def test_no_match_says_so_and_offers_the_whole_list(client, site_identity, make_document):
    make_document()
    body = main(client.get("/en/documents/", {"year": "2019"}).content)
    assert "No document matches this search." in body
    assert 'href="/en/documents/"' in body
    assert "0 documents" in body


def test_pagination_keeps_the_filters(client, site_identity, make_document):
    for number in range(1, 23):
        make_document(f"{number}/2025/QĐ-UBND", langs=("vi",), issued_on=date(2025, 1, number))
    first = main(client.get("/vi/documents/", {"type": "decision"}).content)
    numbers = re.findall(r'class="document-card__number"[^>]*>([^<]+)<', first)
    assert numbers == [f"{n}/2025/QĐ-UBND" for n in range(22, 2, -1)]  # newest first, 20
    assert 'href="/vi/documents/?page=2&amp;type=decision"' in first
    second = main(client.get("/vi/documents/", {"type": "decision", "page": "2"}).content)
    numbers = re.findall(r'class="document-card__number"[^>]*>([^<]+)<', second)
    assert numbers == ["2/2025/QĐ-UBND", "1/2025/QĐ-UBND"]
    assert 'href="/vi/documents/?type=decision"' in second  # back to the first page
    assert client.get("/vi/documents/", {"page": "9"}).status_code == 404
    assert client.get("/vi/documents/", {"page": "x"}).status_code == 404


def test_drafts_and_scheduled_documents_are_not_shown(client, site_identity, make_document):
    draft = make_document("1/2025/QĐ-UBND", status=Status.DRAFT)
    later = make_document("2/2025/QĐ-UBND", published_at=timezone.now() + timedelta(days=1))
    body = main(client.get("/vi/documents/").content)
    assert re.findall(r'class="document-card__number"[^>]*>([^<]+)<', body) == []
    for document in (draft, later):
        row = ArticleTranslation.objects.get(article=document, language="vi")
        assert client.get(f"/vi/documents/{row.slug}-{document.pk}/").status_code == 404


# --- A document's page ----------------------------------------------------------------------


def test_the_page_shows_the_facts_files_and_relations_both_ways(
    client, site_identity, make_document, pdf_bytes
):
    old = make_document("10/2020/QĐ-UBND", issued_on=date(2020, 3, 1), legal_status="amended")
    new = make_document(pdf=pdf_bytes)
    relate(new, old, "amends")
    body = main(client.get(page_of(new, "en")).content)
    assert "62/2025/QĐ-UBND" in body
    assert "Hai Phong People&#x27;s Committee" in body
    assert "Nguyễn Văn Tùng" in body
    assert "24 June 2025" in body and "1 August 2025" in body
    assert re.search(r'href="/documents/files/\d+/62-2025-qd-ubnd\.pdf"', body)
    assert "Amends" in body and f"-{old.pk}/" in body
    older = main(client.get(page_of(old, "en")).content)
    assert "Amended by" in older and f"-{new.pk}/" in older


def test_schema_org_legislation_and_dublin_core(client, site_identity, make_document, pdf_bytes):
    old = make_document("10/2020/QĐ-UBND", issued_on=date(2020, 3, 1))
    new = make_document(pdf=pdf_bytes)
    relate(new, old, "replaces")
    page = lxml_html.fromstring(client.get(page_of(new, "en")).content)
    data = json.loads(page.xpath("string(//script[@type='application/ld+json'])"))
    assert data["@type"] == "Legislation"
    assert data["legislationIdentifier"] == "62/2025/QĐ-UBND"
    assert data["legislationDate"] == "2025-06-24"
    assert data["legislationType"] == "Decision"
    assert data["legislationLegalForce"] == {"@id": "https://schema.org/InForce"}
    assert data["legislationPassedBy"]["name"] == "Hai Phong People's Committee"
    assert [item["legislationIdentifier"] for item in data["legislationChanges"]] == [
        "10/2020/QĐ-UBND"
    ]
    assert data["encoding"][0]["encodingFormat"] == "application/pdf"
    assert data["inLanguage"] == "en"
    assert data["translationOfWork"]["inLanguage"] == "vi"

    def meta(name):
        return page.xpath(f"string(//meta[@name='{name}']/@content)")

    assert meta("DC.title") == "Rules on delegations abroad and visiting delegations"
    assert meta("DC.identifier") == "62/2025/QĐ-UBND"
    assert meta("DC.creator") == "Hai Phong People's Committee"
    assert meta("DC.date") == "2025-06-24"
    assert meta("DC.language") == "en"


def test_a_translation_is_marked_unofficial_and_the_original_is_not(
    client, site_identity, make_document
):
    document = make_document()
    english = main(client.get(page_of(document, "en")).content)
    assert "Unofficial translation." in english
    assert "Vietnamese" in english
    original = main(client.get(page_of(document, "vi")).content)
    assert "document__unofficial" not in original


def test_the_print_view(client, site_identity, make_document):
    document = make_document()
    response = client.get(page_of(document, "en") + "?print=1")
    text = response.content.decode()
    assert "This is the print version of the document's page." in text
    assert '<meta name="robots" content="noindex">' in text
    assert 'class="print-preview"' in text


def test_an_untranslated_language_answers_the_not_translated_page(
    client, site_identity, make_document
):
    document = make_document(langs=("vi",))
    row = document.translations.get()
    response = client.get(f"/en/documents/{row.slug}-{document.pk}/")
    assert response.status_code == 404
    assert page_of(document, "vi") in response.content.decode()


def test_a_wrong_slug_redirects_to_the_page(client, site_identity, make_document):
    document = make_document()
    response = client.get(f"/vi/documents/sai-{document.pk}/?print=1")
    assert response.status_code == 301
    assert response["Location"] == page_of(document) + "?print=1"


def test_the_history_lists_publications(client, site_identity, make_document, django_user_model):
    from cangxanh.editorial import facts, workflow
    from cangxanh.editorial.models import Action

    chief = django_user_model.objects.create_superuser("chief", "c@example.test", "pw-123456")
    document = make_document()  # published without the workflow: its time stands first
    page = lxml_html.fromstring(client.get(page_of(document, "en")).content)
    assert [
        li.text_content().split(" — ")[1] for li in page.xpath("//ol[@class='document-history']/li")
    ] == ["Published (English)"]
    working = facts.working(document)
    working["extra"] = working["extra"] | {"legal_status": "amended"}
    assert facts.article_save_facts(article=document, facts=working, user=chief)
    workflow.perform(document.translations.get(language="vi"), Action.PUBLISH, chief)
    page = lxml_html.fromstring(client.get(page_of(document, "en")).content)
    assert [
        li.text_content().split(" — ")[1] for li in page.xpath("//ol[@class='document-history']/li")
    ] == [
        "Published (English)",
        "New version published (Vietnamese)",
    ]


def test_the_history_tells_when_readers_got_it_and_nothing_still_to_come(
    client, site_identity, make_document, django_user_model
):
    from cangxanh.editorial import workflow
    from cangxanh.editorial.models import Action, WorkflowEvent

    chief = django_user_model.objects.create_superuser("chief", "c@example.test", "pw-123456")
    document = make_document(status=Status.DRAFT)
    vi = document.translations.get(language="vi")
    now = timezone.now()
    # Scheduled three days ago for an hour ago.
    event = workflow.perform(vi, Action.PUBLISH, chief, publish_at=now + timedelta(hours=1))
    shown_at = now - timedelta(hours=1)
    WorkflowEvent.objects.filter(pk=event.pk).update(
        created_at=now - timedelta(days=3), publish_at=shown_at
    )
    ArticleTranslation.objects.filter(pk=vi.pk).update(published_at=shown_at)
    workflow.perform(document.translations.get(language="en"), Action.PUBLISH, chief)

    def history():
        page = lxml_html.fromstring(client.get(page_of(document, "en")).content)
        return [
            (li.xpath("time/@datetime")[0], li.text_content().split(" — ")[1])
            for li in page.xpath("//ol[@class='document-history']/li")
        ]

    first = history()
    assert [said for _when, said in first] == ["Published (Vietnamese)", "Published (English)"]
    assert first[0][0] == timezone.localtime(shown_at).isoformat()
    # The original goes back to the newsroom, then is scheduled for tomorrow: the English
    # page, still public, does not announce it.
    workflow.perform(document.translations.get(language="vi"), Action.UNPUBLISH, chief)
    workflow.perform(
        document.translations.get(language="vi"),
        Action.PUBLISH,
        chief,
        publish_at=timezone.now() + timedelta(days=1),
    )
    assert history() == first


def test_the_menu_links_the_documents(client, site_identity):
    home = client.get("/en/").content.decode()
    assert '<a href="/en/documents/">' in home
    page = client.get("/en/documents/").content.decode()
    assert '<a href="/en/documents/" aria-current="page">' in page


# --- The feed --------------------------------------------------------------------------------


def test_the_feed_of_new_documents(client, site_identity, make_document, make_article):
    make_article(("vi", "en"))
    document = make_document()
    response = client.get("/en/documents/feed/")
    assert response.status_code == 200
    import feedparser

    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == [
        "62/2025/QĐ-UBND — Rules on delegations abroad and visiting delegations"
    ]
    assert feed.entries[0].link.endswith(page_of(document, "en"))
    assert feed.entries[0].tags[0].term == "Decision"
    atom = client.get("/en/documents/feed/atom/")
    assert ElementTree.fromstring(atom.content).tag.endswith("feed")


# --- Queries ------------------------------------------------------------------------------------


def _count(client, url) -> int:
    client.get(url)  # warm: the chrome and the taxonomies of this content version
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_fixed_number_of_queries(client, site_identity, make_document, make_article, pdf_bytes):
    news = make_article(("vi", "en"))
    first = make_document("1/2024/QĐ-UBND", pdf=pdf_bytes)
    second = make_document("2/2024/QĐ-UBND")
    relate(second, first)
    first.document_facts.articles.add(news)
    small_list = _count(client, "/en/documents/")
    small_page = _count(client, page_of(second, "en"))
    small_search = _count(client, "/en/documents/?q=2%2F2024")
    for number in range(3, 9):
        document = make_document(f"{number}/2024/QĐ-UBND", pdf=pdf_bytes, langs=("vi",))
        relate(document, first, "replaces")
        relate(second, document)
        document.document_facts.articles.add(news)
    # The page's document ids and their count, the originals with their facts, the
    # translations in the page's language, the listed files.
    assert _count(client, "/en/documents/") == small_list == 5
    assert _count(client, page_of(second, "en")) == small_page
    assert _count(client, "/en/documents/?q=2%2F2024") == small_search
