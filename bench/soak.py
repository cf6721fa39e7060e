#!/usr/bin/env python3
"""The soak: ten minutes at twice an expected peak, with the newsroom publishing.

    .venv/bin/python bench/soak.py [--minutes 10] [--peak 100] [--publish-every 5]

On the bench's scratch install (bench/.work/cangxanh-var, fresh demo content)
it serves the portal as `make run` does (granian, 2 workers, page cache on,
no Redis) and sends, for the whole time, twice `--peak` requests a second
from a pool of keep-alive connections: articles in every language, home and
section pages, searches and feeds, in the proportions of MIX. Every request
comes from a reader of its own, as a CDN or proxy on the loopback interface
would forward it (X-Forwarded-For; loopback is a trusted proxy by default), so
each article request is a view that must be counted exactly once. Meanwhile
an approver publishes a new version of a published article every
`--publish-every` seconds through the workflow service, which retires every
cached page.

Passes when: no request failed (anything but 200, or no answer), every
article view reached the database exactly once, each worker's resident memory
over the last third is within 10 % (or 8 MiB) of the middle third, and at
least 95 % of the planned requests were sent (the load generator kept up).
Prints the figures and `soak: pass` or `soak: fail: <reasons>`; exit status
0 or 1; writes bench/results/soak-<UTC time>.json.
"""

import argparse
import http.client
import itertools
import json
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent / "pages"))

import run as pages  # noqa: E402  (the page bench's servers, scratch install and helpers)

PORT = 8340
CONNECTIONS = 24
MIX = {"article": 50, "home": 12, "section": 13, "search": 10, "feed": 15}
BROWSER_UA = pages.BROWSER_UA
QUERIES = ["hải phòng", "Lạch Huyện", "investment", "cảng", "대표단", "投資", "合作", "Korea"]

URLS = """
import json
from cangxanh.news.models import ArticleTranslation, SectionTranslation
articles = [
    [t.pk, t.get_absolute_url()]
    for t in ArticleTranslation.objects.published().select_related("article")
]
sections = [s.get_absolute_url() for s in SectionTranslation.objects.all()]
print("BENCH-JSON " + json.dumps({"articles": articles, "sections": sections}))
"""

TOTAL_VIEWS = """
from django.db.models import Sum
from cangxanh.news.models import ArticleTranslation
print("BENCH-JSON", ArticleTranslation.objects.aggregate(n=Sum("view_count"))["n"] or 0)
"""

# The newsroom, as an approver: a new version of one published Vietnamese article
# after another, published at once. Prints one line per publication.
PUBLISHER = """
import itertools, os, time
from django.contrib.auth import get_user_model
from cangxanh.editorial import editing, workflow
from cangxanh.news.models import ArticleTranslation
approver = get_user_model().objects.get(username="approver")
ids = list(ArticleTranslation.objects.published().filter(language="vi").values_list("pk", flat=True))
every = float(os.environ["SOAK_PUBLISH_EVERY"])
until = time.monotonic() + float(os.environ["SOAK_SECONDS"])
for n in itertools.count(1):
    if time.monotonic() >= until:
        break
    t = ArticleTranslation.objects.get(pk=ids[n % len(ids)])
    lead = t.lead[:-2] if t.lead.endswith(" ·") else t.lead + " ·"  # always a new version
    text = {"title": t.title, "slug": t.slug, "lead": lead, "body": t.body}
    editing.translation_save_text(translation=t, text=text, user=approver, note="soak")
    workflow.perform(t, "publish", approver)
    print("published", t.pk, flush=True)
    time.sleep(every)
"""


