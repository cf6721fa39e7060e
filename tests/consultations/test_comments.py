"""The comment form over HTTP: its defences (honeypot, fill-time token, proof of work,
limit per client, spam screen), what was typed kept on every error, the closing time
checked on the server, and nothing a stranger wrote public before a moderator
publishes it."""

import random
import tomllib
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from cangxanh.consultations.models import Comment
from cangxanh.delivery import version
from cangxanh.inbox import defences
from cangxanh.inbox.models import State

from ..inbox.test_defences import solve_like_the_browser, token_issued
from .conftest import keys

pytestmark = pytest.mark.django_db

CORPUS = tomllib.loads(
    (Path(__file__).parents[1] / "inbox" / "spam_corpus.toml").read_text("utf-8")
)
FORM = "consultation-comment"


def comment_url(article, lang="en") -> str:
    return article.translations.get(language=lang).get_absolute_url() + "comment/"


def proof() -> str:
    """A proof of work as the browser's solver sends it (a cheap challenge: the cost is
    the inbox's own test)."""
    return solve_like_the_browser(defences.new_challenge(cost=10, max_counter=20))


def post_data(**fields) -> dict:
    data = {
        "paragraph": "",
        "text": "Đề nghị bổ sung quy định về phiên dịch.",
        "name": "Trần Thị Bình",
        "organisation": "",
        "email": "binh@example.test",
        "consent": "on",
        defences.HONEYPOT_FIELD: "",
        defences.TOKEN_FIELD: token_issued(60, FORM),
        defences.PROOF_FIELD: proof(),
    }
    return data | fields


