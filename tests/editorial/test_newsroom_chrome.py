"""The newsroom's chrome: the portal's own name in its header, its icon, and a server
log that keeps a refusal to one line."""

import io
import logging
import re
import sys

import pytest
from django.urls import reverse
from PIL import Image as PILImage

from cangxanh.core.logs import RefusalsInOneLine
from cangxanh.core.models import SiteIdentity

pytestmark = pytest.mark.django_db


def header(page: str) -> str:
    return re.search(r'<div id="site-name"><a [^>]*>(.*?)</a>', page, flags=re.S).group(1)


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, flags=re.S).group(1)


def test_the_header_names_the_portal_in_the_users_language(staff, site_identity):
    page = staff.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert header(page) == "Portal en — newsroom"
    assert title(page).endswith("| Portal en — newsroom")
    assert "cangxanh" not in header(page)

    korean = staff.get(reverse("editorial:queue"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "Portal ko" in header(korean)

    # A language the identity does not name yet: the site's first language's name.
    SiteIdentity.objects.filter(language="ja").delete()
    japanese = staff.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "Portal vi" in header(japanese)


def test_without_any_identity_the_header_says_newsroom(staff):
    page = staff.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert header(page) == "Newsroom"


def test_a_refusal_is_logged_as_one_line_without_traceback(client, make_article, people, caplog):
    article = make_article(["vi", "ko"])
    client.force_login(people["translator"])  # Korean only
    desk = reverse("editorial:desk", kwargs={"article_id": article.pk, "language": "en"})
    with caplog.at_level(logging.INFO):
        response = client.get(desk, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == f"Forbidden (Permission denied): {desk}"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback():
    try:
        raise RuntimeError("broken")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/x/",),
        exc_info,
    )
    record.status_code = 500
    assert RefusalsInOneLine().filter(record)
    assert record.exc_info == exc_info


def test_the_favicon_answers_and_admin_pages_name_the_icon(client, staff, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    with PILImage.open(io.BytesIO(response.content)) as icon:
        assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    assert not [r for r in caplog.records if r.name == "django.request"]

    page = staff.get(reverse("admin:index")).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]+favicon[^"]*\.svg"', page)
