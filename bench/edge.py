#!/usr/bin/env python3
"""Counting views behind Varnish: ESI fragment, edge log or beacon, measured with wrk.

    .venv/bin/python bench/edge.py [--duration 5] [--runs 3] [--workers 2]

A scratch var folder with the demo content (bench/.work/edge-var, made once), the
production server (cangxanh.serve, granian) and Debian's varnishd with the
project's VCL in front. Every request comes from a reader of its own
(bench/readers.lua), so every view counts. Rows, each the median of `--runs`
runs of `--duration` seconds:

- esi: a cached article through Varnish, its count an ESI include Varnish fetches
  from the portal for every reader (the VCL as shipped); one request = one view;
- log: the VCL's "log" counting: the page with its count in it, kept by Varnish
  for a second, each reader served written by varnishncsa and counted by
  `manage.py edge-views` (both running, their CPU in the edge's and the portal's
  columns); one request = one view;
- beacon: the same page cached whole by Varnish, with a count frozen in it, and a
  beacon request per view (the count's address, passed to the portal), as a
  page's script would send it; two requests = one view;
- page only: that cached page alone, counting nothing (the edge's ceiling);
- origin: the portal's own page cache, no Varnish, each request a view.

Checks that the views counted are the views made (esi, log, beacon) and prints a table.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
import readers  # noqa: E402

from cangxanh.delivery.edge import VCL, vcl_for  # noqa: E402

VAR = ROOT / "bench" / ".work" / "edge-var"
PYTHON = ROOT / ".venv" / "bin" / "python"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) bench"

PAIRS_LUA = """
-- A page and its beacon, from one reader (bench/readers.lua's addresses).
local threads = 0
function setup(thread) threads = threads + 1; thread:set("thread_number", threads) end
function init(args) run = tonumber(args[1]) or 0; page = args[2]; beacon = args[3]; sent = 0 end
function request()
   sent = sent + 1
   local reader = math.floor((sent + 1) / 2)
   wrk.headers["X-Forwarded-For"] = string.format("2001:db8:%x:%x:%x:%x:%x:1",
      math.floor(run / 65536) % 65536, run % 65536, thread_number,
      math.floor(reader / 65536) % 65536, reader % 65536)
   if sent % 2 == 1 then return wrk.format("GET", page) end
   return wrk.format("GET", beacon)
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env() -> dict:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_URL"))}
    out.update({"CANGXANH_VAR_DIR": str(VAR), "DEBUG": "0", "CANGXANH_PAGE_CACHE": "1"})
    out.pop("CANGXANH_PRODUCTION", None)
    return out


def manage(*args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env(), capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def prepare() -> tuple[int, str]:
    if not (VAR / "cangxanh.sqlite3").exists():
        VAR.mkdir(parents=True, exist_ok=True)
        print("edge bench: scratch database with the demo content (once)", flush=True)
        for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["demo"]):
            manage(*args)
    out = manage(
        "shell",
        "-c",
        "from cangxanh.news.models import ArticleTranslation as T; "
        "t = T.objects.published().news().filter(language='vi').order_by('-published_at').first(); "
        "print('BENCH', t.pk, t.get_absolute_url())",
    )
    _, pk, url = next(line for line in out.splitlines() if line.startswith("BENCH")).split(" ", 2)
    return int(pk), url


def views_of(pk: int) -> int:
    out = manage(
        "shell",
        "-c",
        f"from cangxanh.news.models import ArticleTranslation as T; "
        f"print('BENCH', T.objects.get(pk={pk}).view_count)",
    )
    return int(next(line for line in out.splitlines() if line.startswith("BENCH")).split()[1])


def wait_http(url: str) -> None:
    for _ in range(400):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"{url} never answered")


