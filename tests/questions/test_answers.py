"""Answering: the answer is an article of kind "answer" written from the question's page,
checked for personal data, submitted, then published by an approver (public, asker
e-mailed) or sent privately (never public, the approved text e-mailed)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from cangxanh.core.templatetags.portal import local_date
from cangxanh.editorial import workflow
from cangxanh.editorial.editing import pending_of, translation_save_text
from cangxanh.editorial.models import Action as Step
from cangxanh.inbox.models import Action, State, SubmissionEvent
from cangxanh.news.models import Article, ArticleTranslation, Status
from cangxanh.questions import kind as answer_kind
from cangxanh.questions import services
from cangxanh.questions.models import KIND

from .conftest import fresh

pytestmark = pytest.mark.django_db

TITLE = "Gia hạn thị thực lao động cho chuyên gia nước ngoài"
BODY = "Ông/bà nộp hồ sơ tại Phòng Quản lý xuất nhập cảnh.\n\nHồ sơ gồm hộ chiếu và giấy phép lao động."


def _as(client, user):
    client.force_login(user)
    return client


def _answer(client, question, *, confirm=True, action="submit", **fields):
    data = {
        "action": action,
        "answer-language": "vi",
        "answer-title": TITLE,
        "answer-lead": "Tôi là kỹ sư người Hàn Quốc. Thị thực lao động của tôi sắp hết hạn: nộp hồ sơ gia hạn ở đâu?",
        "answer-body": BODY,
    }
    if confirm:
        data["answer-confirm"] = "on"
    data.update(fields)
    return client.post(f"/editorial/questions/{question.pk}/", data)


@pytest.fixture
def answered(client, people, make_question):
    """A question whose answer an editor wrote, checked and submitted."""
    question = make_question(email="asker@example.vn")
    _as(client, people["editor"])
    assert _answer(client, question).status_code == 302
    return fresh(question)


def test_the_form_suggests_the_question_without_personal_data(client, people, make_question):
    question = make_question(
        name="Lê Thị Hoa",
        text="Tôi là Lê Thị Hoa, CCCD 031190001234, email hoa.le@example.vn, "
        "điện thoại 0912 345 678. Xin hỏi thủ tục đón đoàn Incheon?",
    )
    _as(client, people["editor"])
    page = client.get(f"/editorial/questions/{question.pk}/").content.decode()
    lead = re.search(r'<textarea name="answer-lead"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    for private in ("Lê Thị Hoa", "031190001234", "hoa.le@example.vn", "0912 345 678"):
        assert private not in lead
    assert lead.count("[…]") == 4 and "thủ tục đón đoàn Incheon" in lead


def test_submitting_needs_the_personal_data_confirmation(client, people, make_question):
    question = make_question()
    _as(client, people["editor"])
    response = _answer(client, question, confirm=False)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Confirm that no personal data remains" in page
    assert BODY.split("\n")[0] in page  # what was typed is kept
    question = fresh(question)
    assert question.answer is None and question.state == State.RECEIVED
    assert not Article.objects.filter(kind=KIND).exists()


def test_an_answer_written_and_submitted(answered, people):
    assert answered.state == State.ANSWERED
    assert answered.assignee == people["editor"]
    article = answered.answer
    assert article.kind == KIND and article.section is None
    original = article.translations.get()
    assert original.status == Status.REVIEW and original.title == TITLE
    assert "<p>Ông/bà nộp hồ sơ" in original.body
    actions = set(
        SubmissionEvent.objects.filter(submission=answered).values_list("action", flat=True)
    )
    assert {Action.CHECKED, Action.ANSWERED} <= actions


def test_a_text_changed_after_the_check_cannot_go_further(people, make_question, client):
    question = make_question()
    _as(client, people["editor"])
    _answer(client, question, action="save")
    original = fresh(question).answer.translations.get()
    translation_save_text(
        translation=original,
        text={
            "title": TITLE,
            "slug": original.slug,
            "lead": original.lead + " Gọi 0987 654 321.",
            "body": original.body,
        },
        user=people["editor"],
    )
    with pytest.raises(workflow.WorkflowError, match="no personal data remains"):
        workflow.perform(original, Step.SUBMIT, people["editor"])
    # Not even an approver publishes a draft nobody checked.
    with pytest.raises(workflow.WorkflowError, match="no personal data remains"):
        workflow.perform(original, Step.PUBLISH, people["approver"])
    assert ArticleTranslation.objects.get(pk=original.pk).status == Status.DRAFT


def test_an_approver_publishes_the_asker_is_mailed_and_readers_find_it(
    client, answered, people, django_capture_on_commit_callbacks
):
    url = f"/editorial/questions/{answered.pk}/"
    _as(client, people["editor"])
    assert client.post(url, {"action": "publish"}).status_code == 403
    assert fresh(answered).state == State.ANSWERED
    _as(client, people["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "publish"}).status_code == 302
    question = fresh(answered)
    assert question.state == State.PUBLISHED
    original = question.answer.translations.get()
    assert original.status == Status.PUBLISHED and original.is_public
    (message,) = mail.outbox
    assert message.to == ["asker@example.vn"] and question.code in message.subject
    assert original.get_absolute_url() in message.body
    client.logout()
    listing = client.get("/vi/questions/").content.decode()
    assert TITLE in listing and original.get_absolute_url() in listing
    assert TITLE in client.get("/vi/questions/?topic=visas").content.decode()
    assert TITLE not in client.get("/vi/questions/?topic=investment").content.decode()
    page = client.get(original.get_absolute_url())
    assert page.status_code == 200
    assert "Hồ sơ gồm hộ chiếu" in page.content.decode()
    assert '"@type":"QAPage"' in page.content.decode()
    found = client.get("/vi/questions/", {"q": "gia hạn thị thực"}).content.decode()
    assert original.get_absolute_url() in found
    search = client.get("/vi/search/", {"q": "gia hạn thị thực", "kind": KIND}).content.decode()
    assert original.get_absolute_url() in search
    tracked = client.post(
        "/vi/questions/track/", {"code": question.code, "email": "asker@example.vn"}
    ).content.decode()
    assert original.get_absolute_url() in tracked
    # In a language it is not written in: the honest "not translated yet" page.
    other = client.get(original.get_absolute_url().replace("/vi/", "/en/", 1))
    assert other.status_code == 404


def test_sent_privately_is_never_public_and_the_asker_gets_the_text(
    client, answered, people, django_capture_on_commit_callbacks
):
    _as(client, people["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/editorial/questions/{answered.pk}/", {"action": "send"})
    assert response.status_code == 302
    question = fresh(answered)
    assert question.state == State.ANSWERED_PRIVATELY
    original = question.answer.translations.get()
    assert original.status == Status.ARCHIVED and original.published_at is None
    (message,) = mail.outbox
    assert "Hồ sơ gồm hộ chiếu và giấy phép lao động." in message.body
    assert "không được đăng" in message.body  # "not published", in the asker's language
    client.logout()
    assert TITLE not in client.get("/vi/questions/").content.decode()
    assert client.get(f"/vi/questions/{original.slug}-{original.article_id}/").status_code == 404
    search = client.get("/vi/search/", {"q": "gia hạn thị thực"}).content.decode()
    assert "/vi/questions/gia-han" not in search
    assert (
        not client.get("/vi/questions/", {"q": "gia hạn"}).content.decode().count("qa-item__title")
    )


def test_sending_privately_is_for_answers_and_approvers_only(answered, people, make_article):
    original = answered.answer.translations.get()
    assert not workflow.allowed(people["editor"], original, Step.SEND)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        workflow.perform(original, Step.SEND, people["editor"])
    english = ArticleTranslation.objects.create(
        article=original.article, language="en", title="Extending a work visa", status=Status.REVIEW
    )
    assert not workflow.allowed(people["approver"], english, Step.SEND)  # only the original
    assert workflow.allowed(people["approver"], original, Step.SEND)
    news = make_article(["vi"], status=Status.REVIEW).translations.get()
    assert not workflow.allowed(people["approver"], news, Step.SEND)
    with pytest.raises(workflow.WorkflowError):
        workflow.perform(news, Step.SEND, people["approver"])
    assert ArticleTranslation.objects.get(pk=news.pk).status == Status.REVIEW


def test_a_returned_answer_takes_the_question_back_to_its_writer(client, answered, people):
    _as(client, people["approver"])
    response = client.post(
        f"/editorial/questions/{answered.pk}/",
        {"action": "reject", "comment": "Thêm thời hạn xử lý."},
    )
    assert response.status_code == 302
    assert fresh(answered).state == State.ASSIGNED
    assert fresh(answered).answer.translations.get().status == Status.DRAFT


# --- what the approver approves ---------------------------------------------------------------


def test_the_approver_reads_the_new_version_not_the_text_readers_have(
    client, answered, people, django_capture_on_commit_callbacks
):
    original = answered.answer.translations.get()
    workflow.perform(original, Step.PUBLISH, people["approver"])
    original = ArticleTranslation.objects.get(pk=original.pk)
    changed = "Xin hỏi nơi nộp hồ sơ gia hạn thị thực lao động cho kỹ sư nước ngoài."
    translation_save_text(
        translation=original,
        text={
            "title": original.title,
            "slug": original.slug,
            "lead": changed,
            "body": original.body,
        },
        user=people["editor"],
    )
    pending = pending_of(original)
    services.question_confirm_redaction(
        question=answered,
        translation=original,
        digest=answer_kind.working_digest(original, pending),
        by=people["editor"],
    )
    workflow.perform(original, Step.SUBMIT, people["editor"])
    _as(client, people["approver"])
    page = client.get(f"/editorial/questions/{answered.pk}/").content.decode()
    assert "Publish the answer" in page
    assert changed in page and original.lead not in page


def test_a_scheduled_answer_is_mailed_with_its_address(
    answered, people, django_capture_on_commit_callbacks
):
    original = answered.answer.translations.get()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(
            original,
            Step.PUBLISH,
            people["approver"],
            publish_at=timezone.now() + timedelta(days=1),
        )
    (message,) = mail.outbox
    assert original.get_absolute_url() in message.body


def test_an_answer_sent_privately_then_published_was_answered_when_it_was_sent(
    client, answered, people
):
    original = answered.answer.translations.get()
    workflow.perform(original, Step.SEND, people["approver"])
    sent = SubmissionEvent.objects.get(submission=answered, action=Action.SENT)
    SubmissionEvent.objects.filter(pk=sent.pk).update(created_at=timezone.now() - timedelta(days=3))
    original.refresh_from_db()
    workflow.perform(original, Step.REOPEN, people["approver"])
    original.refresh_from_db()
    workflow.perform(original, Step.PUBLISH, people["approver"])
    question = fresh(answered)
    assert question.state == State.PUBLISHED
    assert services.closing_event(question).pk == sent.pk
    client.logout()
    page = client.post(
        "/en/questions/track/", {"code": question.code, "email": "asker@example.vn"}
    ).content.decode()
    answered_on = re.search(r"<dt>Answered</dt><dd>([^<]*)", page).group(1)
    with translation.override("en"):
        assert answered_on == local_date(timezone.now() - timedelta(days=3))
