"""Every role's journey through the newsroom, in Debian's Chromium.

An editor writes and submits; an approver rejects with a comment; the editor fixes
and resubmits; the approver schedules it; a translator translates it into Korean
and submits; the approver publishes; the original is edited and the Korean
translation shows as outdated with the diff.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cangxanh.editorial import roles
from cangxanh.editorial.models import StaffProfile
from cangxanh.news.models import ArticleTranslation, Status

from ..conftest import ARTIFACTS, in_db

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-pw-2026"


def _user(django_user_model, username, role, langs=()):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, languages=list(langs))
    return user


def _login(browser, base, username, locale="en-US", width=1280):
    page = browser.new_page(viewport={"width": width, "height": 900}, locale=locale)
    page.goto(base + "/admin/login/?next=/editorial/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/editorial/$"))
    return page


def _step(page, label, comment=""):
    if comment:
        page.fill("#id_comment", comment)
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.content()[:3000]


def test_write_reject_fix_schedule_translate_publish_and_outdated(
    live_server, chromium, django_user_model, section, site_identity
):
    ARTIFACTS.mkdir(exist_ok=True)
    _user(django_user_model, "bien-tap", roles.EDITOR, ["vi"])
    _user(django_user_model, "duyet", roles.APPROVER)
    _user(django_user_model, "dich-gia", roles.TRANSLATOR, ["ko"])
    base = live_server.url

    with chromium() as browser:
        editor = _login(browser, base, "bien-tap")
        approver = _login(browser, base, "duyet")
        translator = _login(browser, base, "dich-gia")

        # The editor writes the original and submits it.
        editor.goto(base + "/admin/news/article/add/")
        editor.select_option("#id_section", str(section.pk))
        editor.select_option("#id_translations-0-language", "vi")
        editor.fill("#id_translations-0-title", "Đoàn doanh nghiệp Busan thăm cảng Lạch Huyện")
        editor.fill("#id_translations-0-lead", "Mười hai doanh nghiệp logistics tìm hiểu cảng.")
        _fill_body(
            editor,
            "translations-0-body",
            ["Đoàn gồm mười hai doanh nghiệp.", "Hai bên bàn về tuyến tàu mới."],
        )
        editor.click("input[name=_save]")
        editor.wait_for_load_state()
        vi = in_db(ArticleTranslation.objects.get, language="vi")
        assert vi.status == Status.DRAFT
        editor.goto(f"{base}/editorial/translations/{vi.pk}/")
        _step(editor, "Submit for review")

        # The approver finds it in the queue and rejects it with a comment.
        approver.goto(base + "/editorial/")
        approver.get_by_role("link", name=vi.title).first.click()
        approver.wait_for_load_state()
        _step(approver, "Reject", comment="Ghi rõ số doanh nghiệp Hàn Quốc trong sapo.")

        # The editor reads the comment, fixes the lead and resubmits.
        editor.goto(f"{base}/editorial/translations/{vi.pk}/")
        assert "Ghi rõ số doanh nghiệp Hàn Quốc" in editor.locator(".rejection").inner_text()
        editor.goto(f"{base}/admin/news/article/{vi.article_id}/change/")
        editor.fill(
            "#id_translations-0-lead", "Mười hai doanh nghiệp logistics Hàn Quốc tìm hiểu cảng."
        )
        editor.click("input[name=_save]")
        editor.wait_for_load_state()
        editor.goto(f"{base}/editorial/translations/{vi.pk}/")
        _step(editor, "Submit for review")

        # The approver schedules it for tomorrow morning.
        approver.goto(f"{base}/editorial/translations/{vi.pk}/")
        when = timezone.localtime() + timedelta(days=1)
        approver.fill("#id_publish_at", when.strftime("%Y-%m-%dT09:00"))
        _step(approver, "Publish")
        assert "Scheduled" in approver.locator(".editorial-facts").inner_text()
        assert in_db(ArticleTranslation.objects.get, pk=vi.pk).is_scheduled

        # The translator finds the missing Korean on the board and translates it at the desk.
        translator.goto(base + "/editorial/board/")
        row = translator.locator("tr", has_text=vi.title)
        row.locator('td[data-language="ko"] a').click()
        translator.wait_for_load_state()
        assert "Đoàn gồm mười hai doanh nghiệp." in translator.locator(".desk-table").inner_text()
        translator.fill("#id_title", "부산 기업 대표단, 락후옌 항 방문")
        translator.fill("#id_lead", "한국 물류 기업 12곳이 항만을 살펴보았다.")
        translator.fill("#id_seg-0", "대표단은 기업 12곳으로 구성되었다.")
        translator.fill("#id_seg-1", "양측은 새 항로를 논의했다.")
        translator.screenshot(path=str(ARTIFACTS / "translation-desk.png"), full_page=True)
        translator.get_by_role("button", name="Save", exact=True).click()
        translator.wait_for_load_state()
        ko = in_db(ArticleTranslation.objects.get, language="ko")
        translator.get_by_role("link", name="Review and publish").click()
        translator.wait_for_load_state()
        _step(translator, "Submit for review")

        # The approver publishes the Korean translation, at the original's time: a
        # translation never appears before its original (publishing now is refused).
        approver.goto(base + "/editorial/")
        approver.get_by_role("link", name=ko.title).first.click()
        approver.wait_for_load_state()
        approver.get_by_role("button", name="Publish", exact=True).click()
        approver.wait_for_load_state()
        assert "schedule the translation at that time or later" in approver.content()
        approver.fill("#id_publish_at", when.strftime("%Y-%m-%dT09:00"))
        _step(approver, "Publish")
        assert in_db(ArticleTranslation.objects.get, pk=ko.pk).is_scheduled

        # The editor changes the original: the Korean translation is outdated, with the diff.
        editor.goto(f"{base}/admin/news/article/{vi.article_id}/change/")
        _fill_body(
            editor,
            _prefix(editor, "vi") + "-body",
            ["Đoàn gồm mười hai doanh nghiệp.", "Hai bên ký biên bản về tuyến tàu mới Busan."],
        )
        editor.click("input[name=_save]")
        editor.wait_for_load_state()
        assert editor.locator(".errornote").count() == 0, editor.content()[:3000]
        # A saved draft of the original is not the original yet: only once the approver
        # publishes the new version does the Korean translation fall behind it.
        translator.goto(base + "/editorial/board/")
        cell = translator.locator("tr", has_text=vi.title).locator('td[data-language="ko"]')
        assert "Outdated" not in cell.inner_text()
        approver.goto(f"{base}/editorial/translations/{vi.pk}/")
        _step(approver, "Publish")

        translator.goto(base + "/editorial/board/")
        cell = translator.locator("tr", has_text=vi.title).locator('td[data-language="ko"]')
        assert "Outdated" in cell.inner_text()
        cell.locator("a").click()
        translator.wait_for_load_state()
        diff = translator.locator(".desk-outdated")
        assert "The original changed" in diff.inner_text()
        assert "ký biên bản" in diff.locator("ins").all_inner_texts()[0]
        translator.screenshot(path=str(ARTIFACTS / "translation-desk-outdated.png"), full_page=True)

        phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        phone.context.add_cookies(translator.context.cookies())
        phone.goto(translator.url)
        phone.screenshot(path=str(ARTIFACTS / "translation-desk-phone.png"), full_page=True)

    # Readers still have the Korean text that was approved.
    ko.refresh_from_db()
    assert ko.body == "<p>대표단은 기업 12곳으로 구성되었다.</p><p>양측은 새 항로를 논의했다.</p>"


def _prefix(page, language):
    """The admin inline form prefix of the translation in `language`."""
    return page.evaluate(
        """lang => [...document.querySelectorAll('select[name$="-language"]')]
            .find(s => s.value === lang).name.replace(/-language$/, '')""",
        language,
    )


def _fill_body(page, name, paragraphs):
    """Type paragraphs into the body's rich-text editor, replacing what it held."""
    page.locator(f".prose-editor:has(textarea[name={name}]) [contenteditable=true]").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    for index, paragraph in enumerate(paragraphs):
        if index:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)
