"""Asking over HTTP: the form, its defences, what is kept and what is e-mailed."""

import re

import pytest
from django.core import mail

from cangxanh.inbox import defences
from cangxanh.inbox.models import State, client_hash
from cangxanh.questions import codes
from cangxanh.questions.models import Question, QuestionMail

from .conftest import QUESTION

pytestmark = pytest.mark.django_db

CODE = re.compile(r"HD-\d{4}-\d{6}-\d")


def test_the_form_is_personal_and_loads_the_solver_with_a_nonce(client, topics):
    response = client.get("/vi/questions/ask/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert re.search(
        rf'<script type="module" src="[^"]*altcha-solver[^"]*\.js" nonce="{re.escape(nonce)}"', page
    )
    assert 'data-altcha-challenge="/vi/questions/challenge/"' in page
    assert 'href="/vi/privacy/"' in page
    for name in ("name", "email", "phone", "topic", "text", "consent", "form_token", "website"):
        assert f'name="{name}"' in page
    assert "Thị thực, giấy phép lao động" in page
    # The proof field is never written with a value by the server.
    assert re.search(r'<input type="hidden" name="altcha">', page)


def test_the_challenge_is_fresh_json_never_stored(client):
    first = client.get("/en/questions/challenge/")
    second = client.get("/en/questions/challenge/")
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    assert first["Cache-Control"] == "no-store"
    assert first.json()["parameters"]["nonce"] != second.json()["parameters"]["nonce"]


def test_a_question_is_received_with_a_code_and_an_email_without_its_text(
    ask, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask("en", phone="+84 912 345 678")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    question = Question.objects.get()
    assert question.state == State.RECEIVED and question.flags == [] and question.proof_ok
    assert codes.parse_code(question.code).code == question.code
    assert f"data-tracking-code>{question.code}<" in page
    assert "minjun.kim@example.kr" in page  # "we have sent this code to …"
    assert question.language == "en" and question.phone == "+84 912 345 678"
    assert question.due_on is not None
    # The client is a keyed hash, never the address.
    assert question.client == client_hash("127.0.0.1") and "127.0.0.1" not in question.client
    (message,) = mail.outbox
    assert message.to == ["minjun.kim@example.kr"]
    assert question.code in message.subject and question.code in message.body
    assert f"/en/questions/track/?code={question.code}" in message.body
    assert QUESTION[:40] not in message.body and "Kim Min-jun" not in message.body
    assert QuestionMail.objects.get().sent_at is not None


def test_codes_follow_each_other_within_the_year(ask):
    ask(email="a@example.vn")
    ask(email="b@example.vn")
    numbers = sorted(
        codes.parse_code(c).number for c in Question.objects.values_list("code", flat=True)
    )
    assert numbers == [1, 2]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "   "}, "This field is required."),
        ({"email": "not-an-address"}, "Enter a valid e-mail address"),
        ({"phone": "call me maybe"}, "phone number with 8 to 15 digits"),
        ({"topic": ""}, "This field is required."),
        ({"topic": "no-such-topic"}, "Choose a topic from the list."),
        ({"text": "Visa?"}, "at least 15 characters"),
        ({"text": "Xin hỏi về thị thực. " * 300}, "This text is too long"),
        ({"consent": None}, "Please agree to the personal-data notice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(ask, fields, message):
    typed = {"name": "Trần Thị Bình", "email": "binh@example.vn", "text": QUESTION}
    response = ask("en", **(typed | fields))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'role="alert"' in page
    for name, value in typed.items():
        if name not in fields:
            assert value in page, name
    assert not Question.objects.exists()
    # The form comes back with a token and an empty proof field (a proof is good once).
    assert re.search(r'name="form_token" value="[^"]+"', page)
    assert re.search(r'<input type="hidden" name="altcha">', page)


def test_an_expired_form_asks_to_send_again_and_keeps_the_text(ask):
    response = ask("en", seconds=3 * 3600)
    assert response.status_code == 400
    assert "security check has expired" in response.content.decode()
    assert QUESTION in response.content.decode()
    assert not Question.objects.exists()


def test_a_filled_honeypot_is_dropped_as_if_received(ask, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(**{defences.HONEYPOT_FIELD: "https://spam.example"})
    assert response.status_code == 200
    assert not CODE.search(response.content.decode())
    assert not Question.objects.exists() and not mail.outbox


def test_a_replayed_proof_is_dropped(client, ask):
    from .conftest import solve

    proof = solve(client.get("/vi/questions/challenge/").json())
    ask(proof=False, altcha=proof, email="first@example.vn")
    response = ask(proof=False, altcha=proof, email="second@example.vn")
    assert response.status_code == 200
    assert list(Question.objects.values_list("email", flat=True)) == ["first@example.vn"]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"seconds": 1}, defences.TOO_FAST),
        ({"proof": False}, defences.NO_PROOF),
        ({"altcha": "bm90IGEgcHJvb2Y=", "proof": False}, defences.BAD_PROOF),
        ({defences.TOKEN_FIELD: None}, defences.BAD_TOKEN),
        ({defences.HONEYPOT_FIELD: None}, defences.INCOMPLETE_FORM),
    ],
)
def test_a_suspicious_sending_is_set_aside_never_refused(
    ask, fields, reason, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(**fields)
    assert response.status_code == 200
    question = Question.objects.get()
    assert question.state == State.QUARANTINED
    assert reason in question.flags
    assert question.code in response.content.decode()
    # Set aside: no e-mail until a person releases it.
    assert not mail.outbox


def test_spam_words_set_a_question_aside(ask):
    ask(text="Nhà cái uy tín, cá cược bóng đá, nạp lần đầu tặng 200%: vào ngay nhé các bạn.")
    assert Question.objects.get().flags == ["gambling"]


def test_too_many_questions_from_one_client_get_429_in_the_readers_language(ask, settings):
    settings.QUESTIONS_RATE = "2/hour"
    assert ask("en", email="one@example.vn").status_code == 200
    assert ask("en", email="two@example.vn").status_code == 200
    response = ask("ko", email="three@example.vn")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "private, no-store"
    assert '<html lang="ko">' in response.content.decode()
    assert Question.objects.count() == 2


def test_one_address_gets_a_few_codes_a_day_then_the_page_says_so(
    ask, django_capture_on_commit_callbacks, settings
):
    settings.QUESTIONS_RATE = "0"
    with django_capture_on_commit_callbacks(execute=True):
        pages = [ask("en").content.decode() for _ in range(4)]
    assert len(mail.outbox) == 3
    assert Question.objects.count() == 4
    assert "not sent again by e-mail" in pages[-1]
    assert Question.objects.order_by("-pk").first().code in pages[-1]