def start(command: list[str], environment: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def varnish(
    origin_port: int, text: str, work: Path, views: str | None = None
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    vcl = work / f"edge-{port}.vcl"
    vcl.write_text(vcl_for(origin_port, text, views=views))
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    process = start(
        [
            *(varnishd, "-F", "-n", str(work / f"state-{port}"), "-a", f"127.0.0.1:{port}"),
            *("-T", "none", "-f", str(vcl), "-s", "malloc,256m"),
        ]
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/robots.txt")
    return process, base


def log_reader(work: Path, port: int) -> list[subprocess.Popen]:
    """varnishncsa on the edge at `port` and `manage.py edge-views` following its log."""
    from cangxanh.delivery import fragments

    log = str(work / "views.log")
    ncsa = start(fragments.varnishncsa(str(work / f"state-{port}"), log))
    reader = start([str(PYTHON), "manage.py", "edge-views", log], env() | {"PYTHONPATH": str(ROOT)})
    return [ncsa, reader]


def log_caught_up(work: Path, seconds: float = 30) -> None:
    """Until edge-views has counted every line varnishncsa wrote."""
    log = work / "views.log"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if int((work / "views.log.pos").read_text().split()[1]) >= log.stat().st_size:
                return
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.1)


def wrk(url: str, duration: int, script: list[str], after: list[str]) -> tuple[float, int]:
    command = ["wrk", "-t2", "-c32", f"-d{duration}s", "-H", f"User-Agent: {BROWSER}"]
    command += ["-H", "Accept-Encoding: gzip, deflate, br"]  # as browsers send it
    done = subprocess.run(
        [*command, *script, url, *after], capture_output=True, text=True, check=True
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    made = re.search(r"(\d+) requests in", done.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if errors:
        sys.exit(f"wrk: {errors.group(1)} failed answers from {url}")
    return float(rate.group(1)), int(made.group(1))


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(group: int) -> float:
    """CPU time (user and system) of the live processes of a process group."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp; utime, stime are fields 14 and 15
            total += int(fields[11]) + int(fields[12])
    return total / TICK


def client_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(url: str, seconds: int, beacon: str | None = None) -> tuple[float, int]:
    """(req/s, views made) of one wrk run, every request from a reader of its own (with
    `beacon`: a page and its beacon from each)."""
    run = readers.new_run()
    if beacon:
        script = Path(tempfile.gettempdir()) / "cangxanh-edge-pairs.lua"
        script.write_text(PAIRS_LUA)
        path = "/" + url.split("/", 3)[3]
        rate, sent = wrk(url, seconds, ["-s", str(script)], [str(run), path, beacon])
        return rate, sent // 2  # one view per page and beacon (an odd last page: none)
    options, after = readers.wrk_args(run)
    return wrk(url, seconds, options, after)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    pk, path = prepare()
    origin_port = free_port()
    server = start(
        [PYTHON, "-m", "cangxanh.serve", "--host", "127.0.0.1", "--port", str(origin_port)]
        + ["--workers", str(options.workers)],
        env(),
    )
    work = Path(tempfile.mkdtemp(prefix="cangxanh-edge-bench-"))
    work.chmod(0o755)
    shipped = VCL.read_text()
    # The beacon's edge: pages cached whole (no ESI asked for), the beacon passed.
    beacon_vcl, asked = re.subn(r'set req\.http\.Surrogate-Capability = "[^"]*";', "", shipped)
    beacon_vcl, reachable = re.subn(r"if \(req\.esi_level == 0[^{]*\{[^}]*\}", "", beacon_vcl)
    assert asked == reachable == 1, "the VCL changed: adapt the beacon variant"
    edges = []
    rates: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}  # CPU seconds per 1,000 views: edge, portal, wrk
    made = 0
    try:
        origin = f"http://127.0.0.1:{origin_port}"
        wait_http(origin + "/robots.txt")
        ask = urllib.request.Request(
            origin + path, headers={"Surrogate-Capability": "x=ESI/1.0", "User-Agent": "curl"}
        )
        page = urllib.request.urlopen(ask).read().decode()
        beacon = re.search(r'src="(/_edge/views/[^"]+)"', page).group(1)
        esi_edge, esi_base = varnish(origin_port, shipped, work, views="esi")
        log_edge, log_base = varnish(origin_port, shipped, work, views="log")
        beacon_edge, beacon_base = varnish(origin_port, beacon_vcl, work)
        edges = [esi_edge, log_edge, beacon_edge]
        ncsa, reader = log_reader(work, int(log_base.rsplit(":", 1)[1]))
        edges += [ncsa, reader]
        rows = {
            "esi": (esi_base + path, None),
            "log": (log_base + path, None),
            "beacon": (beacon_base + path, beacon),
            "page only (counts nothing)": (beacon_base + path, None),
            "origin (no Varnish)": (origin + path, None),
        }
        edge_of = {"esi": esi_edge.pid, "beacon": beacon_edge.pid, "log": log_edge.pid}
        edge_of["page only (counts nothing)"] = beacon_edge.pid
        for url, with_beacon in rows.values():  # warm-up, and every cache filled
            one_run(url, 2, with_beacon)
        time.sleep(1.5)
        before = views_of(pk)
        names = list(rows)
        for number in range(options.runs):  # interleaved, each round in another order
            for name in names[number % len(names) :] + names[: number % len(names)]:
                url, with_beacon = rows[name]
                group = edge_of.get(name)
                # The log's varnishncsa is the edge's, its edge-views the portal's.
                edge_groups = [group] + ([ncsa.pid] if name == "log" else []) if group else []
                portal_groups = [server.pid] + ([reader.pid] if name == "log" else [])

                def used(groups):
                    return sum(cpu_seconds(g) for g in groups)

                spent = (used(edge_groups), used(portal_groups))
                client = client_seconds()
                rate, views = one_run(url, options.duration, with_beacon)
                if name == "log":
                    log_caught_up(work)
                spent = (
                    used(edge_groups) - spent[0],
                    used(portal_groups) - spent[1],
                    client_seconds() - client,
                )
                rates.setdefault(name, []).append(rate)
                # Per 1,000 views (per 1,000 pages for the page alone).
                per = 1000 / max(1, views)
                cpu.setdefault(name, []).append(tuple(part * per for part in spent))
                if name != "page only (counts nothing)":
                    made += views
        log_caught_up(work)
        time.sleep(1.5)  # the last views written (every half second)
        counted = views_of(pk) - before
    finally:
        for process in edges:
            stop(process)
        stop(server)
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"\ncached article {path}\n{options.workers} granian workers, {os.cpu_count()} CPUs,"
        f" wrk -t2 -c32, {options.runs} interleaved runs of {options.duration} s, medians"
    )
    print(
        f"{'configuration':28} {'req/s':>8} {'views/s':>8}  CPU s per 1,000 views: "
        f"{'edge':>5} {'portal':>6} {'wrk':>5}  runs (req/s)"
    )
    for name, values in rates.items():
        rate = statistics.median(values)
        per_view = 0 if name.startswith("page") else rate / 2 if name == "beacon" else rate
        parts = [statistics.median(run[i] for run in cpu[name]) for i in range(3)]
        print(
            f"{name:28} {rate:8.0f} {per_view:8.0f}  {'':22}"
            f"{parts[0]:5.3f} {parts[1]:6.3f} {parts[2]:5.3f}  "
            + " ".join(f"{v:.0f}" for v in values)
        )
    print(
        f"views counted {counted}, made {made} (requests still in flight when a run ends count too)"
    )


if __name__ == "__main__":
    main()
