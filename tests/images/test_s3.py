"""Media shared by several app servers in an S3-compatible bucket (django-storages).

An S3 server runs beside the tests (moto's, tests/s3server.py), spoken to over real
HTTP. A picture uploaded through the admin lands in the bucket: its original under a
private prefix nobody may read, its renditions under the one prefix a bucket policy
opens to everyone; pages name them at the bucket. Each rendition is written once, by
whichever server first needs it, however many ask at the same moment; later pages
cost the bucket nothing. Or the bucket stays private whole and the app serves
`/media/` from it (SERVE_MEDIA=1).

These tests run outside a test transaction: two requests at once use two connections.
"""

import io
import re
import threading
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from cangxanh.images import renditions
from cangxanh.images.buckets import storages_from_env
from cangxanh.images.checks import check_private_buckets
from cangxanh.images.models import Image
from cangxanh.news.models import Status

from .. import s3server
from . import pictures

pytestmark = pytest.mark.django_db(transaction=True)

IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def buckets(settings, s3):
    with s3server.buckets_in_use(settings, s3) as found:
        yield found


def keys(s3, bucket: str) -> set[str]:
    listed = s3.client().list_objects_v2(Bucket=bucket)
    return {entry["Key"] for entry in listed.get("Contents", ())}


def recorded(image: Image) -> list[str]:
    image.refresh_from_db()
    return sorted(
        entry[kind]
        for entries in image.renditions["purposes"].values()
        for entry in entries
        for kind in renditions.KINDS
    )


