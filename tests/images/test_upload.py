"""Uploads through the image admin: what the library takes, what it refuses and
how it says so, in the editor's language."""

import html
from pathlib import Path

import PIL.Image
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from cangxanh.images.models import Image, ImageText
from cangxanh.images.validation import read_header

from . import pictures
from .conftest import add_data

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024


def originals_root(settings) -> Path:
    return Path(settings.STORAGES["originals"]["OPTIONS"]["location"])


def media_files(settings) -> list[Path]:
    """Every file stored: renditions (media) and originals."""
    roots = [Path(settings.MEDIA_ROOT), originals_root(settings)]
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def pillow_opens(monkeypatch):
    """Every file Pillow is asked to open, to show that some never get that far."""
    opened = []
    real_open = PIL.Image.open

    def spy(fp, *args, **kwargs):
        opened.append(fp)
        return real_open(fp, *args, **kwargs)

    monkeypatch.setattr(PIL.Image, "open", spy)
    return opened


@pytest.mark.parametrize(
    ("name", "content", "stored", "size"),
    [
        ("cang.jpg", pictures.jpeg(), ".jpg", (1600, 900)),
        ("cang.png", pictures.png(1200, 800), ".png", (1200, 800)),
        ("cang.webp", pictures.webp(1000, 700), ".webp", (1000, 700)),
        ("cang-lossless.webp", pictures.webp(900, 600, lossless=True), ".webp", (900, 600)),
        ("cang-progressive.jpeg", pictures.jpeg(1000, 600, progressive=True), ".jpg", (1000, 600)),
        # The real type decides, whatever the name says.
        ("png-named.jpg", pictures.png(1200, 800), ".png", (1200, 800)),
        ("webp-named.JPG", pictures.webp(1000, 700), ".webp", (1000, 700)),
        ("no-extension", pictures.jpeg(800, 450), ".jpg", (800, 450)),
        ("transparent.png", pictures.transparent_png(), ".png", (800, 600)),
    ],
)
def test_jpeg_png_and_webp_are_accepted_and_stored_under_their_real_type(
    upload, name, content, stored, size
):
    image = upload(name, content)
    assert Path(image.file.name).suffix == stored
    assert Path(image.file.name).stem.startswith(Path(name).stem)
    assert (image.width, image.height) == size
    assert image.credit == "Ảnh: Sở Ngoại vụ"
    assert image.text("vi").alt == "Cần cẩu trên cầu cảng"
    with image.file.open("rb") as fh:
        assert PILImage.open(fh).size == size
    assert image.renditions["purposes"]["card"]  # made once the upload was committed


def refusal(case, content, name="cang.jpg", *, en, vi):
    return pytest.param(name, content, {"en": en, "vi": vi}, id=case)


REFUSALS = [
    refusal(
        "GIF named .jpg",
        pictures.gif(),
        en="This file is in GIF format, whatever its name says. Upload a JPEG, PNG or WebP image.",
        vi="Tệp này có định dạng GIF, dù tên tệp ghi thế nào. Hãy tải lên ảnh JPEG, PNG hoặc WebP.",
    ),
    refusal(
        "HEIC named .jpg",
        pictures.HEIC_HEADER,
        name="IMG_0001.jpg",
        en="This file is in HEIC format, whatever its name says.",
        vi="Tệp này có định dạng HEIC, dù tên tệp ghi thế nào.",
    ),
    refusal(
        "text named .jpg",
        "Biên bản cuộc họp, không phải ảnh.\n".encode() * 50,
        en="Upload a valid image: this file is not a JPEG, PNG or WebP image, whatever its name says.",
        vi="Hãy tải lên một ảnh hợp lệ: tệp này không phải ảnh JPEG, PNG hay WebP, dù tên tệp ghi thế nào.",
    ),
    refusal(
        "bomb 30000x30000",
        pictures.forged_png(30000, 30000),
        en="The image is 30,000 × 30,000 pixels (900 megapixels); the largest the library "
        "accepts is 40 megapixels. Reduce it and upload it again.",
        vi="Ảnh có kích thước 30.000 × 30.000 điểm ảnh (900 megapixel); thư viện chỉ nhận ảnh "
        "tối đa 40 megapixel. Hãy thu nhỏ ảnh rồi tải lên lại.",
    ),
    # Within Pillow's own limit's warning range: Pillow must not even see it.
    refusal(
        "bomb 10000x10000",
        pictures.forged_png(10000, 10000),
        name="bomb.png",
        en="The image is 10,000 × 10,000 pixels (100 megapixels)",
        vi="Ảnh có kích thước 10.000 × 10.000 điểm ảnh (100 megapixel)",
    ),
    refusal(
        "16 MiB file",
        pictures.padded_jpeg(16 * MiB),
        en="The file is 16.0\xa0MB; the largest file the library accepts is 15.0\xa0MB.",
        vi="Tệp có dung lượng 16,0\xa0MB; thư viện chỉ nhận tệp tối đa 15,0\xa0MB.",
    ),
    refusal(
        "too small",
        pictures.jpeg(300, 200),
        en="The image is 300 × 200 pixels; it needs at least 320 pixels on its shorter side "
        "to stay sharp on the site.",
        vi="Ảnh có kích thước 300 × 200 điểm ảnh; cạnh ngắn hơn cần ít nhất 320 điểm ảnh để ảnh "
        "hiển thị sắc nét trên trang.",
    ),
]
DAMAGED = {
    "en": "The image file is damaged or incomplete and cannot be read. Export it again from "
    "the original and upload it once more.",
    "vi": "Tệp ảnh bị hỏng hoặc không đầy đủ nên không đọc được. Hãy xuất lại từ ảnh gốc rồi "
    "tải lên một lần nữa.",
}
ANIMATED = {
    "en": "Animated images are not accepted. Upload a still JPEG, PNG or WebP image.",
    "vi": "Thư viện không nhận ảnh động. Hãy tải lên ảnh tĩnh JPEG, PNG hoặc WebP.",
}
REFUSED_AFTER_OPENING = [
    pytest.param("cut.jpg", pictures.truncated_jpeg(), DAMAGED, id="truncated JPEG"),
    pytest.param("crc.png", pictures.broken_crc_png(), DAMAGED, id="PNG with a broken checksum"),
    pytest.param("short.png", pictures.forged_png(1000, 800), DAMAGED, id="PNG missing its data"),
    pytest.param("moving.png", pictures.animated("PNG"), ANIMATED, id="animated PNG"),
    pytest.param("moving.webp", pictures.animated("WEBP"), ANIMATED, id="animated WebP"),
]


