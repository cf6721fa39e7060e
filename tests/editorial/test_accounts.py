"""Signing in: throttled and locked out after wrong passwords, a day-long session at
most, and a refused `next` that lands on the newsroom."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.urls import reverse
from django.utils import timezone

from cangxanh.editorial.sessions import SIGNED_IN_AT

LOGIN = "/admin/login/"


def sign_in(client, username, password, lang="vi", ip="203.0.113.7", next_url="/admin/"):
    return client.post(
        f"{LOGIN}?next={next_url}",
        {"username": username, "password": password, "next": next_url},
        HTTP_ACCEPT_LANGUAGE=lang,
        REMOTE_ADDR=ip,
    )


def test_wrong_passwords_lock_the_account_out_with_a_page_in_the_users_language(
    client, people, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "editor", "wrong-guess").status_code == 200  # the form again
    locked = sign_in(client, "editor", "wrong-guess")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert 'lang="vi"' in page and "15" in page
    assert "Account locked" not in page  # not the library's English text
    # Locked out: even the right password is refused, from anywhere.
    assert sign_in(client, "editor", "pw-123456", ip="198.51.100.9").status_code == 429
    assert AccessFailureLog.objects.filter(username="editor").count() >= settings.AXES_FAILURE_LIMIT
    # An administrator lifts it (or the 15 minutes pass); the right password then works.
    reset(username="editor")
    assert sign_in(client, "editor", "pw-123456")["Location"] == reverse("editorial:queue")


def test_one_client_guessing_many_accounts_is_locked_out(client, people, settings):
    names = ["approver", "editor", "translator", "admin", "chief"]
    for name in names[: settings.AXES_FAILURE_LIMIT]:
        sign_in(client, name, "wrong-guess", ip="192.0.2.44")
    assert sign_in(client, "translator", "pw-123456", ip="192.0.2.44").status_code == 429
    # Another client, the right password: the account itself was not the target.
    assert sign_in(client, "translator", "pw-123456", ip="192.0.2.45").status_code == 302
    assert AccessAttempt.objects.exists()


def test_a_forwarded_address_does_not_escape_the_lockout(client, people, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": f"guess{number}", "password": "x"},
            REMOTE_ADDR="192.0.2.50",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    response = client.post(
        LOGIN,
        {"username": "editor", "password": "pw-123456"},
        REMOTE_ADDR="192.0.2.50",
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_client_is_its_own(client, people, settings):
    """From the proxy (loopback, trusted by default) the forwarded address is the client:
    one guesser is locked out, not everyone behind the proxy."""

    def attempt(username, password, forwarded):
        return client.post(
            LOGIN,
            {"username": username, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"guess{number}", "x", "192.0.2.66, 198.51.100.7")  # the proxy appended .7
    assert attempt("editor", "pw-123456", "198.51.100.7").status_code == 429
    assert attempt("editor", "pw-123456", "198.51.100.8").status_code == 302
    assert AccessAttempt.objects.filter(ip_address="198.51.100.7").exists()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_a_refused_next_lands_on_the_newsroom(client, people, next_url):
    response = sign_in(client, "editor", "pw-123456", next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] in {reverse("editorial:queue"), "/admin/"}
    assert "evil" not in response["Location"]
    assert "/accounts/profile/" not in response["Location"]


def test_a_session_lasts_8_idle_hours_and_24_in_all(client, people):
    response = sign_in(client, "editor", "pw-123456")
    cookie = response.cookies["sessionid"]
    assert int(cookie["max-age"]) == 8 * 3600
    queue = reverse("editorial:queue")
    assert client.get(queue).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - timedelta(hours=25)).timestamp()
    session.save()
    ended = client.get(queue)
    assert ended.status_code == 302 and ended["Location"].startswith(LOGIN)
    assert client.get(queue).status_code == 302  # signed out for good
