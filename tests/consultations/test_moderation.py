"""Moderation in the newsroom: approvers publish or refuse each comment for a reason
from a fixed list, every step in the comment's audit log; the summary published
after closing is counted from those steps; approvers get one throttled digest."""

import io
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

from .conftest import keys

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
