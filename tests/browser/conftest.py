"""Debian's Chromium for the browser journeys, and where their screenshots go."""

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def chromium():
    """Open Debian's Chromium: `with chromium() as browser: ...`.

    Build the test's data before opening it: while Playwright's event loop is
    alive, Django hands ORM calls in this thread a separate database connection.
    """
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CANGXANH_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
        pytest.skip(
            f"{CHROMIUM} is missing (apt-get install chromium); CI installs it and never skips"
        )
    from playwright.sync_api import sync_playwright

    @contextmanager
    def launch():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            try:
                yield browser
            finally:
                browser.close()

    return launch


def in_db(fn, *args, **kwargs):
    """Run `fn(*args, **kwargs)` on a thread of its own, for ORM reads while Playwright's loop runs.

    Django refuses ORM calls in a thread with a running event loop; a worker thread
    has its own connection, closed here so the test database can be dropped.
    """

    def run():
        from django.db import connections

        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
