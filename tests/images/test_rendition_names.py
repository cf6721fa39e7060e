"""Renditions are named after what they hold, and served as immutable.

A rendition's name carries the options it was made with and a digest of the
original's bytes (and of how renditions are made), so an address never comes
to mean other bytes: readers' browsers and CDNs keep each file for a year, and
a new focal point, a new file or new settings reach readers as new addresses.
"""

import hashlib
import http.client
import io
import json
import re
import subprocess
import sys
import threading
from contextlib import contextmanager
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from easy_thumbnails.models import Thumbnail
from PIL import Image as PILImage

from cangxanh.images import renditions
from cangxanh.images.models import Image
from cangxanh.images.storage import originals

from . import pictures

pytestmark = pytest.mark.django_db(transaction=True)

IMMUTABLE = "public, max-age=31536000, immutable"
MEDIA = re.compile(r"/media/renditions/[^\s\"'<>,)\\]+")


def names(image: Image) -> list[str]:
    image.refresh_from_db()
    return [
        entry[kind]
        for entries in image.renditions["purposes"].values()
        for entry in entries
        for kind in renditions.KINDS
    ]


def expected_digest(content: bytes) -> str:
    """Worked out here from the bytes alone, as any machine would."""
    return hashlib.sha256(f"{renditions.VERSION}:".encode() + content).hexdigest()[:12]


def forget_renditions(image: Image) -> None:
    """As on a fresh machine: no files, no easy-thumbnails records, no record on the row."""
    for name in names(image):
        default_storage.delete(name)
    Thumbnail.objects.all().delete()
    Image.objects.filter(pk=image.pk).update(renditions={})
    image.refresh_from_db()


