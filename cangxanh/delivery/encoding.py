"""gzip and brotli for cached public answers (pages, feeds, sitemaps), made once per copy.

A cached copy is compressed when it is stored (`compress`), and every hit only
picks the form the request's Accept-Encoding allows (`choose`) and joins bytes
(`encode`): no compressor runs per request.

Most copies are fixed bytes: they are kept whole in brotli (quality 5) and
gzip (level 6), each only where it is smaller than the page itself.

An article page is not fixed: its live view count is put between two parts of
the copy on every hit (cangxanh.delivery.live), and the count must be the one
of that moment, in every worker, never going backwards. Its gzip is therefore
assembled exactly per request from parts made once: the part before the count
as raw deflate ending on a byte boundary (Z_SYNC_FLUSH), the count as a stored
block (five bytes of header, then the text), the part after it as raw deflate
of its own, and the gzip trailer. The trailer's CRC-32 covers the whole page;
CRC-32 is linear, so the part after the count is folded in through four
tables kept per copy (4 KiB: what that part does to each byte of the running
CRC) instead of being read again per hit. Measured on a 14 KB article: a hit
joins it in about 3 µs, against 1.5 µs for the page itself; making the parts
once costs about 0.5 ms.

Such pages get no brotli: a sound brotli assembly exists (the count as an
uncompressed meta-block, the part after it from a fresh encoder at quality 0
or 1, the only ones whose output uses no context modelling, no static
dictionary and no earlier distance, all of which depend on what came before),
but it came out about 10% larger than the gzip above on our article pages,
because the part after the count cannot refer to anything before it. A copy
compressed at most once a second and shown with an older count was refused as
well: two workers holding copies of different ages would show a reader the
count going backwards. Browsers that take br take gzip too.

Newsroom and admin pages are never cached, so never compressed here: they carry
CSRF tokens, which a compressed answer would expose to BREACH. Static files are
compressed ahead by whitenoise.
"""

import struct
import zlib
from array import array
from functools import lru_cache

import brotli

IDENTITY, GZIP, BR = "identity", "gzip", "br"
GZIP_LEVEL = 6
BROTLI_QUALITY = 5  # compressing once per copy at 11 would cost some 40 ms per 30 KB

# Member header: deflate, no name, no time, so every worker writes the same bytes.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_STORED = struct.Struct("<BHH")  # a stored block, not the last: header byte, LEN, NLEN
_TRAILER = struct.Struct("<II")  # CRC-32 and length of the whole page


def _deflate(data: bytes, last: bool) -> bytes:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
    )


def _crc_shift(data: bytes, crc: int) -> bytes:
    """What running over `data` does to a CRC-32 it starts from, byte by byte.

    zlib.crc32(data, start) == crc ^ t[b0] ^ t[256 + b1] ^ t[512 + b2] ^ t[768 + b3]
    for the bytes b0..b3 of start (lowest first), so a CRC up to the count is carried
    over the part after it without reading that part again."""
    bits = [zlib.crc32(data, 1 << bit) ^ crc for bit in range(32)]
    table = array("I", bytes(4 * 1024))
    for byte in range(4):
        for value in range(1, 256):
            low = value & -value
            table[256 * byte + value] = (
                table[256 * byte + (value ^ low)] ^ bits[8 * byte + low.bit_length() - 1]
            )
    return table.tobytes()


def compress(head: bytes, tail: bytes | None) -> dict:
    """A copy's compressed forms by coding: whole bytes for a fixed page, the parts of
    the gzip assembly for one with a live count (`tail` is the part after it)."""
    if tail is not None:
        tail_crc = zlib.crc32(tail)
        return {
            GZIP: (
                _deflate(head, last=False),
                zlib.crc32(head),
                _deflate(tail, last=True),
                tail_crc,
                _crc_shift(tail, tail_crc),
            )
        }
    forms = {
        BR: brotli.compress(head, quality=BROTLI_QUALITY),
        GZIP: zlib.compress(head, GZIP_LEVEL, wbits=16 + zlib.MAX_WBITS),
    }
    return {coding: (body,) for coding, body in forms.items() if len(body) < len(head)}


def encode(forms: dict, coding: str, head: bytes, count: bytes, tail: bytes | None) -> bytes:
    """The answer's body in `coding` (one of `forms`, or identity)."""
    if coding == IDENTITY:
        return head if tail is None else b"".join((head, count, tail))
    if tail is None:
        return forms[coding][0]
    head_deflate, head_crc, tail_deflate, tail_crc, shift = forms[coding]
    carried = zlib.crc32(count, head_crc)
    table = memoryview(shift).cast("I")
    crc = (
        tail_crc
        ^ table[carried & 0xFF]
        ^ table[256 + (carried >> 8 & 0xFF)]
        ^ table[512 + (carried >> 16 & 0xFF)]
        ^ table[768 + (carried >> 24)]
    )
    size = len(count)
    return b"".join(
        (
            _GZIP_HEADER,
            head_deflate,
            _STORED.pack(0, size, size ^ 0xFFFF),
            count,
            tail_deflate,
            _TRAILER.pack(crc, (len(head) + size + len(tail)) & 0xFFFFFFFF),
        )
    )


@lru_cache(maxsize=256)
def _weights(accept: str) -> dict[str, float]:
    weights = {}
    for item in accept.lower().split(","):
        name, *params = item.split(";")
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if name.strip():
            weights[name.strip()] = weight
    return weights


def choose(accept: str | None, forms: dict) -> str:
    """The coding to answer in: of those the copy has and the client accepts (q > 0),
    the one it weighs highest, br before gzip when equal; else identity."""
    if not accept or not forms:
        return IDENTITY
    weights = _weights(accept)
    best, best_weight = IDENTITY, 0.0
    for coding in (BR, GZIP):
        if coding in forms:
            weight = weights.get(coding, weights.get("*", 0.0))
            if weight > best_weight:
                best, best_weight = coding, weight
    return best
