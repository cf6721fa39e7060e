"""An approver's first sign-in in Debian's Chromium: the password, then setting up the
authenticator app from the QR code, the backup codes shown once, and the queue; the
next sign-in asks for the code. Screenshots at 390 and 1366 px in test-artifacts/."""

import re
from base64 import b32encode

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from cangxanh.editorial import roles

from ..conftest import ARTIFACTS, in_db
from ..editorial.test_two_factor import app_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-pw-2026"


def _approver(django_user_model, username):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.APPROVER))


def _sign_in(page, base, username):
    page.goto(base + "/admin/login/?next=/editorial/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def _first_sign_in(browser, base, username, *, width, locale, shot):
    page = browser.new_page(viewport={"width": width, "height": 900}, locale=locale)
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content" in message.text else 0
    )
    _sign_in(page, base, username)
    page.wait_for_url(re.compile(r".*/editorial/two-step/set-up/\?next=%2Feditorial%2F$"))

    qr = page.locator("svg.two-step__qr")
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150 and box["width"] == box["height"]
    device = in_db(TOTPDevice.objects.get, user__username=username)
    typed_key = "".join(page.locator(".two-step__secret").inner_text().split())
    assert typed_key == b32encode(device.bin_key).decode()
    # Nothing of the newsroom before the code: no menu, no sidebar.
    assert page.locator("#user-tools").count() == 0 and page.locator("#nav-sidebar").count() == 0
    page.screenshot(path=str(ARTIFACTS / f"two-step-set-up-{shot}.png"), full_page=True)

    page.fill("#id_otp_token", in_db(app_code, device))
    page.click(".two-step__form button[type=submit]")
    page.wait_for_url(re.compile(r".*/editorial/two-step/backup-codes/.*"))
    assert page.locator(".two-step__codes li").count() == 10
    assert page.locator(".two-step__keep").is_visible()
    page.screenshot(path=str(ARTIFACTS / f"two-step-backup-codes-{shot}.png"), full_page=True)

    page.click(".two-step__continue")
    page.wait_for_url(re.compile(r".*/editorial/$"))
    assert page.locator('[data-section="review"]').is_visible()
    assert refused == []  # the Content-Security-Policy refused nothing on these pages
    return page, device


def test_an_approver_sets_up_the_app_at_first_sign_in_and_lands_on_the_queue(
    live_server, chromium, django_user_model, two_factor_required, site_identity
):
    ARTIFACTS.mkdir(exist_ok=True)
    _approver(django_user_model, "duyet")
    _approver(django_user_model, "pho-ban")
    base = live_server.url

    with chromium() as browser:
        phone, device = _first_sign_in(
            browser, base, "duyet", width=390, locale="vi-VN", shot="phone-vi"
        )
        desktop, _ = _first_sign_in(
            browser, base, "pho-ban", width=1366, locale="en-US", shot="desktop-en"
        )
        # The user menu leads to each person's own page.
        desktop.get_by_role("link", name="Two-step sign-in").click()
        desktop.wait_for_url(re.compile(r".*/editorial/two-step/$"))
        assert desktop.locator(".status--published").is_visible()
        desktop.screenshot(path=str(ARTIFACTS / "two-step-status-desktop-en.png"), full_page=True)

        # The next sign-in asks for the code, and only the code opens the queue.
        phone.click("#logout-form button")
        desk = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        _sign_in(desk, base, "duyet")
        desk.wait_for_url(re.compile(r".*/editorial/two-step/verify/\?next=%2Feditorial%2F$"))
        desk.goto(base + "/editorial/")
        desk.wait_for_url(re.compile(r".*/editorial/two-step/verify/.*"))
        desk.screenshot(path=str(ARTIFACTS / "two-step-verify-desktop-vi.png"), full_page=True)
        desk.fill("#id_otp_token", in_db(app_code, device))
        desk.click(".two-step__form button[type=submit]")
        desk.wait_for_url(re.compile(r".*/editorial/$"))
        assert desk.locator('[data-section="review"]').is_visible()
