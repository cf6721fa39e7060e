"""The pages of two-step sign-in: the code after the password, setting up the
authenticator app (QR code drawn here as inline SVG), the backup codes shown once, and
each person's own page to see, replace, renew or remove it (two_factor.py decides)."""

from base64 import b32encode
from urllib.parse import quote, urlencode

import qrcode
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from cangxanh.core.models import SiteIdentity

from . import two_factor
from .errors import locked_out

TOO_MANY = gettext_lazy("Too many wrong codes in a row: wait a minute, then type the code again.")


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
                "class": "two-step__code",
            }
        ),
    )


def _next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next")
    return two_factor.safe_next(request, wanted) or reverse("editorial:queue")


def _codes_url(next_url: str) -> str:
    return reverse("editorial:two-step-codes") + "?" + urlencode({"next": next_url})


def _page(request, template: str, *, pending: bool, **context):
    page = admin_site.each_context(request) | context
    if pending:
        # Half signed in: no menu, no way into the newsroom, until the code is given.
        page |= {"has_permission": False, "available_apps": [], "is_nav_sidebar_enabled": False}
    return render(request, template, page)


@never_cache
@staff_member_required
def verify(request):
    """The code after the password: from the authenticator app, or a backup code."""
    next_url = _next(request)
    if not two_factor.needs_second_step(request):
        return redirect(next_url)
    if two_factor.authenticator(request.user) is None:
        return redirect(two_factor.step_url(request, next_url))
    if two_factor.is_locked_out(request):
        logout(request)
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device, throttled = two_factor.verify(request, form.cleaned_data["otp_token"])
        if device is not None:
            return redirect(next_url)
        if two_factor.code_refused(request):
            logout(request)
            return locked_out(request)
        form.add_error(
            "otp_token",
            TOO_MANY
            if throttled
            else _(
                "This code is not right, or it was already used. Type the 6 digits "
                "your authenticator app shows now, or one of your backup codes."
            ),
        )
    return _page(
        request,
        "editorial/two_step/verify.html",
        pending=True,
        title=_("Two-step sign-in"),
        form=form,
        next=next_url,
    )


@never_cache
@staff_member_required
def enrol(request):
    """Set up the authenticator app, or replace it (only from a session already verified
    with the app being replaced)."""
    next_url = _next(request)
    user = request.user
    current = two_factor.authenticator(user)
    if current is not None and not user.is_verified():
        return redirect(two_factor.step_url(request, next_url))
    pending = two_factor.needs_second_step(request)
    device = two_factor.authenticator_start(user=user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes, throttled = two_factor.authenticator_confirm(
            request=request, device=device, token=form.cleaned_data["otp_token"]
        )
        if codes is not None:
            request.session[two_factor.FRESH_CODES] = codes
            return redirect(_codes_url(next_url))
        form.add_error(
            "otp_token",
            TOO_MANY
            if throttled
            else _(
                "This code is not right. Check that the phone sets its time automatically, "
                "then type the 6 digits the app shows now."
            ),
        )
    secret = b32encode(device.bin_key).decode()
    address = config_url(device, secret)
    return _page(
        request,
        "editorial/two_step/enrol.html",
        pending=pending,
        title=_("Replace your authenticator app") if current else _("Set up two-step sign-in"),
        form=form,
        next=next_url,
        qr=qr_svg(address, _("QR code to scan with your authenticator app")),
        config_url=address,
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
        issuer=issuer(),
        replacing=current is not None,
        required=two_factor.is_required(user),
    )


@never_cache
@staff_member_required
def backup_codes(request):
    """The new backup codes, shown this once."""
    codes = request.session.pop(two_factor.FRESH_CODES, None)
    return _page(
        request,
        "editorial/two_step/backup_codes.html",
        pending=False,
        title=_("Your backup codes"),
        codes=[f"{code[:4]} {code[4:]}" for code in codes or ()],
        next=_next(request),
    )


@never_cache
@staff_member_required
def status(request):
    """Each person's own page: whether two-step sign-in is on, new backup codes,
    replacing the app, and turning it off where the role allows."""
    user = request.user
    device = two_factor.authenticator(user)
    required = two_factor.is_required(user)
    if request.method == "POST" and device is not None:
        action = request.POST.get("action")
        if action == "codes":
            request.session[two_factor.FRESH_CODES] = two_factor.backup_codes_renew(user=user)
            return redirect(_codes_url(reverse("editorial:two-step")))
        if action == "remove":
            if required:
                messages.error(
                    request,
                    _(
                        "Your role requires two-step sign-in: you may replace the app but "
                        "not turn it off."
                    ),
                )
            else:
                two_factor.second_step_remove(user=user)
                messages.success(request, _("Two-step sign-in is off for your account."))
            return redirect("editorial:two-step")
    return _page(
        request,
        "editorial/two_step/status.html",
        pending=False,
        title=_("Two-step sign-in"),
        device=device,
        codes_left=two_factor.backup_codes_left(user) if device else 0,
        required=required,
    )


def issuer() -> str:
    """The name the authenticator app shows above the codes: the site's own."""
    identity = SiteIdentity.objects.filter(language=settings.LANGUAGE_CODE).first()
    return identity.name if identity else "cangxanh"


def config_url(device, secret: str) -> str:
    """The otpauth:// address the QR code carries (Google's Key URI format, which every
    authenticator app reads)."""
    name = issuer().replace(":", "")
    label = quote(f"{name}:{device.user.get_username()}")
    query = urlencode(
        {
            "secret": secret,
            "issuer": name,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(text: str, label: str) -> str:
    """`text` as a QR code in inline SVG: one path of dark runs, row by row, on white
    (nothing loaded from elsewhere, no script, no style attribute)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    rows = code.get_matrix()
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    size = len(rows)
    return format_html(
        '<svg class="two-step__qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-label="{}" shape-rendering="crispEdges">'
        '<rect width="{}" height="{}" fill="#fff"/><path fill="#000" d="{}"/></svg>',
        size,
        size,
        label,
        size,
        size,
        "".join(runs),
    )
