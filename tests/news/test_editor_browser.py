"""The body's editor in a real browser (Debian's Chromium), and the body on a phone.

The editor runs on a test-only page (editor_urls.py) built with the same
`editor.body_formfield` the admin uses, so these tests need no admin wiring.
"""

import re

import pytest

from cangxanh.news.sanitize import sanitize_html

from ..conftest import ARTIFACTS
from .test_sanitize import JUNK, REL, fixture

EDITOR_PAGE = pytest.mark.urls("tests.news.editor_urls")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Hands the page's editor to the test once django-prose-editor has made it.
CATCH_EDITOR = (
    "document.addEventListener('prose-editor:ready', e => { window.bodyEditor = e.detail.editor })"
)
# The editor's editable area, there once the editor is made and has announced itself
# (waited for as an element: wait_for_function evaluates a string in the page, which
# the Content-Security-Policy refuses).
EDITOR_READY = ".prose-editor [contenteditable=true]"
PASTE = """(html) => {
    const data = new DataTransfer()
    data.setData("text/html", html)
    data.setData("text/plain", "")
    document.querySelector("[contenteditable=true]").dispatchEvent(
        new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}))
}"""


def open_editor(browser, live_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.add_init_script(CATCH_EDITOR)
    page.goto(live_server.url + "/editor/")
    page.wait_for_selector(EDITOR_READY)
    return page, requested


def save(page) -> str:
    """Submit the form; the page then shows what the server stored."""
    page.locator("#editor-form input[type=submit]").click()
    page.wait_for_load_state()
    return page.locator("#cleaned").input_value()


@EDITOR_PAGE
def test_typing_and_pasting_from_word_give_clean_structure(live_server, chromium):
    with chromium() as browser:
        page, requested = open_editor(browser, live_server)
        page.get_by_role("textbox").click()
        keys = page.keyboard
        keys.type("## Kết quả chuyến thăm")  # "## " makes a heading
        keys.press("Enter")
        keys.type("Đoàn đã ký ")
        keys.press("Control+b")
        keys.type("ba")
        keys.press("Control+b")
        keys.type(" văn bản.")
        keys.press("Enter")
        keys.type("- Cảng xanh")  # "- " starts a list
        keys.press("Enter")
        keys.type("Quản lý nước")
        keys.press("Enter")
        keys.press("Enter")  # an empty item ends the list
        keys.type("Trang của Sở")
        # Select the paragraph's text (the editor's API: key presses race ProseMirror here).
        page.evaluate(
            """() => { const e = window.bodyEditor, $at = e.state.selection.$from
            e.commands.setTextSelection({from: $at.start(), to: $at.pos}) }"""
        )
        keys.press("Control+k")
        dialog = page.locator("dialog[open]")
        dialog.locator("input[name=href]").fill("https://example.gov.vn/")
        dialog.get_by_role("button", name="Update").click()
        page.evaluate("() => window.bodyEditor.commands.focus('end')")
        keys.press("Enter")
        page.evaluate(PASTE, fixture("word-paste.html"))
        page.wait_for_selector("[contenteditable=true] table")
        editor = page.locator(".prose-editor")
        assert editor.locator("table th, table td").count() == 4
        # Word's list paragraphs reach the editor as paragraphs behind a "·";
        # the server makes them a list again (below).
        assert editor.locator("ul li").count() == 2
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "editor-desktop.png"), full_page=True)
        cleaned = save(page)
        # What the server stored, back in the editor: Word's list is a list again.
        page.wait_for_selector(EDITOR_READY)
        page.evaluate("(html) => window.bodyEditor.commands.setContent(html)", cleaned)
        page.screenshot(path=str(ARTIFACTS / "editor-after-save.png"), full_page=True)

    assert cleaned.startswith(
        "<h2>Kết quả chuyến thăm</h2><p>Đoàn đã ký <strong>ba</strong> văn bản.</p>"
        "<ul><li><p>Cảng xanh</p></li><li><p>Quản lý nước</p></li></ul>"
        f'<p><a href="https://example.gov.vn/"{REL}>Trang của Sở</a></p>'
    )
    # Word's own structure, as the editor read it and the server finished it.
    # (The body has no <h1>, so the editor reads Word's "Heading 1" as a paragraph.)
    for kept in [
        "<p>Hợp tác cảng xanh Hải Phòng – Rotterdam</p>",
        "<p>Sáng 19/10, đoàn công tác của <strong>Sở Ngoại vụ</strong> đã làm việc với "
        "<em>Cảng vụ Rotterdam</em> về chuyển đổi số.</p>",
        "<h2>Nội dung chính</h2>",
        "<ul><li><p>Số hóa thủ tục cảng biển</p></li><li><p>Thí điểm tại bến Lạch Huyện</p></li>"
        "<li><p>Giảm phát thải tại khu bến <strong>container</strong></p></li></ul>",
        "<ol><li><p>Ký biên bản ghi nhớ trong quý I/2024.</p></li>",
        f'<a href="https://www.portofrotterdam.com/en"{REL}>trang của Cảng Rotterdam</a>',
        "<table><tbody><tr><th><p>Chỉ số</p></th><th><p>Năm 2023</p></th></tr>",
        "<p>Nước thải giảm 12&nbsp;% nhờ xử lý CO<sub>2</sub>.</p>",
    ]:
        assert kept in cleaned
    assert [junk for junk in JUNK if junk in cleaned] == []
    # Everything the page needed came from this server: no CDN, no fonts from elsewhere.
    assert requested and all(url.startswith(live_server.url) for url in requested)


