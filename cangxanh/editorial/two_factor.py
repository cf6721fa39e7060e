"""Two-step sign-in: who needs it, the authenticator app and backup codes, and the
gate that keeps a half-signed-in session out of the newsroom.

Approvers, administrators and anyone who may change accounts must sign in with a
code from an authenticator app (TOTP, django-otp's otp_totp) after their password
while TWO_FACTOR_REQUIRED is on; everyone else may choose to. Ten single-use backup
codes (otp_static) stand in for a lost phone. A wrong code is a failed sign-in for
django-axes as well as for django-otp's own throttling, so five of them lock the
account out like five wrong passwords.
"""

from contextlib import suppress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.checks import Error
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_noop
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
# Backup codes to show once, between the request that made them and the page that shows them.
FRESH_CODES = "cangxanh:fresh_backup_codes"
DEVICE_NAME = "authenticator"


def is_required(user) -> bool:
    """Must `user` sign in with a second step? Those who publish (approvers), those who
    may change accounts (administrators: whoever can change a user can make anyone an
    approver) and superusers; the Approver and Administrator groups carry exactly these
    permissions (roles.py)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated or not user.is_active:
        return False
    user_model = get_user_model()._meta
    return (
        user.is_superuser
        or user.has_perm("news.approve_translation")
        or user.has_perm(f"{user_model.app_label}.change_{user_model.model_name}")
    )


def authenticator(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def needs_second_step(request) -> bool:
    """Signed in with a password only, while a code is due: the user is required to use
    a second step, or chose to (has an authenticator app)."""
    user = request.user
    if not user.is_authenticated:
        return False
    # Straight after the password, auth's login() has put a plain user there.
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return False
    return is_required(user) or authenticator(user) is not None


def step_url(request, next_url: str = "") -> str:
    """Where a half-signed-in user goes: the code page, or setting up the app first."""
    name = "verify" if authenticator(request.user) else "enrol"
    url = reverse(f"editorial:two-step-{name}")
    if next_url and safe_next(request, next_url):
        url += "?" + urlencode({"next": next_url})
    return url


def safe_next(request, next_url: str | None) -> str:
    """`next_url` when it stays on this site, else empty."""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def authenticator_start(*, user) -> TOTPDevice:
    """The authenticator app being set up: the same secret until it is confirmed, so a
    reload shows the same QR code the phone may already have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def authenticator_confirm(*, request, device: TOTPDevice, token: str):
    """Confirm the app being set up with a code it shows: it replaces any app before it,
    gets fresh backup codes (returned, to be shown once) and verifies this session.
    Returns (codes or None, throttled)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
        if not device.verify_is_allowed()[0]:
            return None, True
        if not device.verify_token(normalise(token)):
            return None, False
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = backup_codes_renew(user=device.user)
    session_verify(request, device)
    return codes, False


def backup_codes_renew(*, user) -> list[str]:
    """Ten new single-use backup codes; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_step_remove(*, user) -> None:
    """Forget the user's authenticator app and backup codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def second_step_reset(*, user, by) -> None:
    """An administrator resets another person's second step (a lost phone): it is
    removed, so their next sign-in sets it up again, and the admin's log keeps who did
    it (the person's history page). A session verified with it is verified no longer:
    django-otp looks the device up on every request."""
    from django.contrib.admin.models import CHANGE, LogEntry

    with transaction.atomic():
        second_step_remove(user=user)
        # Kept as data and translated when read, like the admin's own change messages.
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message=[{"deleted": {"name": RESET_NAME, "object": str(user)}}],
            single_object=True,
        )


RESET_NAME = gettext_noop("two-step sign-in")


def normalise(token: str) -> str:
    """What people type: spaces, dashes and capitals are not part of a code."""
    return "".join(token.split()).replace("-", "").lower()


def verify(request, token: str):
    """Check a code from the app (6 digits) or a backup code, and verify the session.
    Returns (device or None, throttled)."""
    token = normalise(token)
    user = request.user
    model = TOTPDevice if token.isdigit() and len(token) <= 8 else StaticDevice
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-id")
            .first()
        )
        if device is None:
            return None, False
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return None, True
        if not device.verify_token(token):
            return None, False
    if isinstance(device, StaticDevice):
        # A backup code stands in for the app, whose session key it then names.
        device = authenticator(user) or device
    session_verify(request, device)
    return device, False


def session_verify(request, device) -> None:
    """The session now counts as signed in with both steps: a new session key (what
    a password-only session held is worth less than what this one is), django-otp's
    mark, and the wrong-code count cleared."""
    request.session.cycle_key()
    otp_login(request, device)
    signed_in_fully(request, request.user)


def code_refused(request) -> bool:
    """Count a wrong code as a failed sign-in for django-axes; True when that locks the
    account or client out."""
    user_login_failed.send(
        sender=__name__,
        credentials={settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()},
        request=request,
    )
    return bool(getattr(request, "axes_locked_out", False))


def is_locked_out(request) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    credentials = {settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}
    return AxesProxyHandler.is_locked(request, credentials)


def signed_in_fully(request, user) -> None:
    """Clear the failed sign-ins of this account and client, as axes does after a good
    password (AXES_RESET_ON_SUCCESS is off so that the password alone does not clear
    the wrong codes typed after it)."""
    from axes.helpers import get_client_ip_address
    from axes.utils import reset

    reset(ip=get_client_ip_address(request), username=user.get_username(), ip_or_username=True)


@receiver(user_logged_in, dispatch_uid="cangxanh-two-factor-signed-in")
def _password_accepted(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if not (is_required(user) or authenticator(user) is not None):
        signed_in_fully(request, user)


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: a session signed in with the password alone,
    while a code is due, reaches only the code and setup pages, signing out, the
    language switch and static files. Everything else (the newsroom, the admin,
    previews, staff media, and any POST) is sent to the code page, keeping where it
    was going as `next`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a session cookie can carry a signed-in user: readers skip all of this.
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and not request.path_info.startswith(open_paths())
            and needs_second_step(request)
        ):
            next_url = request.get_full_path() if request.method == "GET" else request.path
            return redirect(step_url(request, next_url))
        return self.get_response(request)


def open_paths() -> tuple[str, ...]:
    paths = [
        reverse("editorial:two-step-verify"),
        reverse("editorial:two-step-enrol"),
        reverse("admin:logout"),
        reverse("admin:login"),
        settings.STATIC_URL,
    ]
    # Django's language switch, where one is configured (the newsroom otherwise follows
    # the browser's language).
    with suppress(NoReverseMatch):
        paths.append(reverse("set_language"))
    return tuple(paths)


def check_required_in_production(app_configs, **kwargs):
    """Production never runs without the second step for those who publish."""
    if getattr(settings, "PRODUCTION", False) and not settings.TWO_FACTOR_REQUIRED:
        return [
            Error(
                "Two-step sign-in is off (CANGXANH_2FA_REQUIRED=0): approvers and "
                "administrators could sign in with a password alone.",
                hint="Unset CANGXANH_2FA_REQUIRED: production requires two-step sign-in.",
                id="cangxanh.E201",
            )
        ]
    return []
