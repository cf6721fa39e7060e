"""The footer the law asks of a state portal (Decree 42/2022/NĐ-CP): the owner agency,
the person responsible, address, phone and e-mail on every page in every language,
links to other state agencies, what is still blank, and the page cache's part."""

import re
from html import escape
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIHandler
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cangxanh.core.checks import footer_missing
from cangxanh.core.models import AgencyLink, AgencyLinkName, SiteIdentity
from cangxanh.delivery import version
from cangxanh.delivery.front import PageCache
from cangxanh.demo.loader import Report, load_links, load_site
from tests.conftest import LANGS
from tests.delivery.conftest import call

FIELDS = (
    "publisher",
    "responsible",
    "responsible_position",
    "licence",
    "address",
    "phone",
    "email",
    "hours",
    "copyright",
)
LABELS = ("Owner agency", "Person responsible", "Licence", "Address", "Tel.", "E-mail")


def identity_values(lang: str) -> dict[str, str]:
    """Every footer field, different in each language and with a character to escape."""
    return {
        "name": f"Portal {lang}",
        "publisher": f"Sở Ngoại vụ & đối ngoại {lang}",
        "responsible": f"Đỗ Quang Vinh {lang}",
        "responsible_position": f"Phó Giám đốc {lang}",
        "licence": f"Giấy phép số 7/GP-TTĐT {lang}",
        "address": f"Số 18 Hoàng Diệu, Hải Phòng {lang}",
        "phone": "+84 (225) 3000-00" + str(LANGS.index(lang)),
        "email": f"lienhe-{lang}@haiphong.example",
        "hours": f"Thứ Hai – Thứ Sáu {lang}",
        "copyright": f"© Sở Ngoại vụ {lang}",
        "footer": f"Dòng thêm {lang}",
    }


@pytest.fixture
def full_identity(db):
    for lang in LANGS:
        SiteIdentity.objects.create(language=lang, **identity_values(lang))


@pytest.fixture
def links(db):
    gov = AgencyLink.objects.create(url="https://chinhphu.vn", position=1)
    mofa = AgencyLink.objects.create(url="https://mofa.gov.vn", position=0)
    for lang in LANGS:
        AgencyLinkName.objects.create(link=gov, language=lang, name=f"Chính phủ {lang}")
        AgencyLinkName.objects.create(link=mofa, language=lang, name=f"Bộ Ngoại giao {lang}")
    return gov, mofa


def footer_of(html: str) -> str:
    start = html.index('<footer class="site-footer">')
    return html[start : html.index("</footer>", start)]


def agency_nav(footer: str) -> str:
    match = re.search(
        r'<nav class="site-footer__agencies[^"]*" aria-label="[^"]+">(.*?)</nav>', footer, re.S
    )
    assert match, "no links block in the footer"
    return match.group(1)


@pytest.mark.parametrize("lang", LANGS)
def test_every_footer_field_shows_on_home_article_and_search_pages(
    client, full_identity, links, make_article, lang
):
    article = make_article(LANGS)
    pages = [
        f"/{lang}/",
        article.translations.get(language=lang).get_absolute_url(),
        f"/{lang}/search/?q=cảng",
    ]
    values = identity_values(lang)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        footer = footer_of(response.content.decode())
        for field in FIELDS:
            assert escape(values[field]) in footer, (url, field)
        assert "Dòng thêm " + lang in footer
        # Contact details in <address>; the phone and e-mail can be used at once.
        contact = footer[footer.index("<address") : footer.index("</address>")]
        for field in ("address", "phone", "email", "hours"):
            assert escape(values[field]) in contact
        digits = "+84225300000" + str(LANGS.index(lang))
        assert f'href="tel:{digits}"' in contact
        assert f'href="mailto:{values["email"]}"' in contact
        # Labelled in the page's language.
        with translation.override(lang):
            for label in LABELS:
                assert f"<dt>{escape(translation.gettext(label))}</dt>" in footer, label
        # The links, in their order, named in this language, leaving the site.
        nav = agency_nav(footer)
        assert re.findall(r'<a href="([^"]+)" rel="external noopener">([^<]+)</a>', nav) == [
            ("https://mofa.gov.vn", f"Bộ Ngoại giao {lang}"),
            ("https://chinhphu.vn", f"Chính phủ {lang}"),
        ]
        # The site map, the feed and the language editions stay.
        assert 'type="application/rss+xml"' in footer
        assert footer.count("hreflang=") == len(LANGS)
        for other in LANGS:
            if other != lang:
                assert escape(identity_values(other)["responsible"]) not in footer


