"""Security headers every answer carries, and `/.well-known/security.txt`.

Django's SecurityMiddleware already sends nosniff, the referrer policy, HSTS (in
production) and Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware DENY. This
adds what Django has no setting for: a Permissions-Policy that turns off the
browser features a news portal never uses (camera, microphone, location, payment,
USB, and the rest), and Cross-Origin-Resource-Policy, so other sites cannot embed
our pages or pictures as their own resources. The page cache keeps a page's
headers with it, so hits carry them too.

The Content-Security-Policy (django-csp; the directives are CONTENT_SECURITY_POLICY
in settings, CANGXANH_CSP_REPORT_ONLY sends them as Content-Security-Policy-Report-Only
and CANGXANH_CSP_REPORT_URI names where browsers report) lets a page run scripts and
styles only from our own files, load pictures only from here (and data: URIs, our
stylesheet's small icons) or from where the media storage serves them
(`ContentSecurityPolicyMiddleware`), connect and send forms only here, use no plugin,
no <base> and no frame around it (frame-ancestors 'none', X-Frame-Options for older
browsers). No page has an inline script but one: the import map of the rich-text
editor in the admin, which carries the request's nonce (`editorial.editor.nonced`);
and no inline style but the base rules the editor (tiptap) adds as a <style>, allowed
by the hash of their text (a nonce cannot reach it: the editor is built without one).
Style attributes apply only on the pages with the editor, which reads and writes a
table cell's alignment in one (`editorial.editor.with_editor`).
django-csp writes a nonce into the header only when a template has read
`request.csp_nonce`, and no public template does: public pages are kept whole by the
page cache and CDNs and shared by every reader, so their policy must be the same
bytes for all (tests/core/test_csp.py). Their one other <script> is JSON-LD, a data
block no policy applies to. On them, a table cell's alignment is a class, not a style
attribute (`portal.body_html`).
"""

from datetime import UTC, timedelta
from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.files.storage import storages
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .site import site_url

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "usb",
        "xr-spatial-tracking",
        "browsing-topics",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


def media_origins() -> list[str]:
    """Where pictures come from when it is not this site: MEDIA_URL's origin, or that of
    the media storage's own addresses (a bucket, or the CDN in front of it)."""
    found = []
    for address in (settings.MEDIA_URL, storages["default"].url("renditions/")):
        parts = urlsplit(address)
        if parts.scheme in ("http", "https") and parts.netloc:
            found.append(f"{parts.scheme}://{parts.netloc}")
    return list(dict.fromkeys(found))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the media storage's origin among the picture sources
    (asked of the storage once per process: settings cannot ask a storage)."""

    def __init__(self, get_response):
        super().__init__(get_response)
        origins = media_origins()
        self.media = {"img-src": origins} if origins else {}

    def process_response(self, request, response):
        response = super().process_response(request, response)
        for name in (HEADER, HEADER_REPORT_ONLY):
            if name in response:
                # django-csp writes the directives in set order, which changes with each
                # process's hash seed: one order, so that every worker sends the same bytes.
                response[name] = "; ".join(sorted(response[name].split("; ")))
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if self.media:
            parts.update = (parts.update or {}) | self.media
        return parts


@require_safe
def security_txt(request):
    """RFC 9116: how to report a vulnerability, in force for a year from each answer."""
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACTS]
    lines += [
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: vi, en",
        f"Canonical: {site_url()}/.well-known/security.txt",
    ]
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
