"""The partners' map and the statistics page in Chromium at phone and desktop width:
nothing wider than the screen, every chart drawn as SVG beside its table, the map's
partner links reachable by keyboard. Screenshots go to test-artifacts/ to be looked at."""

import pytest

from ..conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"small phone": 320, "phone": 390, "desktop": 1366}

# The size each map's shown names and badge numbers are drawn at on screen, in CSS
# pixels: the font size in the map's units times the map's scale.
# (checkVisibility() sees no display: none on an SVG element's ancestors: walk them.)
MAP_TEXT = """() => [...document.querySelectorAll('.registry-map svg')].map(svg => {
  const shown = t => {
    for (let e = t; e !== svg; e = e.parentElement) {
      if (getComputedStyle(e).display === 'none') return false;
    }
    return true;
  };
  const drawn = selector => [...svg.querySelectorAll(selector)]
    .filter(shown)
    .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a]);
  return {
    map: svg.getAttribute('class'),
    names: drawn('.world-map__label:not(.is-on-focus), .world-map__islands-name'),
    numbers: drawn('.world-map__number'),
  };
})"""


@pytest.mark.parametrize("lang", ["vi", "en", "ko"])
def test_statistics_and_map_read_well_on_a_phone_and_a_desktop(
    live_server, chromium, figures, lang
):
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []

    def console(message) -> None:
        if message.type == "error":
            errors.append(message.text)

    with chromium() as browser:
        for name, width in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("console", console)
            page.goto(f"{live_server.url}/{lang}/statistics/")
            assert page.locator("figure, section.cx-figure").count() >= 6
            charts = page.locator(".cx-chart svg[role='img']")
            assert charts.count() == 6
            assert page.locator(".cx-figure table caption, .cx-figure table").count() >= 6
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (
                f"{name}: the statistics page is {overflow}px wider than the screen"
            )
            page.screenshot(path=str(ARTIFACTS / f"statistics-{lang}-{name}.png"), full_page=True)

            page.goto(f"{live_server.url}/{lang}/partners/")
            links = page.locator(".registry-map svg a")
            assert links.count() >= 2
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name}: the partners page is {overflow}px wider than the screen"
            # Names readable on every map at every width (a map beside another is
            # narrower than the screen suggests), numbers on the badges too.
            maps = page.evaluate(MAP_TEXT)
            assert len(maps) == 2
            assert all(m["names"] for m in maps if "east-asia" in m["map"]), maps
            for m in maps:
                small = [(t, round(px, 1)) for t, px in m["names"] if px < 11]
                assert not small, f"{name}: {m['map']} draws names under 11px: {small}"
                small = [(t, round(px, 1)) for t, px in m["numbers"] if px < 9]
                assert not small, f"{name}: {m['map']} draws numbers under 9px: {small}"
            page.screenshot(path=str(ARTIFACTS / f"partners-{lang}-{name}.png"), full_page=True)
            assert not [e for e in errors if "Content Security Policy" in e], errors
            page.close()