def test_blank_fields_leave_no_empty_label_and_no_empty_links_block(client, site_identity):
    footer = footer_of(client.get("/vi/").content.decode())
    assert "Portal vi" in footer
    assert "<dt>" not in footer and "<address" not in footer
    assert "site-footer__agencies" not in footer and "site-footer__bottom" not in footer
    assert 'href="tel:' not in footer and "mailto:" not in footer


def test_links_not_named_in_a_language_or_not_in_the_footer_are_left_out(client, full_identity):
    named = AgencyLink.objects.create(url="https://vbpl.vn")
    AgencyLinkName.objects.create(link=named, language="vi", name="Văn bản pháp luật")
    hidden = AgencyLink.objects.create(url="https://mst.gov.vn", in_footer=False)
    AgencyLinkName.objects.create(link=hidden, language="vi", name="Bộ Khoa học và Công nghệ")
    vi = footer_of(client.get("/vi/").content.decode())
    assert "Văn bản pháp luật" in agency_nav(vi) and "mst.gov.vn" not in vi
    en = footer_of(client.get("/en/").content.decode())
    assert "vbpl.vn" not in en and "site-footer__agencies" not in en


def test_footer_missing_lists_what_the_law_requires_and_is_blank(db):
    assert footer_missing("vi") == [
        ("vi", "publisher"),
        ("vi", "person responsible"),
        ("vi", "address"),
        ("vi", "phone"),
        ("vi", "e-mail"),
    ], "a language without a site identity lacks everything"
    for lang in LANGS:
        SiteIdentity.objects.create(language=lang, **identity_values(lang))
    assert footer_missing() == []
    SiteIdentity.objects.filter(language="ko").update(responsible="  ", phone="")
    SiteIdentity.objects.filter(language="ja").update(email="")
    assert footer_missing() == [("ko", "person responsible"), ("ko", "phone"), ("ja", "e-mail")]
    assert footer_missing("ja") == [("ja", "e-mail")]
    assert footer_missing("en") == []
    # Optional fields are not the law's: blank, they are not listed.
    SiteIdentity.objects.filter(language="en").update(hours="", licence="", copyright="")
    assert footer_missing("en") == []
    # The names read in the active language.
    with translation.override("vi"):
        assert [str(name) for _lang, name in footer_missing("ja")] == [
            translation.gettext("e-mail")
        ]


@pytest.mark.parametrize(
    "url",
    [
        "http://chinhphu.vn",
        "javascript:alert(1)",
        "JavaScript://chinhphu.vn/%0Aalert(1)",
        "ftp://chinhphu.vn",
        "data:text/html,<script>alert(1)</script>",
        "//chinhphu.vn",
    ],
)
def test_an_agency_link_must_be_https(db, url):
    link = AgencyLink(url=url)
    with pytest.raises(ValidationError) as refused:
        link.full_clean()
    assert "url" in refused.value.message_dict
    # Nor can anything else write one: the database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyLink.objects.create(url=url)


def test_an_https_agency_link_is_accepted(db):
    AgencyLink(url="https://dichvucong.gov.vn").full_clean()


@pytest.mark.parametrize("phone", ["0225<script>", "call us", "12", "+84 225 3000 000 ext"])
def test_a_phone_that_is_not_a_number_is_refused(db, phone):
    row = SiteIdentity(language="vi", name="Cổng", phone=phone)
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "phone" in refused.value.message_dict


def test_the_admin_refuses_an_http_link_with_a_message(staff):
    form = {
        "url": "http://mofa.gov.vn",
        "position": "0",
        "in_footer": "on",
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "1",
        "names-MAX_NUM_FORMS": "1000",
        "names-0-language": "vi",
        "names-0-name": "Bộ Ngoại giao",
    }
    response = staff.post(reverse("admin:core_agencylink_add"), form)
    assert response.status_code == 200
    errors = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    with translation.override("vi"):
        assert errors == [
            f"<li>{translation.gettext('Enter a full address that starts with https://.')}</li>"
        ]
    assert not AgencyLink.objects.exists()
    form["url"] = "mofa.gov.vn"  # typed without a scheme: taken as https
    response = staff.post(reverse("admin:core_agencylink_add"), form)
    assert response.status_code == 302
    assert AgencyLink.objects.get().names.get().name == "Bộ Ngoại giao"
    assert AgencyLink.objects.get().url == "https://mofa.gov.vn"


