"""The WSGI application: the whole-page cache in front of Django, and before it the
view-count fragments an edge fetches (cangxanh.delivery.fragments)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cangxanh.settings")

from cangxanh.delivery.fragments import Fragments  # noqa: E402  (needs the settings)
from cangxanh.delivery.front import PageCache  # noqa: E402

application = Fragments(PageCache(get_wsgi_application()))