def page_pictures(client, url: str, origin: str) -> set[str]:
    """Every picture address the page names at `origin` (src, srcset, og:image…)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return set(re.findall(re.escape(origin) + r"/[^\s\"'<>,)\\]+", response.content.decode()))


def key_of(url: str, bucket: str) -> str:
    path = unquote(urlsplit(url).path)
    assert path.startswith(f"/{bucket}/"), url
    return path[len(bucket) + 2 :]


@pytest.fixture
def published(upload, make_article, site_identity):
    """A picture uploaded through the admin, shown by a published article."""

    def make(name="cang.jpg", content=None, status=Status.PUBLISHED):
        image = upload(name, content or pictures.tagged_jpeg())
        article = make_article(["vi"], images=[image], status=status)
        return image, article.translations.get(language="vi").get_absolute_url()

    return make


def test_an_upload_lands_in_the_bucket_originals_private_renditions_public_written_once(
    buckets, s3, published, staff
):
    mark = s3.mark()
    image, url = published()
    names = recorded(image)
    assert len(names) == 20  # 1600×900: card 3, wide 3, full 4 widths, WebP and JPEG each
    stored = keys(s3, buckets.media)
    original = f"originals/{image.file.name}"
    assert original in stored
    assert {f"{name}" for name in names} <= stored
    assert stored == {original, *names}  # nothing else, nowhere else

    # Written once each: the original and every rendition, one PUT apiece.
    writes = s3.writes(mark)
    assert writes == {f"/{buckets.media}/{key}": 1 for key in stored}

    # The original: its library address on this site, a private object at the bucket.
    assert image.file.url == f"/media/{image.file.name}"
    grants = s3.client().get_object_acl(Bucket=buckets.media, Key=original)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]
    bucket_address = f"{s3.endpoint}/{buckets.media}/{original}"
    status, _headers, body = s3server.anonymous_get(bucket_address)
    assert status == 403 and pictures.COMMENT not in body
    # Staff download it through the app, which reads it with its own credentials.
    download = staff.get(reverse("image-original", args=[image.pk]))
    assert download.status_code == 200
    assert (
        b"".join(download.streaming_content)
        == s3.client().get_object(Bucket=buckets.media, Key=original)["Body"].read()
    )

    # A reader's page names the renditions at the bucket; anyone may load them there.
    reader = Client()
    mark = s3.mark()
    origin = f"{s3.endpoint}/{buckets.media}"
    on_page = page_pictures(reader, url, origin)
    assert on_page and {key_of(address, buckets.media) for address in on_page} <= set(names)
    assert s3.since(mark) == []  # the page asked the bucket nothing
    for address in sorted(on_page):
        status, headers, body = s3server.anonymous_get(address)
        assert status == 200, address
        assert headers["Cache-Control"] == IMMUTABLE
        assert headers["Content-Type"] == (
            "image/webp" if address.endswith(".webp") else "image/jpeg"
        )
        picture = PILImage.open(io.BytesIO(body))
        assert "exif" not in picture.info and "icc_profile" not in picture.info
        assert pictures.COMMENT not in body

    # Again, and from a fresh page (no page cache): no request to the bucket at all.
    mark = s3.mark()
    from cangxanh.delivery import version

    version.bump()
    assert page_pictures(Client(), url, origin) == on_page
    assert s3.since(mark) == []


def test_servers_needing_the_same_renditions_at_once_write_each_only_once(
    buckets, s3, published, settings
):
    image, url = published()
    before = set(recorded(image))
    # A release with new settings: every page now needs new renditions, and every
    # server's front page asks in the same second.
    settings.IMAGE_RENDITION_QUALITY = {"webp": 78, "fallback": 80}
    mark = s3.mark()
    origin = f"{s3.endpoint}/{buckets.media}"
    servers = 4
    start = threading.Barrier(servers)
    seen: list[set[str]] = [set() for _ in range(servers)]
    errors = []

    def server(index: int) -> None:
        from django.db import connections

        try:
            start.wait()
            seen[index] = page_pictures(Client(), url, origin)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=server, args=(index,)) for index in range(servers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors

    made = set(recorded(image))
    assert made.isdisjoint(before) and len(made) == 20
    # Every page names the same objects, each written once, by one of them.
    assert all(found == seen[0] for found in seen) and seen[0]
    assert {key_of(address, buckets.media) for address in seen[0]} <= made
    writes = s3.writes(mark)
    assert writes == {f"/{buckets.media}/{name}": 1 for name in made}


def test_a_private_bucket_whole_with_the_app_serving_media(settings, s3, published, staff):
    with s3server.buckets_in_use(settings, s3, serve_media=True) as buckets:
        image, url = published()
        names = recorded(image)
        assert set(names) <= keys(s3, buckets.media)
        reader = Client()
        on_page = {
            address
            for address in re.findall(
                r"/media/renditions/[^\s\"'<>,)\\]+", reader.get(url).content.decode()
            )
        }
        keyed = {unquote(address.removeprefix("/media/")) for address in on_page}
        assert on_page and keyed <= set(names)
        for address in sorted(on_page):
            response = reader.get(address)
            body = b"".join(response.streaming_content)
            assert response.status_code == 200, address
            assert response["Cache-Control"] == IMMUTABLE
            assert response["Content-Type"] in ("image/webp", "image/jpeg")
            key = unquote(address.removeprefix("/media/"))
            assert body == s3.client().get_object(Bucket=buckets.media, Key=key)["Body"].read()
            # The bucket itself answers no stranger, renditions included.
            status, _headers, _body = s3server.anonymous_get(f"{s3.endpoint}/{buckets.media}/{key}")
            assert status == 403
            again = reader.get(address, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
            assert again.status_code == 304

        # A picture only a draft shows: 404 to readers, through the app as from disk.
        hidden = published("an.jpg", pictures.jpeg(), status=Status.DRAFT)[0]
        for name in recorded(hidden)[:3]:
            response = reader.get(f"/media/{name}")
            assert response.status_code == 404
            assert response["Cache-Control"] == "private, no-store"


def test_bucket_check_passes_the_documented_policy_and_catches_a_public_bucket(buckets, s3, capsys):
    call_command("bucket-check")
    said = capsys.readouterr().out
    assert "originals:" in said and "documents:" in said and "default:" in said
    assert "All 3 bucket checks passed." in said

    # Someone makes the whole bucket public "to fix the pictures": originals would leak.
    s3.client().put_bucket_policy(
        Bucket=buckets.media,
        Policy=s3server.renditions_policy(buckets.media, prefix="*").replace("/*/*", "/*"),
    )
    with pytest.raises(CommandError, match="2 of 3 bucket checks failed"):
        call_command("bucket-check")
    said = capsys.readouterr().err
    assert "originals:" in said and "documents:" in said and "refused to strangers" in said
    # Every probe object was removed again.
    assert not [key for key in keys(s3, buckets.media) if "bucket-check-" in key]


def test_a_private_prefix_inside_the_public_one_is_refused_by_the_system_check(settings):
    base = {"AWS_STORAGE_BUCKET_NAME": "media", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9"}
    settings.STORAGES = storages_from_env(base, media_url="/media/", serve_media=False)
    assert check_private_buckets(None) == []
    settings.STORAGES = storages_from_env(
        base | {"AWS_ORIGINALS_LOCATION": "renditions/originals"},
        media_url="/media/",
        serve_media=False,
    )
    assert [error.id for error in check_private_buckets(None)] == ["cangxanh.E104"]
    # In a bucket of its own, the same prefix is private.
    settings.STORAGES = storages_from_env(
        base
        | {"AWS_ORIGINALS_LOCATION": "renditions/originals", "AWS_ORIGINALS_BUCKET_NAME": "own"},
        media_url="/media/",
        serve_media=False,
    )
    assert check_private_buckets(None) == []
