#!/usr/bin/env python3
"""The page bench: cangxanh against Wagtail 8 and nginx, over HTTP, with wrk.

    .venv/bin/python bench/pages/run.py [--duration 10] [--only cangxanh,wagtail,nginx] [--keep]

Builds everything under bench/.work/ (a scratch cangxanh var dir, a Wagtail 8
venv and site seeded with the same content, an nginx config serving the very
bytes of cangxanh's article page), then runs one server at a time on the
loopback interface and drives it with wrk: a check request, a warm-up, and
measured runs per URL, sampling each worker's RSS every 0.5 s. Every request
comes from a reader of its own (bench/readers.py). It also checks that
cangxanh counted exactly the article views wrk made, and that its cached
workers stay small and flat over 100,000 requests.

Prints one table and the targets with PASS/FAIL; the last line is
`bench: pass` or `bench: fail: <reasons>` (exit status 0 or 1). Writes
bench/results/pages-<UTC time>.json and bench/results/pages-latest.md.
Python standard library only: it runs before anything else is installed.
"""

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import readers  # noqa: E402  (bench/readers.py, beside this folder)

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "bench" / "pages"
WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "results"
LOGS = WORK / "logs"
CX_PYTHON = ROOT / ".venv" / "bin" / "python"
CX_VAR = WORK / "cangxanh-var"
WAG_VENV = WORK / "wagtail-venv"
WAG_PYTHON = WAG_VENV / "bin" / "python"
WAG_SITE = WORK / "wagtail-site"
WAG_VAR = WAG_SITE / "var"
NGINX_DIR = WORK / "nginx"

# gunicorn: how Wagtail sites are usually served (and how the anchor measured it);
# granian: the server cangxanh uses, so both are also compared on the same server.
WAGTAIL_PINS = ["wagtail==8.0.1", "granian==2.8.9", "gunicorn==27.0.1"]
# A person's browser as far as cangxanh can tell: crawlers and curl are not counted.
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) bench"
THREADS = 2
CONNECTIONS = 32
WARMUP_S = 5
RUNS = 3
WRK_TIMEOUT_S = 20
SOAK_REQUESTS = 100_000
RSS_TARGET_MIB = 80
P99_TARGET_MS = 25
PORTS = {
    "cangxanh-cached": 8310,
    "cangxanh-uncached": 8311,
    "cangxanh-cached-redis": 8312,
    "redis": 8340,
    "wagtail-uncached": 8320,
    "wagtail-cached": 8321,
    "wagtail-uncached-granian": 8322,
    "wagtail-cached-granian": 8323,
    "nginx": 8330,
    # The cluster (deploy/cluster.py): Varnish, HAProxy, two app servers, Redis.
    "cluster-edge": 8351,
    "cluster-balancer": 8352,
    "cluster-app1": 8353,
    "cluster-app2": 8354,
    "cluster-redis": 8355,
}
GROUPS = ("cangxanh", "wagtail", "nginx", "cluster")
CLUSTER_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cangxanh_bench_cluster"
PUBLISH_TRIES = 5


class BenchError(Exception):
    """Something that stops the bench (setup failed, a server did not start)."""