class Load:
    """Paced requests from CONNECTIONS keep-alive connections, each with its own reader."""

    def __init__(self, urls: dict, rate: float, seconds: float):
        self.urls, self.rate, self.seconds = urls, rate, seconds
        self.lock = threading.Lock()
        self.sent = 0
        self.latencies: dict[str, list[float]] = {kind: [] for kind in MIX}
        self.errors: list[str] = []
        self.article_views = 0
        self.readers = itertools.count(1)
        self.slots = itertools.count()
        self.kinds = [kind for kind, weight in MIX.items() for _ in range(weight)]

    def reader(self) -> str:
        n = next(self.readers)  # 10.x.y.z: a distinct client address per request
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    def path(self, rng: random.Random, kind: str) -> str:
        if kind == "article":
            return rng.choice(self.urls["articles"])[1]
        if kind == "home":
            return f"/{rng.choice(pages_languages)}/"
        if kind == "section":
            return rng.choice(self.urls["sections"])
        if kind == "search":
            return f"/{rng.choice(pages_languages)}/search/?q={quote(rng.choice(QUERIES))}"
        return f"/{rng.choice(pages_languages)}/feed/"

    def worker(self, seed: int, start: float) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while True:
            slot = next(self.slots)
            due = start + slot / self.rate
            if due - start >= self.seconds:
                break
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            kind = rng.choice(self.kinds)
            path = self.path(rng, kind)
            began = time.monotonic()
            try:
                conn.request(
                    "GET",
                    path,
                    headers={"User-Agent": BROWSER_UA, "X-Forwarded-For": self.reader()},
                )
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = f"{type(error).__name__}: {error}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            took = (time.monotonic() - began) * 1000
            with self.lock:
                self.sent += 1
                if status == 200:
                    self.latencies[kind].append(took)
                    if kind == "article":
                        self.article_views += 1
                elif len(self.errors) < 50:
                    self.errors.append(f"{status} {path}")
                else:
                    self.errors.append("…")
        conn.close()

    def run(self) -> None:
        start = time.monotonic() + 0.2
        threads = [
            threading.Thread(target=self.worker, args=(seed, start), daemon=True)
            for seed in range(CONNECTIONS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


pages_languages = ["vi", "en", "ko", "ja", "zh-hans"]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def memory_flat(server: pages.Server, started: float, seconds: float) -> tuple[bool, dict]:
    """Per worker: median RSS of the middle third against the last third."""
    thirds: dict[int, tuple[list[float], list[float]]] = {}
    for when, _phase, sample in server.samples:
        part = (when - started) / seconds
        for pid, mib in sample.items():
            middle, last = thirds.setdefault(pid, ([], []))
            if 1 / 3 <= part < 2 / 3:
                middle.append(mib)
            elif part >= 2 / 3:
                last.append(mib)
    report, ok = {}, True
    for pid, (middle, last) in thirds.items():
        if not middle or not last:
            continue
        m, lst = statistics.median(middle), statistics.median(last)
        grew = lst - m
        report[pid] = {"middle_mib": round(m, 1), "last_mib": round(lst, 1)}
        if grew > max(8.0, 0.10 * m):
            ok = False
    return ok and bool(report), report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--peak", type=float, default=100, help="expected peak, requests/s")
    parser.add_argument("--publish-every", type=float, default=5, help="seconds")
    args = parser.parse_args(argv)
    seconds = args.minutes * 60
    rate = 2 * args.peak

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    failures: list[str] = []
    if not pages.port_free(PORT):
        print(f"soak: fail: port {PORT} is in use")
        return 1
    pages.setup_cangxanh()
    urls = pages.cangxanh_shell(URLS)
    before = pages.cangxanh_shell(TOTAL_VIEWS)
    env = pages.cangxanh_env()
    cmd = [pages.CX_PYTHON, "-m", "cangxanh.serve", "--port", PORT, "--workers", 2]
    server = pages.Server("soak", cmd, cwd=pages.ROOT, env=env, port=PORT, ready="/en/")
    publisher = None
    published = 0
    try:
        server.start()
        load = Load(urls, rate, seconds)
        pages.say(
            f"soak: {args.minutes:g} min at {rate:g} requests/s "
            f"({len(urls['articles'])} articles), a publication every {args.publish_every:g} s"
        )
        publisher = subprocess.Popen(
            [pages.CX_PYTHON, "manage.py", "shell", "-c", PUBLISHER],
            cwd=pages.ROOT,
            env={
                **env,
                "SOAK_PUBLISH_EVERY": str(args.publish_every),
                "SOAK_SECONDS": str(seconds),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started = time.monotonic()
        load_thread = threading.Thread(target=load.run, daemon=True)
        load_thread.start()
        while load_thread.is_alive():
            load_thread.join(30)
            pages.say(f"soak: {load.sent} requests, {len(load.errors)} failed")
        publisher.terminate()
        out, _ = publisher.communicate(timeout=60)
        published = out.count("published ")
        if "Traceback" in out:
            failures.append("the publisher failed: " + out.strip().splitlines()[-1])
        flat, memory = memory_flat(server, started, seconds)
    finally:
        if publisher is not None and publisher.poll() is None:
            publisher.kill()
        server.stop()  # SIGTERM: every worker writes the views it still holds
    after = pages.cangxanh_shell(TOTAL_VIEWS)
    counted = after - before
    planned = int(rate * seconds)
    every = [ms for values in load.latencies.values() for ms in values]
    summary = {
        "minutes": args.minutes,
        "rate": rate,
        "planned": planned,
        "sent": load.sent,
        "errors": len(load.errors),
        "error_samples": load.errors[:10],
        "published": published,
        "p50_ms": percentile(every, 0.50),
        "p99_ms": percentile(every, 0.99),
        "p99_ms_by_kind": {k: percentile(v, 0.99) for k, v in load.latencies.items()},
        "article_views_sent": load.article_views,
        "views_counted": counted,
        "memory": memory,
    }
    if load.errors:
        failures.append(f"{len(load.errors)} requests failed ({load.errors[0]})")
    if counted != load.article_views:
        failures.append(f"{counted} views counted for {load.article_views} article views")
    if not flat:
        failures.append(f"worker memory grew: {memory}")
    if load.sent < 0.95 * planned:
        failures.append(f"only {load.sent} of {planned} planned requests were sent")
    if published < seconds / args.publish_every / 2:
        failures.append(f"only {published} publications")
    pages.RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (pages.RESULTS / f"soak-{stamp}.json").write_text(json.dumps(summary, indent=2))
    print(
        f"soak: {load.sent} requests in {args.minutes:g} min ({rate:g}/s), "
        f"{len(load.errors)} failed, p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms"
    )
    print(f"soak: p99 by kind (ms): {summary['p99_ms_by_kind']}")
    print(f"soak: {published} publications; views {counted} counted / {load.article_views} sent")
    print(f"soak: worker memory (MiB, middle third → last third): {memory}")
    print("soak: pass" if not failures else "soak: fail: " + "; ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
