"""Each role lands on its own work; the newsroom's error pages speak the user's
language and lead back; the board links only what the user may open."""

import re

import pytest
from django.urls import reverse

from cangxanh.news.models import Status

LOGIN = "/admin/login/"


def log_in(client, username, next_url="/admin/"):
    return client.post(
        f"{LOGIN}?next={next_url}",
        {"username": username, "password": "pw-123456", "next": next_url},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def sections(page: str) -> list[str]:
    return re.findall(r'data-section="(\w+)"', page)


@pytest.mark.parametrize(
    ("username", "first"),
    [("approver", "review"), ("editor", "returned"), ("translator", "jobs")],
)
def test_each_role_lands_on_its_own_work(client, people, make_article, username, first):
    make_article(["vi", "en"])  # published in vi: a Korean job for the translator
    response = log_in(client, username)
    assert response.status_code == 302
    assert response["Location"] == reverse("editorial:queue")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert sections(page)[0] == first
    if username == "translator":
        assert re.search(r'href="/editorial/desk/\d+/ko/"', page)


def test_a_chosen_next_page_is_kept(client, people):
    board = reverse("editorial:board")
    assert log_in(client, "editor", board)["Location"] == board


def test_newsroom_403_and_404_are_pages_in_the_users_language(client, people, make_article):
    article = make_article(["vi", "ja"])
    client.force_login(people["translator"])  # Korean only
    desk = reverse("editorial:desk", kwargs={"article_id": article.pk, "language": "ja"})
    response = client.get(desk, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 403
    page = response.content.decode()
    assert "403 Forbidden" not in page and "<h1>403" not in page
    assert 'lang="vi"' in page
    assert reverse("editorial:queue") in page
    missing = client.get("/editorial/desk/987654/ko/", HTTP_ACCEPT_LANGUAGE="ko")
    assert missing.status_code == 404
    assert 'lang="ko"' in missing.content.decode()
    assert reverse("editorial:queue") in missing.content.decode()


def test_the_board_links_only_cells_the_user_may_open(client, people, make_article):
    article = make_article(["vi", "ko", "ja"], status=Status.PUBLISHED)
    client.force_login(people["translator"])
    page = client.get(reverse("editorial:board"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("editorial:desk", kwargs={"article_id": article.pk, "language": "ko"}) in page
    assert (
        reverse("editorial:desk", kwargs={"article_id": article.pk, "language": "ja"}) not in page
    )
