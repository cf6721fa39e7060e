"""Questions asked through the real form, the people who answer them, and topics."""

import base64
import functools
import hashlib
import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.utils import translation

from cangxanh.editorial import roles, workflow
from cangxanh.editorial.models import Action as Step
from cangxanh.editorial.models import StaffProfile
from cangxanh.inbox import defences
from cangxanh.news.models import Article, ArticleTranslation, Status
from cangxanh.questions import kind as answer_kind
from cangxanh.questions import services
from cangxanh.questions.models import KIND, Question, Topic, TopicName

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
QUESTION = (
    "Xin chào, tôi là kỹ sư người Hàn Quốc làm việc tại Hải Phòng. Thị thực lao động của "
    "tôi hết hạn vào tháng sau: tôi cần nộp hồ sơ gia hạn ở đâu và cần những giấy tờ gì?"
)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=HCM)


@pytest.fixture(autouse=True)
def _saigon(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"


@pytest.fixture(autouse=True)
def _english_newsroom(client):
    """The newsroom and in-process messages in English, so the tests read them as written
    (each language's own words are checked by tests/editorial/test_newsroom_language.py)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def cheap_proofs(monkeypatch):
    """The challenge endpoint's proofs cost little here (the real cost is tested in
    tests/inbox); they are verified exactly as in production."""
    cheap = functools.partial(defences.new_challenge, cost=10, max_counter=40)
    monkeypatch.setattr(defences, "new_challenge", cheap)


def solve(challenge: dict) -> str:
    """What the browser's solver (static/cangxanh/altcha-solver.js) sends."""
    p = challenge["parameters"]
    nonce, salt = bytes.fromhex(p["nonce"]), bytes.fromhex(p["salt"])
    for counter in range(100_000):
        derived = hashlib.pbkdf2_hmac(
            "sha256", nonce + counter.to_bytes(4, "big"), salt, p["cost"], p["keyLength"]
        ).hex()
        if derived.startswith(p["keyPrefix"]):
            solution = {"counter": counter, "derivedKey": derived, "time": 5}
            data = json.dumps({"challenge": challenge, "solution": solution})
            return base64.b64encode(data.encode()).decode()
    raise AssertionError("no solution")


def token_issued(seconds_ago: float) -> str:
    """The form's fill-time token, as if the form had been served `seconds_ago`."""

    class Earlier(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - seconds_ago))

    return Earlier(salt=defences.TOKEN_SALT).sign("question")


@pytest.fixture
def topics(db):
    made = {}
    for position, (key, vi, en) in enumerate(
        [
            ("visas", "Thị thực, giấy phép lao động", "Visas and work permits"),
            ("investment", "Thủ tục đầu tư", "Investment procedures"),
        ]
    ):
        topic = Topic.objects.create(key=key, position=position)
        TopicName.objects.create(topic=topic, language="vi", name=vi)
        TopicName.objects.create(topic=topic, language="en", name=en)
        made[key] = topic
    return made


@pytest.fixture
def ask(client, topics):
    """Send the ask form as a person's browser does (proof solved, filled in a minute);
    `fields` change or drop (None) what is sent. Returns the response."""

    def send(lang="vi", *, proof=True, seconds=60, http=client, **fields):
        data = {
            "name": "Kim Min-jun",
            "email": "minjun.kim@example.kr",
            "phone": "",
            "topic": "visas",
            "text": QUESTION,
            "consent": "on",
            defences.TOKEN_FIELD: token_issued(seconds),
            defences.HONEYPOT_FIELD: "",
            defences.PROOF_FIELD: "",
        }
        if proof:
            challenge = http.get(f"/{lang}/questions/challenge/").json()
            data[defences.PROOF_FIELD] = solve(challenge)
        for name, value in fields.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        return http.post(f"/{lang}/questions/ask/", data)

    return send


@pytest.fixture
def make_user(django_user_model):
    def make(username, role, languages=()):
        user = django_user_model.objects.create_user(username, password="pw-123456", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, languages=list(languages))
        return django_user_model.objects.get(pk=user.pk)

    return make


@pytest.fixture
def people(make_user):
    return {
        "approver": make_user("duyet", roles.APPROVER),
        "editor": make_user("bientap", roles.EDITOR, ["vi"]),
        "translator": make_user("dich", roles.TRANSLATOR, ["en", "ko"]),
    }


@pytest.fixture
def make_question(topics):
    """A question kept as the form keeps it, received at `received_at`."""

    def make(received_at=None, *, flags=(), language="vi", email="asker@example.vn", **extra):
        return services.question_receive(
            language=language,
            name=extra.pop("name", "Nguyễn Văn An"),
            email=email,
            phone=extra.pop("phone", ""),
            topic=topics[extra.pop("topic", "visas")],
            text=extra.pop("text", QUESTION + " Số điện thoại của tôi là 0912 345 678."),
            client="",
            flags=list(flags),
            proof_ok=True,
            consent_version="test",
            received_at=received_at,
        )

    return make


def fresh(question: Question) -> Question:
    return Question.objects.get(pk=question.pk)


@pytest.fixture
def published(make_question, people):
    """An answer published in Vietnamese and English."""
    question = make_question()
    article = Article.objects.create(kind=KIND, original_language="vi")
    services.question_link_answer(question=question, article=article, by=people["editor"])
    rows = {}
    for lang, title in (
        ("vi", "Thủ tục đón đoàn Incheon"),
        ("en", "Receiving a delegation from Incheon"),
    ):
        rows[lang] = ArticleTranslation.objects.create(
            article=article,
            language=lang,
            title=title,
            lead=f"Question {lang}",
            body="<p>Answer.</p>",
            status=Status.REVIEW,
        )
        services.question_confirm_redaction(
            question=question,
            translation=rows[lang],
            digest=answer_kind.working_digest(rows[lang], None),
            by=people["editor"],
        )
    for lang in ("vi", "en"):
        workflow.perform(rows[lang], Step.PUBLISH, people["approver"])
    return rows
