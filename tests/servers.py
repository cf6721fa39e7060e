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
from pathlib import Path

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


def stop(process: subprocess.Popen) -> None:
    """End a server started in a session of its own: SIGTERM (a portal's workers write
    the views they hold), then SIGKILL."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


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
        stop(process)


def varnish_missing() -> str | None:
    """Why Varnish with the xkey vmod cannot run here, or None."""
    import glob
    import shutil

    if not (shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/sbin")):
        return "varnishd is missing (apt-get install varnish varnish-modules)"
    if not glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob(
        "/usr/lib/varnish/vmods/libvmod_xkey.so"
    ):
        return "the xkey vmod is missing (apt-get install varnish-modules)"
    return None


@contextmanager
def varnish(origin: str, vcl_text: str | None = None):
    """Debian's varnishd with the project's VCL (deploy/varnish/cangxanh.vcl, its
    backend pointed at `origin`, a base URL on 127.0.0.1) until the block ends; yields
    the edge's base URL. `vcl_text` replaces the project's VCL (benchmarks)."""
    import shutil
    import tempfile

    from cangxanh.delivery.edge import vcl_for

    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="cangxanh-varnish-"))
    work.chmod(0o755)  # the cache process runs as Debian's `vcache` user
    vcl = work / "cangxanh.vcl"
    vcl.write_text(vcl_for(int(origin.rsplit(":", 1)[1]), vcl_text))
    varnishd = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/sbin")
    command = [
        *(varnishd, "-F", "-n", str(work / "state")),
        *("-a", f"127.0.0.1:{port}", "-T", "none", "-f", str(vcl), "-s", "malloc,64m"),
    ]
    log = open(work / "varnishd.log", "wb")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"varnishd stopped: {(work / 'varnishd.log').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("varnishd did not start")
        yield base
    finally:
        stop(process)
        log.close()
        shutil.rmtree(work, ignore_errors=True)
