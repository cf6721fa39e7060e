"""In production, no account may still sign in with the demo content's password."""

from django.conf import settings
from django.core.checks import Error
from django.db import DatabaseError


def check_demo_password(app_configs, **kwargs):
    """Fail while any active staff account accepts the demo password (the README
    publishes it). Staff only: hashing is slow on purpose, and staff are few."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    from django.contrib.auth import get_user_model

    from .loader import DEMO_PASSWORD  # here: readers' workers never load the demo

    try:
        exposed = [
            user.get_username()
            for user in get_user_model().objects.filter(is_active=True, is_staff=True)
            if user.check_password(DEMO_PASSWORD)
        ]
    except DatabaseError:
        return []  # no database yet (before the first migrate): nothing to check
    if not exposed:
        return []
    return [
        Error(
            "These accounts still sign in with the demo password published in the README: "
            + ", ".join(sorted(exposed)),
            hint="Set a new password for each (manage.py changepassword NAME) or deactivate it.",
            id="cangxanh.E003",
        )
    ]
