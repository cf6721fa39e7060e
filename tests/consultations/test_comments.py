"""The comment form over HTTP: its defences (honeypot, fill-time token, proof of work,
limit per client, spam screen), what was typed kept on every error, the closing time
checked on the server, and nothing a stranger wrote public before a moderator
publishes it."""

import random
import tomllib
from datetime import timedelta
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
