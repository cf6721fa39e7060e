"""The database out of reach: readers of cached pages keep getting them, every other
page is a 503 in the reader's (or the newsroom user's) language with Retry-After,
never Django's 500 page, and everything works again once the database is back.

Against a production server whose PostgreSQL connection goes through a relay the test
cuts (as a restart does: open connections dropped, new ones refused), and, on either
database, in this process with the connection pointed where no database answers."""

import secrets
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.db import connections
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from cangxanh.core import languages
from cangxanh.editorial import roles
from cangxanh.editorial.models import StaffProfile
from tests.servers import database_url, free_port, is_postgresql

from .conftest import Answer, fetch, live_server

pytestmark = pytest.mark.django_db(transaction=True)

READERS_TITLE = "This page is briefly unavailable"
NEWSROOM_TITLE = "The newsroom cannot reach its database"
NOT_SAVED = (
    "What you just sent was not saved. Go back in your browser, where the form still holds "
    "what you typed, and send it again in a minute."
)


def translated(lang: str, message: str) -> str:
    with translation.override(lang):
        return gettext(message)


@pytest.fixture
def article(make_article, site_identity):
    return make_article(["vi", "ko", "ja"])


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    StaffProfile.objects.create(user=user, languages=["vi"])
    return user


@pytest.fixture
def session(editor) -> str:
    client = Client()
    client.force_login(editor)
    return client.cookies["sessionid"].value


def assert_unavailable(answer, lang: str, title: str, *more: str) -> None:
    """A 503 in `lang`, with Retry-After, kept by no cache, saying `title` and `more`."""
    assert answer.status == 503
    assert int(answer.headers["retry-after"]) > 0
    assert answer.headers["cache-control"] == "no-store"
    html_lang = languages.get(lang).bcp47 if title == READERS_TITLE else lang
    assert f'<html lang="{html_lang}"' in answer.text
    for message in (title, *more):
        assert translated(lang, message) in answer.text
    assert "Server Error" not in answer.text


def test_a_database_restart_under_a_running_server(cuttable_database, article, session):
    vi, ko = (article.translations.get(language=lang) for lang in ("vi", "ko"))
    csrf = secrets.token_hex(16)  # 32 characters: the secret itself is a valid token
    staff = {"Cookie": f"sessionid={session}; csrftoken={csrf}"}
    newsroom_post = {"X_CSRFToken": csrf, "Content_Type": "application/x-www-form-urlencoded"}
    with live_server(DATABASE_URL=database_url(port=cuttable_database.port)) as base:
        cached = base + vi.get_absolute_url()
        assert fetch(cached).status == 200
        assert fetch(cached).hit
        assert fetch(base + "/editorial/", **staff).status == 200

        cuttable_database.cut()
        for _ in range(3):
            answer = fetch(cached)
            assert (answer.status, answer.hit) == (200, True)
        assert_unavailable(fetch(base + ko.get_absolute_url()), "ko", READERS_TITLE)
        section = fetch(
            base + vi.article.section.translations.get(language="vi").get_absolute_url()
        )
        assert_unavailable(section, "vi", READERS_TITLE)
        assert "Portal vi" in section.text  # the site's name, as last read
        assert_unavailable(
            fetch(base + "/editorial/", Accept_Language="ja", **staff), "ja", NEWSROOM_TITLE
        )
        sent = fetch(
            base + f"/editorial/translations/{vi.pk}/",
            method="POST",
            data=b"action=submit",
            Accept_Language="ja",
            **staff,
            **newsroom_post,
        )
        assert_unavailable(sent, "ja", NEWSROOM_TITLE, NOT_SAVED)

        cuttable_database.restore()
        assert fetch(base + ko.get_absolute_url()).status == 200
        assert fetch(base + "/editorial/", **staff).status == 200
        assert fetch(cached).status == 200


@contextmanager
def database_away():
    """Point this process's connection where no database answers, then back."""
    connection = connections["default"]
    connection.close()
    saved = dict(connection.settings_dict)
    if is_postgresql():
        connection.settings_dict["PORT"] = free_port()  # nothing listens there
    else:
        connection.settings_dict["NAME"] = "/nonexistent/cangxanh.sqlite3"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


@pytest.mark.parametrize("lang", ["vi", "en", "ko", "ja", "zh-hans"])
def test_every_language_gets_its_503_while_the_database_is_away(article, editor, lang):
    reader = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=lang)
    staff.force_login(editor)
    page = f"/{lang}/"
    translation_id = article.translations.get(language="vi").pk
    assert reader.get(page).status_code == 200

    with database_away():
        assert_unavailable(answer_of(reader.get(page)), lang, READERS_TITLE)
        assert_unavailable(answer_of(staff.get("/editorial/")), lang, NEWSROOM_TITLE)
        sent = staff.post(f"/editorial/translations/{translation_id}/", {"action": "submit"})
        assert_unavailable(answer_of(sent), lang, NEWSROOM_TITLE, NOT_SAVED)

    assert reader.get(page).status_code == 200
    assert staff.get("/editorial/").status_code == 200


def answer_of(response) -> Answer:
    return Answer(
        response.status_code,
        {k.lower(): v for k, v in response.items()},
        response.content.decode(),
    )
