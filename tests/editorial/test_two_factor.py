"""Two-step sign-in, through the sign-in form and real requests: approvers and
administrators set up an authenticator app before anything else opens, a code is due
at every sign-in after that, backup codes work once, wrong codes lock out like wrong
passwords, editors choose, and an administrator can reset a lost phone."""

import re
import time
from base64 import b32encode

import pytest
from axes.models import AccessFailureLog
from django.contrib.admin.models import LogEntry
from django.core.checks.registry import registry
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cangxanh.editorial import two_factor
from cangxanh.news.models import Status

from ..core.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.usefixtures("two_factor_required")

LOGIN = "/admin/login/"
QUEUE = "/editorial/"
VERIFY = "/editorial/two-step/verify/"
SET_UP = "/editorial/two-step/set-up/"
CODES = "/editorial/two-step/backup-codes/"
STATUS = "/editorial/two-step/"


def sign_in(client, username, lang="en", next_url=QUEUE):
    return client.post(
        f"{LOGIN}?next={next_url}",
        {"username": username, "password": "pw-123456", "next": next_url},
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def window(device) -> list[int]:
    """The time steps the device accepts now (its tolerance around its drift)."""
    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step + device.drift
    return [t for t in range(now - device.tolerance, now + device.tolerance + 1)]


def app_code(device) -> str:
    """What the phone shows: the code of the next step the device has not used yet."""
    step = max(window(device)[1], device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):06d}"


def wrong_code(device) -> str:
    right = {f"{hotp(device.bin_key, t, digits=device.digits):06d}" for t in window(device)}
    return next(code for code in ("123456", "654321", "111111") if code not in right)


def set_up(client, username):
    """Sign in and set up the authenticator app; the device and the backup codes shown."""
    assert sign_in(client, username)["Location"].startswith(SET_UP)
    assert client.get(SET_UP).status_code == 200
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    done = client.post(SET_UP, {"otp_token": app_code(device), "next": QUEUE})
    assert done.status_code == 302 and done["Location"].startswith(CODES)
    page = client.get(done["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", page)
    device.refresh_from_db()
    return device, codes


def test_an_approver_without_an_app_reaches_nothing_but_setting_it_up(client, people, draft):
    response = sign_in(client, "approver")
    assert response.status_code == 302
    assert response["Location"] == f"{SET_UP}?next=%2Feditorial%2F"
    vi = draft["vi"]
    for url in [
        QUEUE,
        "/editorial/board/",
        reverse("editorial:translation", args=[vi.pk]),
        reverse("news-preview", args=[vi.pk]),
        "/admin/",
        reverse("admin:news_article_change", args=[vi.article_id]),
        reverse("admin:auth_user_changelist"),
        STATUS,
        CODES,
        VERIFY,  # no app yet: setting it up comes first
    ]:
        refused = client.get(url)
        assert refused.status_code == 302, url
        assert refused["Location"].startswith(SET_UP), url
    # A POST changes nothing either.
    refused = client.post(
        reverse("editorial:translation", args=[vi.pk]), {"action": "publish", "comment": ""}
    )
    assert refused.status_code == 302 and refused["Location"].startswith(SET_UP)
    vi.refresh_from_db()
    assert vi.status == Status.DRAFT
    # Signing out still works.
    assert client.post(reverse("admin:logout")).status_code == 200
    assert client.get(QUEUE)["Location"].startswith(LOGIN)


def test_setting_up_shows_a_qr_code_and_the_key_and_confirms_with_a_code(client, people):
    sign_in(client, "approver")
    page = client.get(SET_UP)
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=people["approver"])
    assert not device.confirmed
    assert '<svg class="two-step__qr"' in html and "<path" in html
    secret = b32encode(device.bin_key).decode()
    groups = re.findall(r"<code>([A-Z2-7]{4})</code>", html)
    assert "".join(groups) == secret  # the key written out for typing by hand
    assert "<script>" not in html and ' style="' not in html
    assert client.get(SET_UP).content.decode().count(secret[:4]) >= 1
    assert TOTPDevice.objects.filter(user=people["approver"]).count() == 1  # same key on reload

    done = client.post(SET_UP, {"otp_token": app_code(device), "next": QUEUE})
    assert done["Location"] == f"{CODES}?next=%2Feditorial%2F"
    device.refresh_from_db()
    assert device.confirmed
    shown = client.get(done["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", shown)
    assert len(codes) == 10
    stored = set(
        StaticToken.objects.filter(device__user=people["approver"]).values_list("token", flat=True)
    )
    assert {code.replace(" ", "") for code in codes} == stored
    # Shown once: a reload no longer holds them.
    again = client.get(CODES).content.decode()
    assert not re.findall(r"<li><code>", again)
    assert client.get(QUEUE).status_code == 200


def test_a_wrong_code_does_not_confirm_the_app(client, people):
    sign_in(client, "approver", lang="vi")
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=people["approver"])
    refused = client.post(SET_UP, {"otp_token": wrong_code(device)}, HTTP_ACCEPT_LANGUAGE="vi")
    page = refused.content.decode()
    assert refused.status_code == 200 and 'class="errornote"' in page
    assert "Mã này không đúng" in page
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(QUEUE)["Location"].startswith(SET_UP)


