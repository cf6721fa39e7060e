"""A long file name is shortened, never refused: the library's pictures, and every other
upload, keep a readable stem of their own name and their extension
(cangxanh.core.uploads)."""

from pathlib import PurePosixPath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from cangxanh.core.uploads import STEM_BYTES, STEM_CHARACTERS, short_file_name
from cangxanh.images.models import Image

from . import pictures

pytestmark = pytest.mark.django_db

WORDS = "Toàn cảnh cảng Lạch Huyện nhìn từ trên cao trong buổi sáng đầu năm mới "
LONG = (WORDS * 3)[:146] + ".jpg"  # 150 characters


def test_a_150_character_name_uploads_with_its_extension_and_a_readable_stem(upload):
    assert len(LONG) == 150
    image = upload(LONG, pictures.jpeg())
    stored = PurePosixPath(image.file.name)
    assert stored.suffix == ".jpg"
    assert stored.stem.startswith("Toàn_cảnh_cảng_Lạch_Huyện")
    assert len(stored.stem) <= STEM_CHARACTERS
    # Ends on a whole word of the name, not in the middle of one.
    assert stored.stem.split("_")[-1] in WORDS.split()
    assert image.renditions["purposes"]["card"]  # and its renditions were made

    # The same name again: a name of its own, as the storage makes any taken name unique.
    again = upload(LONG, pictures.jpeg())
    assert again.file.name != image.file.name
    assert PurePosixPath(again.file.name).suffix == ".jpg"
    assert Image.objects.count() == 2


@pytest.mark.parametrize("in_memory", [True, False])
def test_every_upload_is_named_short_in_memory_or_on_disk(settings, in_memory):
    """What any form gets (registry attachments and agreement texts, documents' files…):
    the request's files are named short before a form sees them."""
    if not in_memory:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # the temporary-file handler takes it
    name = "Biên bản ghi nhớ hợp tác giữa thành phố Hải Phòng và thành phố Incheon " * 3 + ".pdf"
    request = RequestFactory().post(
        "/", {"file": SimpleUploadedFile(name, b"%PDF-1.7 content", content_type="application/pdf")}
    )
    got = request.FILES["file"]
    with got:
        assert got.read() == b"%PDF-1.7 content"
    assert got.name.endswith(".pdf")
    stem = got.name.removesuffix(".pdf")
    assert stem.startswith("Biên bản ghi nhớ hợp tác")
    assert len(stem) <= STEM_CHARACTERS and name.startswith(stem)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("cang.jpg", "cang.jpg"),  # short: as it came
        ("a" * 60 + ".jpeg", "a" * 60 + ".jpeg"),
        ("a" * 200 + ".webp", "a" * 60 + ".webp"),  # no word to end on: cut
        ("港口" * 60 + ".png", "港口" * 20 + ".png"),  # three bytes a character
        ("x" * 150, "x" * 60),  # no extension
        ("a" * 150 + ".not an extension", "a" * 60),
    ],
)
def test_short_file_name(name, expected):
    got = short_file_name(name)
    assert got == expected
    assert len(got.rpartition(".")[0].encode() or got.encode()) <= STEM_BYTES


@pytest.mark.parametrize(
    "name",
    [
        "../" * 80 + "etc/passwd.png",  # a path: only its last part is a name
        "..\\" * 80 + "boot.ini.png",
        "." * 200 + ".png",  # nothing but dots and a long run of them
        "-_ ,;" * 40 + ".pdf",  # nothing but the marks a stem may end on
    ],
)
def test_a_hostile_long_name_stays_one_harmless_file_name(name):
    """What an attacker names a file: still one short name, no folder, never empty."""
    request = RequestFactory().post(
        "/", {"file": SimpleUploadedFile(name, b"%PDF-1.7", content_type="application/pdf")}
    )
    got = request.FILES["file"].name
    assert got and "/" not in got and "\\" not in got and got not in (".", "..")
    stem = got.rpartition(".")[0] or got
    assert len(stem) <= STEM_CHARACTERS and len(stem.encode()) <= STEM_BYTES