def colour(name: str) -> tuple[int, int, int]:
    with default_storage.open(name, "rb") as fh:
        picture = PILImage.open(fh)
        picture.load()
    picture = picture.convert("RGB")
    return picture.getpixel((picture.width // 2, picture.height // 2))


def page_media(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return set(MEDIA.findall(response.content.decode()))


@pytest.fixture(autouse=True)
def _pending_files_in_this_tests_originals():
    """A picture's next file is stored like its originals (tests/conftest.py points only
    Image.file at this test's folder)."""
    from cangxanh.editorial.models import PendingImage

    field = PendingImage._meta.get_field("file")
    previous, field.storage = field.storage, originals()
    yield
    field.storage = previous


@pytest.fixture
def public_image(upload, make_article, site_identity):
    """A picture of a published article (public), its article's address in Vietnamese."""
    image = upload("cang.jpg", pictures.jpeg())
    article = make_article(["vi"], images=[image])
    return image, article.translations.get(language="vi").get_absolute_url()


# --- Names ------------------------------------------------------------------------


def test_the_same_inputs_give_the_same_names_on_every_run(upload):
    content = pictures.jpeg()
    image = upload("cang.jpg", content)
    first = names(image)
    digest = expected_digest(content)
    assert all(f"_content-{digest}" in name for name in first)
    assert all(name.startswith(f"renditions/{image.file.name}.") for name in first)
    assert all(renditions.content_addressed(name) for name in first)

    forget_renditions(image)
    assert renditions.image_renditions_ensure(image=image) == len(first)  # all made again
    assert names(image) == first


def test_another_file_under_the_same_name_gets_new_names(upload):
    # A picture withdrawn (row and original deleted by hand, its renditions left, as
    # docs/operations.md says), then another uploaded under the same name.
    red = upload("phone.jpg", pictures.encode(pictures.plain(color=(220, 0, 0)), "JPEG"))
    old_name, old = red.file.name, names(red)
    originals().delete(old_name)
    red.delete()
    blue = upload("phone.jpg", pictures.encode(pictures.plain(color=(0, 0, 220)), "JPEG"))
    assert blue.file.name == old_name
    new = names(blue)
    assert set(new).isdisjoint(old)
    for name in new:
        if not name.endswith(".webp"):
            r, _g, b = colour(name)
            assert b > 150 and r < 80, name  # the new picture, never the old files


def test_new_processing_or_new_quality_gives_new_names(upload, settings, monkeypatch):
    image = upload("cang.jpg", pictures.jpeg())
    before = set(names(image))

    monkeypatch.setattr(renditions, "VERSION", renditions.VERSION + 1)
    assert renditions.image_renditions_ensure(image=image) > 0
    processed = set(names(image))
    assert processed.isdisjoint(before)

    settings.IMAGE_RENDITION_QUALITY = {"webp": 70, "fallback": 75}
    assert renditions.image_renditions_ensure(image=image) > 0
    assert set(names(image)).isdisjoint(processed | before)
    assert all("_q70_" in n or "_q75_" in n for n in names(image))


# --- What readers' pages name, before and after approval ---------------------------


def test_a_new_focal_point_and_a_new_file_reach_the_page_after_approval(
    public_image, change, staff, django_capture_on_commit_callbacks
):
    image, url = public_image
    reader = Client()
    first = page_media(reader, url)
    assert first and all(renditions.content_addressed(name) for name in first)

    def approve():
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post(
                reverse("editorial:picture", args=[image.pk]), {"action": "publish"}
            )
        assert response.status_code == 302

    # A new focal point waits for approval: readers' page and files are unchanged.
    assert change(image, focal_x="10").status_code == 302
    assert page_media(reader, url) == first
    approve()
    moved = page_media(reader, url)
    assert moved != first
    assert any("target-10,50" in name or "target-10%2C50" in name for name in moved)
    for address in moved:
        response = reader.get(address)
        assert response.status_code == 200, address
        assert response["Cache-Control"] == IMMUTABLE
        response.close()

    # A new file: new addresses, with the new file's digest, once approved.
    image.refresh_from_db()
    content = pictures.jpeg(1400, 800)
    response = change(image, file=SimpleUploadedFile("cang-moi.jpg", content))
    assert response.status_code == 302
    assert page_media(reader, url) == moved
    approve()
    replaced = page_media(reader, url)
    assert replaced.isdisjoint(moved | first)
    assert all(f"_content-{expected_digest(content)}" in name for name in replaced)
    response = reader.get(sorted(replaced)[0])
    assert response.status_code == 200
    response.close()


# --- Headers, through a real HTTP server -------------------------------------------


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def http_server():
    """The project's WSGI application (the page cache in front of Django) on a port."""
    from cangxanh.wsgi import application

    server = make_server("127.0.0.1", 0, application, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def fetch(port: int, path: str, **headers) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path, headers={"Accept-Language": "ko", **headers})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_public_renditions_are_immutable_and_do_not_vary(public_image):
    image, url = public_image
    webp = next(n for n in names(image) if n.endswith(".webp"))
    jpeg = next(n for n in names(image) if n.endswith(".jpg"))
    with http_server() as port:
        for name, content_type in ((webp, "image/webp"), (jpeg, "image/jpeg")):
            response, body = fetch(port, "/media/" + name)
            assert response.status == 200, name
            with default_storage.open(name, "rb") as fh:
                assert body == fh.read()
            assert response.getheader("Cache-Control") == IMMUTABLE
            assert response.getheader("Content-Type") == content_type
            assert response.getheader("X-Content-Type-Options") == "nosniff"
            assert response.getheader("Last-Modified")
            # One copy for every reader, whatever language or cookie they send.
            assert response.getheader("Vary") is None
            assert response.getheader("Content-Language") is None
            assert response.getheader("Set-Cookie") is None
            # Asked again with its validator: 304, with the same caching headers.
            again, body = fetch(
                port, "/media/" + name, **{"If-Modified-Since": response.getheader("Last-Modified")}
            )
            assert again.status == 304 and body == b""
            assert again.getheader("Cache-Control") == IMMUTABLE
            assert again.getheader("Vary") is None

        # Pages keep their own headers: the language redirect varies as it did, an
        # article says its language.
        home, _body = fetch(port, "/")
        assert home.status == 302
        assert home.getheader("Vary") == "Accept-Language, Cookie"
        page, _body = fetch(port, url)
        assert page.status == 200 and page.getheader("Content-Language") == "vi"
        robots, _body = fetch(port, "/robots.txt")
        assert "Accept-Language" in robots.getheader("Vary")

        # Unknown digests, unknown pictures, absurd lengths: 404, never cached, never 500.
        folder, filename = webp.rsplit("/", 1)
        digest = re.search(r"_content-([0-9a-f]{12})", filename).group(1)
        for path in (
            f"/media/{folder}/{filename.replace(digest, '0' * 12)}",
            f"/media/{folder}/{filename.replace(digest, 'f' * 5000)}",
            f"/media/{folder}/{filename.replace(digest, digest + 'a' * 300)}",
            "/media/renditions/images/2020/01/khong-co.jpg.720x0_q80_content-0123456789ab.webp",
        ):
            response, body = fetch(port, path)
            assert response.status == 404, path[:120]
            assert response.getheader("Cache-Control") == "private, no-store"
            assert response.getheader("Vary") is None


def test_renditions_written_to_a_bucket_carry_the_same_cache_control(tmp_path):
    # What django-storages sends with every file it writes to the media bucket.
    # The settings module alone: django-storages itself is an optional extra.
    script = "import json; from cangxanh import settings; print(json.dumps(settings.STORAGES))"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cangxanh.settings",
        "CANGXANH_VAR_DIR": str(tmp_path),
        "AWS_STORAGE_BUCKET_NAME": "cangxanh-media",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    storages = json.loads(result.stdout)
    assert storages["default"]["OPTIONS"]["object_parameters"] == {"CacheControl": IMMUTABLE}
    assert "object_parameters" not in storages["originals"]["OPTIONS"]  # private, never cached


def test_a_signed_in_browser_gets_public_renditions_privately(public_image, staff):
    # Its answer carries the session cookie (saved on every request): no shared cache
    # may keep it.
    image, _url = public_image
    response = staff.get("/media/" + names(image)[0])
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    response.close()


# --- Installs from before content digests ------------------------------------------


def test_renditions_from_an_older_release_are_made_again_and_old_addresses_keep_working(
    public_image,
):
    image, url = public_image
    current = names(image)
    # The record and the files as the release before made them: no digest in the names.
    older = {name: re.sub(r"_content-[0-9a-f]{12}", "", name) for name in current}
    for name, old_name in older.items():
        with default_storage.open(name, "rb") as fh:
            default_storage.save(old_name, fh)
    old_record = {
        "key": "2:" + renditions.record_key(image).split(":", 1)[1],
        "purposes": {
            purpose: [{**e, **{k: older[e[k]] for k in renditions.KINDS}} for e in entries]
            for purpose, entries in image.renditions["purposes"].items()
        },
    }
    forget_renditions(image)
    Image.objects.filter(pk=image.pk).update(renditions=old_record)
    old_address = "/media/" + old_record["purposes"]["card"][0]["webp"]
    assert not renditions.content_addressed(old_address)

    # The first page view makes them under the new names.
    reader = Client()
    on_page = page_media(reader, url)
    assert on_page and all(renditions.content_addressed(name) for name in on_page)
    assert names(image) == current
    # A page cached before the upgrade still finds its pictures, for a day as before.
    response = reader.get(old_address)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"
    response.close()

    # `cangxanh renditions` does the same for the whole library.
    forget_renditions(image)
    Image.objects.filter(pk=image.pk).update(renditions=old_record)
    call_command("renditions", stdout=io.StringIO())
    assert names(image) == current
    assert all(default_storage.exists(name) for name in current)