def test_a_second_sign_in_needs_the_code(client, people):
    device, _codes = set_up(client, "approver")
    client.post(reverse("admin:logout"))
    response = sign_in(client, "approver", next_url="/editorial/board/")
    assert response["Location"] == f"{VERIFY}?next=%2Feditorial%2Fboard%2F"
    assert client.get(QUEUE)["Location"].startswith(VERIFY)
    # Someone with the password cannot replace the app without a code from it.
    assert client.get(SET_UP)["Location"].startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200
    done = client.post(VERIFY, {"otp_token": app_code(device), "next": "/editorial/board/"})
    assert done.status_code == 302 and done["Location"] == "/editorial/board/"
    assert client.get(QUEUE).status_code == 200


def test_an_unsafe_next_lands_on_the_queue(client, people):
    device, _codes = set_up(client, "approver")
    client.post(reverse("admin:logout"))
    sign_in(client, "approver")
    done = client.post(VERIFY, {"otp_token": app_code(device), "next": "https://evil.example/"})
    assert done["Location"] == QUEUE


def test_a_backup_code_signs_in_once(client, people):
    _device, codes = set_up(client, "approver")
    client.post(reverse("admin:logout"))
    sign_in(client, "approver")
    typed = codes[0].upper()  # as read aloud: capitals and the space do not matter
    assert client.post(VERIFY, {"otp_token": typed})["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200
    assert StaticToken.objects.filter(device__user=people["approver"]).count() == 9

    client.post(reverse("admin:logout"))
    sign_in(client, "approver")
    again = client.post(VERIFY, {"otp_token": codes[0]})
    assert again.status_code == 200
    assert client.get(QUEUE)["Location"].startswith(VERIFY)


def test_a_wrong_code_is_refused_in_the_users_language(client, people):
    device, _codes = set_up(client, "approver")
    client.post(reverse("admin:logout"))
    sign_in(client, "approver", lang="vi")
    refused = client.post(VERIFY, {"otp_token": wrong_code(device)}, HTTP_ACCEPT_LANGUAGE="vi")
    page = refused.content.decode()
    assert refused.status_code == 200 and 'lang="vi"' in page
    assert "Mã này không đúng hoặc đã được dùng" in page
    assert "This code is not right" not in page
    assert AccessFailureLog.objects.filter(username="approver").count() == 1
    assert client.get(QUEUE)["Location"].startswith(VERIFY)


def test_five_wrong_codes_lock_the_account_out_like_five_wrong_passwords(client, people, settings):
    device, _codes = set_up(client, "approver")
    client.post(reverse("admin:logout"))
    sign_in(client, "approver")
    for _ in range(2):
        assert client.post(VERIFY, {"otp_token": wrong_code(device)}).status_code == 200
    # The right password again does not wipe the wrong codes typed after it.
    client.post(reverse("admin:logout"))
    assert sign_in(client, "approver")["Location"].startswith(VERIFY)
    for _ in range(settings.AXES_FAILURE_LIMIT - 3):
        assert client.post(VERIFY, {"otp_token": wrong_code(device)}).status_code == 200
    locked = client.post(VERIFY, {"otp_token": wrong_code(device)})
    assert locked.status_code == 429
    assert client.get(QUEUE)["Location"].startswith(LOGIN)  # signed out
    # Locked out: the password is refused now, and so is a right code.
    assert sign_in(client, "approver").status_code == 429


def test_a_locked_account_takes_no_code(client, people, settings):
    device, _codes = set_up(client, "approver")
    client.post(reverse("admin:logout"))
    sign_in(client, "approver")  # at the code page, when someone else guesses passwords
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guesser.post(LOGIN, {"username": "approver", "password": "guess"})
    assert client.post(VERIFY, {"otp_token": app_code(device)}).status_code == 429
    assert client.get(QUEUE)["Location"].startswith(LOGIN)


def test_an_editor_signs_in_without_an_app_and_may_set_one_up(client, people):
    response = sign_in(client, "editor")
    assert response["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200
    page = client.get(STATUS).content.decode()
    assert f'href="{SET_UP}?next={STATUS}"' in page
    device, codes = set_up_optional(client, "editor")
    assert len(codes) == 10
    # Chosen once, it is asked for at every sign-in.
    client.post(reverse("admin:logout"))
    assert sign_in(client, "editor")["Location"].startswith(VERIFY)
    assert client.get(QUEUE)["Location"].startswith(VERIFY)
    client.post(VERIFY, {"otp_token": app_code(device)})
    # And an editor may turn it off again.
    assert client.post(STATUS, {"action": "remove"})["Location"] == STATUS
    assert not TOTPDevice.objects.filter(user=people["editor"]).exists()
    assert not StaticToken.objects.filter(device__user=people["editor"]).exists()
    client.post(reverse("admin:logout"))
    assert sign_in(client, "editor")["Location"] == QUEUE


def set_up_optional(client, username):
    assert client.get(SET_UP).status_code == 200
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    done = client.post(SET_UP, {"otp_token": app_code(device), "next": STATUS})
    page = client.get(done["Location"]).content.decode()
    device.refresh_from_db()
    return device, re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", page)


def test_an_approver_may_replace_the_app_and_renew_codes_but_not_turn_it_off(client, people):
    old, codes = set_up(client, "approver")
    assert client.post(STATUS, {"action": "remove"})["Location"] == STATUS
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()

    renewed = client.post(STATUS, {"action": "codes"})
    fresh = re.findall(
        r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>",
        client.get(renewed["Location"]).content.decode(),
    )
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    assert not StaticToken.objects.filter(token=codes[1].replace(" ", "")).exists()

    # A new phone: the old app works until the new one is confirmed, then never again.
    assert client.get(SET_UP).status_code == 200
    new = TOTPDevice.objects.get(user=people["approver"], confirmed=False)
    assert client.post(SET_UP, {"otp_token": app_code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=people["approver"])) == [new]
    assert client.get(QUEUE).status_code == 200


def test_an_administrator_resets_a_lost_phone_and_the_person_sets_it_up_again(
    client, people, django_user_model
):
    approver = Client()
    set_up(approver, "approver")
    assert approver.get(QUEUE).status_code == 200

    django_user_model.objects.create_superuser("chief", "chief@example.test", "pw-123456")
    set_up(client, "chief")
    user = people["approver"]
    change = client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
    reset_url = reverse("admin:auth_user_two_step_reset", args=[user.pk])
    assert f'href="{reset_url}"' in change
    assert client.get(reset_url).status_code == 200
    done = client.post(reset_url)
    assert done["Location"] == reverse("admin:auth_user_change", args=[user.pk])
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    entry = LogEntry.objects.get(object_id=str(user.pk), user__username="chief")
    with translation.override("en"):
        assert entry.get_change_message() == "Deleted two-step sign-in “approver”."

    # The session verified with the old app is held at once; setting up comes first.
    assert approver.get(QUEUE)["Location"].startswith(SET_UP)
    approver.post(reverse("admin:logout"))
    set_up(approver, "approver")
    assert approver.get(QUEUE).status_code == 200


def test_only_those_who_may_change_accounts_reset_them(client, people):
    set_up(client, "approver")
    url = reverse("admin:auth_user_two_step_reset", args=[people["editor"].pk])
    assert client.post(url).status_code == 403


def test_production_fails_its_checks_with_two_step_sign_in_off(tmp_path):
    off = manage(["check"], PRODUCTION | {"CANGXANH_2FA_REQUIRED": "0"}, tmp_path)
    assert off.returncode != 0 and "cangxanh.E201" in off.stderr
    on = manage(["check"], PRODUCTION, tmp_path)
    assert "cangxanh.E201" not in on.stdout + on.stderr
    trial = manage(["check"], {"CANGXANH_2FA_REQUIRED": "0"}, tmp_path)
    assert "cangxanh.E201" not in trial.stdout + trial.stderr


def test_the_production_check_itself(settings):
    assert two_factor.check_required_in_production in registry.get_checks()
    settings.PRODUCTION = True
    assert two_factor.check_required_in_production(None) == []
    settings.TWO_FACTOR_REQUIRED = False
    errors = two_factor.check_required_in_production(None)
    assert [error.id for error in errors] == ["cangxanh.E201"]
    settings.PRODUCTION = False
    assert two_factor.check_required_in_production(None) == []  # a local trial may


def test_required_users_are_the_approvers_and_administrators(people, django_user_model, settings):
    from django.contrib.auth.models import Group

    from cangxanh.editorial import roles

    manager = django_user_model.objects.create_user("manager", password="x", is_staff=True)
    manager.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    manager = django_user_model.objects.get(pk=manager.pk)
    boss = django_user_model.objects.create_superuser("boss", "b@example.test", "x")
    assert two_factor.is_required(people["approver"])
    assert two_factor.is_required(manager) and two_factor.is_required(boss)
    assert not two_factor.is_required(people["editor"])
    assert not two_factor.is_required(people["translator"])
    settings.TWO_FACTOR_REQUIRED = False
    assert not two_factor.is_required(people["approver"])
