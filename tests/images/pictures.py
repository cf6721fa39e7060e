"""Picture files for the media library's tests, made with Pillow (and, for the
forged ones, by rewriting a real file's header): nothing large is allocated."""

import io
import struct
import zlib

from PIL import Image as PILImage


def encode(picture: PILImage.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **params)
    return buffer.getvalue()


def plain(width=1600, height=900, color=(11, 90, 122), mode="RGB") -> PILImage.Image:
    return PILImage.new(mode, (width, height), color)


def jpeg(width=1600, height=900, **params) -> bytes:
    return encode(plain(width, height), "JPEG", **params)


def png(width=1600, height=900) -> bytes:
    return encode(plain(width, height), "PNG")


def webp(width=1600, height=900, **params) -> bytes:
    return encode(plain(width, height), "WEBP", **params)


def halves(width=1600, height=400) -> bytes:
    """Left half red, right half blue: where a crop was cut shows in its colour."""
    picture = plain(width, height, (220, 0, 0))
    picture.paste((0, 0, 220), (width // 2, 0, width, height))
    return encode(picture, "PNG")


def transparent_png(width=800, height=600) -> bytes:
    picture = plain(width, height, (0, 120, 60, 0), mode="RGBA")
    picture.paste((0, 120, 60, 255), (width // 4, height // 4, width * 3 // 4, height * 3 // 4))
    return encode(picture, "PNG")


def opaque_rgba_png(width=800, height=600) -> bytes:
    return encode(plain(width, height, (0, 120, 60, 255), mode="RGBA"), "PNG")


def rotated_jpeg(width=1200, height=675) -> bytes:
    """Stored landscape, with EXIF orientation 6: shown upright as a portrait."""
    exif = PILImage.Exif()
    exif[0x0112] = 6
    return encode(plain(width, height), "JPEG", exif=exif)


def gif(width=800, height=600) -> bytes:
    return encode(plain(width, height).convert("P"), "GIF")


def animated(fmt: str, width=800, height=600) -> bytes:
    frames = [plain(width, height, color) for color in ((200, 0, 0), (0, 0, 200))]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=200)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def forged_png(width: int, height: int) -> bytes:
    """A valid-looking PNG of a few hundred bytes that declares width × height.

    The IHDR (with a correct CRC) promises the size; the data is one tiny
    compressed row, as in a decompression bomb.
    """
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\x00" * 3)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def broken_crc_png(width=800, height=600) -> bytes:
    data = bytearray(png(width, height))
    at = data.index(b"IDAT") + 8  # inside the compressed data
    data[at] ^= 0xFF
    return bytes(data)


def truncated_jpeg(width=1600, height=900) -> bytes:
    picture = PILImage.effect_noise((width, height), 40).convert("RGB")
    data = encode(picture, "JPEG", quality=90)
    return data[: len(data) // 2]


def padded_jpeg(total_bytes: int) -> bytes:
    """A real JPEG followed by padding: a large file that is cheap to make."""
    data = jpeg(800, 600)
    return data + b"\x00" * (total_bytes - len(data))


HEIC_HEADER = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
