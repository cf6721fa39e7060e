"""What the media library accepts: the checks every uploaded image passes.

The type is read from the file's first bytes, never from its name, and the
size in pixels from its header, so a decompression bomb (a small file that
declares an enormous picture) is refused before Pillow decodes anything. Only
a file within every limit is then verified and decoded once, whole, which
finds damaged and truncated files.

`check_image` does the work; `ImageUploadField` (the admin's form field) also
gives the stored file the extension of its real type; `validate_image_file`
guards the model field for uploads that do not come through that form field.
"""

import io
import math
import struct
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from PIL import Image as PILImage

from cangxanh.core import languages

# Pillow's format name: (stored extension, content type).
ACCEPTED = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}

MESSAGES = {
    "file_too_large": gettext_lazy(
        "The file is %(size)s; the largest file the library accepts is %(limit)s."
    ),
    "not_an_image": gettext_lazy(
        "Upload a valid image: this file is not a JPEG, PNG or WebP image, whatever its name says."
    ),
    "other_format": gettext_lazy(
        "This file is in %(format)s format, whatever its name says. "
        "Upload a JPEG, PNG or WebP image."
    ),
    "too_many_pixels": gettext_lazy(
        "The image is %(width)s × %(height)s pixels (%(megapixels)s megapixels); the "
        "largest the library accepts is %(limit)s megapixels. Reduce it and upload it again."
    ),
    "too_small": gettext_lazy(
        "The image is %(width)s × %(height)s pixels; it needs at least %(minimum)s pixels "
        "on its shorter side to stay sharp on the site."
    ),
    "animated": gettext_lazy(
        "Animated images are not accepted. Upload a still JPEG, PNG or WebP image."
    ),
    "damaged": gettext_lazy(
        "The image file is damaged or incomplete and cannot be read. Export it again "
        "from the original and upload it once more."
    ),
}

# A JPEG's frame headers (SOF0-SOF15 without DHT, JPG and DAC, which share the range).
_JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_MAX_SEGMENTS = 512
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What Pillow raises for a file it cannot verify or decode.
DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    struct.error,
    zlib.error,
)


