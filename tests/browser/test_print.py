"""Printing an article: the print stylesheet (nothing but the article, its address and the date
it was printed), the print button, and `?print=1`, the same layout on screen without scripts.

The PDFs Chromium prints are kept in test-artifacts/ (with PNG pages where poppler's pdftoppm
is installed) for a person to look at.
"""

import re
import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from cangxanh.news.models import ArticleTranslation
from cangxanh.stats.models import DailyViews

from ..conftest import ARTIFACTS
from .test_accessibility import DESKTOP, build_portal

BODY_LINK = "https://haiphong.gov.vn/"


@pytest.fixture
def portal(site_identity, section, person, source, image, make_article):
    return build_portal(section, image, source, make_article)


def translation_at(path: str) -> ArticleTranslation:
    article_id = int(re.search(r"-(\d+)/$", path).group(1))
    lang = path.split("/")[1]
    return ArticleTranslation.objects.get(article_id=article_id, language=lang)


@pytest.mark.django_db
def test_print_view_is_the_article_for_paper_uncounted_and_not_indexed(client, portal, settings):
    settings.SITE_URL = "http://testserver"  # absolute addresses come from the setting
    path = portal["vi"]["article"]
    row = translation_at(path)
    before = row.view_count

    browser = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
    page = client.get(path, HTTP_USER_AGENT=browser).content.decode()
    assert ArticleTranslation.objects.get(pk=row.pk).view_count == before + 1
    # A visible print action: a button for the browser's dialog, a link where scripts are off.
    assert re.search(r'<button type="button" class="tool-link js-only" data-print>', page)
    assert 'class="tool-link no-js-only" href="?print=1" rel="nofollow"' in page
    # The address and the date are on the page, shown only on paper.
    assert 'class="print-note print-only"' in page and f"http://testserver{path}" in page
    assert 'name="robots"' not in page

    # Another reader, so that only the layout can explain why nothing is counted.
    response = client.get(path + "?print=1", HTTP_USER_AGENT=browser, REMOTE_ADDR="198.51.100.2")
    assert response.status_code == 200
    html = response.content.decode()
    again = ArticleTranslation.objects.get(pk=row.pk)
    assert again.view_count == before + 1, "a print view is not a second reading"
    assert sum(DailyViews.objects.filter(translation=row).values_list("count", flat=True)) == 41
    assert '<meta name="robots" content="noindex">' in html
    assert f'<link rel="canonical" href="http://testserver{path}">' in html
    assert '<body class="print-preview">' in html
    assert f'href="{path}"' in html, "a way back to the article"
    assert 'loading="lazy"' not in html, "every picture is loaded before printing"
    assert row.title in html and BODY_LINK in html
    # Any other address of the article still answers 301, keeping ?print=1.
    wrong = path.replace("/hop-tac-quoc-te/", "/khac/")
    moved = client.get(wrong + "?print=1")
    assert moved.status_code == 301 and moved["Location"].endswith("?print=1")


