"""The demo's questions and answers (content/questions.toml): topics in five languages and
twelve questions in every state the newsroom works with — received, assigned, paused
for a clarification, answered and in review, published (answers in two to five
languages), answered privately, refused, and one spam message set aside. Two were closed
past their deadline (one answered privately, one refused), late by the same number of
working days whatever the load day, since arrivals and steps are counted in working days
back from it; no open question is overdue.

Everything goes through the services the newsroom uses (questions.services, the
editorial workflow, the personal-data check), then the times are moved back to when
the steps would have happened. The e-mails those steps ask for are recorded as sent
back then, never sent by the loader.

Idempotent like the rest of the demo: a question carries its key in
`consent_version` ("demo:<key>": no asker agreed to any notice), and one that exists
is left as it is.
"""

import tomllib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from cangxanh.core import languages
from cangxanh.editorial import workflow
from cangxanh.editorial.editing import translation_save_text
from cangxanh.editorial.models import Action as Step
from cangxanh.editorial.models import WorkflowEvent
from cangxanh.inbox import defences, spam
from cangxanh.inbox.models import SubmissionEvent
from cangxanh.news.models import Article, ArticleTranslation, Status
from cangxanh.questions import clock, services
from cangxanh.questions.kind import working_digest
from cangxanh.questions.models import KIND, Question, QuestionMail, Topic, TopicName

from .markup import markup_to_html

if TYPE_CHECKING:
    from .loader import Report

CONTENT = Path(__file__).parent / "content"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def working_days_before(today: date, count: int, days: dict) -> date:
    """The working day from which `count` working days have passed by `today`."""
    day = today - timedelta(days=1)
    while not (
        clock.is_working_day(day, days) and clock.working_days_between(day, today, days) >= count
    ):
        day -= timedelta(days=1)
    return day


def _after(day: date, count: int, days: dict) -> date:
    for _ in range(count):
        day = clock.next_working_day(day, days)
    return day


def _moment(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL)


def load_topics(data: list[dict], report: "Report") -> dict[str, Topic]:
    topics = {}
    for position, item in enumerate(data):
        topic, created = Topic.objects.get_or_create(
            key=item["key"], defaults={"position": position}
        )
        if created:
            for lang in languages.codes():
                if item.get(lang):
                    TopicName.objects.create(topic=topic, language=lang, name=item[lang])
            report.add("question topics")
        topics[item["key"]] = topic
    return topics


class _Clockwork:
    """Moves what one step wrote back to `when`."""

    def __init__(self, question: Question):
        self.question = question
        self.events = SubmissionEvent.objects.filter(submission=question)
        self.seen_events = self._last(self.events)
        self.steps = WorkflowEvent.objects.none()
        self.seen_steps = 0

    @staticmethod
    def _last(rows) -> int:
        return rows.order_by("-pk").values_list("pk", flat=True).first() or 0

    def follow(self, article) -> None:
        self.steps = WorkflowEvent.objects.filter(translation__article=article)

    def at(self, when: datetime) -> None:
        self.events.filter(pk__gt=self.seen_events).update(created_at=when)
        self.seen_events = self._last(self.events)
        self.steps.filter(pk__gt=self.seen_steps).update(created_at=when)
        self.seen_steps = self._last(self.steps) if self.steps.exists() else self.seen_steps


def _write_answer(question: Question, item: dict, writer, approver, work: _Clockwork) -> list:
    texts = item["texts"]
    original_lang = next(iter(texts))
    article = Article.objects.create(
        kind=KIND, original_language=original_lang, import_key=f"answer-{item['key']}"
    )
    work.follow(article)
    author = writer if original_lang in {"vi"} else approver
    services.question_link_answer(question=question, article=article, by=author)
    text = texts[original_lang]
    translation_save_text(
        translation=ArticleTranslation(article=article, language=original_lang),
        text={
            "title": text["title"].strip(),
            "slug": "",
            "lead": text["lead"].strip(),
            "body": markup_to_html(text["body"]),
        },
        user=author,
    )
    original = ArticleTranslation.objects.get(article=article, language=original_lang)
    services.question_confirm_redaction(
        question=question,
        translation=original,
        digest=working_digest(original, None),
        by=author,
    )
    workflow.perform(original, Step.SUBMIT, author)
    return [original]


