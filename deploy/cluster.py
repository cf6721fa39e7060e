"""A cluster on one machine: `make cluster` starts it, `make cluster-stop` stops it.

What a city portal runs on several machines, here on 127.0.0.1 with Debian's
packages: PostgreSQL (the machine's own server, database `cangxanh_cluster`),
a Redis of the cluster's own, two portal servers on different ports, each with
a var folder of its own as if on its own machine, HAProxy balancing between
them, and Varnish in front (deploy/varnish/cangxanh.vcl) with the portal purging
it by cache tag and counting its readers from its log (varnishncsa appending to
var/cluster/views.log, `manage.py edge-views` counting it: docs/operations.md,
"Counting views at the edge"; CLUSTER_VIEWS=esi counts through ESI instead). Media are a folder both servers share (as an NFS mount would
be), or S3 when the CANGXANH_S3_* variables say so (docs/operations.md).

    python deploy/cluster.py start      # migrate, load the demo once, start everything
    python deploy/cluster.py status     # what runs, and where
    python deploy/cluster.py stop       # stop everything this started

Ports (environment, defaults): CLUSTER_EDGE_PORT 6081 (readers come in here),
CLUSTER_BALANCER_PORT 8100, CLUSTER_APP_PORTS 8101,8102, CLUSTER_REDIS_PORT 6391.
CLUSTER_DATABASE_URL names another PostgreSQL database. State, logs and pids
are in var/cluster/.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from cangxanh.delivery.edge import vcl_for  # noqa: E402  (the project's VCL, pointed)
from cangxanh.delivery.fragments import varnishncsa  # noqa: E402

STATE = Path(os.environ.get("CLUSTER_DIR") or ROOT / "var" / "cluster")
PYTHON = sys.executable

EDGE_PORT = int(os.environ.get("CLUSTER_EDGE_PORT", "6081"))
BALANCER_PORT = int(os.environ.get("CLUSTER_BALANCER_PORT", "8100"))
APP_PORTS = [int(p) for p in os.environ.get("CLUSTER_APP_PORTS", "8101,8102").split(",")]
REDIS_PORT = int(os.environ.get("CLUSTER_REDIS_PORT", "6391"))
VIEWS = os.environ.get("CLUSTER_VIEWS", "log")  # how the edge counts views: log or esi
DATABASE_URL = os.environ.get(
    "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cangxanh_cluster"
)
PACKAGES = {
    "varnishd": "varnish varnish-modules",
    "varnishncsa": "varnish",
    "haproxy": "haproxy",
    "redis-server": "redis",
}


class ClusterError(RuntimeError):
    pass


def say(text: str) -> None:
    print(f"cluster: {text}", flush=True)


def _which(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")


def tool(name: str) -> str:
    found = _which(name)
    if not found:
        raise ClusterError(
            f"{name} is not installed: apt-get install -y {PACKAGES.get(name, name)}"
        )
    return found


def install_missing() -> None:
    """Debian's packages for what is missing, as `make messages` installs gettext."""
    missing = [
        package
        for name, packages in PACKAGES.items()
        if not _which(name)
        for package in packages.split()
    ]
    if not missing or os.geteuid() != 0:
        return
    say("installing " + " ".join(missing) + " from Debian's packages")
    command = ["apt-get", "install", "-y", "-qq", *missing]
    if subprocess.run(command, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
        subprocess.run(command, capture_output=True)


def answers(port: int, timeout: float = 0.3) -> bool:
    with socket.socket() as sock:
        sock.settimeout(timeout)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(port: int, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers(port):
            return
        time.sleep(0.1)
    raise ClusterError(f"{what} did not answer on 127.0.0.1:{port} (logs in {STATE})")


def wait_for_http(url: str, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise ClusterError(f"{what} did not answer at {url} (logs in {STATE})")


def app_env(number: int) -> dict:
    """The environment of app server `number` (1, 2…): its own var folder, the shared
    database, Redis and media, the edge to purge."""
    var = STATE / f"app{number}"
    var.mkdir(parents=True, exist_ok=True)
    static = var / "static"
    if not static.exists():
        collected = Path(os.environ.get("CANGXANH_VAR_DIR") or ROOT / "var") / "static"
        static.symlink_to(collected.resolve(), target_is_directory=True)
    secret = STATE / "secret_key"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLUSTER_", "REDIS_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cangxanh.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "CANGXANH_VAR_DIR": str(var),
            "SECRET_KEY": secret.read_text().strip(),
            "MEDIA_ROOT": str(STATE / "media"),
            "ORIGINALS_ROOT": str(STATE / "originals"),
            "DOCUMENTS_ROOT": str(STATE / "documents"),
            "CANGXANH_PAGE_CACHE": "1",
            "CANGXANH_EDGE_PURGE_URLS": f"http://127.0.0.1:{EDGE_PORT}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The address readers use (the edge): every app server writes the same links.
            "SITE_URL": f"http://127.0.0.1:{EDGE_PORT}",
        }
    )
    return env


def manage(*args: str, env: dict) -> None:
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise ClusterError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def start_postgresql(url: str) -> None:
    """Debian's PostgreSQL started when it is installed but not running (as .ci/run does)."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
        return
    except psycopg.OperationalError:
        pass
    versions = sorted(Path("/etc/postgresql").glob("*"), key=lambda p: int(p.name))
    if not versions or not shutil.which("pg_ctlcluster"):
        return  # the caller says what is missing
    say(f"starting PostgreSQL {versions[-1].name}")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1].name, "main", "start"],
        capture_output=True,
    )
    time.sleep(2)


def database() -> None:
    """The cluster's database on the machine's PostgreSQL, created when missing."""
    import psycopg

    url = re.sub(r"/[^/]*$", "/postgres", DATABASE_URL)
    name = DATABASE_URL.rsplit("/", 1)[1]
    start_postgresql(url)
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
                say(f"created the PostgreSQL database {name}")
    except psycopg.OperationalError as error:
        raise ClusterError(
            f"PostgreSQL does not answer for {url} ({error}). Start it "
            "(pg_ctlcluster <version> main start) or set CLUSTER_DATABASE_URL."
        ) from error


def spawn(name: str, command: list[str], env: dict | None = None) -> None:
    log = open(STATE / f"{name}.log", "ab")  # noqa: SIM115 — the child keeps it
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    (STATE / f"{name}.pid").write_text(str(process.pid))


def redis_server() -> None:
    if answers(REDIS_PORT):
        raise ClusterError(f"something already listens on {REDIS_PORT} (CLUSTER_REDIS_PORT)")
    spawn(
        "redis",
        [
            tool("redis-server"),
            *("--bind", "127.0.0.1", "--port", str(REDIS_PORT)),
            *("--save", "", "--appendonly", "no", "--dir", str(STATE)),
        ],
    )
    wait_for(REDIS_PORT, "Redis")


def app_servers() -> None:
    for number, port in enumerate(APP_PORTS, start=1):
        if answers(port):
            raise ClusterError(f"something already listens on {port} (CLUSTER_APP_PORTS)")
        env = app_env(number)
        spawn(
            f"app{number}",
            [PYTHON, "-m", "cangxanh.serve", "--port", str(port), "--workers", "2"],
            env,
        )
    for number, port in enumerate(APP_PORTS, start=1):
        wait_for_http(f"http://127.0.0.1:{port}/robots.txt", f"app server {number}")


def balancer() -> None:
    servers = "\n".join(
        f"    server app{number} 127.0.0.1:{port} check inter 1s fall 2 rise 1"
        for number, port in enumerate(APP_PORTS, start=1)
    )
    config = STATE / "haproxy.cfg"
    config.write_text(
        f"""# Written by deploy/cluster.py: round robin over the app servers.
global
    maxconn 4096
    pidfile {STATE / "haproxy.pid"}

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    option http-keep-alive

frontend portal
    bind 127.0.0.1:{BALANCER_PORT}
    default_backend apps

backend apps
    balance roundrobin
    option httpchk
    http-check send meth GET uri /robots.txt ver HTTP/1.1 hdr Host localhost
{servers}
"""
    )
    done = subprocess.run([tool("haproxy"), "-c", "-q", "-f", str(config)], capture_output=True)
    if done.returncode != 0:
        raise ClusterError(f"HAProxy refuses {config}: {done.stderr.decode()}")
    spawn("haproxy", [tool("haproxy"), "-W", "-db", "-f", str(config)])
    wait_for(BALANCER_PORT, "HAProxy")


def edge() -> None:
    if answers(EDGE_PORT):
        raise ClusterError(f"something already listens on {EDGE_PORT} (CLUSTER_EDGE_PORT)")
    # Varnish reads its VCL and keeps its working folder as Debian's `vcache` user:
    # both in a folder that user can reach, whatever the state folder's parents allow.
    work = Path(tempfile.gettempdir()) / f"cangxanh-cluster-varnish-{EDGE_PORT}"
    work.mkdir(exist_ok=True)
    work.chmod(0o755)
    vcl = work / "cangxanh.vcl"
    vcl.write_text(vcl_for(BALANCER_PORT, views=VIEWS))
    vcl.chmod(0o644)
    spawn(
        "varnish",
        [
            tool("varnishd"),
            "-F",
            *("-n", str(work / "state")),
            *("-a", f"127.0.0.1:{EDGE_PORT}"),
            *("-T", "none"),
            *("-f", str(vcl)),
            *("-s", "malloc,256m"),
        ],
    )
    wait_for_http(f"http://127.0.0.1:{EDGE_PORT}/robots.txt", "Varnish")
    if VIEWS == "log":
        view_log(work / "state")


def view_log(instance: Path) -> None:
    """varnishncsa writing the readers the edge serves to views.log, and edge-views
    counting them (in a var folder of its own, as on the edge's machine), resuming
    where it stopped (views.log.pos)."""
    log = STATE / "views.log"
    spawn("varnishncsa", [tool("varnishncsa"), *varnishncsa(str(instance), str(log))[1:]])
    env = app_env(1)
    env["CANGXANH_VAR_DIR"] = str(STATE / "edge-views")
    (STATE / "edge-views").mkdir(exist_ok=True)
    spawn("edge-views", [PYTHON, str(ROOT / "manage.py"), "edge-views", str(log)], env)


def start(fresh: bool, demo: bool = True) -> None:
    install_missing()
    for name in ("varnishd", "haproxy", "redis-server"):
        tool(name)
    if running():
        raise ClusterError("the cluster already runs: `make cluster-stop` first")
    if fresh and STATE.exists():
        shutil.rmtree(STATE)
    STATE.mkdir(parents=True, exist_ok=True)
    secret = STATE / "secret_key"
    if not secret.exists():
        secret.write_text(os.urandom(32).hex())
    database()
    env = app_env(1)
    say("migrating" + (" and loading the demo content (once)" if demo else ""))
    manage("migrate", "--noinput", "-v0", env=env)
    if demo:
        manage("demo", env=env)
    redis_server()
    app_servers()
    balancer()
    edge()
    status()


def running() -> dict[str, int]:
    found = {}
    for pid_file in sorted(STATE.glob("*.pid")) if STATE.exists() else []:
        try:
            pid = int(pid_file.read_text())
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError, PermissionError):
            continue
        found[pid_file.stem] = pid
    return found


def status() -> None:
    alive = running()
    if not alive:
        say("not running")
        return
    say(f"readers: http://127.0.0.1:{EDGE_PORT}/ (Varnish)")
    say(f"balancer: http://127.0.0.1:{BALANCER_PORT}/ (HAProxy, round robin)")
    for number, port in enumerate(APP_PORTS, start=1):
        say(f"app server {number}: http://127.0.0.1:{port}/")
    say(f"Redis: 127.0.0.1:{REDIS_PORT}; database: {DATABASE_URL}")
    say(f"views counted by {VIEWS}" + (f" (from {STATE / 'views.log'})" if VIEWS == "log" else ""))
    say("running: " + ", ".join(f"{name} ({pid})" for name, pid in alive.items()))


def stop() -> None:
    alive = running()
    order = ["varnish", "varnishncsa", "edge-views", "haproxy"]
    order += [*[f"app{n}" for n in range(1, len(APP_PORTS) + 1)], "redis"]
    for name in sorted(alive, key=lambda n: order.index(n) if n in order else len(order)):
        pid = alive[name]
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(150):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
        (STATE / f"{name}.pid").unlink(missing_ok=True)
        say(f"stopped {name}")
    if not alive:
        say("nothing was running")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--fresh", action="store_true", help="forget the cluster's var folders")
    parser.add_argument("--no-demo", action="store_true", help="migrate only (the tests)")
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            try:
                start(args.fresh, demo=not args.no_demo)
            except BaseException:
                stop()
                raise
        elif args.action == "stop":
            stop()
        else:
            status()
    except ClusterError as error:
        print(f"cluster: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
