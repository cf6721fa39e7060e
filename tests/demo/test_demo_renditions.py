"""`cangxanh demo` makes its pictures' renditions after loading, in parallel processes
(one per CPU at most), not one by one inside the load's transaction."""

import io
import os

import pytest
from django.core.management import call_command

from cangxanh.images import renditions
from cangxanh.images.models import Image

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_makes_its_renditions_in_parallel_after_loading(tmp_path, monkeypatch):
    makers = tmp_path / "makers"
    make = renditions._make

    def recording(image, key):
        # Made after the load's commit: the row is there for another connection to read.
        assert Image.objects.filter(pk=image.pk).exists()
        with makers.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        return make(image, key)

    monkeypatch.setattr(renditions, "_make", recording)  # forked children inherit it
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # the same test on any machine

    out = io.StringIO()
    call_command("demo", "--no-backup", stdout=out)

    images = list(Image.objects.all())
    assert len(images) >= 20
    assert all(image.renditions["key"] == renditions.record_key(image) for image in images)
    pids = makers.read_text().split()
    assert len(pids) == len(images)  # each picture's made once
    assert str(os.getpid()) not in pids and len(set(pids)) <= 2
    made = sum(len(renditions.record_names(image.renditions)) for image in images)
    assert f"{made} renditions" in out.getvalue()
