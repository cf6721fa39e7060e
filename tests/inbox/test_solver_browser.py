"""The browser's half of the proof of work: static/cangxanh/altcha-solver.js in Debian's
Chromium, under the site's own Content-Security-Policy, against the Python verifier.

A small HTTP server stands in for the views (the form, the challenge, the answer), so
this needs no database: the page loads the solver as a module, the solver starts its
worker from the same file, and what the form sends must verify with `defences.verify`.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from csp.utils import build_policy
from playwright.sync_api import expect

from cangxanh.inbox import defences

pytestmark = pytest.mark.browser

SOLVER = Path(defences.__file__).parents[1] / "static" / "cangxanh" / "altcha-solver.js"
NONCE = "b3Blbi1zZXNhbWU"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""


class Site:
    """The form page, the solver, a challenge, and what was received."""

    def __init__(self, challenge_status=200, answer_after=0.0):
        self.challenge_status = challenge_status
        self.answer_after = answer_after  # seconds the answer takes (a slow connection)
        self.received = []
        self.replays = set()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body, content_type):
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                # Every answer carries the site's policy, as the middleware does.
                self.send_header("Content-Security-Policy", build_policy(nonce=NONCE))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/form":
                    self.answer(200, site.page(), "text/html; charset=utf-8")
                elif self.path == "/static/cangxanh/altcha-solver.js":
                    self.answer(200, SOLVER.read_bytes(), "text/javascript; charset=utf-8")
                elif self.path == "/challenge" and site.challenge_status == 200:
                    self.answer(200, json.dumps(defences.new_challenge()), "application/json")
                elif self.path == "/challenge":
                    self.answer(site.challenge_status, "{}", "application/json")
                else:
                    self.answer(404, "", "text/plain")

            def do_POST(self):
                length = int(self.headers["Content-Length"])
                form = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
                payload = form.get(defences.PROOF_FIELD, [""])[0]
                site.received.append(defences.verify(payload, site.first_use))
                time.sleep(site.answer_after)
                self.answer(200, "<!doctype html><title>Received</title><p>Received", "text/html")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def first_use(self, key):
        new = key not in self.replays
        self.replays.add(key)
        return new

    def page(self):
        attrs = defences.FormDefence.form_attrs("/challenge")
        # The strings stand in for the translated ones the server writes.
        attrs = attrs.replace(str(defences.SOLVER_TEXTS["done"]), "Ready")
        return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ask</title>
<script type="module" src="/static/cangxanh/altcha-solver.js" nonce="{NONCE}"></script></head>
<body><form method="post" action="/send"{attrs}>
<textarea name="text"></textarea>
<input type="hidden" name="{defences.PROOF_FIELD}" value="a proof the page came with">
<p data-altcha-status role="status" aria-live="polite"></p>
<button>Send</button></form></body></html>"""

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    made = []

    def make(**kwargs):
        made.append(Site(**kwargs))
        return made[-1]

    yield make
    for one in made:
        one.close()


def _open(browser, site):
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors, workers = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("worker", lambda worker: workers.append(worker.url))
    page.goto(site.url + "/form")
    return page, errors, workers


def test_the_solver_proves_the_work_in_a_worker_under_the_sites_policy(chromium, site):
    here = site()
    with chromium() as browser:
        page, errors, workers = _open(browser, here)
        page.fill("textarea", "Xin hỏi thủ tục thị thực.")
        expect(page.locator("[data-altcha-status]")).to_have_text("Ready")
        assert workers == [here.url + "/static/cangxanh/altcha-solver.js"]
        with page.expect_navigation():
            page.click("button")
        assert page.evaluate("window.__violations") == []
        assert errors == []
    assert here.received == [defences.PROOF_OK]


def test_sending_at_once_waits_for_the_proof(chromium, site):
    here = site()
    with chromium() as browser:
        page, errors, _workers = _open(browser, here)
        with page.expect_navigation():
            # Sent without the form ever having focus: the proof is found first.
            page.evaluate("document.querySelector('form').requestSubmit()")
        assert errors == []
    assert here.received == [defences.PROOF_OK]


def test_without_a_challenge_the_form_is_still_sent(chromium, site):
    here = site(challenge_status=503)
    failed = str(defences.SOLVER_TEXTS["failed"])
    with chromium() as browser:
        page, errors, _workers = _open(browser, here)
        page.fill("textarea", "Xin hỏi.")
        expect(page.locator("[data-altcha-status]")).to_have_text(failed)
        with page.expect_navigation():
            page.click("button")
        assert errors == []
    # No proof at all, not the one the page came with: the server sets it aside.
    assert here.received == [defences.PROOF_MISSING]


def test_a_second_click_while_the_page_goes_sends_nothing_more(chromium, site):
    """The second sending would carry the same proof, which the server drops as a replay,
    and the person would see that answer instead of the one with their tracking code."""
    here = site(answer_after=1.5)
    with chromium() as browser:
        page, errors, _workers = _open(browser, here)
        page.fill("textarea", "Xin hỏi thủ tục thị thực.")
        expect(page.locator("[data-altcha-status]")).to_have_text("Ready")
        # Two clicks as a person makes them, the answer still on its way.
        page.evaluate(
            """() => new Promise((done) => {
              const button = document.querySelector("button");
              button.click();
              setTimeout(() => { button.click(); done(); }, 200);
            })"""
        )
        expect(page).to_have_title("Received", timeout=10_000)
        assert errors == []
    assert here.received == [defences.PROOF_OK]
