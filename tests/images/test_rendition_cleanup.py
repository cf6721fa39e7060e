"""A new focal point leaves no stale renditions behind: the files only the old record
named leave the media storage (on disk, and in a bucket) once their grace is over, the
new ones and those the focal point does not change stay, and a file another image still
names is kept. Most tests here give no grace (RENDITIONS_RETIRE_SECONDS = 0); the last
ones keep the default."""

from pathlib import Path

import pytest
from django.urls import reverse

from cangxanh.images import renditions
from cangxanh.images.models import Image

from .. import s3server
from . import pictures


@pytest.fixture(autouse=True)
def _no_grace(request, settings):
    if "grace" not in request.node.name:
        settings.RENDITIONS_RETIRE_SECONDS = 0


def on_disk(settings) -> set[str]:
    """Every rendition file in the media storage."""
    root = Path(settings.MEDIA_ROOT)
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def names_of(image: Image, purposes=("card", "wide", "full")) -> set[str]:
    image.refresh_from_db()
    return {
        entry[kind]
        for purpose in purposes
        for entry in image.renditions["purposes"][purpose]
        for kind in renditions.KINDS
    }


@pytest.mark.django_db
def test_a_new_focal_point_removes_the_old_crops_and_keeps_the_new(upload, change, settings):
    image = upload("hai-mau.png", pictures.halves(1600, 400), focal_x="5")
    old_crops, whole = names_of(image, ("card", "wide")), names_of(image, ("full",))
    assert on_disk(settings) == old_crops | whole

    response = change(image, focal_x="95")  # a picture nobody sees changes at once
    assert response.status_code == 302
    new_crops = names_of(image, ("card", "wide"))
    assert new_crops.isdisjoint(old_crops)
    assert on_disk(settings) == new_crops | whole  # the whole picture's files stay
    assert names_of(image, ("full",)) == whole


@pytest.mark.django_db
def test_a_waiting_focal_point_keeps_what_readers_see_until_it_is_published(
    upload, change, staff, site_identity, make_article, settings, django_capture_on_commit_callbacks
):
    image = upload("hai-mau.png", pictures.halves(1600, 400), focal_x="5")
    make_article(["vi"], images=[image])  # readers see it: a change waits for an approver
    shown = names_of(image)

    assert change(image, focal_x="95").status_code == 302
    staff.get(reverse("admin:images_image_change", args=[image.pk]))  # previews the new crop
    assert names_of(image) == shown
    assert shown <= on_disk(settings)  # readers' files are all there

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("editorial:picture", args=[image.pk]), {"action": "publish"})
    published = names_of(image)
    assert published != shown
    assert published <= on_disk(settings)
    assert on_disk(settings).isdisjoint(shown - published)


@pytest.mark.django_db
def test_a_file_another_image_names_is_kept(upload, change, settings):
    image = upload("chung.png", pictures.halves(1600, 400), focal_x="5")
    # Another row on the same original and focal point (its record names the same files).
    twin = Image.objects.create(
        file=image.file.name, width=image.width, height=image.height, focal_x=5
    )
    renditions.image_renditions_ensure(image=twin)
    shared = names_of(twin)
    assert shared == names_of(image)

    assert change(image, focal_x="95").status_code == 302
    assert names_of(image) != shared
    assert shared <= on_disk(settings)  # the twin still shows them


@pytest.fixture
def buckets(settings, s3):
    with s3server.buckets_in_use(settings, s3) as found:
        yield found


def bucket_keys(s3, bucket: str) -> set[str]:
    listed = s3.client().list_objects_v2(Bucket=bucket)
    return {entry["Key"] for entry in listed.get("Contents", ())}


@pytest.mark.django_db(transaction=True)
def test_in_a_bucket_the_old_crops_are_deleted_too(buckets, s3, upload, change):
    image = upload("cang.jpg", pictures.jpeg(1600, 900), focal_x="10")
    original = f"originals/{image.file.name}"
    assert bucket_keys(s3, buckets.media) == {original, *names_of(image)}

    assert change(image, focal_x="90").status_code == 302
    assert bucket_keys(s3, buckets.media) == {original, *names_of(image)}

    # Back to the first point: the files are made again, not taken for still there.
    assert change(image, focal_x="10").status_code == 302
    assert bucket_keys(s3, buckets.media) == {original, *names_of(image)}


@pytest.mark.django_db
def test_with_grace_retired_crops_stay_until_it_is_over_then_a_sweep_deletes_them(
    upload, change, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Pages cached at the edge or in a browser still name the old crop for a while."""
    assert settings.RENDITIONS_RETIRE_SECONDS >= 600
    image = upload("hai-mau.png", pictures.halves(1600, 400), focal_x="5")
    old_crops, whole = names_of(image, ("card", "wide")), names_of(image, ("full",))

    assert change(image, focal_x="95").status_code == 302
    new_crops = names_of(image, ("card", "wide"))
    assert on_disk(settings) == old_crops | new_crops | whole  # all still there
    assert {name for name, _when in image.renditions["retired"]} == old_crops

    with django_capture_on_commit_callbacks(execute=True):
        renditions.renditions_sweep()  # too early: nothing goes
    assert on_disk(settings) == old_crops | new_crops | whole

    later = renditions.clock() + settings.RENDITIONS_RETIRE_SECONDS + 1
    monkeypatch.setattr(renditions, "clock", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        renditions.renditions_sweep()
    assert on_disk(settings) == new_crops | whole
    image.refresh_from_db()
    assert "retired" not in image.renditions
    assert names_of(image) == new_crops | whole


@pytest.mark.django_db
def test_with_grace_moving_back_keeps_the_files_it_names_again(upload, change, settings):
    image = upload("hai-mau.png", pictures.halves(1600, 400), focal_x="5")
    first = names_of(image, ("card", "wide"))
    assert change(image, focal_x="95").status_code == 302
    assert change(image, focal_x="5").status_code == 302
    image.refresh_from_db()
    assert names_of(image, ("card", "wide")) == first
    retired = {name for name, _when in image.renditions["retired"]}
    assert retired.isdisjoint(first)  # named again: no longer waiting to go
    assert first <= on_disk(settings)