@EDITOR_PAGE
def test_everything_the_editor_writes_is_what_the_server_keeps(live_server, chromium):
    written = fixture("editor-output.html")
    with chromium() as browser:
        page, _requested = open_editor(browser, live_server)
        # The fixture the unit tests use is what this editor writes for it.
        assert (
            page.evaluate(
                "(html) => { window.bodyEditor.commands.setContent(html); return window.bodyEditor.getHTML() }",
                written,
            )
            == written
        )
        assert page.locator("textarea[name=body]").input_value() == written
        cleaned = save(page)
        # What the server stored comes back from the editor unchanged.
        page.wait_for_selector(EDITOR_READY)
        reloaded = page.evaluate(
            "(html) => { window.bodyEditor.commands.setContent(html); return window.bodyEditor.getHTML() }",
            cleaned,
        )
    assert cleaned == re.sub(r"(<a [^>]*)>", lambda m: m.group(1) + REL + ">", written)
    # The editor puts rel before href; saved again, nothing changes.
    assert reloaded != written
    assert sanitize_html(reloaded) == cleaned


TABLE = (
    "<p>Kim ngạch xuất nhập khẩu với các đối tác chính:</p>"
    "<table><tbody><tr><th><p>Đối tác</p></th>"
    + "".join(f"<th><p>Năm {year}</p></th>" for year in range(2017, 2024))
    + "</tr><tr><td><p>Hàn Quốc</p></td>"
    + "".join(f'<td style="text-align: right;"><p>{n},{n % 10}32.118</p></td>' for n in range(7))
    + "</tr></tbody></table>"
    "<ul><li><p>Số liệu của Cục Hải quan</p><ul><li><p>Đơn vị: nghìn USD</p></li></ul></li></ul>"
    "<blockquote><p>Tăng trưởng đều qua các năm.</p></blockquote><hr>"
    "<p>H<sub>2</sub>O và 10<sup>3</sup> tấn.</p>"
)


JAPANESE = (
    "<table><tbody><tr><th><p>相手国</p></th><th><p>主な分野</p></th><th><p>金額</p></th></tr>"
    "<tr><td><p>日本</p></td><td><p>港湾の脱炭素化と物流のデジタル化</p></td>"
    '<td style="text-align: right;"><p>1,250,000,000円</p></td></tr></tbody></table>'
)


def test_a_wide_table_scrolls_in_its_own_box_on_a_phone(
    live_server, chromium, site_identity, make_article
):
    article = make_article(["vi", "ja"])
    urls = []
    for language, body in (("vi", TABLE), ("ja", JAPANESE)):
        translation = article.translations.get(language=language)
        translation.body = body
        translation.save()
        urls.append((language, live_server.url + translation.get_absolute_url()))
    with chromium() as browser:
        phone = browser.new_page(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        ARTIFACTS.mkdir(exist_ok=True)
        for language, url in urls:
            phone.goto(url)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
            box = phone.locator(".article__body table").evaluate(
                "t => ({scroll: t.scrollWidth, client: t.clientWidth,"
                " right: t.getBoundingClientRect().right,"
                " narrowest: Math.min(...[...t.querySelectorAll('td, th')].map(c => c.offsetWidth))})"
            )
            assert box["right"] <= 390  # the table's box fits the screen ...
            assert box["narrowest"] >= 80  # ... and no column is squeezed to a character
            if language == "vi":
                assert box["scroll"] > box["client"]  # ... and scrolls what does not fit
            phone.screenshot(
                path=str(ARTIFACTS / f"article-table-phone-{language}.png"), full_page=True
            )
        desktop = browser.new_page(viewport={"width": 1280, "height": 900})
        desktop.goto(urls[0][1])
        assert desktop.evaluate("document.documentElement.scrollWidth") <= 1280
        desktop.screenshot(path=str(ARTIFACTS / "article-table-desktop.png"), full_page=True)
