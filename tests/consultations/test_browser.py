"""A comment's journey in Debian's Chromium, on a phone, in Vietnamese, under the site's
Content-Security-Policy: from a paragraph's "comment" link to the form, sent at once
empty (the proof of work is found first, and the status line it writes must not move
the button from under the finger: the tap would land beside it and send nothing), then
filled in with the name withheld and sent; the comment waits for a moderator, unseen.
Screenshots at 390 px go to test-artifacts/ (and /tmp/shots-cons/ when it exists)."""

import time
from pathlib import Path

import pytest

from cangxanh.consultations.models import Comment
from cangxanh.inbox.models import State

from ..browser.test_csp import Watch
from ..conftest import ARTIFACTS, in_db
from .conftest import keys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-cons")
TEXT = "Đề nghị quy định rõ thời hạn gửi chương trình làm việc cho từng loại đoàn."


def _shot(page, name: str) -> None:
    for folder in [ARTIFACTS] + ([SHOTS] if SHOTS.is_dir() else []):
        page.screenshot(path=str(folder / f"consultation-{name}-390.png"), full_page=True)


def test_a_comment_from_a_phone(live_server, chromium, site_identity, make_consultation):
    ARTIFACTS.mkdir(exist_ok=True)
    article = make_consultation()
    row = article.translations.get(language="vi")
    key = keys(row.body)[2]
    url = live_server.url + row.get_absolute_url()

    with chromium() as browser:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        watch = Watch(context)
        page = context.new_page()
        page.goto(url)
        page.locator(f'a[href*="paragraph={key}"]').click()
        page.wait_for_load_state()
        assert "Bạn đang góp ý đoạn 2" in page.inner_text(".consultation-form__quote")

        # Sent at once, empty: the first tap sends (before, it moved the button and
        # landed on the form), and the form comes back with what is missing.
        with page.expect_navigation(timeout=20_000):
            page.locator("#comment-form button[type=submit]").click()
        assert page.locator(".errorlist").count() >= 3
        assert page.locator(f'option[value="{key}"][selected]').count() == 1
        _shot(page, "errors")
        watch.errors = [e for e in watch.errors if "status of 400" not in e]

        opened = time.monotonic()
        page.fill("#id_text", TEXT)
        page.fill("#id_name", "Phạm Thị Hoa")
        page.fill("#id_email", "hoa@example.test")
        page.check("#id_hide_name")
        page.check("#id_consent")
        proof = page.locator("input[name=altcha]")
        deadline = time.monotonic() + 20
        while not proof.input_value() and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert proof.input_value(), "the browser found no proof of work"
        time.sleep(max(0.0, 3.5 - (time.monotonic() - opened)))  # a person's fill time
        _shot(page, "form")
        with page.expect_navigation(timeout=20_000):
            page.locator("#comment-form button[type=submit]").click()
        assert "/comment/sent/" in page.url
        _shot(page, "sent")
        watch.check(page, "the comment form and its answer")

        comment = in_db(Comment.objects.get)
        assert comment.state == State.RECEIVED and comment.flags == [] and comment.proof_ok
        assert comment.paragraph == key and comment.name_hidden and comment.text == TEXT
        page.goto(url)
        assert TEXT not in page.content()  # waits for a moderator
        watch.check(page, "the consultation")