def test_the_admin_saves_an_incomplete_footer_and_says_what_it_lacks(staff):
    form = {"language": "vi", "name": "Cổng đối ngoại", "publisher": "Sở Ngoại vụ"}
    response = staff.post(
        reverse("admin:core_siteidentity_add"), form, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    row = SiteIdentity.objects.get(language="vi")
    assert row.publisher == "Sở Ngoại vụ"
    messages = [str(m) for m in response.context["messages"]]
    lacking = [m for m in messages if "e-mail" in m]
    assert lacking and "person responsible" in lacking[0] and "publisher" not in lacking[0]
    page = staff.get(
        reverse("admin:core_siteidentity_change", args=[row.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Footer (required by law)" in page


@pytest.mark.django_db(transaction=True)
def test_the_footer_is_read_once_per_content_version_and_changes_with_it(
    client, full_identity, links, settings
):
    gov, _mofa = links
    client.get("/vi/")
    client.get("/vi/")
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/vi/").content.decode()
    assert "Chính phủ vi" in html
    read = " ".join(q["sql"] for q in captured.captured_queries)
    assert "core_agencylink" not in read and "core_siteidentity" not in read

    # Saving a link's name or a link moves the content version: the next page shows it.
    before = version.current()
    name = gov.names.get(language="vi")
    name.name = "Cổng Chính phủ"
    name.save()
    assert version.current() != before
    assert "Cổng Chính phủ" in agency_nav(footer_of(client.get("/vi/").content.decode()))
    gov.in_footer = False
    gov.save()
    assert "chinhphu.vn" not in footer_of(client.get("/vi/").content.decode())
    AgencyLink.objects.filter(pk=gov.pk).delete()
    new = AgencyLink.objects.create(url="https://vbpl.vn", position=5)
    AgencyLinkName.objects.create(link=new, language="vi", name="Văn bản pháp luật")
    assert "https://vbpl.vn" in agency_nav(footer_of(client.get("/vi/").content.decode()))

    # Through the page cache as well: a stored page is retired by the change.
    settings.PAGE_CACHE = True
    front = PageCache(WSGIHandler())
    call(front, "/vi/")
    assert call(front, "/vi/").hit
    AgencyLinkName.objects.filter(link=new, language="vi").get().delete()
    fresh = call(front, "/vi/")
    assert not fresh.hit and "vbpl.vn" not in fresh.text
    row = SiteIdentity.objects.get(language="vi")
    row.phone = "0225 3999 999"
    row.save()
    assert 'href="tel:02253999999"' in call(front, "/vi/").text


def test_the_demo_fills_the_footer_and_loads_the_links_once(db):
    first = Report()
    load_site(first)
    load_links(first)
    assert first.created == {"site identities": len(LANGS), "agency links": 6}
    assert footer_missing() == []
    assert all(
        url.startswith("https://") for url in AgencyLink.objects.values_list("url", flat=True)
    )
    for link in AgencyLink.objects.all():
        link.full_clean()
        assert set(link.names.values_list("language", flat=True)) == set(LANGS)
    for row in SiteIdentity.objects.all():
        row.full_clean()
    second = Report()
    load_site(second)
    load_links(second)
    assert second.created == {}


def test_the_demo_completes_an_older_identity_without_touching_what_it_holds(db):
    SiteIdentity.objects.create(language="vi", name="Tên cũ", footer="Chân trang cũ", phone="")
    AgencyLink.objects.create(url="https://mofa.gov.vn")  # added by hand, no import key
    report = Report()
    load_site(report)
    load_links(report)
    row = SiteIdentity.objects.get(language="vi")
    assert (row.name, row.footer) == ("Tên cũ", "Chân trang cũ")
    assert row.responsible and row.phone and row.email
    assert report.created["site identities completed with footer fields"] == 1
    assert AgencyLink.objects.filter(url="https://mofa.gov.vn").count() == 1
    assert AgencyLink.objects.count() == 6


AXE = Path(__file__).parents[1] / "browser" / "vendor" / "axe.min.js"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_the_footer_has_columns_on_a_desktop_and_stacks_on_a_phone(
    live_server, chromium, full_identity, links, width
):
    parts = (".site-footer__agency", ".site-footer__agencies", ".site-footer__more")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for lang in LANGS:
            page.goto(f"{live_server.url}/{lang}/")
            boxes = [page.locator(part).bounding_box() for part in parts]
            if width > 1000:  # side by side, in this order
                assert len({round(box["y"]) for box in boxes}) == 1, (lang, boxes)
                assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"], (lang, boxes)
            else:  # one under the other, full width
                for above, below in zip(boxes, boxes[1:], strict=False):
                    assert below["y"] >= above["y"] + above["height"], (lang, boxes)
                assert len({round(box["x"]) for box in boxes}) == 1, (lang, boxes)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, lang
            page.evaluate(AXE.read_text())
            found = page.evaluate(
                "o => axe.run(document.querySelector('footer'), o)",
                {
                    "runOnly": {
                        "type": "tag",
                        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
                    },
                    "resultTypes": ["violations"],
                },
            )
            assert found["violations"] == [], (lang, [v["id"] for v in found["violations"]])
