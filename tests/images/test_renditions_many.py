"""Many pictures' renditions at once (`image_renditions_ensure_many`, what the demo loader
uses): made in processes of their own, one per CPU at most, each picture's recorded on
its row as if made alone; nothing is made twice."""

import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cangxanh.images import renditions
from cangxanh.images.models import Image

from . import pictures

pytestmark = pytest.mark.django_db(transaction=True)


def stored(name: str) -> Image:
    """A library picture saved without its renditions."""
    image = Image(credit="Sở Ngoại vụ")
    image.file.save(name, ContentFile(pictures.jpeg(1600, 900)), save=False)
    image.save()
    return image


def test_many_pictures_are_made_in_processes_of_their_own(tmp_path, monkeypatch):
    for index in range(4):
        stored(f"cang-{index}.jpg")
    makers = tmp_path / "makers"
    make = renditions._make

    def recording(image, key):
        with makers.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        return make(image, key)

    monkeypatch.setattr(renditions, "_make", recording)  # forked children inherit it

    made = renditions.image_renditions_ensure_many(images=Image.objects.all(), workers=2)

    assert made == 4 * 20  # 1600×900: card 3, wide 3, full 4 widths, WebP and JPEG each
    pids = makers.read_text().split()
    assert len(pids) == 4
    assert str(os.getpid()) not in pids and len(set(pids)) <= 2
    for image in Image.objects.all():
        assert image.renditions["key"] == renditions.record_key(image)
        names = renditions.record_names(image.renditions)
        assert len(names) == 20 and all(default_storage.exists(name) for name in names)

    # Every record is current: nothing to make, no process started.
    makers.unlink()
    assert renditions.image_renditions_ensure_many(images=Image.objects.all(), workers=2) == 0
    assert not makers.exists()
