"""The Content-Security-Policy (core.headers): on every kind of page, the same bytes for
every reader of a cached public page, a nonce only where the editor's import map
needs one, and report-only by a setting. tests/browser/test_csp.py proves in Chromium
that it breaks nothing."""

import base64
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import django_prose_editor
import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cangxanh.editorial import roles
from cangxanh.editorial.models import StaffProfile

CSP = "Content-Security-Policy"
NONCE = re.compile(r"'nonce-([^']+)'")


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def assert_strict(header: str, *, editor: bool = False) -> dict[str, list[str]]:
    """The policy, checked; `editor`: a page with the rich-text editor, which alone lets
    style attributes apply (editorial.editor.with_editor)."""
    policy = directives(header)
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"][0] == "'self'"
    assert policy.pop("style-src-attr", None) == (["'unsafe-inline'"] if editor else None)
    assert "'unsafe-inline'" not in "; ".join(" ".join(v) for v in policy.values())
    assert "'unsafe-eval'" not in header
    assert policy["style-src"][0] == "'self'"
    assert policy["img-src"] == ["'self'", "data:"]
    for name in ("font-src", "connect-src", "form-action"):
        assert policy[name] == ["'self'"]
    for name in ("base-uri", "object-src", "frame-ancestors"):
        assert policy[name] == ["'none'"]
    assert "upgrade-insecure-requests" not in policy  # production only
    return policy


@pytest.fixture
def editor_client(client, django_user_model):
    """The test client, signed in as an editor writing Vietnamese."""
    user = django_user_model.objects.create_user("bien-tap", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    StaffProfile.objects.create(user=user, languages=["vi"])
    client.force_login(user)
    return client


@pytest.fixture
def published(site_identity, make_article, image):
    return make_article(["vi", "en"], images=[image]).translations.get(language="vi")


@pytest.mark.parametrize(
    "path",
    [
        "/vi/",
        "/vi/hop-tac-quoc-te/",
        "/vi/search/?q=incheon",
        "/vi/khong-co-trang-nay/",
        "/vi/feed/",
        "/.well-known/security.txt",
    ],
)
def test_public_answers_carry_the_policy_without_a_nonce(client, published, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    policy = assert_strict(response[CSP])
    assert policy["script-src"] == ["'self'"]
    assert not NONCE.search(response[CSP])


def test_the_article_page_too_and_cells_keep_their_alignment_as_classes(client, published):
    published.body = (
        '<table><tbody><tr><th style="text-align: center;">Cảng</th>'
        '<td colspan="2" style="text-align: right;">1.200</td></tr></tbody></table>'
    )
    published.save()
    response = client.get(published.get_absolute_url())
    assert_strict(response[CSP])
    page = response.content.decode()
    assert '<th class="align-center">Cảng</th>' in page
    assert '<td colspan="2" class="align-right">1.200</td>' in page
    assert " style=" not in page  # the policy would refuse every one


def test_a_cached_public_page_is_the_same_policy_for_every_reader(
    settings, site_identity, make_article
):
    """Through the page cache (delivery.front): a nonce kept in a cached page's header
    would be every reader's, and worthless."""
    from django.core.handlers.wsgi import WSGIHandler

    from cangxanh.delivery.front import PageCache

    from ..delivery.conftest import call

    settings.PAGE_CACHE = True
    article = make_article(["vi"]).translations.get()
    app = PageCache(WSGIHandler())
    for path in ("/vi/", article.get_absolute_url()):
        first, second = call(app, path), call(app, path)
        assert second.hit and not first.hit
        assert first.headers["content-security-policy"] == second.headers["content-security-policy"]
        assert not NONCE.search(second.headers["content-security-policy"])
        assert_strict(second.headers["content-security-policy"])


def test_the_editors_import_map_carries_the_nonce_of_its_answer(staff, published):
    """The one inline script: the rich-text editor's import map, with a nonce that is
    new on every answer and named in that answer's policy (the one page, too, where
    style attributes apply)."""
    address = f"/admin/news/article/{published.article_id}/change/"
    nonces = []
    for _ in range(2):
        response = staff.get(address)
        assert response.status_code == 200
        policy = assert_strict(response[CSP], editor=True)
        (nonce,) = NONCE.findall(" ".join(policy["script-src"]))
        page = response.content.decode()
        assert re.findall(r'<script type="importmap"[^>]*nonce="([^"]+)"', page) == [nonce]
        # Every other script is a file of ours or Django's.
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)
        assert inline == [f'<script type="importmap" nonce="{nonce}">'], inline
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.parametrize(
    "path", ["/editorial/", "/editorial/pictures/pick/?CKEditorFuncNum=1", "/editorial/nope/"]
)
def test_newsroom_pages_carry_the_policy(editor_client, published, path):
    response = editor_client.get(path)
    assert response.status_code in (200, 404)
    assert_strict(response[CSP])
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "broken"),
    [("/vi/", "cangxanh.news.queries.latest_by_section"), ("/editorial/", None)],
)
def test_error_pages_carry_the_policy_and_no_inline_style(
    client, editor_client, published, monkeypatch, path, broken
):
    """A fault answers 500 with the readers' or the newsroom's page, under the policy."""

    def fault(*args, **kwargs):
        raise RuntimeError("a fault in our code")

    if broken is None:
        broken = "cangxanh.editorial.views.user_languages"
    else:
        client.logout()
    monkeypatch.setattr(broken, fault)
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 500
    assert_strict(response[CSP])
    page = response.content.decode()
    assert "<style" not in page and " style=" not in page and "<script>" not in page