@dataclass(frozen=True)
class Header:
    """What a file's first bytes say: its format and declared size."""

    format: str
    width: int
    height: int
    animated: bool = False


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed every check."""

    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return ACCEPTED[self.format][0]

    @property
    def content_type(self) -> str:
        return ACCEPTED[self.format][1]


def max_upload_bytes() -> int:
    return settings.IMAGE_MAX_UPLOAD_BYTES


def max_pixels() -> int:
    # Never above Pillow's own limit, so Pillow's DecompressionBombWarning (or
    # error) cannot fire for a picture the library accepted.
    limit = settings.IMAGE_MAX_PIXELS
    if PILImage.MAX_IMAGE_PIXELS is not None:
        limit = min(limit, PILImage.MAX_IMAGE_PIXELS)
    return limit


def min_side() -> int:
    return settings.IMAGE_MIN_SIDE


def _number(value: int) -> str:
    return languages.get(translation.get_language() or settings.LANGUAGE_CODE).format_number(value)


def _megapixels(pixels: int) -> str:
    # Rounded up, so a picture just over the limit never reads as equal to it.
    return _number(math.ceil(pixels / 1_000_000))


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _help_text() -> str:
    return gettext(
        "JPEG, PNG or WebP; at most %(size)s and %(megapixels)s megapixels; at least "
        "%(minimum)s pixels on the shorter side."
    ) % {
        "size": filesizeformat(max_upload_bytes()),
        "megapixels": _megapixels(max_pixels()),
        "minimum": _number(min_side()),
    }


upload_help_text = lazy(_help_text, str)


# Reading headers -----------------------------------------------------------


def _jpeg_header(fp: IO[bytes]) -> Header:
    fp.seek(2)
    for _ in range(_JPEG_MAX_SEGMENTS):
        if fp.read(1) != b"\xff":
            break
        marker = fp.read(1)
        while marker == b"\xff":  # fill bytes
            marker = fp.read(1)
        if not marker:
            break
        code = marker[0]
        if code == 0x01 or 0xD0 <= code <= 0xD8:  # markers without a length
            continue
        if code in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            break
        length = fp.read(2)
        if len(length) < 2 or int.from_bytes(length, "big") < 2:
            break
        if code in _JPEG_FRAME_MARKERS:
            frame = fp.read(5)
            if len(frame) < 5:
                break
            height, width = struct.unpack(">HH", frame[1:5])
            if width and height:
                return Header("JPEG", width, height)
            break
        fp.seek(int.from_bytes(length, "big") - 2, io.SEEK_CUR)
    raise _error("damaged")


def _png_header(head: bytes) -> Header:
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise _error("damaged")
    width, height = struct.unpack(">II", head[16:24])
    if not (width and height):
        raise _error("damaged")
    return Header("PNG", width, height)


def _webp_header(head: bytes) -> Header:
    chunk = head[12:16]
    if chunk == b"VP8 " and len(head) >= 30 and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return Header("WEBP", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and len(head) >= 25 and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return Header("WEBP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X" and len(head) >= 30:
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return Header("WEBP", width, height, animated=bool(head[20] & 0x02))
    raise _error("damaged")


def _other_format(head: bytes) -> str | None:
    """Name a common picture or document format the library does not take."""
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:2] == b"BM" and len(head) >= 18 and head[14] in (12, 40, 52, 56, 64, 108, 124):
        return "BMP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return "HEIC"
    if head[:4] == b"8BPS":
        return "PSD"
    if head[:5] == b"%PDF-":
        return "PDF"
    if b"<svg" in head.lower():
        return "SVG"
    return None


def read_header(fp: IO[bytes]) -> Header:
    """The format and declared size of an accepted picture, from its first bytes.

    Raises ValidationError when the file is not a JPEG, PNG or WebP image or
    its header is broken. Reads a few bytes only (a JPEG's segments are
    skipped, not read); nothing is decoded.
    """
    fp.seek(0)
    head = fp.read(512)
    try:
        if head[:3] == b"\xff\xd8\xff":
            return _jpeg_header(fp)
        if head[:8] == _PNG_SIGNATURE:
            return _png_header(head)
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _webp_header(head)
    finally:
        fp.seek(0)
    other = _other_format(head)
    if other:
        raise _error("other_format", format=other)
    raise _error("not_an_image")


# Checking ------------------------------------------------------------------


def _size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        size = upload.seek(0, io.SEEK_END)
        upload.seek(0)
    return size


def check_header(header: Header) -> None:
    """The limits that the header alone decides: pixels, minimum size, animation."""
    pixels = header.width * header.height
    if pixels > max_pixels():
        raise _error(
            "too_many_pixels",
            width=_number(header.width),
            height=_number(header.height),
            megapixels=_megapixels(pixels),
            limit=_megapixels(max_pixels()),
        )
    if min(header.width, header.height) < min_side():
        raise _error(
            "too_small",
            width=_number(header.width),
            height=_number(header.height),
            minimum=_number(min_side()),
        )
    if header.animated:
        raise _error("animated")


def _decode(upload: IO[bytes], header: Header) -> None:
    """Verify the file and decode it whole (it is known to be within the limits)."""
    try:
        upload.seek(0)
        with PILImage.open(upload, formats=[header.format]) as im:
            if im.size != (header.width, header.height):
                raise _error("damaged")
            # A multi-picture JPEG (MPO, from some cameras) is a photo, not an animation.
            if header.format != "JPEG" and getattr(im, "n_frames", 1) > 1:
                raise _error("animated")
            im.verify()
        upload.seek(0)
        with PILImage.open(upload, formats=[header.format]) as im:
            im.load()
    except ValidationError:
        raise
    except PILImage.DecompressionBombError as exc:
        raise _error(
            "too_many_pixels",
            width=_number(header.width),
            height=_number(header.height),
            megapixels=_megapixels(header.width * header.height),
            limit=_megapixels(max_pixels()),
        ) from exc
    except DECODE_ERRORS as exc:
        raise _error("damaged") from exc
    finally:
        upload.seek(0)


def check_image(upload: IO[bytes]) -> CheckedImage:
    """Every check, cheapest first: bytes, header, limits, then a full decode."""
    size = _size_of(upload)
    if size > max_upload_bytes():
        raise _error(
            "file_too_large", size=filesizeformat(size), limit=filesizeformat(max_upload_bytes())
        )
    header = read_header(upload)
    check_header(header)
    _decode(upload, header)
    return CheckedImage(header.format, header.width, header.height)


def stored_name(name: str, checked: CheckedImage) -> str:
    """The upload's name with the extension of its real type: a PNG named .jpg becomes .png."""
    stem = PurePath(name or "image").stem or "image"
    return f"{stem}.{checked.extension}"


class ImageUploadField(forms.FileField):
    """The library's upload field: every check, then the right extension and type."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.help_text:
            self.help_text = upload_help_text()

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(content_type for _ext, content_type in ACCEPTED.values())
        return attrs

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        checked = check_image(upload)
        upload.name = stored_name(upload.name, checked)
        upload.content_type = checked.content_type
        upload.checked_image = checked  # so the model validator need not decode it again
        return upload


def validate_image_file(value) -> None:
    """Model-field validator: a new file that skipped the form field is checked here.

    A file already stored was checked when it came in; it is not opened again.
    """
    if not value or getattr(value, "_committed", True):
        return
    upload = value.file
    if getattr(upload, "checked_image", None) is None:
        check_image(upload)
