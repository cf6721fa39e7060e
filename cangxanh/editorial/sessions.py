"""A staff session's whole lifetime: 24 hours from signing in, whatever happens.

SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST ends a session after 8 idle
hours; this ends one that stays busy longer than SESSION_MAX_LIFETIME, so a
stolen session cookie is worth a day at most.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

SIGNED_IN_AT = "cangxanh:signed_in_at"


@receiver(user_logged_in)
def _remember_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().timestamp()


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # Only a session cookie can carry a signed-in user: readers skip all of this.
        signed_in = request.COOKIES.get(settings.SESSION_COOKIE_NAME) and user is not None
        if signed_in and user.is_authenticated and self._expired(request):
            logout(request)
            messages.info(request, _("Your session ended after 24 hours: sign in again."))
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> bool:
        started = request.session.get(SIGNED_IN_AT)
        if started is None:
            # Signed in before this was kept: start counting now.
            request.session[SIGNED_IN_AT] = timezone.now().timestamp()
            return False
        age = timezone.now().timestamp() - float(started)
        return age > settings.SESSION_MAX_LIFETIME.total_seconds()
