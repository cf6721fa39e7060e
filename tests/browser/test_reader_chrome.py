"""The masthead's menus in a real browser (issue 15): the section menu keeps to one row in
every language at a laptop's and a phone's width, what does not fit under a "More" button
that works by keyboard (and, without scripts, a phone's row fades out where it scrolls on);
the switcher's labels stand on one baseline; on the "not translated yet" page its entries
stay legible."""

import io

import pytest
from PIL import Image as PILImage

from tests.browser.test_accessibility import PHONE, build_portal, contrast
from tests.conftest import ARTIFACTS, LANGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
WIDTHS = {1366: LAPTOP, 390: PHONE}

# The entries on the row as drawn: the hidden "More" and what went under it are left out.
ROW = """() => [...document.querySelectorAll('.sections > ul > li')]
  .filter(li => li.getClientRects().length)
  .map(li => { const box = li.getBoundingClientRect();
    return {top: box.top, left: box.left, right: box.right, more: li.matches('.sections__more')}; })"""


@pytest.fixture
def portal(site_identity, section, person, source, image, make_article):
    return build_portal(section, image, source, make_article)


def header_shot(page, name: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    bottom = page.locator(".sections").bounding_box()
    page.screenshot(
        path=str(ARTIFACTS / name),
        clip={"x": 0, "y": 0, "width": width, "height": bottom["y"] + bottom["height"] + 24},
    )


def test_the_section_menu_keeps_to_one_row_with_the_rest_under_more(live_server, chromium, portal):
    with chromium() as browser:
        for width, options in WIDTHS.items():
            page = browser.new_page(**options)
            for lang in LANGS:
                page.goto(f"{live_server.url}/{lang}/")
                row = page.evaluate(ROW)
                tops = [entry["top"] for entry in row]
                assert max(tops) - min(tops) < 1, f"{lang} at {width}px: the menu wraps: {row}"
                cut = [entry for entry in row if entry["right"] > width + 0.5]
                assert not cut, f"{lang} at {width}px: cut at the right edge: {cut}"
                # Home, about, six sections, the office's five pages: on the row or under More.
                on_row = page.locator(".sections > ul > li:visible > a").count()
                below = page.locator("#sections-more a").count()
                assert on_row + below == page.locator(".sections a").count() == 13
                more = page.locator(".sections__toggle")
                assert more.is_visible() == (below > 0)
                if lang in ("vi", "en") or width == 390:
                    assert more.is_visible(), f"{lang} at {width}px: nothing under More"
                header_shot(page, f"menu-{lang}-{width}.png", width)
            page.close()

        # "More" is a disclosure button: by keyboard, in, through and out again.
        page = browser.new_page(**PHONE)
        page.goto(f"{live_server.url}/vi/")
        more = page.locator(".sections__toggle")
        panel = page.locator("#sections-more")
        assert more.get_attribute("aria-controls") == "sections-more"
        assert more.get_attribute("aria-expanded") == "false" and panel.is_hidden()
        more.focus()
        page.keyboard.press("Enter")
        assert more.get_attribute("aria-expanded") == "true" and panel.is_visible()
        page.keyboard.press("Tab")
        first = panel.locator("a").first
        assert first.evaluate("el => el === document.activeElement")
        box = first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the list fits the phone"
        header_shot(page, "menu-vi-390-open.png", 390)
        page.screenshot(path=str(ARTIFACTS / "menu-vi-390-open-full.png"))
        page.keyboard.press("Escape")
        assert panel.is_hidden() and more.evaluate("el => el === document.activeElement")
        more.click()
        assert panel.is_visible()
        page.mouse.click(195, 4)  # the masthead's top edge: nothing there to follow
        assert panel.is_hidden(), "a click elsewhere closes it"

        # Without scripts a phone's row scrolls, and says so: a fade at its end, snap points.
        quiet = browser.new_page(java_script_enabled=False, **PHONE)
        quiet.goto(f"{live_server.url}/vi/")
        cue = quiet.locator(".sections > ul").evaluate(
            """ul => ({scrolls: ul.scrollWidth > ul.clientWidth,
                     mask: getComputedStyle(ul).maskImage || getComputedStyle(ul).webkitMaskImage,
                     snap: getComputedStyle(ul).scrollSnapType})"""
        )
        assert cue["scrolls"] and "gradient" in cue["mask"] and cue["snap"].startswith("x")
        assert quiet.locator(".sections__toggle").is_hidden()
        header_shot(quiet, "menu-vi-390-no-script.png", 390)


# A zero-sized inline block sits on the baseline: its bottom is the baseline's height. Set
# through CSSOM, which the Content-Security-Policy allows (a style attribute it would not).
LABELS = """() => [...document.querySelectorAll('.switcher a')].map(link => {
  const text = link.firstChild;
  const range = document.createRange();
  range.selectNodeContents(text);
  const probe = document.createElement('span');
  probe.style.display = 'inline-block';
  probe.style.width = '0';
  probe.style.height = '0';
  link.insertBefore(probe, text);
  const baseline = probe.getBoundingClientRect().bottom;
  probe.remove();
  return {label: text.textContent.trim(), top: range.getBoundingClientRect().top, baseline};
})"""


def test_the_switcher_labels_stand_on_one_baseline(live_server, chromium, portal):
    with chromium() as browser:
        page = browser.new_page(**LAPTOP)
        for lang in ("vi", "ko", "zh-hans"):
            page.goto(f"{live_server.url}/{lang}/")
            labels = page.evaluate(LABELS)
            assert [label["label"] for label in labels] == ["Vi", "En", "Kr", "Ja", "Cn"]
            for edge in ("top", "baseline"):
                spots = [label[edge] for label in labels]
                assert max(spots) - min(spots) <= 0.5, f"{lang}: label {edge}s differ: {labels}"
        switcher = page.locator(".switcher")
        ARTIFACTS.mkdir(exist_ok=True)
        switcher.screenshot(path=str(ARTIFACTS / "switcher-zh-hans-1366.png"))


def test_the_not_translated_page_switcher_is_legible(live_server, chromium, make_article):
    """The page's own language is the current one and missing at once: each entry's text
    against every pixel behind it (the text made transparent for that picture)."""
    article = make_article(["vi"])
    with chromium() as browser:
        for width, options in WIDTHS.items():
            page = browser.new_page(**options)
            page.goto(f"{live_server.url}/ko/a/{article.pk}/")
            current = page.locator(".switcher a[aria-current]")
            assert current.get_attribute("hreflang") == "ko"
            assert "is-missing" in current.get_attribute("class")
            assert page.locator(".switcher a.is-missing").count() == 4
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"not-translated-ko-{width}.png"))
            links = page.locator(".switcher a")
            colours = links.evaluate_all(
                "els => els.map(el => getComputedStyle(el).color.match(/[\\d.]+/g).map(Number))"
            )
            page.evaluate(
                """css => {
                  const sheet = new CSSStyleSheet();
                  sheet.replaceSync(css);
                  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
                }""",
                ".switcher a { color: transparent !important; }",
            )
            scale = options.get("device_scale_factor", 1)
            failing = []
            for index in range(links.count()):
                shot = PILImage.open(io.BytesIO(links.nth(index).screenshot())).convert("RGB")
                w, h = shot.size
                inner = shot.crop((w // 5, h // 4, w - w // 5, h - h // 4))
                inner = inner.resize((max(1, inner.width // scale), max(1, inner.height // scale)))
                rgba = colours[index]
                text, alpha = rgba[:3], (rgba[3] if len(rgba) > 3 else 1)
                ratio = min(
                    contrast(
                        tuple(
                            alpha * t + (1 - alpha) * b for t, b in zip(text, pixel, strict=True)
                        ),
                        pixel,
                    )
                    for pixel in set(inner.getdata())
                )
                if ratio < 4.5:
                    failing.append((links.nth(index).get_attribute("hreflang"), round(ratio, 2)))
            assert not failing, f"switcher entries under 4.5:1 at {width}px: {failing}"
            page.close()
