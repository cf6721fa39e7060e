"""The reader's journey in a real browser: Debian's Chromium driven by Playwright."""

import pytest

from ..conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


def test_home_article_switch_to_korean_and_back(
    live_server, chromium, site_identity, make_article, image, source
):
    ARTIFACTS.mkdir(exist_ok=True)
    langs = ["vi", "en", "ko", "ja", "zh-hans"]
    make_article(langs, images=[image], titles={lang: f"Tin cũ {lang}" for lang in langs})
    article = make_article(langs, images=[image], source=source, views=1234)
    vi_title = article.translations.get(language="vi").title
    ko_title = article.translations.get(language="ko").title

    with chromium() as browser:
        # A reader's browser: headless Chromium announces itself, and is not counted.
        page = browser.new_page(
            viewport={"width": 1280, "height": 900}, locale="vi-VN", user_agent=READER
        )
        page.goto(live_server.url + "/")
        assert page.url == live_server.url + "/vi/"
        assert page.locator("html").get_attribute("lang") == "vi"

        page.get_by_role("link", name=vi_title).first.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == vi_title
        assert "1.235 lượt xem" in page.locator(".article__meta").inner_text()
        page.screenshot(path=str(ARTIFACTS / "article-desktop.png"), full_page=True)

        page.locator(".switcher").get_by_role("link", name="한국어").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "ko"
        assert page.locator("h1").inner_text() == ko_title

        page.locator(".switcher").get_by_role("link", name="Tiếng Việt").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == vi_title

        phone = browser.new_page(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        phone.goto(page.url)
        assert phone.locator("h1").inner_text() == vi_title
        # Nothing wider than the phone's screen.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(ARTIFACTS / "article-phone.png"), full_page=True)