def post_refused(staff, name, content, lang):
    response = staff.post(
        reverse("admin:images_image_add"),
        add_data(name, content, credit="Ảnh: Báo Hải Phòng"),
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(("name", "content", "messages"), REFUSALS)
def test_a_refused_upload_says_why_in_the_editors_language_before_any_decoding(
    staff, settings, pillow_opens, lang, name, content, messages
):
    page = post_refused(staff, name, content, lang)
    assert f'<html lang="{lang}"' in page
    assert messages[lang] in page
    assert pillow_opens == []  # decided from the bytes and the header alone
    # Nothing saved, and what the editor typed is still there.
    assert not Image.objects.exists() and not ImageText.objects.exists()
    assert media_files(settings) == []
    assert 'value="Ảnh: Báo Hải Phòng"' in page
    assert 'value="Cần cẩu trên cầu cảng"' in page and 'value="Cranes on the quay"' in page


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(("name", "content", "messages"), REFUSED_AFTER_OPENING)
def test_damaged_truncated_and_animated_files_are_refused(
    staff, settings, lang, name, content, messages
):
    page = post_refused(staff, name, content, lang)
    assert messages[lang] in page
    assert not Image.objects.exists() and media_files(settings) == []
    assert 'value="Cranes on the quay"' in page


def test_the_limits_are_settings_and_the_help_text_names_them(staff, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 200 * 1024
    settings.IMAGE_MAX_PIXELS = 2_000_000
    settings.IMAGE_MIN_SIDE = 500
    add_page = staff.get(reverse("admin:images_image_add"), HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "JPEG, PNG or WebP; at most 200.0\xa0KB and 2 megapixels; at least 500 pixels on the "
        "shorter side." in html.unescape(add_page.content.decode())
    )
    assert 'accept="image/jpeg,image/png,image/webp"' in add_page.content.decode()

    noisy = pictures.encode(PILImage.effect_noise((900, 700), 60).convert("RGB"), "JPEG")
    cases = [
        (noisy, "the largest file the library accepts is 200.0\xa0KB"),
        (pictures.jpeg(2000, 1100), "the largest the library accepts is 2 megapixels"),
        (pictures.jpeg(800, 450), "needs at least 500 pixels on its shorter side"),
    ]
    for content, message in cases:
        assert message in post_refused(staff, "cang.jpg", content, "en")
    assert not Image.objects.exists()


def test_a_refused_replacement_leaves_the_image_as_it_was(upload, change, settings):
    image = upload("cang.jpg", pictures.jpeg())
    before = Image.objects.values().get(pk=image.pk)
    stored = Path(originals_root(settings), image.file.name).read_bytes()
    files_before = sorted(media_files(settings))

    response = change(
        image,
        lang="vi",
        file=SimpleUploadedFile("moi.jpg", pictures.gif(), content_type="image/jpeg"),
        credit="Tác giả mới",
        focal_x="10",
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Tệp này có định dạng GIF" in page
    assert 'value="Tác giả mới"' in page  # kept for the next try, not saved
    assert Image.objects.values().get(pk=image.pk) == before
    assert Path(originals_root(settings), image.file.name).read_bytes() == stored
    assert sorted(media_files(settings)) == files_before


def test_a_focal_point_outside_the_picture_is_refused_and_an_empty_one_is_the_centre(
    upload, change
):
    image = upload("cang.jpg", pictures.jpeg())
    response = change(image, focal_x="140")
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    image.refresh_from_db()
    assert image.focal_x == 50

    assert change(image, focal_x="", focal_y="30").status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (50, 30)


def test_the_model_field_checks_a_file_that_did_not_come_through_the_admin(db):
    image = Image(file=SimpleUploadedFile("anh.jpg", pictures.gif()))
    with pytest.raises(ValidationError) as caught:
        image.full_clean()
    assert "GIF" in str(caught.value.message_dict["file"])


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (pictures.jpeg(1601, 901), "JPEG"),
        (pictures.jpeg(1024, 700, progressive=True, exif=PILImage.Exif()), "JPEG"),
        (pictures.rotated_jpeg(1200, 675), "JPEG"),
        (pictures.png(777, 333), "PNG"),
        (pictures.webp(1001, 503), "WEBP"),
        (pictures.webp(1001, 503, lossless=True), "WEBP"),
        (pictures.encode(pictures.plain(640, 360, (1, 2, 3, 4), "RGBA"), "WEBP"), "WEBP"),
    ],
)
def test_the_header_reader_agrees_with_pillow(content, fmt):
    import io

    header = read_header(io.BytesIO(content))
    with PILImage.open(io.BytesIO(content)) as im:
        assert (header.format, header.width, header.height) == (fmt, *im.size)