HIDDEN_ON_PAPER = [
    ".skip-link",
    ".site-search",
    "[data-text-size]",
    ".switcher",
    "nav.sections",
    "nav.breadcrumb",
    ".share",
    ".related",
    ".site-footer nav",
    ".article__views",
    ".article__print",
]
ON_PAPER = [
    ".brand__name",
    "h1.article__title",
    ".article__meta time",
    ".article__source",
    ".article__lead",
    ".figure img",
    ".figure figcaption",
    ".article__body",
    ".byline__name",
    ".byline__position",
    ".print-note",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_print_stylesheet_keeps_the_article_and_drops_the_rest(
    live_server, chromium, portal, settings
):
    settings.SITE_URL = live_server.url
    path = portal["vi"]["article"]
    with chromium() as browser:
        page = browser.new_page(**DESKTOP)
        page.goto(live_server.url + path)
        for selector in HIDDEN_ON_PAPER:
            assert page.locator(selector).first.is_visible(), f"{selector} shows on screen"
        assert page.locator(".print-note").is_hidden(), "the print note is for paper only"

        page.emulate_media(media="print")
        for selector in HIDDEN_ON_PAPER:
            assert page.locator(selector).first.is_hidden(), f"{selector} is printed"
        for selector in ON_PAPER:
            assert page.locator(selector).first.is_visible(), f"{selector} is not printed"
        assert page.locator(".figure").count() == 2
        assert (
            page.locator(".figure").first.evaluate("el => getComputedStyle(el).breakInside")
            == "avoid"
        )
        note = page.locator(".print-note").inner_text()
        assert live_server.url + path in note
        assert re.search(r"\d{2}/\d{2}/\d{4} - \d{2}:\d{2}", note), note
        # Where a body link leads is printed after it; the menu's links are not.
        after = "el => getComputedStyle(el, '::after').content"
        assert BODY_LINK in page.locator(".article__body a").first.evaluate(after)
        assert page.locator(".brand").evaluate(after) in ("none", "normal")
        assert page.locator(".kicker").evaluate(after) in ("none", "normal")
        colours = page.evaluate(
            "() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.querySelector('.article__title')).color]"
        )
        assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(0, 0, 0)"]


def pdf_facts(data: bytes) -> dict:
    """What a PDF holds, read from its bytes: pages, embedded pictures, link targets."""
    assert data.startswith(b"%PDF-")
    return {
        "pages": len(re.findall(rb"/Type\s*/Page\b", data)),
        "images": len(re.findall(rb"/Subtype\s*/Image\b", data)),
        "links": {m.decode("latin-1") for m in re.findall(rb"/URI\s*\(([^)]*)\)", data)},
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["vi", "ja"])
def test_printed_to_pdf_the_article_keeps_its_pictures_and_loses_the_menus(
    live_server, chromium, portal, source, lang
):
    path = portal[lang]["article"]
    row = translation_at(path)
    other_paths = [portal[other]["article"] for other in portal if other != lang]
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"print-{lang}.pdf"
    with chromium() as browser:
        page = browser.new_page(**DESKTOP)
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        data = page.pdf(path=str(target), format="A4")
    facts = pdf_facts(data)
    assert 1 <= facts["pages"] <= 4, facts["pages"]
    assert facts["images"] >= 2, "both pictures are printed"
    links = facts["links"]
    assert BODY_LINK in links and source.url in links
    site = live_server.url
    assert not any("facebook.com" in link or "twitter.com" in link for link in links), links
    assert not any(link.startswith(site + p) for link in links for p in other_paths), (
        "no switcher on paper"
    )
    assert site + "/" + lang + "/" in links  # the site name, at the top, is kept
    assert len(links) <= 4, f"only the site name, section, source and body links: {links}"
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(target), str(ARTIFACTS / f"print-{lang}")],
            check=True,
        )
    assert row.title


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_print_button_prints_and_stamps_the_time_of_printing(
    live_server, chromium, portal, settings
):
    settings.SITE_URL = live_server.url
    path = portal["en"]["article"]
    with chromium() as browser:
        page = browser.new_page(**DESKTOP)
        page.clock.set_fixed_time(datetime(2030, 5, 6, 7, 8, tzinfo=UTC))
        page.goto(live_server.url + path)
        page.evaluate(
            "() => { window.print = () => { window.printed = (window.printed || 0) + 1 } }"
        )
        button = page.locator(".article__print button[data-print]")
        assert button.is_visible() and page.locator(".article__print a").is_hidden()
        button.click()
        assert page.evaluate("window.printed") == 1
        # Written like the page's dates, in the site's time zone (UTC+7).
        note = page.locator(".print-note").text_content()
        assert "6 May 2030, 2:08 PM" in note, note
        assert live_server.url + "/en/" in note


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_scripts_a_link_opens_the_print_layout(live_server, chromium, portal):
    path = portal["ko"]["article"]
    with chromium() as browser:
        page = browser.new_page(java_script_enabled=False, **DESKTOP)
        page.goto(live_server.url + path)
        assert page.locator(".article__print button").is_hidden()
        link = page.locator(".article__print a")
        assert link.is_visible()
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith("?print=1")
        for selector in ("nav.sections", ".switcher", ".share", ".related", ".site-search"):
            assert page.locator(selector).first.is_hidden(), selector
        assert page.locator(".print-note").is_visible()
        assert page.locator(".print-toolbar button").is_hidden(), "no dead button"
        assert page.locator(".print-toolbar a").is_visible()
        assert "/ko/국제-협력/" in page.locator(".print-note").inner_text(), "a readable address"
        page.screenshot(path=str(ARTIFACTS / "print-view-ko.png"), full_page=True)