def _publish(question, item, rows, approver, work: _Clockwork, when: datetime) -> None:
    original = rows[0]
    workflow.perform(original, Step.PUBLISH, approver)
    article = original.article
    for lang, text in list(item["texts"].items())[1:]:
        if lang not in languages.codes():
            continue
        translation_save_text(
            translation=ArticleTranslation(article=article, language=lang),
            text={
                "title": text["title"].strip(),
                "slug": "",
                "lead": text["lead"].strip(),
                "body": markup_to_html(text["body"]),
            },
            user=approver,
        )
        row = ArticleTranslation.objects.get(article=article, language=lang)
        workflow.perform(row, Step.PUBLISH, approver)
    work.at(when)
    ArticleTranslation.objects.filter(article=article, status=Status.PUBLISHED).update(
        published_at=when, created_at=when, updated_at=when
    )
    Article.objects.filter(pk=article.pk).update(created_at=when, updated_at=when)


def load_question(item: dict, topics, users, days: dict, today: date) -> Question:
    editor, approver = users
    arrived = working_days_before(today, item["days_ago"], days)
    hour, minute = (int(part) for part in item.get("at", "09:00").split(":"))
    received_at = _moment(arrived, hour, minute)
    text = item["text"].strip()
    flags = []
    if item["state"] == "quarantined":
        flags = spam.screen(text, name=item["name"], email=item["email"]).reasons
        flags.append(defences.NO_PROOF)  # a script: no proof of work either
    question = services.question_receive(
        language=item["lang"],
        name=item["name"],
        email=item["email"],
        phone=item.get("phone", ""),
        topic=topics[item["topic"]],
        text=text,
        client="",
        flags=flags,
        proof_ok=not flags,
        consent_version=f"demo:{item['key']}",
        received_at=received_at,
    )
    work = _Clockwork(question)

    def step(key: str, hour: int = 9, minute: int = 30) -> datetime:
        return min(_moment(_after(arrived, item[key], days), hour, minute), timezone.now())

    if "assigned" in item:
        services.question_assign(question=question, by=approver, to=editor)
        work.at(step("assigned", 8, 40))
    if item["state"] == "paused":
        paused_at = step("paused", 10, 15)
        services.question_pause(
            question=question,
            by=editor,
            reason=item["pause_reason"],
            on=timezone.localtime(paused_at).date(),
        )
        work.at(paused_at)
    if "texts" in item:
        rows = _write_answer(question, item, editor, approver, work)
        work.at(step("answered", 15, 0))
        if item["state"] == "published":
            _publish(question, item, rows, approver, work, step("published", 10, 0))
        elif item["state"] == "answered_privately":
            workflow.perform(rows[0], Step.SEND, approver)
            work.at(step("closed", 11, 0))
    if item["state"] == "refused":
        services.question_refuse(question=question, by=editor, reason=item["refuse_reason"])
        work.at(step("closed", 14, 0))
    # What the steps e-mailed went out back then; the loader sends nothing.
    for mail in QuestionMail.objects.filter(question=question):
        sent = received_at + timedelta(minutes=1)
        later = work.events.filter(created_at__gte=received_at).order_by("-created_at").first()
        if mail.kind != "received" and later is not None:
            sent = later.created_at + timedelta(minutes=2)
        QuestionMail.objects.filter(pk=mail.pk).update(created_at=sent, sent_at=sent, attempts=1)
    if (
        question.state not in ("quarantined",)
        and not question.mails.filter(kind="received").exists()
    ):
        row = QuestionMail.objects.create(question=question, kind="received", attempts=1)
        sent = received_at + timedelta(minutes=1)
        QuestionMail.objects.filter(pk=row.pk).update(created_at=sent, sent_at=sent)
    return question


def load_questions(report: "Report") -> None:
    with open(CONTENT / "questions.toml", "rb") as fh:
        data = tomllib.load(fh)
    topics = load_topics(data["topic"], report)
    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    editor = User.objects.filter(username="editor").first() or admin
    approver = User.objects.filter(username="approver").first() or admin
    days = services.calendar()
    today = timezone.localdate()
    # In the order they arrived, so that their tracking numbers follow each other.
    for item in sorted(data["question"], key=lambda item: -item["days_ago"]):
        if Question.objects.filter(consent_version=f"demo:{item['key']}").exists():
            continue
        load_question(item, topics, (editor, approver), days, today)
        report.add("questions")
