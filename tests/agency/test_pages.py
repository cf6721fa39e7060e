"""The agency's public pages: /about/, one page, /contact/ and /privacy/ in five languages."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cangxanh.agency.checks import english_missing
from cangxanh.news import kinds
from cangxanh.news.models import ArticleTranslation, Status

from ..conftest import LANGS
from .conftest import CONTACTS, url_of, words

NAMES = ["functions", "structure", "office", "consular", "leaders", "director", "history"]


def json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD"
    return json.loads(found.group(1))


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_answers_in_its_language(client, agency, lang):
    about = client.get(f"/{lang}/about/")
    assert about.status_code == 200
    html = about.content.decode()
    assert f'<html lang="{"zh-Hans" if lang == "zh-hans" else lang}">' in html
    for name in ["functions", "structure", "office", "leaders", "history", "contact"]:
        assert words(name, lang) in html  # the tree, in this language's words
    for name in NAMES:
        page = client.get(url_of(agency[name], lang))
        assert page.status_code == 200, name
        assert f"Body of {name} in {lang}." in page.content.decode()
    for name, path in (("contact", "contact"), ("privacy", "privacy")):
        page = client.get(f"/{lang}/{path}/")
        assert page.status_code == 200
        assert f"Body of {name} in {lang}." in page.content.decode()


def test_about_shows_the_tree_in_order_with_leaders_and_divisions(client, agency):
    html = client.get("/en/about/").content.decode()
    order = [html.index(f'id="page-{agency[name].pk}"') for name in ("functions", "structure")]
    order += [html.index(f'id="page-{agency[name].pk}"') for name in ("leaders", "history")]
    assert order == sorted(order)
    # Divisions under the structure, each with its own contacts.
    assert html.index("Office en") < html.index("Consular en")
    assert 'href="tel:02253000222"' in html and "mailto:consular@agency.example" in html
    # Leaders: photo, name, position, phone and e-mail.
    assert "Phạm Thu Hà" in html and "Director en" in html
    assert 'alt="Alt director.jpg en"' in html and "<picture>" in html
    assert 'href="tel:02253000333"' in html and "mailto:director@agency.example" in html
    # The fixed pages are linked at their own addresses.
    assert 'href="/en/contact/"' in html and 'href="/en/privacy/"' in html


def test_about_carries_a_government_organization_in_json_ld(client, agency):
    data = json_ld(client.get("/en/about/").content.decode())
    assert data["@type"] == "AboutPage"
    agency_data = data["mainEntity"]
    assert agency_data["@type"] == "GovernmentOrganization"
    assert agency_data["name"] == "Sở Ngoại vụ"
    assert agency_data["address"] == CONTACTS["address"]
    assert agency_data["telephone"] == CONTACTS["phone"]
    assert agency_data["email"] == CONTACTS["email"]
    leaders = {person["name"]: person for person in agency_data["employee"]}
    assert leaders["Phạm Thu Hà"]["jobTitle"] == "Director en"
    assert leaders["Phạm Thu Hà"]["email"] == "director@agency.example"
    assert leaders["Phạm Thu Hà"]["image"].startswith("http")
    assert [d["name"] for d in agency_data["department"]] == ["Office en", "Consular en"]


def test_a_leaders_page_is_a_profile_with_photo_and_contacts(client, agency):
    html = client.get(url_of(agency["director"], "ko")).content.decode()
    data = json_ld(html)
    assert data["@type"] == "ProfilePage"
    assert data["mainEntity"]["name"] == "Phạm Thu Hà"
    assert data["mainEntity"]["jobTitle"] == "Director ko"
    assert data["mainEntity"]["worksFor"]["@type"] == "GovernmentOrganization"
    assert 'class="profile"' in html and 'alt="Alt director.jpg ko"' in html
    assert "mailto:director@agency.example" in html


def test_head_canonical_alternates_switcher_and_dublin_core(client, agency):
    url = url_of(agency["history"], "ja")
    html = client.get(url).content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{url}">' in html
    for lang in LANGS:
        other = url_of(agency["history"], lang)
        assert f'href="http://127.0.0.1:8000{other}"' in html  # hreflang alternate
        assert f'<a href="{other}" hreflang=' in html  # the switcher leads to it
    assert '<meta name="DC.title" content="History ja">' in html
    assert '<meta name="DC.language" content="ja">' in html
    assert '<meta name="DC.publisher" content="Sở Ngoại vụ">' in html
    breadcrumb = html[html.index('class="breadcrumb') :]
    assert breadcrumb.index('href="/ja/about/"') < breadcrumb.index("History ja")
    assert json_ld(html)["@type"] == "WebPage"


def test_another_slug_answers_301_to_the_pages_address(client, agency):
    row = agency["history"].translations.get(language="en")
    response = client.get(f"/en/about/old-name-{row.article_id}/?print=1")
    assert response.status_code == 301
    assert response["Location"] == f"{row.get_absolute_url()}?print=1"


def test_the_contact_page_lives_at_contact(client, agency):
    row = agency["contact"].translations.get(language="vi")
    assert row.get_absolute_url() == "/vi/contact/"  # search, sitemaps, links: no redirect
    moved = client.get(f"/vi/about/{row.slug}-{row.article_id}/")
    assert moved.status_code == 301 and moved["Location"] == "/vi/contact/"
    assert agency["privacy"].translations.get(language="ko").get_absolute_url() == "/ko/privacy/"
    html = client.get("/vi/contact/").content.decode()
    # The site identity's contacts, phone and e-mail as links; hours; the map picture.
    assert 'href="tel:+842253000111"' in html and CONTACTS["phone"] in html
    assert f'href="mailto:{CONTACTS["email"]}"' in html
    assert CONTACTS["address"] in html and CONTACTS["hours"] in html
    assert 'alt="Alt map.jpg vi"' in html
    assert json_ld(html)["@type"] == "ContactPage"
    assert '<link rel="canonical" href="http://127.0.0.1:8000/vi/contact/">' in html
    # No map script or tiles from anywhere else.
    assert "<iframe" not in html and "googleapis" not in html and "openstreetmap" not in html


def test_the_print_view(client, agency):
    for url in (url_of(agency["functions"], "en") + "?print=1", "/en/about/?print=1"):
        html = client.get(url).content.decode()
        assert 'class="print-preview"' in html
        assert "This is the print version of the page." in html
        assert '<meta name="robots" content="noindex">' in html


def test_a_page_in_other_languages_only_says_so(client, make_page, identity):
    only_vi = make_page("lonely", langs=["vi"])
    row = only_vi.translations.get(language="vi")
    response = client.get(f"/en/about/{row.slug}-{row.article_id}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "not available in this language yet" in html
    assert row.get_absolute_url() in html
    # The language switcher of the Vietnamese page marks the others as missing.
    page = client.get(row.get_absolute_url()).content.decode()
    assert f'href="/en/a/{only_vi.pk}/"' in page and "is-missing" in page


def test_what_is_not_public_is_404(client, make_page, identity):
    draft = make_page("draft", status=Status.DRAFT, key="contact")
    row = draft.translations.get(language="vi")
    assert client.get(f"/vi/about/{row.slug}-{row.article_id}/").status_code == 404
    assert client.get("/vi/contact/").status_code == 404
    later = make_page("later", published_at=timezone.now() + timedelta(days=1))
    row = later.translations.get(language="vi")
    assert client.get(f"/vi/about/{row.slug}-{row.article_id}/").status_code == 404
    assert "Later vi" not in client.get("/vi/about/").content.decode()
    assert client.get("/vi/privacy/").status_code == 404  # there is none


def test_pages_never_show_among_the_news(client, agency, make_article):
    make_article(["vi"])
    for path in ("/vi/", "/vi/feed/", "/sitemap-articles-vi.xml"):
        html = client.get(path).content.decode()
        assert "Functions vi" not in html and "Leaders vi" not in html, path


def test_the_pages_have_a_sitemap_of_their_own(client, agency):
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-page-en.xml" in index
    own = client.get("/sitemap-page-en.xml").content.decode()
    assert url_of(agency["functions"], "en") in own
    assert url_of(agency["director"], "en") in own
    assert "http://127.0.0.1:8000/en/contact/" in own  # at its own address, never a redirect
    assert f"-{agency['contact'].pk}/" not in own
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "http://127.0.0.1:8000/ko/about/" in pages  # the agency, in every language
    assert 'hreflang="ko"' in own


def test_the_menu_leads_to_about_and_contact(client, agency):
    html = client.get("/en/").content.decode()
    assert 'href="/en/about/"' in html and 'href="/en/contact/"' in html
    about = client.get("/en/about/").content.decode()
    assert re.search(r'<a href="/en/about/" aria-current="page">', about)


def test_a_section_may_not_take_the_agencys_addresses():
    assert {"about", "contact", "privacy"} <= kinds.reserved()
    assert kinds.get("page").url is not None


def test_english_missing_names_the_required_pages_without_english(agency):
    assert english_missing() == []
    ArticleTranslation.objects.filter(article=agency["structure"], language="en").update(
        status=Status.UNPUBLISHED
    )
    ArticleTranslation.objects.filter(article=agency["contact"], language="en").delete()
    assert english_missing() == ["structure", "contact"]


def test_english_missing_with_no_pages_at_all(db):
    assert english_missing() == ["functions", "structure", "leaders", "contact"]
