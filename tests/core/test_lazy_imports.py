"""A process that serves only readers' pages does not load what only the API, the
calendar file, the newsroom's checks or the questions' clock need (django-ninja and
pydantic, icalendar, lxml, holidays), nor the HTML cleaner, the proof-of-work library
or any model admin (editorial.site): each costs every worker memory (the bench's limit
is 80 MiB a worker)."""

import json
import os
import subprocess
import sys

from django.conf import settings

HEAVY = ("ninja", "pydantic", "icalendar", "lxml", "holidays", "nh3", "altcha")


def _in_a_fresh_process(code: str, *args: str):
    """What `code`, run in a new Python process with this test run's settings, printed
    last (JSON)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cangxanh.settings"}
    env["CANGXANH_VAR_DIR"] = str(settings.VAR_DIR)
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


PROBE = """
import json, sys
from cangxanh.wsgi import application
from django.urls import resolve, reverse
from django.utils import translation

with translation.override("vi"):
    reverse("news:home")
    reverse("api-docs")
    resolve("/vi/")
    resolve("/vi/calendar/")
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.argv[1])))
admins = sorted(name for name in sys.modules if name.endswith("admin") and "contrib" not in name)
reverse("api:openapi")  # the API's own names still reverse, loading it then
reverse("admin:index")  # and the newsroom's, which fills the admin's registry
from django.contrib import admin
from cangxanh.news.models import Article
print(json.dumps([loaded, admins, "ninja" in sys.modules, admin.site.is_registered(Article)]))
"""


def test_pages_load_no_api_calendar_file_or_newsroom_parser():
    loaded, admins, api_after, registered_after = _in_a_fresh_process(PROBE, json.dumps(HEAVY))
    assert loaded == []
    assert admins == []
    assert api_after
    assert registered_after


ALONE = """
import json, django
django.setup()
import cangxanh.documents.admin  # on its own, before anything read the registry
from django.contrib import admin
from django.urls import reverse
from cangxanh.news.models import Article, Section
early = admin.site._models.keys() and admin.site.is_registered(Section)
reverse("admin:index")
print(json.dumps([bool(early), admin.site.is_registered(Article)]))
"""


def test_an_admin_module_imported_on_its_own_registers_and_the_rest_follows():
    assert _in_a_fresh_process(ALONE) == [True, True]
