"""Error pages: inside the newsroom (the admin, the editorial pages, previews) a 403,
404 or 500 is a newsroom page in the user's language with a way back; elsewhere the
readers' pages answer (`news.views`). While the database cannot be reached (restarted,
failed over, cut off), either side answers 503 with Retry-After instead of a 500."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

NEWSROOM = ("admin/", "editorial/", "preview/")


def _in_newsroom(request) -> bool:
    return request.path_info.lstrip("/").startswith(NEWSROOM)


def _newsroom_page(request, *, status: int, title: str, message: str):
    from django.contrib.admin import site

    context = site.each_context(request) | {
        "title": title,
        "message": message,
        "code": status,
        "queue_url": reverse("editorial:queue"),
    }
    return render(request, "editorial/error.html", context, status=status)


def permission_denied(request, exception=None):
    reason = str(exception) if exception is not None and str(exception) else ""
    if _in_newsroom(request):
        return _newsroom_page(
            request,
            status=403,
            title=_("You cannot open this page"),
            message=reason or _("It belongs to another language or another role than yours."),
        )
    return render(request, "403.html", {"noindex": True}, status=403)


def csrf_failure(request, reason=""):
    """A form refused for its missing or stale security token (CSRF_FAILURE_VIEW): say
    what to do, in the user's language, instead of Django's English page."""
    if _in_newsroom(request):
        return _newsroom_page(
            request,
            status=403,
            title=_("The form could not be sent"),
            message=_(
                "Its security check failed: the page was open too long, or you signed in "
                "again elsewhere. Go back, reload the page and send it again."
            ),
        )
    return render(request, "403.html", {"noindex": True}, status=403)


def locked_out(request, original_response=None, credentials=None):
    """Too many wrong passwords (django-axes): say so in the user's language, with how
    long signing in is paused. 429, as for any client sending too much."""
    from django.conf import settings
    from django.contrib.admin import site

    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = site.each_context(request) | {
        "title": _("Too many failed sign-ins"),
        "minutes": minutes,
    }
    return render(request, "editorial/locked_out.html", context, status=429)


def page_not_found(request, exception=None):
    if _in_newsroom(request):
        return _newsroom_page(
            request,
            status=404,
            title=_("Page not found"),
            message=_("It does not exist, or it was deleted."),
        )
    from cangxanh.news.views import page_not_found as readers_page

    return readers_page(request, exception)


# Seconds a client is asked to wait: about what a database restart or failover takes.
RETRY_AFTER = 30


def _database_unreachable() -> bool:
    """Whether the exception being handled (handler500 runs inside Django's `except`)
    is the database failing to answer, rather than a fault in our code."""
    error = sys.exc_info()[1]
    while error is not None:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        error = error.__cause__ or error.__context__
    return False


def database_unavailable(request):
    """503 in the language of the address (readers) or of the user (the newsroom), with
    Retry-After and never stored: the next request after the database returns gets the
    real page. Nothing here reads the database."""
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        if _in_newsroom(request):
            html = render_to_string(
                "editorial/error_503.html",
                {"sent": request.method == "POST", "retry_url": request.get_full_path()},
            )
        else:
            from cangxanh.news.views import database_unavailable as readers_page

            html = readers_page(request)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    if _database_unreachable():
        return database_unavailable(request)
    if _in_newsroom(request):
        # Nothing that needs the database: it may be what failed.
        return HttpResponseServerError(render_to_string("editorial/error_500.html"))
    from cangxanh.news.views import server_error as readers_page

    return readers_page(request)
