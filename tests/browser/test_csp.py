"""The Content-Security-Policy breaks nothing, in Debian's Chromium.

Every page readers and the newsroom use is loaded under the real header while the
browser records each `securitypolicyviolation` event and each console error: the
public pages, the newsroom, the article form with its rich-text editor (typed into
and saved), the picture picker opened from the editor's picture dialog, and the
image admin's focal point. There must be none anywhere. (A page with an inline
script, or the editor's import map without its nonce, fails here: the import map
is how the editor's modules find each other, so without it nothing is typed.)
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cangxanh.editorial import roles
from cangxanh.editorial.models import PendingVersion
from cangxanh.images.models import Image, ImageText
from cangxanh.images.renditions import image_renditions_ensure
from cangxanh.news.models import Article, ArticleImage, ArticleTranslation, Status

from ..conftest import LANGS, click_closing, in_db, jpeg_bytes, settle
from .test_editorial_journey import _fill_body, _login, _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of every page and popup in the context.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
      ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}` +
      (event.target instanceof Element ? ` on ${event.target.outerHTML.slice(0, 160)}` : "")
  );
});
"""


class Watch:
    """Console errors, uncaught exceptions and CSP violations of every page of a context."""

    def __init__(self, context):
        self.errors = []
        context.add_init_script(RECORD_VIOLATIONS)
        context.on("page", self.follow)
        for page in context.pages:
            self.follow(page)

    def follow(self, page):
        def console(message):
            # The 404 page's own status is what was asked for; anything else it loads is not.
            own_status = message.location.get("url") == page.url and "404" in message.text
            if message.type == "error" and not own_status:
                self.errors.append(f"{page.url}: console: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def check(self, page, what):
        """Nothing went wrong so far; `what` names the page in the failure."""
        violations = page.evaluate("window.__violations")
        assert violations == [], f"{what}: {violations}"
        assert self.errors == [], f"{what}: {self.errors}"


def _published_article(section, picture):
    article = Article.objects.create(section=section, original_language="vi")
    ArticleImage.objects.create(article=article, image=picture, position=0)
    return ArticleTranslation.objects.create(
        article=article,
        language="vi",
        title="Hải Phòng đón đoàn doanh nghiệp Incheon",
        lead="Hai bên bàn về tuyến tàu mới.",
        body=(
            "<p>Đoàn gồm mười hai doanh nghiệp.</p>"
            f'<figure class="figure"><img src="{picture.file.url}" alt="Cần cẩu trên cầu cảng">'
            '<figcaption class="figure-caption">Cầu cảng số 3</figcaption></figure>'
            "<table><tbody><tr><th>Cảng</th>"
            '<th style="text-align: right;">Tấn</th></tr>'
            '<tr><td>Lạch Huyện</td><td style="text-align: right;">1.200</td></tr>'
            "</tbody></table>"
        ),
        status=Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=2),
    )