def say(message: str) -> None:
    """Progress goes to stderr; stdout carries only the table and the verdict."""
    stamp = datetime.now(UTC).strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def run(cmd, *, log: str, cwd=None, env=None, timeout=1800) -> str:
    """Run a setup command, its output in logs/<log>.log; raise with the tail on failure."""
    LOGS.mkdir(parents=True, exist_ok=True)
    path = LOGS / f"{log}.log"
    with path.open("a") as handle:
        handle.write(f"\n$ {' '.join(map(str, cmd))}\n")
        handle.flush()
        done = subprocess.run(
            [str(c) for c in cmd],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
        handle.write(done.stdout)
    if done.returncode != 0:
        tail = "\n".join(done.stdout.splitlines()[-15:])
        raise BenchError(f"{' '.join(map(str, cmd[:4]))} failed (see {path}):\n{tail}")
    return done.stdout


# --- Tools and environments ---


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def ensure_tools() -> None:
    """wrk, nginx, curl and redis-server from Debian's packages, when missing."""
    missing = [t for t in ("wrk", "curl", "redis-server") if not shutil.which(t)]
    if not nginx_binary():
        missing.append("nginx")
    if not missing:
        return
    say(f"installing {', '.join(missing)} from Debian's packages")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    install = [*sudo, "apt-get", "install", "-y", *missing]
    try:
        run(install, log="apt")
    except BenchError:
        run([*sudo, "apt-get", "update"], log="apt")
        run(install, log="apt")


def ensure_wagtail_venv() -> None:
    """python3.11 venv with the pinned Wagtail and granian; reused while the pins match."""
    marker = WAG_VENV / ".bench-pins"
    if marker.exists() and marker.read_text().split() == WAGTAIL_PINS and WAG_PYTHON.exists():
        return
    say(f"creating {WAG_VENV.relative_to(ROOT)} with {' '.join(WAGTAIL_PINS)}")
    python = shutil.which("python3.11")
    if python is None:
        raise BenchError("python3.11 is needed for the Wagtail venv")
    run([python, "-m", "venv", WAG_VENV], log="wagtail-setup")
    run([WAG_PYTHON, "-m", "pip", "install", "-q", *WAGTAIL_PINS], log="wagtail-setup")
    marker.write_text("\n".join(WAGTAIL_PINS) + "\n")


def cangxanh_env(*, page_cache: bool = True, redis_url: str = "") -> dict:
    env = dict(os.environ)
    env["CANGXANH_VAR_DIR"] = str(CX_VAR)
    env["DEBUG"] = "0"
    env.pop("CANGXANH_PRODUCTION", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("REDIS_URL", None)
    env.pop("REDIS_PREFIX", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    if page_cache:
        env.pop("CANGXANH_PAGE_CACHE", None)  # the default: on
    else:
        env["CANGXANH_PAGE_CACHE"] = "0"
    return env


def wagtail_env(*, page_cache: bool = False) -> dict:
    env = dict(os.environ)
    env["BENCH_WAGTAIL_VAR"] = str(WAG_VAR)
    env["DJANGO_SETTINGS_MODULE"] = "benchsite.settings"
    env.pop("BENCH_PAGE_CACHE", None)
    if page_cache:
        env["BENCH_PAGE_CACHE"] = "1"
    return env


def cangxanh_shell(code: str):
    """Run Python in `manage.py shell` on the scratch DB; it prints one `BENCH-JSON …` line."""
    out = run(
        [CX_PYTHON, "manage.py", "shell", "-c", code],
        log="cangxanh-shell",
        cwd=ROOT,
        env=cangxanh_env(),
    )
    for line in out.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON ") :])
    raise BenchError(f"no result from manage.py shell: {out[-500:]}")


PICK_ARTICLE = """
import json
from cangxanh.news.models import ArticleTranslation
t = (
    ArticleTranslation.objects.published().filter(language="vi")
    .filter(article__article_images__isnull=False)
    .order_by("-published_at", "-id").first()
)
print("BENCH-JSON " + json.dumps({"id": t.pk, "url": t.get_absolute_url(), "title": t.title}))
"""

VIEW_COUNT = """
from cangxanh.news.models import ArticleTranslation
print("BENCH-JSON", ArticleTranslation.objects.get(pk={pk}).view_count)
"""


def remove_scratch_databases() -> None:
    for path in (CX_VAR / "cangxanh.sqlite3", WAG_VAR / "wagtail.sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def setup_cangxanh() -> dict:
    """A fresh scratch database with the demo content; returns the chosen article."""
    say("cangxanh: fresh scratch database, migrate, collectstatic, demo content")
    remove_scratch_databases()
    shutil.rmtree(CX_VAR / "media", ignore_errors=True)
    # This machine's running totals and readers belonged to the database just removed.
    shutil.rmtree(CX_VAR / "shared", ignore_errors=True)
    CX_VAR.mkdir(parents=True, exist_ok=True)
    env = cangxanh_env()
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput", "--clear"], ["demo"]):
        run([CX_PYTHON, "manage.py", *args], log="cangxanh-setup", cwd=ROOT, env=env)
    article = cangxanh_shell(PICK_ARTICLE)
    say(f"cangxanh: article #{article['id']} {article['url']}")
    return article


def setup_wagtail(article: dict) -> dict:
    """The Wagtail site: project copied from bench/pages/wagtail, content from cangxanh."""
    ensure_wagtail_venv()
    say("wagtail: project, migrations, static files, content from cangxanh, renditions")
    # A fresh copy of the project and a fresh database; collected static files are kept.
    if WAG_SITE.exists():
        for path in WAG_SITE.iterdir():
            if path.name == "var":
                for inner in path.iterdir():
                    if inner.name != "static":
                        shutil.rmtree(inner) if inner.is_dir() else inner.unlink()
            else:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    shutil.copytree(
        HERE / "wagtail",
        WAG_SITE,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    # The same stylesheet, script, icon and logo as cangxanh's pages link to.
    assets = WAG_SITE / "news" / "static" / "news"
    assets.mkdir(parents=True, exist_ok=True)
    for name in ("site.css", "site.js", "favicon.svg", "logo.png"):
        shutil.copy2(ROOT / "cangxanh" / "static" / "cangxanh" / name, assets / name)
    WAG_VAR.mkdir(parents=True, exist_ok=True)
    export = WAG_VAR / "cangxanh-export.json"
    run(
        [CX_PYTHON, HERE / "export_cangxanh.py", export, article["id"]],
        log="wagtail-setup",
        cwd=ROOT,
        env=cangxanh_env(),
    )
    env = wagtail_env()
    manage = [WAG_PYTHON, "manage.py"]
    run([*manage, "makemigrations", "news"], log="wagtail-setup", cwd=WAG_SITE, env=env)
    run([*manage, "migrate", "--noinput"], log="wagtail-setup", cwd=WAG_SITE, env=env)
    run([*manage, "collectstatic", "--noinput"], log="wagtail-setup", cwd=WAG_SITE, env=env)
    result = WAG_VAR / "seed.json"
    run(
        [*manage, "seed_bench", export, "--result", result],
        log="wagtail-setup",
        cwd=WAG_SITE,
        env=env,
    )
    urls = json.loads(result.read_text())
    if unquote(urls["article_url"]) != unquote(article["url"]):
        raise BenchError(
            f"Wagtail serves the article at {urls['article_url']}, not {article['url']}"
        )
    return urls


def write_nginx_config(port: int, article_path: str, page: Path) -> None:
    """nginx, the physical limit, as fast as we could configure it on these bytes: 2
    workers (one per core), keep-alive without a request limit per connection,
    `sendfile` with `tcp_nopush` and `tcp_nodelay`, the file's descriptor and
    metadata kept open (`open_file_cache`), `reuseport` (a listening socket per
    worker), no access log, no version in Server; all paths here. Measured on the
    same page bytes (2 cores, noisy): without sendfile 77k–87k req/s, sendfile
    alone 48k–66k, everything here 59k–108k: sendfile with tcp_nopush/nodelay is
    what counts, the others never measured slower (bench/README.md)."""
    www = NGINX_DIR / "www"
    shutil.rmtree(www, ignore_errors=True)
    target = www / unquote(article_path).strip("/") / "index.html"
    target.parent.mkdir(parents=True)
    shutil.copyfile(page, target)
    temp = NGINX_DIR / "tmp"
    temp.mkdir(parents=True, exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (NGINX_DIR / "nginx.conf").write_text(
        f"""{user}worker_processes 2;
daemon off;
pid {NGINX_DIR}/nginx.pid;
error_log {LOGS}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    types {{ text/html html; }}
    default_type text/html;
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    open_file_cache max=64 inactive=60s;
    open_file_cache_valid 60s;
    server_tokens off;
    client_body_temp_path {temp}/client;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    server {{
        listen 127.0.0.1:{port} reuseport;
        root {www};
        index index.html;
    }}
}}
"""
    )


# --- Processes ---


def children(pid: int) -> list[int]:
    """Direct children of a process, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after it.
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


STARTED: list["Server"] = []


class Server:
    """One server under test, in its own process group, with an RSS sampler."""

    def __init__(self, name: str, cmd: list, *, cwd: Path, env: dict, port: int, ready: str):
        self.name, self.cmd, self.cwd, self.env = name, [str(c) for c in cmd], cwd, env
        self.port, self.ready = port, ready
        self.proc: subprocess.Popen | None = None
        self.phase = "start"
        self.samples: list[tuple[float, str, dict[int, float]]] = []
        self._stop = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        if not port_free(self.port):
            raise BenchError(f"port {self.port} is already in use")
        LOGS.mkdir(parents=True, exist_ok=True)
        log = (LOGS / f"{self.name}.log").open("wb")
        say(f"{self.name}: starting on port {self.port}")
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so nothing outlives stop()
        )
        STARTED.append(self)
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                raise BenchError(
                    f"{self.name} exited with {self.proc.returncode}: {self.log_tail()}"
                )
            try:
                # urllib announces itself as Python-urllib: never counted as a reader.
                with urllib.request.urlopen(self.url(self.ready), timeout=10) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"{self.name} did not answer {self.ready} within 120 s")
            time.sleep(0.3)
        threading.Thread(target=self._sample, daemon=True).start()

    def log_tail(self) -> str:
        text = (LOGS / f"{self.name}.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-10:])

    def workers(self) -> list[int]:
        return children(self.proc.pid) if self.proc else []

    def worker_rss(self) -> dict[int, float]:
        return {pid: mib for pid in self.workers() if (mib := rss_mib(pid)) is not None}

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            self.samples.append((time.monotonic(), self.phase, self.worker_rss()))

    def max_rss(self, phase: str) -> float | None:
        values = [max(s.values()) for _t, p, s in self.samples if p == phase and s]
        return round(max(values), 1) if values else None

    def stop(self) -> None:
        """SIGTERM to the server (it flushes and stops its workers), then the whole group."""
        self._stop.set()
        if self.proc is None:
            return
        if self.proc.poll() is None:
            say(f"{self.name}: stopping")
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                say(f"{self.name}: no exit 30 s after SIGTERM; killing")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        if self in STARTED:
            STARTED.remove(self)


# --- Load ---


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url: str, seconds: int, *, latency: bool = True, headers=()) -> dict:
    # wrk's own 2 s timeout would call a slow (uncached) page an error: give it 20 s.
    cmd = [
        "wrk",
        "--timeout",
        f"{WRK_TIMEOUT_S}s",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "-H",
        f"User-Agent: {BROWSER_UA}",
    ]
    for header in headers:
        cmd += ["-H", header]
    if latency:
        cmd.append("--latency")
    # Every request a reader of its own (a view counts once per reader), for every
    # server alike: the script's cost to wrk is the same whoever answers.
    before, after = readers.wrk_args(readers.new_run())
    out = subprocess.run(
        [*cmd, *before, url, *after], capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    result = {"seconds": seconds, "output": out}
    if m := re.search(r"(\d+) requests in", out):
        result["requests"] = int(m.group(1))
    else:
        raise BenchError(f"wrk gave no result for {url}:\n{out}")
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    names = ("connect", "read", "write", "timeout")
    result["socket_errors"] = dict(zip(names, map(int, m.groups()), strict=True)) if m else {}
    for pct in ("50", "99"):
        if m := re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE):
            result[f"p{pct}_ms"] = round(to_ms(*m.groups()), 3)
    return result


def curl(url: str, body: Path) -> dict:
    """One request as a browser: status, body and header bytes."""
    out = subprocess.run(
        [
            "curl",
            "-s",
            "-o",
            str(body),
            "-H",
            f"User-Agent: {BROWSER_UA}",
            "-H",
            f"X-Forwarded-For: {readers.address(readers.new_run(), 1)}",
            "-w",
            "%{http_code} %{size_download} %{size_header}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()
    return {"status": int(out[0]), "body_bytes": int(out[1]), "header_bytes": int(out[2])}


class Bench:
    def __init__(self, args):
        self.args = args
        self.scenarios: list[dict] = []
        self.failures: list[str] = []
        self.view_counts: list[dict] = []
        self.soak: dict | None = None
        self.publish: dict | None = None  # the cluster's publish-to-visible time
        self.cluster_skipped: str | None = None
        self.side_by_side: list[dict] = []  # rounds of {contender: req/s} (side_by_side)

    def fail(self, reason: str) -> None:
        say(f"FAIL: {reason}")
        self.failures.append(reason)

    def errors_of(self, label: str, result: dict) -> None:
        bad = {k: v for k, v in result["socket_errors"].items() if v}
        if result["non_2xx"]:
            self.fail(f"{label}: {result['non_2xx']} non-2xx responses")
        if bad:
            self.fail(f"{label}: socket errors {bad}")

    def measure(self, server: Server, label: str, path: str) -> dict:
        """Check, warm up, then RUNS measured wrk runs; returns the scenario's record."""
        server.phase = label
        url = server.url(path)
        check = curl(url, LOGS / f"{label.replace(' ', '-')}.html")
        if check["status"] != 200:
            raise BenchError(f"{label}: {url} answered {check['status']}")
        say(f"{label}: warm-up {WARMUP_S} s, then {RUNS} × {self.args.duration} s")
        headers = getattr(server, "headers", ())
        warmup = wrk(url, WARMUP_S, latency=False, headers=headers)
        self.errors_of(f"{label} (warm-up)", warmup)
        runs = []
        for _ in range(RUNS):
            result = wrk(url, self.args.duration, headers=headers)
            self.errors_of(label, result)
            runs.append(result)
        rps = [r["rps"] for r in runs]
        record = {
            "scenario": label,
            "url": url,
            "check": check,
            "warmup": warmup,
            "runs": runs,
            "rps_median": round(statistics.median(rps), 1),
            "rps_min": round(min(rps), 1),
            "rps_max": round(max(rps), 1),
            "p50_ms": round(statistics.median(r.get("p50_ms", math.nan) for r in runs), 2),
            "p99_ms": round(statistics.median(r.get("p99_ms", math.nan) for r in runs), 2),
            "requests": warmup["requests"] + sum(r["requests"] for r in runs),
            "wrk_runs": 1 + len(runs),
            "max_rss_worker_mib": server.max_rss(label),
        }
        say(f"{label}: {record['rps_median']} req/s, p99 {record['p99_ms']} ms")
        self.scenarios.append(record)
        return record

    def soak_run(self, server: Server, path: str, rps_hint: float) -> dict:
        """SOAK_REQUESTS at the cached article; per-worker RSS after half and after all."""
        server.phase = "soak"
        url = server.url(path)
        done, runs, rate = 0, 0, max(rps_hint, 50.0)
        at_half = at_full = None
        started = time.monotonic()
        say(f"soak: {SOAK_REQUESTS} requests at {path} (at most {self.args.soak_limit} s)")
        while done < SOAK_REQUESTS:
            left = self.args.soak_limit - (time.monotonic() - started)
            if left < 2:
                break
            mark = SOAK_REQUESTS // 2 if at_half is None else SOAK_REQUESTS
            seconds = int(min(max(math.ceil((mark - done) / rate), 2), 20, left))
            result = wrk(url, seconds, latency=False)
            self.errors_of("soak", result)
            done += result["requests"]
            runs += 1
            rate = max(result["rps"], 1.0)
            if at_half is None and done >= SOAK_REQUESTS // 2:
                at_half = {"requests": done, "rss_mib": server.worker_rss()}
        if done >= SOAK_REQUESTS:
            at_full = {"requests": done, "rss_mib": server.worker_rss()}
        return {
            "url": url,
            "requests": done,
            "wrk_runs": runs,
            "seconds": round(time.monotonic() - started, 1),
            "after_half": at_half,
            "after_full": at_full,
            "max_rss_worker_mib": server.max_rss("soak"),
        }

    def view_count(self, translation_id: int) -> int:
        return cangxanh_shell(VIEW_COUNT.replace("{pk}", str(translation_id)))


# --- The run ---


def nginx_server(article: dict) -> Server:
    """nginx serving the very bytes of cangxanh's article page (written by the run)."""
    write_nginx_config(PORTS["nginx"], article["url"], NGINX_DIR / "article.html")
    cmd = [nginx_binary(), "-p", NGINX_DIR, "-e", LOGS / "nginx-error.log"]
    cmd += ["-c", NGINX_DIR / "nginx.conf"]
    return Server(
        "nginx", cmd, cwd=NGINX_DIR, env=dict(os.environ), port=PORTS["nginx"], ready=article["url"]
    )


SIDE_ROUNDS = 3
CX, WAGTAIL, NGINX = "cangxanh cached", "Wagtail cached (gunicorn)", "nginx static"


def side_by_side(bench: Bench, contenders: list[tuple[str, Server, str]]) -> None:
    """The cached article of each contender, measured in turns, for the judged ratios.

    The scenarios above are measured one server after another, minutes apart, and
    this machine's speed moves by a fifth within minutes (the same code has measured
    0.22× and 0.25× nginx half an hour apart), which a ratio of two rows carries in
    full. Here every contender is started at once (the idle ones cost nothing), and
    each round measures each in turn, the order turning from round to round; a ratio
    is the median over the rounds of the two measured in the same round.
    """
    for _name, server, _path in contenders:
        server.start()
    try:
        for name, server, path in contenders:
            headers = getattr(server, "headers", ())
            warm = wrk(server.url(path), WARMUP_S, latency=False, headers=headers)
            bench.errors_of(f"{name} side by side (warm-up)", warm)
        say(f"side by side: {SIDE_ROUNDS} rounds of {', '.join(c[0] for c in contenders)}")
        for number in range(SIDE_ROUNDS):
            turn = number % len(contenders)
            measured = {}
            for name, server, path in contenders[turn:] + contenders[:turn]:
                headers = getattr(server, "headers", ())
                result = wrk(server.url(path), bench.args.duration, latency=False, headers=headers)
                bench.errors_of(f"{name} side by side", result)
                measured[name] = result["rps"]
            bench.side_by_side.append(measured)
            say("side by side: " + ", ".join(f"{k} {v:,.0f} req/s" for k, v in measured.items()))
    finally:
        for _name, server, _path in contenders:
            server.stop()


def cangxanh_server(name: str, *, page_cache: bool, redis_url: str = "") -> Server:
    port = PORTS[name]
    cmd = [CX_PYTHON, "-m", "cangxanh.serve", "--host", "127.0.0.1", "--port", port, "--workers", 2]
    env = cangxanh_env(page_cache=page_cache, redis_url=redis_url)
    return Server(name, cmd, cwd=ROOT, env=env, port=port, ready="/vi/")


@contextlib.contextmanager
def redis_server():
    """A private Redis on PORTS["redis"], nothing kept on disk; yields its URL."""
    port = PORTS["redis"]
    if not port_free(port):
        raise BenchError(f"port {port} is already in use")
    folder = WORK / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    cmd += ["--appendonly", "no", "--dir", str(folder)]
    say(f"redis: starting on port {port}")
    with (LOGS / "redis.log").open("wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise BenchError("redis-server did not start (see logs/redis.log)")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wagtail_server(name: str, *, page_cache: bool, server: str = "gunicorn") -> Server:
    port = PORTS[name]
    if server == "gunicorn":  # 2 sync workers, as the anchor measured Wagtail
        cmd = [
            WAG_VENV / "bin" / "gunicorn",
            "--no-control-socket",
            "--workers",
            2,
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            WAG_SITE,
            "benchsite.wsgi:application",
        ]
    else:  # exactly as cangxanh.serve runs cangxanh
        cmd = [
            WAG_VENV / "bin" / "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            port,
            "--workers",
            2,
            "--blocking-threads",
            1,
            "--no-ws",
            "--working-dir",
            WAG_SITE,
            "benchsite.wsgi:application",
        ]
    env = wagtail_env(page_cache=page_cache)
    return Server(name, cmd, cwd=WAG_SITE, env=env, port=port, ready="/vi/")


def redis_scenario(bench: Bench, article: dict) -> None:
    """The cached article with REDIS_URL set (pages, content version and counts shared
    through a private Redis), on the same scratch database; counted exactly too."""
    with redis_server() as url:
        server = cangxanh_server("cangxanh-cached-redis", page_cache=True, redis_url=url)
        before = bench.view_count(article["id"])
        label = "cangxanh cached article (Redis)"
        server.start()
        try:
            record = bench.measure(server, label, article["url"])
        finally:
            server.stop()  # SIGTERM: each worker sends what it holds, one writes it
        after = bench.view_count(article["id"])
    expected = 1 + record["requests"]
    entry = {
        "scenario": label,
        "short": "cached (Redis)",
        "before": before,
        "after": after,
        "counted": after - before,
        "requests": expected,
        "difference": after - before - expected,
        "slack": CONNECTIONS * record["wrk_runs"],
    }
    entry["ok"] = 0 <= entry["difference"] <= entry["slack"]
    bench.view_counts.append(entry)
    say(f"views (Redis): {entry['counted']} counted for {expected} requests")


class Endpoint:
    """A server of the cluster, measured as bench.measure measures a Server."""

    def __init__(self, base: str, headers=()):
        self.base, self.headers, self.phase = base, tuple(headers), ""

    def url(self, path: str) -> str:
        return self.base + path

    def max_rss(self, phase: str) -> None:
        return None


def cluster_missing() -> str | None:
    """Why the cluster cannot run here, or None."""
    for name, package in (
        ("varnishd", "varnish varnish-modules"),
        ("varnishncsa", "varnish"),
        ("haproxy", "haproxy"),
        ("redis-server", "redis"),
    ):
        if not (shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")):
            return f"{name} is missing (apt-get install {package})"
    try:
        import psycopg

        url = CLUSTER_DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
        psycopg.connect(url, connect_timeout=3).close()
    except Exception as error:  # noqa: BLE001 — whatever it is, the rows are skipped
        return f"PostgreSQL does not answer at 127.0.0.1:5432 ({type(error).__name__})"
    return None


# Run with app server 1's environment: an approver's change, saved as the editorial
# view saves it (one transaction), purges the edge from this process; then the
# section page is read through the edge until the new title is on it.
PUBLISH_CODE = """
import json, os, time, urllib.request
from django.db import transaction
from cangxanh.delivery import edge
from cangxanh.news.models import ArticleTranslation as T
t = T.objects.published().news().filter(language="vi").order_by("-published_at").first()
section = t.article.section.translation("vi").get_absolute_url()
base, tries = os.environ["BENCH_EDGE"], int(os.environ["BENCH_TRIES"])
out = {"article": t.get_absolute_url(), "seconds": []}
def page():
    request = urllib.request.Request(base + section, headers={"User-Agent": "Mozilla/5.0 bench"})
    return urllib.request.urlopen(request, timeout=10).read().decode()
for n in range(tries):
    page()  # the section page is at the edge
    title = f"Bench {time.time_ns()}"
    start = time.monotonic()
    with transaction.atomic():
        t.title = title
        t.save()
    while title not in page() and time.monotonic() - start < 10:
        time.sleep(0.005)
    out["seconds"].append(time.monotonic() - start)
edge.wait()
print("BENCH " + json.dumps(out))
"""


def cluster_scenario(bench: Bench) -> None:
    """The cluster behind Varnish (deploy/cluster.py with the demo content on the
    machine's PostgreSQL): the cached article through the edge, the article rendered
    by the apps through the edge (a session cookie, which the VCL passes and the page
    cache does not answer), and publish-to-visible time."""
    missing = cluster_missing()
    if missing:
        say(f"cluster rows skipped: {missing}")
        bench.cluster_skipped = missing
        return
    state = WORK / "cluster"
    env = {
        **os.environ,
        "CLUSTER_DIR": str(state),
        "CLUSTER_EDGE_PORT": str(PORTS["cluster-edge"]),
        "CLUSTER_BALANCER_PORT": str(PORTS["cluster-balancer"]),
        "CLUSTER_APP_PORTS": f"{PORTS['cluster-app1']},{PORTS['cluster-app2']}",
        "CLUSTER_REDIS_PORT": str(PORTS["cluster-redis"]),
        "CLUSTER_DATABASE_URL": CLUSTER_DATABASE_URL,
    }
    cluster = [sys.executable, str(ROOT / "deploy" / "cluster.py")]
    say("cluster: starting (PostgreSQL, Redis, 2 app servers, HAProxy, Varnish)")
    run([*cluster, "start"], log="cluster-start", env=env, timeout=1800)
    edge = f"http://127.0.0.1:{PORTS['cluster-edge']}"
    try:
        app1 = {k: v for k, v in env.items() if not k.startswith("CLUSTER_")}
        app1.update(
            {
                "DJANGO_SETTINGS_MODULE": "cangxanh.settings",
                "PYTHONPATH": str(ROOT),
                "DATABASE_URL": CLUSTER_DATABASE_URL,
                "REDIS_URL": f"redis://127.0.0.1:{PORTS['cluster-redis']}/0",
                "CANGXANH_VAR_DIR": str(state / "app1"),
                "SECRET_KEY": (state / "secret_key").read_text().strip(),
                "CANGXANH_EDGE_PURGE_URLS": edge,
                "BENCH_EDGE": edge,
                "BENCH_TRIES": str(PUBLISH_TRIES),
            }
        )
        out = run(
            [sys.executable, "manage.py", "shell", "-c", PUBLISH_CODE],
            log="cluster-publish",
            cwd=ROOT,
            env=app1,
        )
        found = json.loads(next(x for x in out.splitlines() if x.startswith("BENCH "))[6:])
        path = found["article"]
        bench.measure(Endpoint(edge), "cluster cached article (Varnish)", path)
        passed = Endpoint(edge, ["Cookie: sessionid=bench-not-signed-in"])
        bench.measure(passed, "cluster uncached article (Varnish passes to the apps)", path)
        seconds = sorted(found["seconds"])
        bench.publish = {
            "median_ms": round(statistics.median(seconds) * 1000, 1),
            "all_ms": [round(s * 1000, 1) for s in seconds],
        }
        say(f"cluster publish-to-visible: median {bench.publish['median_ms']} ms")
    finally:
        run([*cluster, "stop"], log="cluster-stop", env=env, timeout=300)


def counted_scenario(bench: Bench, server: Server, article: dict, home: str, *, cached: bool):
    """Article and home on one cangxanh server; the article's views must add up exactly."""
    before = bench.view_count(article["id"])
    expected = 0  # browser-like requests at the article: each one is a view
    runs = 0
    label = "cached" if cached else "uncached"
    server.start()
    try:
        record = bench.measure(server, f"cangxanh {label} article", article["url"])
        expected += 1 + record["requests"]
        runs += record["wrk_runs"]
        bench.measure(server, f"cangxanh {label} home", home)
        if cached:
            bench.soak = bench.soak_run(server, article["url"], record["rps_median"])
            expected += bench.soak["requests"]
            runs += bench.soak["wrk_runs"]
            # The nginx scenario serves exactly these bytes.
            page = NGINX_DIR / "article.html"
            NGINX_DIR.mkdir(parents=True, exist_ok=True)
            if curl(server.url(article["url"]), page)["status"] != 200:
                raise BenchError("could not fetch the cached article for nginx")
            expected += 1
    finally:
        server.stop()
    after = bench.view_count(article["id"])
    slack = CONNECTIONS * runs
    entry = {
        "scenario": f"cangxanh {label} article",
        "before": before,
        "after": after,
        "counted": after - before,
        "requests": expected,
        "difference": after - before - expected,
        "slack": slack,
    }
    entry["ok"] = 0 <= entry["difference"] <= slack
    bench.view_counts.append(entry)
    # Reported (and judged) with the targets, so that the run goes on either way.
    say(f"views ({label}): {entry['counted']} counted for {expected} requests")


def versions() -> dict:
    def py(python, code):
        try:
            return subprocess.run(
                [python, "-c", code], capture_output=True, text=True, timeout=60
            ).stdout.strip()
        except OSError:
            return ""

    probe = (
        "import sys, importlib.metadata as m\n"
        "v = {'python': sys.version.split()[0]}\n"
        "for p in ('django', 'wagtail', 'granian'):\n"
        "    try: v[p] = m.version(p)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(__import__('json').dumps(v))"
    )
    out = {}
    for name, python in (("cangxanh", CX_PYTHON), ("wagtail", WAG_PYTHON)):
        text = py(python, probe)
        out[name] = json.loads(text) if text else {}
    nginx = nginx_binary()
    if nginx:
        text = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr
        out["nginx"] = text.strip().split("/")[-1]
    if shutil.which("wrk"):
        text = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        out["wrk"] = text.split()[1] if text.split() else ""
    out["nproc"] = len(os.sched_getaffinity(0))
    out["kernel"] = os.uname().release
    return out


def targets(bench: Bench) -> list[dict]:
    """The ratios and limits, each PASS, FAIL or SKIP (a scenario not run)."""
    by = {s["scenario"]: s for s in bench.scenarios}
    rows = []

    def ratio(name, top, bottom, factor, *, judged=True, paired=None):
        """top / bottom against factor; with several bottoms, the fastest of them. With
        `paired` (two contenders of the side-by-side round, when it ran), the median
        over its rounds of the two measured in the same round, the rows' ratio beside."""
        bottoms = [b for b in ([bottom] if isinstance(bottom, str) else bottom) if b in by]
        rounds = bench.side_by_side if paired else []
        if rounds:
            value = statistics.median(r[paired[0]] / r[paired[1]] for r in rounds)
            text = f"{value:.2f}× side by side (median of {len(rounds)} rounds)"
            if top in by and bottoms:
                rows_value = by[top]["rps_median"] / max(by[b]["rps_median"] for b in bottoms)
                text += f"; rows measured apart: {rows_value:.2f}×"
            rows.append({"target": name, "value": text, "ok": value >= factor})
        elif top in by and bottoms:
            base = max(by[b]["rps_median"] for b in bottoms)
            value = by[top]["rps_median"] / base
            ok = value >= factor if judged else None
            rows.append({"target": name, "value": f"{value:.2f}×", "ok": ok})
        else:
            rows.append({"target": name, "value": "not run", "ok": None})

    ratio(
        "cangxanh cached article ≥ 25% of nginx static",
        "cangxanh cached article",
        "nginx static article",
        0.25,
        paired=(CX, NGINX),
    )
    ratio(
        "cangxanh cached article ≥ 5× Wagtail cached (gunicorn, as Wagtail is served)",
        "cangxanh cached article",
        "Wagtail cached article",
        5,
        paired=(CX, WAGTAIL),
    )
    ratio(
        "cangxanh cached article with Redis ≥ 50% of the local store",
        "cangxanh cached article (Redis)",
        "cangxanh cached article",
        0.5,
    )
    ratio(
        "info: cangxanh cached article / Wagtail cached on granian",
        "cangxanh cached article",
        "Wagtail cached (granian) article",
        5,
        judged=False,
    )
    # The cluster behind Varnish, beside the embedded rows (reported, not judged).
    for top, bottom in (
        ("cluster cached article (Varnish)", "nginx static article"),
        ("cluster cached article (Varnish)", "cangxanh cached article"),
        ("cluster uncached article (Varnish passes to the apps)", "cangxanh uncached article"),
    ):
        if top in by:
            ratio(f"info: {top} / {bottom}", top, bottom, 1, judged=False)
    # Uncached, Wagtail is judged by the faster of its two servers.
    ratio(
        "cangxanh uncached article ≥ 6× Wagtail uncached (its faster server)",
        "cangxanh uncached article",
        ["Wagtail uncached article", "Wagtail uncached (granian) article"],
        6,
    )
    ratio(
        "cangxanh uncached home ≥ 6× Wagtail uncached (its faster server)",
        "cangxanh uncached home",
        ["Wagtail uncached home", "Wagtail uncached (granian) home"],
        6,
    )
    for name in ("cangxanh cached article", "cangxanh cached home"):
        if name in by:
            p99 = by[name]["p99_ms"]
            rows.append(
                {
                    "target": f"p99 of {name} < {P99_TARGET_MS} ms",
                    "value": f"{p99} ms",
                    "ok": p99 < P99_TARGET_MS,
                }
            )
        else:
            rows.append(
                {"target": f"p99 of {name} < {P99_TARGET_MS} ms", "value": "not run", "ok": None}
            )
    rows.append(rss_target(bench.soak))
    if bench.view_counts:
        text = ", ".join(
            f"{v.get('short', v['scenario'].split()[1])} {v['difference']:+d} (slack {v['slack']})"
            for v in bench.view_counts
        )
        rows.append(
            {
                "target": "view counts exact",
                "value": text,
                "ok": all(v["ok"] for v in bench.view_counts),
            }
        )
    else:
        rows.append({"target": "view counts exact", "value": "not run", "ok": None})
    return rows


def rss_target(soak: dict | None) -> dict:
    name = f"RSS/worker < {RSS_TARGET_MIB} MiB after {SOAK_REQUESTS:,} requests, not growing"
    if soak is None:
        return {"target": name, "value": "not run", "ok": None}
    if not soak["after_full"] or not soak["after_half"]:
        return {
            "target": name,
            "ok": False,
            "value": f"only {soak['requests']:,} requests in {soak['seconds']} s",
        }
    half, full = soak["after_half"]["rss_mib"], soak["after_full"]["rss_mib"]
    ok = bool(full) and set(half) == set(full)  # a respawned worker is a failure too
    parts = []
    for pid, mib in sorted(full.items()):
        start = half.get(pid)
        growth_ok = start is not None and mib <= start + max(0.05 * start, 3.0)
        ok = ok and mib < RSS_TARGET_MIB and growth_ok
        parts.append(f"{start:.1f}→{mib:.1f}" if start is not None else f"new {mib:.1f}")
    return {"target": name, "value": " MiB, ".join(parts) + " MiB", "ok": ok}


def table(bench: Bench) -> list[str]:
    lines = [
        "| scenario | req/s median (min–max) | p50 ms | p99 ms | bytes body + headers "
        "| max RSS/worker MiB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in bench.scenarios:
        rss = s["max_rss_worker_mib"]
        lines.append(
            f"| {s['scenario']} | {s['rps_median']:,.0f} ({s['rps_min']:,.0f}–{s['rps_max']:,.0f}) "
            f"| {s['p50_ms']:.2f} | {s['p99_ms']:.2f} "
            f"| {s['check']['body_bytes']:,} + {s['check']['header_bytes']} "
            f"| {rss if rss is not None else '–'} |"
        )
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--only", default=",".join(GROUPS), help="subset: cangxanh,wagtail,nginx")
    parser.add_argument("--keep", action="store_true", help="leave the scratch databases")
    parser.add_argument(
        "--soak-limit",
        type=int,
        default=240,
        help="at most this many seconds for the 100k-request memory run",
    )
    args = parser.parse_args(argv)
    only = {g.strip() for g in args.only.split(",") if g.strip()}
    if unknown := only - set(GROUPS):
        parser.error(f"unknown --only: {', '.join(sorted(unknown))}")

    # SIGTERM (and Ctrl-C) unwind through the finally below, which stops every server.
    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)  # also when started with SIGINT ignored (`&`)
    started = datetime.now(UTC)
    clock = time.monotonic()
    bench = Bench(args)
    article = home = None
    aborted = None
    try:
        for port in PORTS.values():
            if not port_free(port):
                raise BenchError(f"port {port} is in use before the bench starts")
        ensure_tools()
        article = setup_cangxanh()
        home = "/vi/"
        if "cangxanh" in only:
            counted_scenario(
                bench,
                cangxanh_server("cangxanh-cached", page_cache=True),
                article,
                home,
                cached=True,
            )
            counted_scenario(
                bench,
                cangxanh_server("cangxanh-uncached", page_cache=False),
                article,
                home,
                cached=False,
            )
            redis_scenario(bench, article)
        elif "nginx" in only:
            server = cangxanh_server("cangxanh-cached", page_cache=True)
            server.start()
            try:
                NGINX_DIR.mkdir(parents=True, exist_ok=True)
                curl(server.url(article["url"]), NGINX_DIR / "article.html")
            finally:
                server.stop()
        if "wagtail" in only:
            urls = setup_wagtail(article)
            for name, cached, kind in (
                ("wagtail-uncached", False, "gunicorn"),
                ("wagtail-cached", True, "gunicorn"),
                ("wagtail-uncached-granian", False, "granian"),
                ("wagtail-cached-granian", True, "granian"),
            ):
                server = wagtail_server(name, page_cache=cached, server=kind)
                label = "Wagtail cached" if cached else "Wagtail uncached"
                if kind == "granian":
                    label += " (granian)"
                server.start()
                try:
                    bench.measure(server, f"{label} article", urls["article_url"])
                    bench.measure(server, f"{label} home", urls["home_url"])
                finally:
                    server.stop()
        if "cluster" in only:
            cluster_scenario(bench)
        if "nginx" in only:
            server = nginx_server(article)
            server.start()
            try:
                bench.measure(server, "nginx static article", article["url"])
            finally:
                server.stop()
        if {"cangxanh", "wagtail", "nginx"} <= only:
            side_by_side(
                bench,
                [
                    (CX, cangxanh_server("cangxanh-cached", page_cache=True), article["url"]),
                    (
                        WAGTAIL,
                        wagtail_server("wagtail-cached", page_cache=True, server="gunicorn"),
                        urls["article_url"],
                    ),
                    (NGINX, nginx_server(article), article["url"]),
                ],
            )
    except BenchError as exc:
        aborted = str(exc)
        bench.fail(aborted.splitlines()[0])
        say(aborted)
    except KeyboardInterrupt:
        aborted = "interrupted"
        bench.fail("interrupted")
    finally:
        for server in list(STARTED):
            server.stop()
        if not args.keep:
            remove_scratch_databases()
    for port in PORTS.values():
        if not port_free(port):
            bench.fail(f"port {port} still in use after the bench")

    rows = targets(bench)
    for row in rows:
        if row["ok"] is False:
            bench.failures.append(f"{row['target']} ({row['value']})")
    lines = table(bench)

    def mark(row) -> str:
        if row["target"].startswith("info:"):
            return "INFO"
        return "PASS" if row["ok"] else "SKIP" if row["ok"] is None else "FAIL"

    checks = [f"- {mark(r)}: {r['target'].removeprefix('info: ')}: {r['value']}" for r in rows]
    if bench.publish:
        checks.append(
            "- INFO: cluster publish-to-visible (app server 1 → section page through Varnish): "
            f"median {bench.publish['median_ms']} ms of {bench.publish['all_ms']}"
        )
    elif bench.cluster_skipped:
        checks.append(f"- SKIP: cluster rows: {bench.cluster_skipped}")
    for number, measured in enumerate(bench.side_by_side, 1):
        said = ", ".join(f"{name} {rps:,.0f}" for name, rps in measured.items())
        checks.append(f"- side by side, round {number} (req/s, in this order): {said}")
    verdict = "bench: pass" if not bench.failures else "bench: fail: " + "; ".join(bench.failures)
    elapsed = round(time.monotonic() - clock, 1)
    info = versions()

    print("\n".join(lines))
    print()
    print("\n".join(checks))
    print(
        f"({elapsed:.0f} s; {info.get('nproc')} cores shared with wrk; "
        f"wrk -t{THREADS} -c{CONNECTIONS}, {RUNS} × {args.duration} s after a {WARMUP_S} s warm-up)"
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    record = {
        "started": started.isoformat(timespec="seconds"),
        "elapsed_s": elapsed,
        "options": {
            "duration": args.duration,
            "only": sorted(only),
            "keep": args.keep,
            "soak_limit": args.soak_limit,
        },
        "versions": info,
        "load": {
            "threads": THREADS,
            "connections": CONNECTIONS,
            "warmup_s": WARMUP_S,
            "runs": RUNS,
            "user_agent": BROWSER_UA,
        },
        "article": article,
        "scenarios": bench.scenarios,
        "soak": bench.soak,
        "view_counts": bench.view_counts,
        "cluster_publish": bench.publish,
        "side_by_side": bench.side_by_side,
        "targets": rows,
        "table": lines,
        "aborted": aborted,
        "failures": bench.failures,
        "verdict": verdict,
    }
    path = RESULTS / f"pages-{stamp}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1))
    versions_line = (
        f"cangxanh: Python {info['cangxanh'].get('python')}, Django {info['cangxanh'].get('django')}, "
        f"granian {info['cangxanh'].get('granian')}; Wagtail {info['wagtail'].get('wagtail')} "
        f"(Django {info['wagtail'].get('django')}, granian {info['wagtail'].get('granian')}); "
        f"nginx {info.get('nginx')}; wrk {info.get('wrk')}; {info.get('nproc')} cores"
    )
    (RESULTS / "pages-latest.md").write_text(
        f"Page bench, {started:%Y-%m-%d %H:%M} UTC ({path.name}). {versions_line}.\n\n"
        + "\n".join(lines)
        + "\n\n"
        + "\n".join(checks)
        + f"\n\n{verdict}\n"
    )
    say(f"wrote {path.relative_to(ROOT)} and bench/results/pages-latest.md")
    print(verdict)
    return 0 if not bench.failures else 1


if __name__ == "__main__":
    sys.exit(main())
