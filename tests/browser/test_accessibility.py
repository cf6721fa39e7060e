"""WCAG 2.1 AA in a real browser: axe-core on every kind of public page in all five languages,
at a desktop and a phone width, and what axe cannot judge by itself: the keyboard path, visible
focus, the text-size control, the most-read tabs and the masthead's contrast over its gradient.

axe-core is vendored (tests/browser/vendor/, see its README): nothing is downloaded here.
"""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage

from cangxanh.images.models import Image, ImageText
from cangxanh.news.models import Article, ArticleTranslation, Section, SectionTranslation, Status
from cangxanh.stats.models import DailyViews
from tests.conftest import LANGS, jpeg_bytes

from ..conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

# A menu long enough to scroll sideways on a phone.
MORE_SECTIONS = [
    {
        "vi": "Thông tin kinh tế - xã hội",
        "en": "Economy and Society",
        "ko": "경제·사회",
        "ja": "経済・社会",
        "zh-hans": "经济社会",
    },
    {"vi": "Đầu tư", "en": "Investment", "ko": "투자", "ja": "投資", "zh-hans": "投资"},
    {
        "vi": "Địa phương đối tác",
        "en": "Partner Cities",
        "ko": "자매·우호 도시",
        "ja": "友好都市",
        "zh-hans": "友好城市",
    },
    {
        "vi": "Người Việt Nam ở nước ngoài",
        "en": "Overseas Vietnamese",
        "ko": "재외 베트남인",
        "ja": "在外ベトナム人",
        "zh-hans": "海外越南人",
    },
    {
        "vi": "Văn hóa - Du lịch",
        "en": "Culture and Tourism",
        "ko": "문화·관광",
        "ja": "文化・観光",
        "zh-hans": "文化旅游",
    },
]
ALT = {
    "ko": ("항구의 크레인", "새벽의 항구"),
    "ja": ("港のクレーン", "夜明けの港"),
    "zh-hans": ("港口的起重机", "黎明时分的港口"),
}
BODY = {
    "vi": (
        "<p>Đoàn đã làm việc với <a href='https://haiphong.gov.vn/'>Ủy ban nhân dân thành phố</a>"
        " về hợp tác cảng biển.</p><h2>Hợp tác đào tạo</h2><p>Hai bên thống nhất trao đổi sinh"
        " viên.</p><blockquote><p>Chúng tôi mong hợp tác lâu dài.</p></blockquote><p>Đoàn"
        " cũng thăm cảng Lạch Huyện.</p>"
    ),
    "en": (
        "<p>The delegation met the <a href='https://haiphong.gov.vn/'>City People's Committee</a>"
        " about port cooperation.</p><h2>Training</h2><p>Both sides agreed on student"
        " exchanges.</p><blockquote><p>We hope for a lasting partnership.</p></blockquote>"
        "<p>The delegation also visited Lach Huyen port.</p>"
    ),
    "ko": (
        "<p>대표단은 <a href='https://haiphong.gov.vn/'>시 인민위원회</a>와 항만 협력을 논의했다.</p>"
        "<h2>인재 양성 협력</h2><p>양측은 학생 교류에 합의했다.</p><blockquote><p>오랜 협력을"
        " 기대합니다.</p></blockquote><p>대표단은 락후옌 항도 방문했다.</p>"
    ),
    "ja": (
        "<p>代表団は<a href='https://haiphong.gov.vn/'>市人民委員会</a>と港湾協力について協議した。</p>"
        "<h2>人材育成</h2><p>双方は学生交流で合意した。</p><blockquote><p>長い協力を期待しています。"
        "</p></blockquote><p>代表団はラックフェン港も視察した。</p>"
    ),
    "zh-hans": (
        "<p>代表团与<a href='https://haiphong.gov.vn/'>市人民委员会</a>就港口合作进行了会谈。</p>"
        "<h2>人才培养</h2><p>双方同意开展学生交流。</p><blockquote><p>我们期待长期合作。</p>"
        "</blockquote><p>代表团还参观了绿环港。</p>"
    ),
}


