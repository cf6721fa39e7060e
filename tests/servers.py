"""The production server in a subprocess, as cangxanh.serve starts it (granian's WSGI
server, one blocking thread per worker), for tests that need real processes: several
workers sharing one machine's tables, a worker killed, a backup taken while serving."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.management import call_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def database_url(host: str | None = None, port: int | None = None) -> str:
    """This test's PostgreSQL database, reached at `host:port` (by default its own)."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{host or db['HOST'] or '127.0.0.1'}:"
        f"{port or db['PORT'] or 5432}/{db['NAME']}"
    )


def process_env(**extra) -> dict:
    """The environment of a process working on this test's database and var folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_"))}
    if is_postgresql():
        env["DATABASE_URL"] = database_url()
    else:
        env["CANGXANH_SQLITE_PATH"] = str(settings.DATABASES["default"]["NAME"])
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cangxanh.settings",
            "CANGXANH_VAR_DIR": str(settings.VAR_DIR),
            "CANGXANH_PAGE_CACHE": "1",
            "PYTHONPATH": str(settings.PROJECT_DIR),
        }
    )
    env.update(extra)
    return env


@contextmanager
def granian(env: dict, workers: int = 1):
    """Serve with `env` until the block ends; yields (base URL, the server's process).
    Stopped with SIGTERM (its workers write the views they hold), then SIGKILL."""
    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)  # pages link hashed files
    port = free_port()
    command = [
        *(sys.executable, "-m", "granian", "--interface", "wsgi"),
        *("--workers", str(workers), "--blocking-threads", "1"),
        *("--host", "127.0.0.1", "--port", str(port), "--no-ws", "--log-level", "warning"),
        "cangxanh.wsgi:application",
    ]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(base + "/robots.txt", timeout=1):
                    break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