def test_no_page_breaks_the_policy(
    live_server, chromium, django_user_model, section, site_identity
):
    _user(django_user_model, "bien-tap", roles.EDITOR, LANGS)
    picture = Image(credit="Ảnh: Sở Ngoại vụ")
    picture.file.save("cau-cang.jpg", ContentFile(jpeg_bytes(1600, 900)), save=False)
    picture.save()
    ImageText.objects.create(image=picture, language="vi", alt="Cần cẩu", caption="Cầu cảng")
    image_renditions_ensure(image=picture)
    vi = _published_article(section, picture)
    address = vi.get_absolute_url()
    base = live_server.url

    with chromium() as browser:
        # Readers: no session, the pages as the page cache and CDNs keep them.
        reader = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        watch = Watch(reader)
        page = reader.new_page()
        for path, what in (
            ("/vi/", "home"),
            (address, "article"),
            (address + "?print=1", "print layout"),
            ("/vi/search/?q=h%E1%BA%A3i+ph%C3%B2ng", "search"),
            ("/vi/khong-co-trang-nay/", "404"),
        ):
            page.goto(base + path)
            watch.check(page, what)
        page.goto(base + address)
        # The cell keeps its alignment without a style attribute.
        cell = page.locator(".prose td").nth(1)
        assert cell.evaluate("node => getComputedStyle(node).textAlign") == "right"
        assert page.locator("picture img[alt='Cần cẩu trên cầu cảng']").count() == 1

        # The newsroom, signed in.
        editor = _login(browser, base, "bien-tap", "vi-VN", width=1366)
        staff = Watch(editor.context)
        for path, what in (
            ("/editorial/", "review queue"),
            ("/editorial/board/", "status board"),
            (f"/editorial/desk/{vi.article_id}/ko/", "translation desk"),
            (f"/editorial/translations/{vi.pk}/", "translation steps"),
            (f"/editorial/translations/{vi.pk}/revisions/", "revisions"),
            ("/admin/", "admin index"),
            ("/admin/news/article/", "article list"),
            ("/admin/images/image/", "picture list"),
            ("/editorial/khong-co/", "newsroom 404"),
        ):
            editor.goto(base + path)
            staff.check(editor, what)

        # A new article, typed into the rich-text editor and saved.
        editor.goto(base + "/admin/news/article/add/")
        staff.check(editor, "article add form")
        editor.select_option("#id_section", str(section.pk))
        editor.fill("#id_translations-0-title", "Tàu container lớn nhất cập cảng")
        editor.fill("#id_translations-0-lead", "Con tàu dài 366 mét.")
        _fill_body(editor, "translations-0-body", ["Tàu cập cảng lúc bảy giờ.", "Trời đẹp."])
        staff.check(editor, "article add form, typed into")
        editor.click("input[name=_save]")
        editor.wait_for_load_state()
        staff.check(editor, "article saved")
        written = in_db(ArticleTranslation.objects.get, title="Tàu container lớn nhất cập cảng")
        assert written.body == "<p>Tàu cập cảng lúc bảy giờ.</p><p>Trời đẹp.</p>"

        # The published article, with its aligned table cells: a picture from the picker,
        # opened from the editor's picture dialog, then saved as its new version.
        editor.goto(f"{base}/admin/news/article/{vi.article_id}/change/")
        staff.check(editor, "article change form")
        editor.locator(".prose-editor [contenteditable=true] p").first.click()
        editor.keyboard.press("End")
        editor.keyboard.press("Enter")
        editor.locator('.prose-menubar__button[title="Hình ảnh"]').first.click()
        dialog = editor.locator("dialog[open]")
        with editor.expect_popup() as opened:
            dialog.get_by_role("button", name="Chọn…").click()
        picker = opened.value
        picker.wait_for_load_state()
        staff.check(picker, "picture picker")
        click_closing(picker, picker.get_by_role("button", name="Dùng ảnh này").first)
        assert dialog.locator("input[name=altText]").input_value() == "Cần cẩu"
        dialog.get_by_role("button", name="Chèn").click()
        settle(editor)
        # Wait for the answer to the save, not only for a page to be there: the new
        # version is read from the database next.
        with editor.expect_navigation():
            editor.click("input[name=_save]")
        editor.wait_for_load_state()
        staff.check(editor, "article saved with a picture")
        body = in_db(lambda: PendingVersion.objects.get(translation=vi).body)
        assert 'alt="Cần cẩu"' in body and 'alt="Cần cẩu trên cầu cảng"' in body, body
        # The editor read the cells' alignment from their style attributes and kept it.
        assert body.count('style="text-align: right;"') == 2, body

        # The image admin: a click on the picture sets the focal point.
        editor.goto(f"{base}/admin/images/image/{picture.pk}/change/")
        editor.locator(".focal__image").click(position={"x": 40, "y": 30})
        assert editor.locator("#id_focal_x").input_value() != "50"
        staff.check(editor, "image admin")