def build_portal(section, image, source, make_article) -> dict:
    """A small portal in five languages: a menu of six sections, two articles in the first
    (images with alt text and captions in every language, a source, an author, a body link),
    and readings today and this week. Returns {lang: {"home", "section", "article"}}."""
    for lang, (alt, caption) in ALT.items():
        ImageText.objects.create(image=image, language=lang, alt=alt, caption=caption)
    second = Image(credit="Sở Ngoại vụ")
    second.file.save("hall.jpg", ContentFile(jpeg_bytes(color=(29, 122, 82))), save=False)
    second.save()
    for lang in LANGS:
        ImageText.objects.create(
            image=second, language=lang, alt=f"Hội trường ({lang})", caption=f"Lễ ký ({lang})"
        )
    for position, names in enumerate(MORE_SECTIONS, start=2):
        extra = Section.objects.create(key=f"s{position}", position=position)
        for lang, name in names.items():
            SectionTranslation.objects.create(
                section=extra, language=lang, name=name, slug=f"{slugify(names['en'])}-{lang}"
            )
    older = make_article(
        LANGS,
        images=[second],
        published_at=timezone.now() - timedelta(days=2),
        titles={lang: f"Tuần lễ văn hóa Nhật Bản ({lang})" for lang in LANGS},
    )
    article = make_article(LANGS, images=[image, second], source=source, views=1234)
    today = timezone.localdate()
    for row in ArticleTranslation.objects.filter(article=article):
        row.body = BODY[row.language]
        row.save(update_fields=["body"])
        DailyViews.objects.create(translation=row, day=today, count=40)
    for row in ArticleTranslation.objects.filter(article=older):
        DailyViews.objects.create(translation=row, day=today - timedelta(days=1), count=90)
    names = dict(section.translations.values_list("language", "slug"))
    return {
        lang: {
            "home": f"/{lang}/",
            "section": f"/{lang}/{names[lang]}/",
            "article": article.translations.get(language=lang).get_absolute_url(),
        }
        for lang in LANGS
    }


@pytest.fixture
def portal(site_identity, section, person, source, image, make_article):
    return build_portal(section, image, source, make_article)


