"""A question's journey, in Debian's Chromium under the site's Content-Security-Policy.

A person asks a question (the browser solves the proof of work), gets the tracking
code on screen and by e-mail; an editor writes the answer (the question as published
suggested without personal data, the check confirmed) and submits it; an approver
publishes it; the person looks the question up with code and e-mail and follows the
link to the answer. No page along the way violates the policy or logs an error.
Screenshots of the ask, success and tracking pages at 390 and 1366 px go to
test-artifacts/ (and /tmp/shots/ when that folder exists).
"""

import re
import time
from pathlib import Path

import pytest
from django.core import mail

from cangxanh.editorial import roles
from cangxanh.inbox.models import State
from cangxanh.questions.models import Question, Topic, TopicName

from ..conftest import ARTIFACTS, in_db
from .test_csp import Watch
from .test_editorial_journey import PASSWORD, _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
QUESTION = (
    "Xin chào, tôi là Park Ji-hoon, kỹ sư người Hàn Quốc làm việc tại Hải Phòng. "
    "Thị thực lao động của tôi hết hạn vào tháng sau. Tôi cần nộp hồ sơ gia hạn ở đâu và "
    "cần những giấy tờ gì? Điện thoại của tôi: 0912 345 678."
)


def _shots(page, name: str) -> None:
    """The page at a phone's and a desktop's width, whole."""
    folders = [ARTIFACTS] + ([SHOTS] if SHOTS.is_dir() else [])
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        for folder in folders:
            page.screenshot(path=str(folder / f"questions-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def _staff(browser, base, username):
    """A newsroom member signed in, in a context of their own."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(base + "/admin/login/?next=/editorial/questions/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/editorial/questions/$"))
    # Watched from here, as tests/browser/test_csp.py watches the newsroom: the sign-in
    # page has no icon of its own, and the browser's request for one is not our page's.
    watch = Watch(context)
    page.reload()
    return page, watch


def test_ask_answer_publish_and_look_up(live_server, chromium, django_user_model, site_identity):
    ARTIFACTS.mkdir(exist_ok=True)
    topic = Topic.objects.create(key="visas")
    for lang, name in (("vi", "Thị thực và giấy phép lao động"), ("en", "Visas and work permits")):
        TopicName.objects.create(topic=topic, language=lang, name=name)
    _user(django_user_model, "bien-tap", roles.EDITOR, ["vi"])
    _user(django_user_model, "duyet", roles.APPROVER)
    base = live_server.url

    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        watch = Watch(context)
        person = context.new_page()

        # Sent at once, empty, on a phone: the proof is found first (the status line that
        # appears must not move the button from under the finger), then the form comes
        # back with every problem named.
        person.set_viewport_size({"width": 390, "height": 844})
        person.goto(base + "/vi/questions/ask/")
        with person.expect_navigation():
            person.locator(".qa-send").click()
        assert person.locator(".qa-alert[role=alert] li").count() == 5  # name, e-mail, …
        assert person.evaluate("window.__violations") == []
        _shots(person, "ask-errors")
        watch.errors = [e for e in watch.errors if "status of 400" not in e]

        # The person asks. The proof of work is found while they write.
        person.goto(base + "/vi/questions/ask/")
        opened = time.monotonic()
        _shots(person, "ask")
        person.fill("#id_name", "Park Ji-hoon")
        person.fill("#id_email", "jihoon.park@example.com")
        person.select_option("#id_topic", "visas")
        person.fill("#id_text", QUESTION)
        person.check("#id_consent")
        proof = person.locator("input[name=altcha]")
        deadline = time.monotonic() + 20
        while not proof.input_value() and time.monotonic() < deadline:
            person.wait_for_timeout(100)
        assert proof.input_value(), "the browser found no proof of work"
        # A person takes longer than the form's minimum fill time.
        time.sleep(max(0.0, 3.5 - (time.monotonic() - opened)))
        person.get_by_role("button", name=re.compile("Send my question|Gửi")).click()
        person.wait_for_load_state()
        code = person.locator("[data-tracking-code]").inner_text().strip()
        assert re.fullmatch(r"HD-\d{4}-\d{6}-\d", code), code
        _shots(person, "success")
        watch.check(person, "ask and success")

        question = in_db(Question.objects.get, code=code)
        assert question.state == State.RECEIVED, question.flags
        assert question.proof_ok and question.flags == []
        (message,) = mail.outbox
        assert code in message.body and "0912 345 678" not in message.body

        # An editor writes the answer from the question's page and submits it.
        editor, editor_watch = _staff(browser, base, "bien-tap")
        # The queue on a phone: each question a card, nothing wider than the screen.
        size = editor.viewport_size
        editor.set_viewport_size({"width": 390, "height": 844})
        assert editor.locator(".questions-table").count() >= 1
        assert editor.evaluate("document.documentElement.scrollWidth") <= 390
        editor.set_viewport_size(size)
        editor.get_by_role("link", name=code).click()
        editor.wait_for_load_state()
        lead = editor.locator("#id_answer-lead").input_value()
        assert "0912 345 678" not in lead and "[…]" in lead
        editor.fill("#id_answer-title", "Gia hạn thị thực lao động cho chuyên gia nước ngoài")
        editor.fill(
            "#id_answer-body",
            "Hồ sơ gia hạn nộp tại Phòng Quản lý xuất nhập cảnh, Công an thành phố.\n\n"
            "Hồ sơ gồm hộ chiếu, giấy phép lao động và tờ khai theo mẫu.",
        )
        editor.check("#id_answer-confirm")
        editor.get_by_role("button", name="Save and submit for review").click()
        editor.wait_for_load_state()
        assert editor.locator(".messagelist .success").count() == 1, editor.content()[:3000]
        assert in_db(Question.objects.get, code=code).state == State.ANSWERED
        # Publishing or sending it is the approver's: the editor is offered neither.
        assert editor.get_by_role("button", name="Publish the answer").count() == 0
        assert editor.get_by_role("button", name="Approve and send privately").count() == 0
        editor_watch.check(editor, "the editor's pages")

        # An approver publishes it.
        approver, approver_watch = _staff(browser, base, "duyet")
        approver.get_by_role("link", name=code).click()
        approver.wait_for_load_state()
        approver.get_by_role("button", name="Publish the answer").click()
        approver.wait_for_load_state()
        assert approver.locator(".messagelist .success").count() == 1, approver.content()[:3000]
        assert in_db(Question.objects.get, code=code).state == State.PUBLISHED
        assert len(mail.outbox) == 2 and code in mail.outbox[1].subject
        approver_watch.check(approver, "the approver's pages")

        # Readers find the published answer by its words; nothing of the asker is there.
        person.goto(base + "/vi/questions/?q=gia+hạn+thị+thực")
        found = person.locator(".qa-list")
        assert "Gia hạn thị thực lao động" in found.inner_text()
        assert "Park Ji-hoon" not in person.content() and "0912 345 678" not in person.content()

        # The person looks the question up, typed the way people type, and reads the answer.
        person.goto(base + "/vi/questions/track/")
        person.fill("#id_code", code.lower().replace("-", " "))
        person.fill("#id_email", "JiHoon.Park@example.com")
        person.get_by_role("button", name=re.compile("Look it up|Tra cứu")).click()
        person.wait_for_load_state()
        assert code in person.locator(".qa-result").inner_text()
        _shots(person, "track")
        person.locator(".qa-answer-link a").click()
        person.wait_for_load_state()
        assert "Gia hạn thị thực lao động" in person.locator("h1").inner_text()
        assert "0912 345 678" not in person.content()
        watch.check(person, "track and answer")

        # A mistyped code is named as such.
        person.goto(base + "/vi/questions/track/")
        person.fill("#id_code", code[:-1] + str((int(code[-1]) + 1) % 10))
        person.fill("#id_email", "jihoon.park@example.com")
        person.locator(".qa-form--track button").click()
        person.wait_for_load_state()
        assert person.locator(".qa-alert").count() == 1
        # The page answers 400 (bad input), which the browser reports; nothing else may fail.
        assert person.evaluate("window.__violations") == []
        assert [e for e in watch.errors if "status of 400" not in e] == []
