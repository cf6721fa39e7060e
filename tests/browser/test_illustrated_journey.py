"""An illustrated article end to end, in Debian's Chromium, without typing an address.

The editor (working in Vietnamese) writes an article, inserts a library picture into
the text through the picture dialog's picker (which fills its alt text and caption),
makes it the main picture and submits; the approver publishes; the translator
translates the text, the body picture's alt text and caption, and the main picture's
texts at the desk; the approver publishes the Korean translation, and the Korean page
shows the Korean caption.
"""

import pytest
from django.core.files.base import ContentFile

from cangxanh.editorial import roles
from cangxanh.images.models import Image, ImageText
from cangxanh.images.renditions import image_renditions_ensure
from cangxanh.news.models import ArticleTranslation

from ..conftest import ARTIFACTS, click_closing, in_db, jpeg_bytes, settle
from .test_editorial_journey import _login, _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _step(page, action):
    page.click(f'button[name=action][value="{action}"]')
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.content()[:3000]


def test_an_editor_illustrates_an_article_and_korean_readers_get_korean_captions(
    live_server, chromium, django_user_model, section, site_identity
):
    ARTIFACTS.mkdir(exist_ok=True)
    _user(django_user_model, "bien-tap", roles.EDITOR, ["vi"])
    _user(django_user_model, "duyet", roles.APPROVER)
    _user(django_user_model, "dich-gia", roles.TRANSLATOR, ["ko"])
    picture = Image(credit="Ảnh: Sở Ngoại vụ")
    picture.file.save("cau-cang.jpg", ContentFile(jpeg_bytes(1600, 900)), save=False)
    picture.save()
    ImageText.objects.create(
        image=picture, language="vi", alt="Cần cẩu trên cầu cảng", caption="Cầu cảng số 3"
    )
    image_renditions_ensure(image=picture)
    base = live_server.url

    with chromium() as browser:
        editor = _login(browser, base, "bien-tap", "vi-VN", width=1366)
        approver = _login(browser, base, "duyet")
        translator = _login(browser, base, "dich-gia")

        editor.goto(base + "/admin/news/article/add/")
        editor.select_option("#id_section", str(section.pk))
        editor.fill("#id_translations-0-title", "Cảng Hải Phòng đón tàu container lớn nhất")
        editor.fill("#id_translations-0-lead", "Con tàu dài 366 mét cập cảng sáng nay.")
        body = editor.locator(".prose-editor [contenteditable=true]").first
        body.click()
        editor.keyboard.type("Tàu cập cầu cảng số 3 lúc bảy giờ sáng.")
        editor.keyboard.press("Enter")

        # The toolbar speaks Vietnamese; its picture button opens the dialog.
        figure = editor.locator('.prose-menubar__button[title="Hình ảnh"]').first
        figure.click()
        dialog = editor.locator("dialog[open]")
        with editor.expect_popup() as opened:
            dialog.get_by_role("button", name="Chọn…").click()
        picker = opened.value
        picker.wait_for_load_state()
        picker.screenshot(path=str(ARTIFACTS / "picture-picker.png"), full_page=True)
        click_closing(picker, picker.get_by_role("button", name="Dùng ảnh này").first)
        assert dialog.locator("input[name=altText]").input_value() == "Cần cẩu trên cầu cảng"
        assert dialog.locator("input[name=caption]").input_value() == "Cầu cảng số 3"
        dialog.get_by_role("button", name="Chèn").click()

        # The main picture, from the library's search box.
        editor.click(".field-pictures .select2-selection")
        editor.keyboard.type("Cần cẩu")
        editor.locator(".select2-results__option", has_text="cau-cang").first.click()
        settle(editor)
        editor.screenshot(path=str(ARTIFACTS / "article-form-illustrated.png"), full_page=True)
        editor.click("input[name=_save]")
        editor.wait_for_load_state()
        assert editor.locator(".errornote").count() == 0, editor.content()[:4000]

        vi = in_db(ArticleTranslation.objects.get, language="vi")
        assert 'alt="Cần cẩu trên cầu cảng"' in vi.body and "Cầu cảng số 3" in vi.body
        assert in_db(
            lambda: list(vi.article.article_images.values_list("image_id", flat=True))
        ) == [picture.pk]
        editor.goto(f"{base}/editorial/translations/{vi.pk}/")
        _step(editor, "submit")
        approver.goto(f"{base}/editorial/translations/{vi.pk}/")
        _step(approver, "publish")

        # The translator translates the text, the body picture's alt text and caption,
        # and the main picture's texts in Korean.
        translator.goto(f"{base}/editorial/desk/{vi.article_id}/ko/")
        translator.fill("#id_title", "하이퐁항, 최대 컨테이너선 맞이")
        translator.fill("#id_lead", "길이 366m의 선박이 오늘 아침 입항했다.")
        translator.fill("#id_seg-0", "선박은 오전 7시 3번 부두에 접안했다.")
        translator.fill("#id_seg-1", "부두 위의 크레인")
        translator.fill("#id_seg-2", "3번 부두")
        translator.fill(f"#id_alt-{picture.pk}", "부두 위의 크레인")
        translator.fill(f"#id_caption-{picture.pk}", "하이퐁항 3번 부두")
        translator.get_by_role("button", name="Save", exact=True).click()
        translator.wait_for_load_state()
        ko = in_db(ArticleTranslation.objects.get, language="ko")
        translator.goto(f"{base}/editorial/translations/{ko.pk}/")
        _step(translator, "submit")
        approver.goto(f"{base}/editorial/translations/{ko.pk}/")
        _step(approver, "publish")

        address = in_db(lambda: ArticleTranslation.objects.get(pk=ko.pk).get_absolute_url())
        for width, height, name in ((1366, 900, "desktop"), (390, 844, "phone")):
            reader = browser.new_page(viewport={"width": width, "height": height})
            reader.goto(base + address)
            figures = reader.locator("figure figcaption").all_inner_texts()
            assert any("3번 부두" in text for text in figures), figures
            assert any("하이퐁항 3번 부두" in text for text in figures), figures
            assert reader.locator('img[alt="부두 위의 크레인"]').count() >= 1
            reader.screenshot(path=str(ARTIFACTS / f"illustrated-ko-{name}.png"), full_page=True)