def axe_violations(page) -> list[dict]:
    # Run in the page through the DevTools protocol: the Content-Security-Policy refuses
    # a <script> tag that add_script_tag would insert, as it would any inline script.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]},
    )
    return result["violations"]


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for violation in violations:
            lines.append(f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}")
            for node in violation["nodes"][:5]:
                summary = node["failureSummary"].replace("\n", " ")
                lines.append(f"    {' '.join(node['target'])}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_home_section_and_article_pages(live_server, chromium, portal, width):
    found = {}
    with chromium() as browser:
        page = browser.new_page(**WIDTHS[width])
        for lang, urls in portal.items():
            for kind, path in urls.items():
                response = page.goto(live_server.url + path)
                assert response.status == 200, f"{path}: {response.status}"
                assert page.evaluate("document.documentElement.lang").lower() == lang
                assert page.locator("h1").count() == 1, f"{path}: one h1"
                violations = axe_violations(page)
                if violations:
                    found[f"{width} {lang} {kind} {path}"] = violations
        page.goto(live_server.url + portal["ko"]["article"])
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"a11y-article-ko-{width}.png"), full_page=True)
    assert not found, "axe found WCAG 2.1 AA violations:\n" + report(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_the_search_page(live_server, chromium, portal, width):
    found = {}
    with chromium() as browser:
        page = browser.new_page(**WIDTHS[width])
        for lang in LANGS:
            response = page.goto(f"{live_server.url}/{lang}/search/?q=hai+phong")
            if response.status == 404:
                # Only while the search page (cangxanh.search, issue 4) is not built yet;
                # anything else it answers is judged.
                pytest.skip("the search page answers 404: not built yet")
            assert response.status == 200, f"/{lang}/search/: {response.status}"
            violations = axe_violations(page)
            if violations:
                found[f"{width} {lang} search"] = violations
    assert not found, "axe found WCAG 2.1 AA violations:\n" + report(found)


def test_the_not_translated_and_print_pages_pass_axe_too(
    live_server, chromium, portal, make_article
):
    only_vi = make_article(["vi"], titles={"vi": "Chỉ có tiếng Việt"})
    found = {}
    with chromium() as browser:
        page = browser.new_page(**DESKTOP)
        for path in (f"/ja/a/{only_vi.pk}/", portal["en"]["article"] + "?print=1", "/ko/nope/"):
            page.goto(live_server.url + path)
            violations = axe_violations(page)
            if violations:
                found[path] = violations
    assert not found, "axe found WCAG 2.1 AA violations:\n" + report(found)


def build_agency() -> dict[str, str]:
    """The agency's pages in five languages (tests/agency): a structure with a division,
    leaders with a photo, the contact page with its map. Returns addresses by name."""
    from tests.agency.conftest import create_page, leader_person, picture, set_contacts

    set_contacts()
    structure = create_page("structure", key="structure", position=1)
    create_page("office", parent=structure.pk, layout="division", phone="0225 3000 101")
    leaders = create_page("leaders", key="leaders", position=2)
    director = create_page(
        "director",
        parent=leaders.pk,
        layout="leader",
        person=leader_person("Phạm Thu Hà", "Director").pk,
        email="director@agency.example",
        images=[picture("director.jpg")],
    )
    create_page("contact", key="contact", layout="contact", images=[picture("map.jpg")])
    return {"leader": director.translations.get(language="vi").get_absolute_url()}


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_the_agency_pages(live_server, chromium, site_identity, width):
    from cangxanh.news.models import ArticleTranslation

    leader = build_agency()["leader"]
    article_id = int(leader.rstrip("/").rsplit("-", 1)[1])
    leaders = dict(
        ArticleTranslation.objects.filter(article_id=article_id).values_list("language", "slug")
    )
    found = {}
    with chromium() as browser:
        page = browser.new_page(**WIDTHS[width])
        for lang in ("vi", "en", "ja"):
            paths = (
                f"/{lang}/about/",
                f"/{lang}/about/{leaders[lang]}-{article_id}/",
                f"/{lang}/contact/",
            )
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response.status == 200, f"{path}: {response.status}"
                assert page.locator("h1").count() == 1, f"{path}: one h1"
                violations = axe_violations(page)
                if violations:
                    found[f"{width} {path}"] = violations
        page.goto(live_server.url + "/en/about/?print=1")
        if violations := axe_violations(page):
            found[f"{width} print"] = violations
    assert not found, "axe found WCAG 2.1 AA violations:\n" + report(found)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {
            tag: el.tagName.toLowerCase(), id: el.id, cls: String(el.className),
            text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40),
            outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
            color: style.outlineColor, inMain: !!el.closest('main'),
            inSwitcher: !!el.closest('.switcher'), inSections: !!el.closest('.sections'),
            href: el.getAttribute('href'),
            left: box.left, right: box.right, top: box.top, bottom: box.bottom,
          };
        }"""
    )


def test_skip_link_comes_first_and_moves_focus_into_main(live_server, chromium, portal):
    with chromium() as browser:
        page = browser.new_page(**DESKTOP)
        page.goto(live_server.url + portal["vi"]["article"])
        page.keyboard.press("Tab")
        first = focused(page)
        assert first["cls"] == "skip-link" and first["href"] == "#main"
        assert first["top"] >= 0, "the skip link shows when focused"
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "main"
        page.keyboard.press("Tab")
        assert focused(page)["inMain"], "the next Tab stays in the main content"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_tab_stop_shows_focus_and_nothing_traps_it(live_server, chromium, portal, width):
    with chromium() as browser:
        page = browser.new_page(**WIDTHS[width])
        page.goto(live_server.url + portal["vi"]["article"])
        stops = []
        for _ in range(150):
            page.keyboard.press("Tab")
            stop = focused(page)
            if stop["tag"] == "body" or (stops and stop["cls"] == "skip-link"):
                break  # out of the page again: the whole page was walked
            stops.append(stop)
        else:
            pytest.fail("Tab never left the page: a keyboard trap, or far too many stops")
        menu_links = page.locator(".sections a").count()
        # What does not fit on the row waits under "More", one stop that opens by keyboard
        # (tests/browser/test_reader_chrome.py walks into it).
        row_stops = page.locator(".sections > ul > li:visible > :is(a, button)").count()
        under_more = page.locator("#sections-more a").count()
    invisible = [s for s in stops if s["outline"] == "none" or s["width"] < 2]
    assert not invisible, f"focus not visible on: {invisible}"
    kinds = {s["cls"].split()[0] if s["cls"] else s["tag"] for s in stops}
    for expected in ("skip-link", "site-search__field", "share__btn", "tool-link"):
        assert expected in kinds, f"{expected} not reachable by Tab ({width})"
    # The switcher: all five languages, in order, each with a light ring on the dark masthead.
    switcher = [s for s in stops if s["inSwitcher"]]
    assert [s["text"].split()[0] for s in switcher] == ["Vi", "En", "Kr", "Ja", "Cn"]
    assert {s["color"] for s in switcher} == {"rgb(255, 209, 102)"}
    # Every stop is on screen when focused (the phone's section menu scrolls to it).
    viewport = WIDTHS[width]["viewport"]["width"]
    offscreen = [s for s in stops if s["right"] > viewport + 1 or s["left"] < -1]
    assert not offscreen, f"focused but off screen: {offscreen}"
    # Home, six sections and the site's own pages (about, contact…), each by keyboard.
    assert menu_links >= 9
    assert row_stops - (1 if under_more else 0) + under_more == menu_links
    assert sum(s["inSections"] for s in stops) == row_stops, "the whole menu, by keyboard"


def test_switcher_focus_ring_appears_only_with_focus(live_server, chromium, portal):
    outline = "el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]"
    with chromium() as browser:
        page = browser.new_page(**DESKTOP)
        page.goto(live_server.url + portal["vi"]["home"])
        link = page.locator(".switcher a[hreflang=ko]")
        assert link.evaluate(outline)[0] == "none"
        for _ in range(20):
            page.keyboard.press("Tab")
            if link.evaluate("el => el === document.activeElement"):
                break
        else:
            pytest.fail("the Korean switcher link is not reachable by Tab")
        style, width = link.evaluate(outline)
        assert style == "solid" and float(width.rstrip("px")) >= 3
        page.keyboard.press("Tab")
        assert link.evaluate(outline)[0] == "none"


def test_text_size_control_scales_the_root_persists_and_says_which_is_on(
    live_server, chromium, portal
):
    root_size = "() => getComputedStyle(document.documentElement).fontSize"
    pressed = "() => [...document.querySelectorAll('[data-text-size] button')].map(b => b.getAttribute('aria-pressed'))"
    with chromium() as browser:
        page = browser.new_page(**PHONE)
        page.goto(live_server.url + portal["vi"]["article"])
        group = page.locator("[data-text-size]")
        assert group.is_visible() and group.get_attribute("role") == "group"
        assert group.get_attribute("aria-label")
        names = group.locator("button").evaluate_all("bs => bs.map(b => b.innerText.trim())")
        assert all(len(name) > 1 for name in names), "each button has a name beyond its letter"
        assert page.evaluate(root_size) == "16px"
        assert page.evaluate(pressed) == ["true", "false", "false", "false"]

        # By keyboard: focus the "larger" button and press Enter.
        page.locator('[data-text-size] button[data-size="125"]').focus()
        page.keyboard.press("Enter")
        assert page.evaluate(root_size) == "20px"
        assert page.evaluate(pressed) == ["false", "false", "true", "false"]
        assert page.evaluate("document.documentElement.style.fontSize") == "125%"

        group.locator('button[data-size="150"]').click()
        assert page.evaluate(root_size) == "24px"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scroll"

        # Kept across pages and reloads, applied before the page is drawn.
        page.goto(live_server.url + portal["vi"]["home"])
        assert page.evaluate(root_size) == "24px"
        assert page.evaluate(pressed) == ["false", "false", "false", "true"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "a11y-home-largest-text-phone.png"))
        page.reload()
        assert page.evaluate(root_size) == "24px"

        group.locator('button[data-size="100"]').click()
        assert page.evaluate(root_size) == "16px"
        assert page.evaluate("localStorage.getItem('cangxanh.textSize')") is None

        # The reader's own browser setting still counts: percentages, never pixels.
        group.locator('button[data-size="112.5"]').click()
        assert page.evaluate("document.documentElement.style.fontSize") == "112.5%"

        # Without scripts the control would do nothing, so it is not shown at all.
        quiet = browser.new_page(java_script_enabled=False, **DESKTOP)
        quiet.goto(live_server.url + portal["vi"]["home"])
        assert quiet.locator("[data-text-size]").is_hidden()
        assert quiet.locator(".site-search__field").is_visible()


def test_most_read_tabs_follow_the_aria_pattern_and_work_without_scripts(
    live_server, chromium, portal, make_article
):
    # Newer stories, read by nobody, lead the page: most read leaves out what is shown above it.
    for number in range(5):
        make_article(["vi"], titles={"vi": f"Tin mới {number}"})
    with chromium() as browser:
        page = browser.new_page(**DESKTOP)
        page.goto(live_server.url + portal["vi"]["home"])
        box = page.locator(".most-read")
        tabs = box.get_by_role("tab")
        assert tabs.count() == 3
        assert box.get_by_role("tablist").get_attribute("aria-labelledby") == "most-read-title"
        # One article read today, two this week and this month: none has enough to open on,
        # so the longest period is shown first.
        assert [t.get_attribute("aria-selected") for t in tabs.all()] == ["false", "false", "true"]
        assert box.get_by_role("tabpanel").count() == 1
        month = box.get_by_role("tabpanel")
        assert month.get_attribute("aria-labelledby") == tabs.nth(2).get_attribute("id")
        assert "Tuần lễ văn hóa Nhật Bản (vi)" in month.inner_text()

        tabs.nth(2).focus()
        page.keyboard.press("ArrowLeft")
        assert focused(page)["id"] == "most-read-week-tab"
        assert tabs.nth(1).get_attribute("aria-selected") == "true"
        page.keyboard.press("Home")
        today = box.get_by_role("tabpanel")
        assert today.get_attribute("id") == "most-read-today"
        assert "Incheon" in today.inner_text() and "Tuần lễ" not in today.inner_text()
        page.keyboard.press("End")
        assert tabs.nth(2).get_attribute("aria-selected") == "true"
        page.keyboard.press("ArrowRight")  # wraps round
        assert tabs.nth(0).get_attribute("aria-selected") == "true"
        assert [t.get_attribute("tabindex") for t in tabs.all()] == ["0", "-1", "-1"]
        page.keyboard.press("Tab")
        assert focused(page)["inMain"] and focused(page)["tag"] == "a", "Tab goes into the panel"

        quiet = browser.new_page(java_script_enabled=False, **DESKTOP)
        quiet.goto(live_server.url + portal["vi"]["home"])
        plain = quiet.locator(".most-read")
        assert plain.get_by_role("tab").count() == 0
        assert plain.locator("h3").count() == 3 and plain.locator("ol").count() == 3
        assert all(list_.is_visible() for list_ in plain.locator("ol").all())


def contrast(a: tuple, b: tuple) -> float:
    def luminance(rgb):
        channels = []
        for value in rgb[:3]:
            c = value / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


MASTHEAD_TEXT = (
    ".brand__name, .brand__slogan, .switcher a, .sections a, .sections__toggle, .text-size button"
)


@pytest.mark.parametrize("width", WIDTHS)
def test_masthead_text_contrast_over_its_gradient(live_server, chromium, portal, width):
    """axe cannot judge text over a gradient: measure it. Each text's colour against every
    background pixel behind it (the text made transparent for the picture)."""
    # An article only in Vietnamese: the switcher's struck-through links are measured too.
    article = Article.objects.latest("pk")
    ArticleTranslation.objects.filter(article=article).exclude(language="vi").update(
        status=Status.UNPUBLISHED
    )
    scale = WIDTHS[width].get("device_scale_factor", 1)
    measured = []
    with chromium() as browser:
        page = browser.new_page(**WIDTHS[width])
        page.goto(live_server.url + portal["vi"]["article"])
        assert page.locator(".switcher a.is-missing").count() == 4
        elements = page.locator(MASTHEAD_TEXT)
        # The text colour with its alpha and every ancestor's opacity, as it is drawn.
        colours = elements.evaluate_all(
            """els => els.map(el => {
              const rgba = getComputedStyle(el).color.match(/[\\d.]+/g).map(Number);
              let alpha = rgba.length > 3 ? rgba[3] : 1;
              for (let node = el; node; node = node.parentElement) {
                alpha *= Number(getComputedStyle(node).opacity);
              }
              return [rgba[0], rgba[1], rgba[2], alpha];
            })"""
        )
        # A constructed stylesheet: the Content-Security-Policy refuses an inline <style>.
        page.evaluate(
            """css => {
              const sheet = new CSSStyleSheet();
              sheet.replaceSync(css);
              document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
            }""",
            ".masthead, .masthead * { color: transparent !important; }",
        )
        for index in range(elements.count()):
            element = elements.nth(index)
            if not element.is_visible():
                continue
            element.scroll_into_view_if_needed()
            shot = PILImage.open(io.BytesIO(element.screenshot())).convert("RGB")
            w, h = shot.size
            # The middle of the box, where the text is: a pill's rounded corners show what
            # is around the element, not what is behind its text.
            inner = shot.crop((w // 5, h // 4, w - w // 5, h - h // 4))
            inner = inner.resize((max(1, inner.width // scale), max(1, inner.height // scale)))
            *text, alpha = colours[index]
            ratio = min(
                contrast(
                    tuple(alpha * t + (1 - alpha) * b for t, b in zip(text, pixel, strict=True)),
                    pixel,
                )
                for pixel in set(inner.getdata())
            )
            what = element.evaluate("el => el.className || el.innerText.trim()")
            measured.append((round(ratio, 2), what))
    assert len(measured) >= 15
    failing = [(ratio, what) for ratio, what in measured if ratio < 4.5]
    assert not failing, f"masthead text under 4.5:1 ({width}): {failing}"


def test_reduced_motion_is_respected(live_server, chromium, portal):
    with chromium() as browser:
        page = browser.new_page(reduced_motion="reduce", **DESKTOP)
        page.goto(live_server.url + portal["vi"]["home"])
        duration = page.locator(".card__media img").first.evaluate(
            "el => getComputedStyle(el).transitionDuration"
        )
        assert duration == "0s"
        moving = browser.new_page(**DESKTOP)
        moving.goto(live_server.url + portal["vi"]["home"])
        assert (
            moving.locator(".card__media img").first.evaluate(
                "el => getComputedStyle(el).transitionDuration"
            )
            != "0s"
        )


def test_landmarks_are_there_and_named_apart(live_server, chromium, portal):
    with chromium() as browser:
        page = browser.new_page(**DESKTOP)
        for lang in ("vi", "ja"):
            for path in portal[lang].values():
                page.goto(live_server.url + path)
                assert page.get_by_role("banner").count() == 1
                assert page.get_by_role("main").count() == 1
                assert page.get_by_role("contentinfo").count() == 1
                assert page.get_by_role("search").count() >= 1
                labels = page.locator("nav").evaluate_all(
                    "navs => navs.map(n => n.getAttribute('aria-label'))"
                )
                assert all(labels) and len(labels) == len(set(labels)), labels
                # Words in another language say so: the switcher and the footer's editions.
                tagged = page.locator(".switcher a[lang], .site-footer a[lang]").count()
                assert tagged == 10
