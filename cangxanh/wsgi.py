"""The WSGI application: the whole-page cache in front of Django."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cangxanh.settings")

from cangxanh.delivery.front import PageCache  # noqa: E402  (needs the settings)

application = PageCache(get_wsgi_application())
