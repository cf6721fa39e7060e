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


# Metadata a camera or an editing program leaves in a file ---------------------

# Where the picture was taken (the office's street in Hải Phòng): what must never reach a reader.
GPS_LATITUDE = ((20, 1), (51, 1), (4512, 100))
GPS_LONGITUDE = ((106, 1), (41, 1), (1804, 100))
XMP_NAMESPACE = b"http://ns.adobe.com/xap/1.0/"
COMMENT = b"Shot by a newsroom phone near the mayor's house"
PROFILE_DESCRIPTION = "Swapped test RGB (red and blue exchanged)"


def gps_exif(orientation: int | None = None) -> PILImage.Exif:
    """EXIF with a camera model, a GPS position and, optionally, an orientation."""
    exif = PILImage.Exif()
    exif[0x010F] = "CangXanh Test Camera"  # Make
    exif[0x0110] = "Model GPS-1"  # Model
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)  # kept by Exif.tobytes()
    gps.update(
        {
            0x0001: "N",
            0x0002: tuple(n / d for n, d in GPS_LATITUDE),
            0x0003: "E",
            0x0004: tuple(n / d for n, d in GPS_LONGITUDE),
        }
    )
    return exif


def xmp_packet() -> bytes:
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        b'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmp:CreatorTool="Test" '
        b'exif:GPSLatitude="20,51.752N" exif:GPSLongitude="106,41.3007E"/>'
        b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz_tag(x: float, y: float, z: float) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + _s15(x) + _s15(y) + _s15(z)


def _text_description(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\x00"
    return (
        b"desc\x00\x00\x00\x00"
        + struct.pack(">I", len(ascii_text))
        + ascii_text
        + b"\x00" * 8  # no Unicode description
        + b"\x00" * 3  # no ScriptCode description
        + b"\x00" * 67
    )


def swapped_icc_profile() -> bytes:
    """An ICC v2 RGB display profile whose red and blue colorants are exchanged.

    Pixels stored in it mean something quite different from sRGB: (200, 20, 20)
    is a blue. A rendition that ignored the profile would show it red.
    """
    # sRGB's colorants and white point, adapted to D50 (the ICC connection space).
    srgb_red, srgb_green, srgb_blue = (
        (0.4361, 0.2225, 0.0139),
        (0.3851, 0.7169, 0.0971),
        (0.1431, 0.0606, 0.7141),
    )
    gamma = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, 0x0233) + b"\x00\x00"  # 2.2
    tags = [
        (b"desc", _text_description(PROFILE_DESCRIPTION)),
        (b"cprt", b"text\x00\x00\x00\x00" + b"No copyright, test data\x00"),
        (b"wtpt", _xyz_tag(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz_tag(*srgb_blue)),
        (b"gXYZ", _xyz_tag(*srgb_green)),
        (b"bXYZ", _xyz_tag(*srgb_red)),
        (b"rTRC", gamma),
        (b"gTRC", gamma),
        (b"bTRC", gamma),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, content in tags:
        content += b"\x00" * (-len(content) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(content))
        data += content
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"\x00" * 4  # preferred CMM
        + bytes([2, 0x10, 0, 0])  # version 2.1
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\x00" * 24  # platform, flags, manufacturer, model, attributes
        + b"\x00" * 4  # rendering intent: perceptual
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"\x00" * 4  # creator
        + b"\x00" * 44  # profile id and reserved
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def tagged_jpeg(
    width=1600,
    height=900,
    color=(200, 20, 20),
    *,
    orientation: int | None = None,
    profile: bool = True,
) -> bytes:
    """A JPEG with everything a phone leaves in it: EXIF with GPS, XMP, a comment
    and (unless `profile` is false) a colour profile that is not sRGB."""
    picture = plain(width, height, color)
    picture.paste((20, 200, 20), (0, 0, width // 8, height // 8))  # a mark in the top left
    extra = {"icc_profile": swapped_icc_profile()} if profile else {}
    return encode(
        picture,
        "JPEG",
        quality=92,
        exif=gps_exif(orientation),
        xmp=xmp_packet(),
        comment=COMMENT,
        **extra,
    )


def tagged_png(width=800, height=600, color=(200, 20, 20), *, transparent=False) -> bytes:
    """A PNG with EXIF (GPS), an XMP text chunk and a non-sRGB profile (and, if asked,
    a transparent border around an opaque middle)."""
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_itxt("XML:com.adobe.xmp", xmp_packet().decode())
    text.add_text("Comment", COMMENT.decode())
    picture = plain(width, height, color)
    if transparent:
        picture = plain(width, height, (*color, 0), mode="RGBA")
        picture.paste((*color, 255), (width // 4, height // 4, width * 3 // 4, height * 3 // 4))
    return encode(
        picture,
        "PNG",
        exif=gps_exif(),
        pnginfo=text,
        icc_profile=swapped_icc_profile(),
    )


def tagged_webp(width=800, height=600, color=(200, 20, 20)) -> bytes:
    return encode(
        plain(width, height, color),
        "WEBP",
        quality=90,
        exif=gps_exif(),
        xmp=xmp_packet(),
        icc_profile=swapped_icc_profile(),
    )
