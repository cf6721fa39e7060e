"""Site-wide views outside the language prefixes: media (embedded setup), robots.txt and
the favicon."""

import functools
import io
import mimetypes

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import serve, was_modified_since

from cangxanh.core.site import absolute
from cangxanh.images import access
from cangxanh.images.bodies import rendition_source
from cangxanh.images.renditions import content_addressed

# A rendition whose name carries its content digest never changes at that address:
# browsers and CDNs keep it for a year without asking again. One named by a release
# from before content digests (a page cached before an upgrade may still name one)
# promised nothing about its bytes: a day, as it was.
IMMUTABLE = "max-age=31536000, immutable"
ONE_DAY = "max-age=86400"
# Staff-only answers, and refusals: a shared cache must keep neither (a 404 kept
# by a CDN would outlive the publication that makes the picture public).
PRIVATE_MEDIA = "private, no-store"


def _same_in_every_language(response: HttpResponse) -> HttpResponse:
    """A file is one for all readers: core.middleware.LocaleMiddleware then adds no
    `Vary: Accept-Language` (a cache would keep a copy per header sent) and no
    Content-Language."""
    response.same_in_every_language = True
    return response


def _not_found() -> HttpResponse:
    # An empty answer: the address of a picture, which pages never link to. Cheaper
    # than the 404 page for the guessing that such addresses attract.
    response = HttpResponseNotFound(b"", content_type="text/plain")
    response["Cache-Control"] = PRIVATE_MEDIA
    return _same_in_every_language(response)


def _serve(request, name: str, cache_control: str) -> HttpResponse:
    if not isinstance(default_storage, FileSystemStorage):
        return _serve_stored(request, name, cache_control)
    try:
        # The type from the extension, Last-Modified, and 304 to If-Modified-Since.
        response = serve(request, name, document_root=settings.MEDIA_ROOT)
    except (Http404, OSError, ValueError):
        # Missing, a folder, or a name the file system refuses (too long for it, say).
        return _not_found()
    response["Cache-Control"] = cache_control
    return _same_in_every_language(response)


def _serve_stored(request, name: str, cache_control: str) -> HttpResponse:
    """A rendition read from the media storage when it is not a folder here: a bucket
    kept private whole, the app serving `/media/` (SERVE_MEDIA=1), with a CDN in front
    keeping each public answer for a year. The same headers as from disk."""
    try:
        fh = default_storage.open(name, "rb")
    except OSError:  # missing (FileNotFoundError), or a name the storage refuses
        return _not_found()
    # A bucket's object has been asked for its headers already: its time costs nothing.
    modified = getattr(getattr(fh, "obj", None), "last_modified", None)
    since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if modified is not None and not was_modified_since(since, int(modified.timestamp())):
        fh.close()
        response = HttpResponseNotModified()
    else:
        content_type, _encoding = mimetypes.guess_type(name)
        response = FileResponse(fh, content_type=content_type or "application/octet-stream")
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = cache_control
    return _same_in_every_language(response)


def _original_preview(name: str) -> HttpResponse | None:
    """For staff, the library address of an original (what article bodies and the
    admin's file link name) leads to its largest usual rendition: never the original."""
    from cangxanh.images.models import Image
    from cangxanh.images.renditions import rendition

    image = Image.objects.filter(file=name).first()
    found = rendition(image, "full") if image is not None else None
    if found is None:
        return None
    response = HttpResponseRedirect(found.src)
    response["Cache-Control"] = PRIVATE_MEDIA
    return _same_in_every_language(response)


def _public_cache_control(request, name: str) -> str:
    lifetime = IMMUTABLE if content_addressed(name) else ONE_DAY
    # Staff's browsers send a session cookie, and the session middleware answers with
    # it (saved on every request): such an answer is for that browser only, never for
    # a shared cache, which could hand the cookie to others.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return f"private, {lifetime}"
    return f"public, {lifetime}"


@require_safe
def media(request, path: str):
    """`/media/…` when the app serves media (SERVE_MEDIA=1: the embedded setup, or a
    bucket kept private whole): renditions, never originals.

    A rendition is served to anyone when its picture is used by something public
    (images.access: a set lookup, the set read once per content version), with
    `public, max-age=31536000, immutable` (its name changes with its bytes,
    images.renditions; a name from before that, a day); to staff with
    `images.view_image` whatever its picture, `private, no-store` (and a public one
    `private` too when the request carries a session cookie). Everything else,
    the old addresses of originals, unknown, malformed or absurd names included,
    is 404 (`private, no-store`). No answer varies by language.
    """
    name = access.clean_media_name(path)
    if name is None:
        return _not_found()
    source = rendition_source(name)
    if source is not None:
        if source in access.public_names():
            return _serve(request, name, _public_cache_control(request, name))
        if access.is_staff_viewer(request):
            return _serve(request, name, PRIVATE_MEDIA)
        return _not_found()
    if access.is_staff_viewer(request):
        return _original_preview(name) or _not_found()
    return _not_found()


def _search_prefixes() -> list[str]:
    # Every configured language's, enabled or not: a search page is never worth crawling.
    # Spelt out one by one because `/*/search/` is a Google extension that parsers
    # taking rules literally (Python's urllib.robotparser among them) do not read.
    prefixes = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            prefixes.append(reverse("search:search"))
    return prefixes


# Browsers ask for /favicon.ico on pages that name no icon (a file, a JSON answer) and
# some ask for it whatever the page says: the icon, as a real ICO, for a week.
FAVICON_SOURCE = "cangxanh/logo.png"  # the raster of cangxanh/favicon.svg
FAVICON_SIZES = [(16, 16), (32, 32), (48, 48)]
FAVICON_CACHE = "public, max-age=604800"


@functools.cache
def _favicon() -> bytes:
    from django.contrib.staticfiles import finders
    from PIL import Image

    buffer = io.BytesIO()
    with Image.open(finders.find(FAVICON_SOURCE)) as picture:
        picture.save(buffer, "ICO", sizes=FAVICON_SIZES)
    return buffer.getvalue()


@require_safe
def favicon(request):
    """`/favicon.ico`: the site's icon, made once per process from the logo."""
    response = HttpResponse(_favicon(), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = FAVICON_CACHE
    return _same_in_every_language(response)


@require_safe
def robots_txt(request):
    """`/robots.txt`: crawl the public pages, not the back office; where the sitemap is.

    Only Disallow lines, no `Allow: /`: whatever is not disallowed is allowed,
    and parsers that take the first matching rule (Python's) then read it the
    same way as those that take the longest (Google's).
    """
    disallowed = ["/admin/", "/editorial/", "/preview/", *_search_prefixes()]
    context = {
        "disallowed": disallowed,
        "sitemap_url": absolute(request, reverse("sitemap-index")),
    }
    response = HttpResponse(
        render_to_string("robots.txt", context),
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response