def test_pictures_from_a_cdn_are_allowed(settings, published):
    settings.MEDIA_URL = "https://anh.example.vn/media/"
    response = Client().get("/vi/")
    assert directives(response[CSP])["img-src"] == ["'self'", "data:", "https://anh.example.vn"]


def test_the_editors_inline_stylesheet_is_the_one_the_policy_names(settings):
    """tiptap (inside django-prose-editor) adds its base rules as a <style>; the policy
    allows exactly that text, by its hash. A new editor release with other rules fails
    here (and in the browser) rather than unseen."""
    editor = Path(django_prose_editor.__file__).parent / "static/django_prose_editor/editor.js"
    (rules,) = re.findall(r"`(\.ProseMirror \{\n  position: relative;[^`]*)`", editor.read_text())
    digest = base64.b64encode(hashlib.sha256(rules.encode()).digest()).decode()
    styles = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    assert f"'sha256-{digest}'" in styles


SHOW_HEADERS = """
import django; django.setup()
from django.test import Client
response = Client().get("/.well-known/security.txt", secure=True, HTTP_HOST="portal.example.vn")
for name in ("Content-Security-Policy", "Content-Security-Policy-Report-Only"):
    print(f"{name}: {response.get(name, '-')}")
"""


def headers_with(env: dict, tmp_path) -> dict[str, str]:
    """The CSP headers of an answer in a fresh process configured by `env`."""
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cangxanh.settings",
        "CANGXANH_VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "portal.example.vn",
    }
    result = subprocess.run(
        [sys.executable, "-c", SHOW_HEADERS], env=base | env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return dict(line.split(": ", 1) for line in result.stdout.splitlines())


def test_report_only_mode_switches_the_header_and_names_the_report_address(tmp_path):
    enforced = headers_with({}, tmp_path)
    assert enforced["Content-Security-Policy-Report-Only"] == "-"
    assert "report-uri" not in enforced[CSP]
    assert_strict(enforced[CSP])

    trying = headers_with(
        {
            "CANGXANH_CSP_REPORT_ONLY": "1",
            "CANGXANH_CSP_REPORT_URI": "https://csp.example.vn/bao-cao",
        },
        tmp_path,
    )
    assert trying[CSP] == "-"
    policy = directives(trying["Content-Security-Policy-Report-Only"])
    assert policy["report-uri"] == ["https://csp.example.vn/bao-cao"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_production_upgrades_insecure_requests(tmp_path):
    from .test_settings import PRODUCTION

    policy = directives(headers_with(PRODUCTION, tmp_path)[CSP])
    assert policy["upgrade-insecure-requests"] == []


def test_every_process_sends_the_same_policy(tmp_path):
    """django-csp writes directives in set order, which changes with each process's hash
    seed; every worker must send the same header."""
    seen = {headers_with({"PYTHONHASHSEED": seed}, tmp_path)[CSP] for seed in ("1", "2", "3", "4")}
    assert len(seen) == 1
