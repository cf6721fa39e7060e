"""Pillow's libraries load in a process only once it works on a picture (core.deferred):
a worker that serves pages does not carry them (about 2 MiB each)."""

import json
import os
import subprocess
import sys
import textwrap

from django.conf import settings


def _run(code: str, tmp_path) -> list:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cangxanh.settings"}
    env["CANGXANH_VAR_DIR"] = str(tmp_path / "var")
    env["DATABASE_URL"] = ""  # its own SQLite database in that folder, on either leg
    (tmp_path / "var").mkdir(exist_ok=True)
    if not (tmp_path / "var" / "static").exists():  # the built static files, as served
        (tmp_path / "var" / "static").symlink_to(settings.STATIC_ROOT)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=settings.BASE_DIR.parent,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


SERVE = """
import io, json, sys
from django.core.management import call_command
import django
django.setup()
call_command("migrate", verbosity=0)
from cangxanh.wsgi import application
import cangxanh.images.renditions, cangxanh.images.validation  # the pages' picture code

def get(path):
    statuses = []
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        "REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64)",
    }
    b"".join(application(environ, lambda status, headers, exc=None: statuses.append(status)))
    return statuses[0]

pages = [get("/vi/"), get("/en/"), get("/robots.txt")]
before = "PIL._imaging" in sys.modules
from PIL import Image  # as the picture code imports it: still nothing loaded
still = "PIL._imaging" in sys.modules
from cangxanh.images import validation
picture = io.BytesIO()
Image.new("RGB", (640, 480), "teal").save(picture, "PNG")  # first use: Pillow loads
picture.seek(0)
checked = validation.check_image(picture)
from cangxanh.images.renditions import unreadable
print(json.dumps([pages, before, still, "PIL._imaging" in sys.modules,
                  [checked.width, checked.height], Image.DecompressionBombError in unreadable()]))
"""


def test_serving_pages_loads_no_pillow_and_pictures_still_work(tmp_path):
    pages, before, still, after, size, bomb = _run(SERVE, tmp_path)
    assert pages[0].startswith("200") and pages[1].startswith("200") and pages[2].startswith("200")
    assert before is False
    assert still is False
    assert after is True
    assert size == [640, 480]
    assert bomb is True


THREADS = """
import json, sys, threading
sys.path.insert(0, sys.argv[1])
from cangxanh.core.deferred import defer
defer("slowmod")
import slowmod  # nothing has run yet
ran_at_import = "slowmod_ran" in sys.modules
results, barrier = [], threading.Barrier(4)

def use():
    barrier.wait()
    results.append(slowmod.VALUE)

threads = [threading.Thread(target=use) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
import slowmod_ran
print(json.dumps([ran_at_import, results, slowmod_ran.COUNT]))
"""


def test_first_use_from_several_threads_runs_the_module_once_and_whole(tmp_path):
    # The module takes a while to run: every thread must wait for all of it, and its
    # code must run once.
    (tmp_path / "slowmod_ran.py").write_text("COUNT = 0\n")
    (tmp_path / "slowmod.py").write_text(
        "import time, slowmod_ran\nslowmod_ran.COUNT += 1\ntime.sleep(0.3)\nVALUE = 42\n"
    )
    code = THREADS.replace("sys.argv[1]", repr(str(tmp_path)))
    ran_at_import, results, count = _run(code, tmp_path)
    assert ran_at_import is False
    assert results == [42, 42, 42, 42]
    assert count == 1


def test_a_module_already_imported_or_missing_is_left_alone():
    from cangxanh.core import deferred

    before = sys.modules["json"]
    deferred.defer("json")
    assert sys.modules["json"] is before
    deferred.defer("no_such_module_anywhere")
    assert "no_such_module_anywhere" not in sys.modules
