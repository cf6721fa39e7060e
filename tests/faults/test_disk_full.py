"""A full disk during an upload: the editor reads why in their language, the form keeps
what they typed, and nothing is half saved (no picture row without its file, no file
without its row); once there is room again the same form goes through.

The library's folders are on a real small file system (a tmpfs mounted for the test),
filled up before the upload, and the upload is a real POST through the image admin and
through the body editor's picture picker."""

import errno
import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image as PILImage

from cangxanh.images.models import Image, ImageText
from cangxanh.images.storage import originals, out_of_space_message

from ..conftest import jpeg_bytes, management

pytestmark = pytest.mark.django_db


class SmallDisk:
    def __init__(self, root: Path):
        self.root = root
        self.filler = root / "filler"

    def fill(self) -> None:
        """Write until the file system says it is full."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, bytes(64 * 1024))
        except OSError as error:
            assert error.errno == errno.ENOSPC
        finally:
            os.close(fd)

    def free(self) -> None:
        self.filler.unlink()

    def files(self) -> list[Path]:
        """Every file the library stored (renditions and originals)."""
        return [p for p in self.root.rglob("*") if p.is_file() and p != self.filler]


@pytest.fixture
def small_disk(tmp_path, settings):
    """The media and originals folders on a 2 MiB tmpfs of this test's own."""
    root = tmp_path / "disk"
    root.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(root)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    settings.MEDIA_ROOT = root / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "cangxanh.images.storage.LocalStorage"},
        "originals": {
            "BACKEND": "cangxanh.images.storage.LocalStorage",
            "OPTIONS": {"location": root / "originals"},
        },
    }
    field = Image._meta.get_field("file")
    previous, field.storage = field.storage, originals()
    try:
        yield SmallDisk(root)
    finally:
        field.storage = previous
        subprocess.run(["umount", str(root)], check=True)


def admin_form(**fields) -> dict:
    return {
        "file": SimpleUploadedFile("cang-lach-huyen.jpg", jpeg_bytes(1600, 900)),
        "credit": "Ảnh: Sở Ngoại vụ",
        "focal_x": "30",
        "focal_y": "60",
        **management("texts", 2),
        "texts-0-language": "vi",
        "texts-0-alt": "Cần cẩu trên cầu cảng Lạch Huyện",
        "texts-0-caption": "Cảng nước sâu lúc bình minh",
        "texts-1-language": "en",
        "texts-1-alt": "Cranes on the Lach Huyen quay",
        "texts-1-caption": "",
        **fields,
    }


def disk_full_said(response, lang: str) -> bool:
    with translation.override(lang):
        message = out_of_space_message()
    return escape(message) in response.content.decode()


def test_an_upload_to_a_full_disk_is_refused_whole_and_the_form_kept(staff, small_disk):
    small_disk.fill()
    refused = staff.post(reverse("admin:images_image_add"), admin_form(), HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 507
    assert disk_full_said(refused, "vi")
    page = refused.content.decode()
    assert '<html lang="vi"' in page
    for typed in (
        "Ảnh: Sở Ngoại vụ",
        "Cần cẩu trên cầu cảng Lạch Huyện",
        "Cảng nước sâu lúc bình minh",
    ):
        assert escape(typed) in page
    assert 'value="30"' in page and 'value="60"' in page
    assert (Image.objects.count(), ImageText.objects.count()) == (0, 0)
    assert small_disk.files() == []

    small_disk.free()
    saved = staff.post(reverse("admin:images_image_add"), admin_form())
    assert saved.status_code == 302
    image = Image.objects.get()
    assert (image.credit, image.focal_x, image.focal_y) == ("Ảnh: Sở Ngoại vụ", 30, 60)
    assert small_disk.files() == [Path(image.file.path)]
    with image.file.open("rb") as fh:
        assert PILImage.open(fh).size == (1600, 900)


def test_an_upload_from_the_picker_to_a_full_disk_keeps_the_form(staff, small_disk):
    picker = reverse("editorial:picture-picker") + "?CKEditorFuncNum=1&lang=ko"
    form = {
        "alt": "Bến tàu khách Bính",
        "caption": "Bến tàu lúc sáng sớm",
        "credit": "Ảnh: Sở Ngoại vụ",
    }
    small_disk.fill()
    refused = staff.post(
        picker,
        {"file": SimpleUploadedFile("ben-tau.jpg", jpeg_bytes()), **form},
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert refused.status_code == 507
    assert disk_full_said(refused, "ko")
    assert all(escape(typed) in refused.content.decode() for typed in form.values())
    assert Image.objects.count() == 0
    assert small_disk.files() == []

    small_disk.free()
    saved = staff.post(picker, {"file": SimpleUploadedFile("ben-tau.jpg", jpeg_bytes()), **form})
    assert saved.status_code == 200
    assert Image.objects.get().text("ko").alt == "Bến tàu khách Bính"


def test_what_a_failing_write_began_is_removed(small_disk):
    small_disk.fill()
    storage = originals()
    with pytest.raises(OSError) as failed:
        storage.save("images/2026/05/big.jpg", SimpleUploadedFile("big.jpg", jpeg_bytes()))
    assert failed.value.errno == errno.ENOSPC
    assert small_disk.files() == []
