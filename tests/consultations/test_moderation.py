"""Moderation in the newsroom: approvers publish or refuse each comment for a reason
from a fixed list, every step in the comment's audit log; the summary published
after closing is counted from those steps; approvers get one throttled digest."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from cangxanh.consultations import digest, moderation
from cangxanh.consultations.models import Comment, Refusal
from cangxanh.delivery import version
from cangxanh.editorial import roles
from cangxanh.inbox.models import Action, State, SubmissionEvent

from .conftest import PARAGRAPHS, keys

PARAGRAPHS_VI = PARAGRAPHS["vi"]

pytestmark = pytest.mark.django_db


def step(client, comment, action, reason=""):
    return client.post(
        reverse("editorial:consultation-comment-step", kwargs={"comment_id": comment.pk}),
        {"action": action, "reason": reason},
    )


def test_an_approver_publishes_and_refuses_over_http(
    client, site_identity, make_consultation, make_comment, approver
):
    article = make_consultation()
    key = keys(article.translations.get(language="vi").body)[1]
    good = make_comment(article, "Ý kiến xác đáng về đoàn khách.", paragraph=key)
    bad = make_comment(article, "Lạc đề hoàn toàn.")
    suspect = make_comment(article, "Ghé nhà cái uy tín nhé")
    assert suspect.state == State.QUARANTINED
    client.force_login(approver)
    page = client.get(reverse("editorial:consultation-comments", kwargs={"article_id": article.pk}))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "Ý kiến xác đáng" in html and "Ghé nhà cái" in html and "an@example.test" in html
    listing = client.get(reverse("editorial:consultations")).content.decode()
    assert f'data-consultation="{article.pk}"' in listing

    before = version.state()[0]
    assert step(client, good, "publish").status_code == 302
    assert version.state()[0] > before  # readers' pages change: the cache is retired
    assert step(client, bad, "refuse", Refusal.OFF_TOPIC).status_code == 302
    assert step(client, suspect, "refuse", Refusal.SPAM).status_code == 302
    good.refresh_from_db(), bad.refresh_from_db(), suspect.refresh_from_db()
    assert (good.state, bad.state, suspect.state) == (State.PUBLISHED, State.REFUSED, State.REFUSED)
    event = SubmissionEvent.objects.get(submission=bad)
    assert event.actor == approver and event.action == Action.REFUSED
    assert event.data == {"reason": "off_topic"}
    with translation.override("vi"):  # the label in the approver's newsroom language
        assert event.comment == str(Refusal.OFF_TOPIC.label)

    public = client.get(article.translations.get(language="vi").get_absolute_url())
    html = public.content.decode()
    assert "Ý kiến xác đáng" in html and "Lạc đề" not in html and "nhà cái" not in html


def test_a_refusal_needs_a_reason_from_the_list(client, make_consultation, make_comment, approver):
    article = make_consultation()
    comment = make_comment(article, "Một ý kiến.")
    client.force_login(approver)
    for reason in ("", "i just dislike it"):
        response = step(client, comment, "refuse", reason)
        assert response.status_code == 302
        comment.refresh_from_db()
        assert comment.state == State.RECEIVED
    assert not SubmissionEvent.objects.exists()


def test_only_approvers_moderate(client, make_consultation, make_comment, make_user):
    article = make_consultation()
    comment = make_comment(article, "Một ý kiến.")
    editor = make_user("editor", roles.EDITOR, ["vi"])
    client.force_login(editor)
    assert client.get(reverse("editorial:consultations")).status_code == 403
    assert step(client, comment, "publish").status_code == 403
    comment.refresh_from_db()
    assert comment.state == State.RECEIVED
    client.logout()
    response = step(client, comment, "publish")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_summary_after_closing_counts_the_moderation(
    client, site_identity, make_consultation, make_comment, approver
):
    article = make_consultation(closes=timedelta(hours=1))
    for n in range(3):
        make_comment(article, f"Đã đăng {n}", state=State.PUBLISHED, by=approver)
    make_comment(article, "Spam", refused=Refusal.SPAM, by=approver)
    make_comment(article, "Spam 2", refused=Refusal.SPAM, by=approver)
    make_comment(article, "Trùng", refused=Refusal.DUPLICATE, by=approver)
    once_public = make_comment(article, "Lộ số điện thoại", state=State.PUBLISHED, by=approver)
    moderation.comment_refuse(comment=once_public, by=approver, reason=Refusal.PERSONAL_DATA)
    make_comment(article, "Chưa duyệt")
    found = moderation.summary(article.pk)
    assert (found.received, found.published, found.refused, found.waiting) == (8, 3, 4, 1)
    assert found.refused_by_reason == [("personal_data", 1), ("spam", 2), ("duplicate", 1)]

    url = article.translations.get(language="en").get_absolute_url()
    assert "Summary of the comments" not in client.get(url).content.decode()  # still open
    facts = article.consultation_facts
    facts.closes_at = timezone.now() - timedelta(minutes=1)
    facts.save()
    html = client.get(url).content.decode()
    summary = html[html.index('id="summary-title"') : html.index('id="draft-title"')]
    for label, number in (("Received", 8), ("Published", 3), ("Refused", 4)):
        assert f"<dt>{label}</dt><dd>{number}</dd>" in summary
    assert "Still being moderated" in summary
    assert 'Spam or advertising</span> <span class="consultation-summary__count">2' in summary
    assert "Reveals personal data" in summary
    assert "Lộ số điện thoại" not in html  # refused after publication: gone from the page


def test_one_throttled_digest_for_the_moderators(
    make_consultation, make_comment, approver, make_user, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    make_user("editor", roles.EDITOR, ["vi"], email="editor@example.test")
    article = make_consultation()
    assert digest.send_digest() == 0  # nothing waits
    make_comment(article, "Ý kiến một")
    make_comment(article, "nha cai uy tin")
    out = io.StringIO()
    call_command("notify-moderators", stdout=out)
    assert "1 e-mail(s) sent" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["approver@example.test"]]
    text = mail.outbox[0].body
    # In the site's language (Vietnamese): the moderators' newsroom language.
    assert "1 ý kiến chờ duyệt, 1 ý kiến bị tạm giữ" in text and "/editorial/consultations/" in text
    assert "Ý kiến một" not in text  # what strangers write never goes out by e-mail
    # Again at once: nothing new, nothing sent; a new comment within the hour waits.
    assert digest.send_digest() == 0
    make_comment(article, "Ý kiến hai")
    assert digest.send_digest() == 0
    assert digest.send_digest(now=timezone.now() + timedelta(hours=1, minutes=1)) == 1
    assert len(mail.outbox) == 2


def test_moderation_changes_nothing_it_should_not(make_consultation, make_comment, approver):
    article = make_consultation()
    comment = make_comment(article, "Ý kiến", state=State.PUBLISHED, by=approver)
    with pytest.raises(moderation.ModerationError):
        moderation.comment_publish(comment=comment, by=approver)
    assert Comment.objects.get(pk=comment.pk).state == State.PUBLISHED


def test_the_compliance_check_warns_of_a_closed_consultation_still_moderating(
    make_consultation, make_comment
):
    from cangxanh.editorial import compliance

    article = make_consultation(opens=timedelta(days=-9), closes=timedelta(hours=1))
    make_comment(article, "Chưa duyệt")
    assert compliance.consultation_summaries().status == compliance.OK  # still open
    facts = article.consultation_facts
    facts.closes_at = timezone.now() - timedelta(minutes=1)
    facts.save()
    result = compliance.consultation_summaries()
    assert result.status == compliance.WARN and result.fix_url == "/editorial/consultations/"


def test_the_staff_preview_shows_the_draft_with_waiting_dates(client, chief, make_consultation):
    from cangxanh.editorial import facts as article_facts

    article = make_consultation(langs=("vi",))
    working = article_facts.working(article)
    working["extra"] = working["extra"] | {"closes_at": "2031-01-10T10:00:00+00:00"}
    article_facts.article_save_facts(article=article, facts=working, user=chief)
    client.force_login(chief)
    row = article.translations.get()
    response = client.get(reverse("news-preview", kwargs={"translation_id": row.pk}))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "preview-banner" in html and "10/01/2031" in html
    assert "comment/?paragraph=" not in html  # no comment links in a preview


def test_crafted_moderation_posts_change_nothing(
    client, make_consultation, make_comment, make_user, approver, django_user_model
):
    from cangxanh.inbox.models import Submission

    article = make_consultation()
    comment = make_comment(article, "Một ý kiến.")
    translator = make_user("translator", roles.TRANSLATOR, ["en"])
    nobody = django_user_model.objects.create_user("clerk", password="pw-123456", is_staff=True)
    for user in (translator, nobody):
        client.force_login(user)
        for action, reason in (("publish", ""), ("refuse", Refusal.SPAM)):
            assert step(client, comment, action, reason).status_code == 403
        assert client.get(f"/editorial/consultations/{article.pk}/").status_code == 403
    comment.refresh_from_db()
    assert comment.state == State.RECEIVED and not SubmissionEvent.objects.exists()
    # An approver's crafted ids: past the database's integers, or another kind of message.
    client.force_login(approver)
    question = Submission.objects.create(language="vi", name="A", email="a@example.test", text="?")
    for address in (
        "/editorial/consultations/comments/99999999999999999999999/",
        "/editorial/consultations/comments/9223372036854775808/",
        f"/editorial/consultations/comments/{question.pk}/",
    ):
        assert client.post(address, {"action": "publish"}).status_code == 404
    assert client.get("/editorial/consultations/99999999999999999999999/").status_code == 404
    response = client.post(
        reverse("editorial:consultation-comment-step", kwargs={"comment_id": comment.pk}),
        {"action": "delete"},
    )
    assert response.status_code == 404
    assert Submission.objects.get(pk=question.pk).state == State.RECEIVED


def test_the_moderators_page_numbers_paragraphs_as_readers_see_them(
    client, site_identity, make_consultation, make_comment, approver, chief
):
    from cangxanh.editorial import editing, workflow
    from cangxanh.editorial.models import Action

    article = make_consultation(langs=("vi",))
    row = article.translations.get()
    heading, first, second, third = keys(row.body)
    make_comment(article, "Về đoạn hai.", paragraph=second)
    public = client.get(row.get_absolute_url()).content.decode()
    assert "¶ 2</span>" in public[public.index(f'id="{second}"') :][:2000]
    removed = make_comment(article, "Về kinh phí.", paragraph=third)
    # The budget paragraph leaves the draft in a new version.
    body = re.sub(r' id="[^"]*"', "", row.body).replace(f"<p>{PARAGRAPHS_VI[3]}</p>", "")
    editing.translation_save_text(
        translation=row, text={"title": row.title, "lead": row.lead, "body": body}, user=chief
    )
    workflow.perform(row, Action.PUBLISH, chief)
    suspect = make_comment(article, "Không qua kiểm tra.")
    Comment.objects.filter(pk=suspect.pk).update(state=State.QUARANTINED, flags=["no_proof"])
    client.force_login(approver)
    html = client.get(
        reverse("editorial:consultation-comments", kwargs={"article_id": article.pk})
    ).content.decode()
    cell = html[html.index("Về đoạn hai.") :]
    assert "¶ 2: <span" in cell[:1500]  # the number readers saw, not the heading's count
    cell = html[html.index(f'data-comment="{removed.pk}"') :][:2000]
    assert PARAGRAPHS_VI[3][:40] in cell  # the words of the paragraph since removed
    cell = html[html.index(f'data-comment="{suspect.pk}"') :][:2000]
    assert "no_proof" not in cell  # the reason in words, not its code


def test_the_digest_goes_only_to_those_who_can_open_the_page(
    make_consultation, make_comment, approver, django_user_model, settings, tmp_path
):
    from django.contrib.auth.models import Group

    settings.VAR_DIR = tmp_path
    outside = django_user_model.objects.create_user(
        "former", email="former@example.test", password="pw-123456", is_staff=False
    )
    outside.groups.add(Group.objects.get(name=roles.APPROVER))
    make_comment(make_consultation(), "Ý kiến một")
    assert digest.send_digest() == 1
    assert [m.to for m in mail.outbox] == [["approver@example.test"]]


def test_approvers_find_the_moderators_page_in_the_newsroom(client, approver, make_user):
    client.force_login(approver)
    assert 'href="/editorial/consultations/"' in client.get("/editorial/").content.decode()
    client.force_login(make_user("editor", roles.EDITOR, ["vi"]))
    assert 'href="/editorial/consultations/"' not in client.get("/editorial/").content.decode()