def public_text(client, article, lang="en") -> str:
    response = client.get(article.translations.get(language=lang).get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_is_private_and_points_at_the_paragraph(client, site_identity, make_consultation):
    article = make_consultation()
    key = keys(article.translations.get(language="en").body)[2]
    response = client.get(f"{comment_url(article)}?paragraph={key}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert f'<option value="{key}" selected>' in html
    assert "You are commenting on paragraph 2:" in html
    assert 'name="form_token" value="' in html and 'data-altcha-challenge="' in html
    assert 'name="website"' in html and "hidden" in html  # the honeypot, out of sight
    # An unknown paragraph is ignored, not an error.
    other = client.get(f"{comment_url(article)}?paragraph=p-00000000%3Cscript%3E")
    assert other.status_code == 200 and '<option value="" selected>' in other.content.decode()


def test_a_comment_waits_for_a_moderator(client, site_identity, make_consultation):
    article = make_consultation()
    key = keys(article.translations.get(language="en").body)[1]
    before = version.state()[0]
    response = client.post(comment_url(article), post_data(paragraph=key))
    assert response.status_code == 302 and response["Location"].endswith("/comment/sent/")
    comment = Comment.objects.get()
    assert comment.state == State.RECEIVED and comment.flags == [] and comment.proof_ok
    assert comment.paragraph == key and comment.language == "en" and comment.revision == 1
    assert comment.client and "127.0.0.1" not in comment.client  # a keyed hash, no address
    # Receiving a comment changes nothing readers see: the cached pages stay.
    assert version.state()[0] == before
    assert "Đề nghị bổ sung" not in public_text(client, article)
    sent = client.get(response["Location"])
    assert sent.status_code == 200 and "no-store" in sent["Cache-Control"]


def test_what_was_typed_is_kept_on_an_error(client, site_identity, make_consultation):
    article = make_consultation()
    response = client.post(
        comment_url(article), post_data(consent="", text="Ý kiến <b>của tôi</b>")
    )
    assert response.status_code == 400
    assert "private" in response["Cache-Control"]
    html = response.content.decode()
    assert "Please agree to the personal-data notice to send." in html
    assert "Ý kiến &lt;b&gt;của tôi&lt;/b&gt;" in html and 'value="Trần Thị Bình"' in html
    assert not Comment.objects.exists()
    too_long = client.post(comment_url(article), post_data(text="chữ " * 2000))
    assert too_long.status_code == 400 and "too long" in too_long.content.decode()
    assert not Comment.objects.exists()


def test_a_closed_consultation_refuses_on_the_server(client, site_identity, make_consultation):
    article = make_consultation(opens=timedelta(days=-20), closes=timedelta(seconds=-1))
    # A form opened while it was open, sent after the closing time.
    response = client.post(comment_url(article), post_data())
    assert response.status_code == 403
    assert "This consultation is closed" in response.content.decode()
    assert 'value="Trần Thị Bình"' not in response.content.decode()  # no form any more
    assert not Comment.objects.exists()
    upcoming = make_consultation(opens=timedelta(days=1), closes=timedelta(days=5))
    response = client.post(comment_url(upcoming), post_data())
    assert response.status_code == 403 and not Comment.objects.exists()
    assert "does not take comments yet" in response.content.decode()


def test_a_filled_honeypot_is_thanked_and_forgotten(client, site_identity, make_consultation):
    article = make_consultation()
    response = client.post(comment_url(article), post_data(website="http://casino.example"))
    assert response.status_code == 302 and response["Location"].endswith("/comment/sent/")
    assert not Comment.objects.exists()


def test_without_proof_or_too_fast_a_comment_is_set_aside(client, site_identity, make_consultation):
    article = make_consultation()
    client.post(comment_url(article), post_data(altcha=""))
    client.post(
        comment_url(article), post_data(form_token=defences.issue_form_token(FORM), text="Nhanh")
    )
    found = {c.text: c for c in Comment.objects.all()}
    assert found["Đề nghị bổ sung quy định về phiên dịch."].flags == [defences.NO_PROOF]
    assert found["Nhanh"].flags == [defences.TOO_FAST]
    assert {c.state for c in found.values()} == {State.QUARANTINED}
    # A proof sent twice is a replay: dropped.
    payload = proof()
    client.post(comment_url(article), post_data(altcha=payload, text="Một"))
    client.post(comment_url(article), post_data(altcha=payload, text="Hai"))
    assert Comment.objects.filter(text="Một").exists()
    assert not Comment.objects.filter(text="Hai").exists()


def test_a_client_sending_too_many_gets_429_and_keeps_its_text(
    client, site_identity, make_consultation, settings
):
    settings.COMMENTS_RATE = "2/hour"
    article = make_consultation()
    for number in range(2):
        assert (
            client.post(comment_url(article), post_data(text=f"Ý kiến {number}")).status_code == 302
        )
    response = client.post(comment_url(article), post_data(text="Ý kiến thứ ba"))
    assert response.status_code == 429 and int(response["Retry-After"]) > 3000
    assert "Ý kiến thứ ba" in response.content.decode()
    assert Comment.objects.count() == 2


SAMPLE = random.Random(12).sample([item for item in CORPUS["spam"] if not item.get("oversize")], 20)


def test_spam_is_set_aside_and_never_public(
    client, site_identity, make_consultation, chief, settings
):
    settings.COMMENTS_RATE = "0"
    article = make_consultation()
    for item in SAMPLE:
        response = client.post(
            comment_url(article, "vi"),
            post_data(
                text=item["text"],
                name=item.get("name") or "Khách",
                email=item.get("email") or "k@example.test",
            ),
        )
        assert response.status_code in (302, 400), item["text"]
    kept = list(Comment.objects.all())
    assert kept and all(c.state == State.QUARANTINED for c in kept)
    for lang in ("vi", "en"):
        html = public_text(client, article, lang)
        for comment in kept:
            assert comment.text[:40] not in html
    listing = client.get("/vi/consultations/").content.decode()
    assert all(comment.text[:40] not in listing for comment in kept)


def test_a_writer_may_withhold_their_name_from_readers(
    client, site_identity, make_consultation, approver
):
    from cangxanh.consultations import moderation

    article = make_consultation()
    form = client.get(comment_url(article)).content.decode()
    assert "Published with your comment, unless you ask below to leave it out." in form
    assert 'name="hide_name"' in form
    client.post(comment_url(article), post_data(text="Ý kiến có tên."))
    client.post(
        comment_url(article),
        post_data(text="Ý kiến không tên.", name="Lê Thị Kín", organisation="", hide_name="on"),
    )
    named, hidden = Comment.objects.order_by("pk")
    assert (named.name_hidden, hidden.name_hidden) == (False, True)
    for comment in (named, hidden):
        moderation.comment_publish(comment=comment, by=approver)
    html = public_text(client, article)
    assert "Ý kiến không tên." in html and "Ý kiến có tên." in html
    assert "Lê Thị Kín" not in html and "Name withheld" in html
    assert "Trần Thị Bình" in html  # the other writer did not ask
    assert "binh@example.test" not in html and "@example.test" not in html
    # The moderators still see who wrote it, and that the name is withheld.
    client.force_login(approver)
    page = client.get(
        f"/editorial/consultations/{article.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Lê Thị Kín" in page


def test_a_form_sent_after_closing_gives_the_text_back_unsaved(
    client, site_identity, make_consultation, monkeypatch
):
    article = make_consultation(opens=timedelta(days=-20), closes=timedelta(seconds=-1))
    response = client.post(comment_url(article), post_data(text="Một ý kiến dài đã viết."))
    assert response.status_code == 403 and not Comment.objects.exists()
    html = response.content.decode()
    assert "readonly>Một ý kiến dài đã viết.</textarea>" in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert 'id="comment-form"' not in html  # nothing to send it with
    # Open when the request came in, closed by the time it was kept.
    from cangxanh.consultations import moderation

    monkeypatch.setattr(moderation, "phase", lambda *args: "closed")
    other = make_consultation()
    response = client.post(comment_url(other), post_data(text="Gửi đúng lúc đóng."))
    assert response.status_code == 403 and not Comment.objects.exists()
    assert "readonly>Gửi đúng lúc đóng.</textarea>" in response.content.decode()
    assert 'id="comment-form"' not in response.content.decode()


def test_a_paragraph_gone_since_the_form_was_loaded_is_said_plainly(
    client, site_identity, make_consultation
):
    article = make_consultation()
    response = client.post(comment_url(article), post_data(paragraph="p-0badc0de"))
    assert response.status_code == 400 and not Comment.objects.exists()
    html = response.content.decode()
    assert "This paragraph is no longer in the draft" in html
    assert "Đề nghị bổ sung quy định về phiên dịch." in html  # what was typed is kept


def test_midnight_in_viet_nam_is_the_boundary(client, site_identity, make_consultation):
    """A consultation from 00:00 to 00:00 in Asia/Ho_Chi_Minh (17:00 UTC the day before):
    comments are taken until 23:59:59 there, and the page names that last day."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from cangxanh.consultations import moderation

    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    today = timezone.localtime().date()
    opens = datetime(today.year, today.month, today.day, tzinfo=hanoi) - timedelta(days=2)
    closes = opens + timedelta(days=12)  # 00:00 local, 17:00 UTC the day before
    article = make_consultation()
    facts = article.consultation_facts
    facts.opens_at, facts.closes_at = opens, closes
    facts.save()
    assert closes.astimezone(UTC).hour == 17 and str(facts).endswith(f"{closes:%Y-%m-%d} 00:00")
    row = article.translations.get(language="vi")
    row.article = article
    last = closes - timedelta(days=1)
    html = client.get(row.get_absolute_url()).content.decode()
    assert f"Từ {opens:%d/%m/%Y} đến {last:%d/%m/%Y}" in html  # not the next day's date
    assert f"{closes:%d/%m/%Y} - 00:00" in html  # the exact closing time, as it is
    assert "UTC+07:00" in html
    for moment, taken in (
        (opens - timedelta(seconds=1), False),
        (opens, True),
        (closes - timedelta(seconds=1), True),
        (closes, False),
    ):
        kwargs = {"consultation": row, "name": "An", "email": "a@example.test", "now": moment}
        if taken:
            moderation.comment_receive(text=f"Lúc {moment}", **kwargs)
        else:
            with pytest.raises(moderation.ClosedError):
                moderation.comment_receive(text=f"Lúc {moment}", **kwargs)
    assert Comment.objects.count() == 2


def test_a_waiting_comment_is_on_no_public_page_feed_search_or_sitemap(
    client, site_identity, make_consultation, approver, settings
):
    from cangxanh.consultations import moderation
    from cangxanh.search.index import article_entries_update

    settings.COMMENTS_RATE = "0"
    article = make_consultation()
    article_entries_update(article)  # readers find the consultation by its words
    word = "Zyxwvutsrqp"
    client.post(comment_url(article, "vi"), post_data(text=f"{word} chờ duyệt."))
    client.post(comment_url(article, "vi"), post_data(text=f"{word} nha cai uy tin"))
    assert {c.state for c in Comment.objects.all()} == {State.RECEIVED, State.QUARANTINED}
    # The search page repeats the query: it must find nothing.
    found = client.get("/vi/search/", {"q": word, "lang": "all"}).content.decode()
    assert 'class="hit"' not in found and "search-empty" in found
    assert 'class="hit"' in client.get("/vi/search/", {"q": "đoàn nước ngoài"}).content.decode()
    addresses = ["/vi/", "/vi/consultations/", "/vi/feed/", "/vi/feed/atom/", "/sitemap.xml"]
    addresses += ["/sitemap-consultation-vi.xml", "/vi/sitemap/"]
    addresses += [row.get_absolute_url() for row in article.translations.all()]
    addresses += [f"/{row.language}/a/{article.pk}/" for row in article.translations.all()]
    for address in addresses:
        response = client.get(address, follow=True)
        assert response.status_code == 200, address
        assert word not in response.content.decode(), address
    waiting = Comment.objects.get(state=State.RECEIVED)
    moderation.comment_publish(comment=waiting, by=approver)
    assert word in public_text(client, article, "vi")


def test_no_comment_on_what_is_not_a_public_consultation(
    client, site_identity, make_consultation, make_article
):
    from django.utils import timezone

    from cangxanh.news.models import Status

    news = make_article(["vi"])
    draft = make_consultation(status=Status.DRAFT)
    scheduled = make_consultation()
    scheduled.translations.update(published_at=timezone.now() + timedelta(hours=1))
    partly = make_consultation()
    partly.translations.filter(language="en").update(status=Status.DRAFT, published_at=None)
    addresses = [
        f"/vi/consultations/x-{news.pk}/comment/",
        f"/vi/consultations/x-{draft.pk}/comment/",
        f"/vi/consultations/x-{scheduled.pk}/comment/",
        f"/en/consultations/x-{partly.pk}/comment/",
        "/vi/consultations/x-9223372036854775807/comment/",
        "/vi/consultations/x-9223372036854775808/comment/",
    ]
    for address in addresses:
        assert client.get(address).status_code == 404, address
        assert client.post(address, post_data()).status_code == 404, address
    assert not Comment.objects.exists()
    # The language readers do see takes comments, under the consultation's own id.
    assert client.post(f"/vi/consultations/x-{partly.pk}/comment/", post_data()).status_code == 302
    assert Comment.objects.get().consultation_id == partly.pk
