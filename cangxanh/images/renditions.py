"""Responsive renditions of library images: several widths, WebP and a fallback.

easy-thumbnails makes each file once and keeps its record. This module decides
which files an image needs (per purpose in settings.IMAGE_RENDITIONS: widths
never wider than the original, 16:9 crops centred on the focal point) and
keeps their names and sizes on the image row (`Image.renditions`), so a page
builds `srcset` from the row it has already loaded: no query and no file
opened per image. The record is keyed by the file, the focal point and the
settings; when any of them changes the names change with it (the focal point
is part of easy-thumbnails' options, hence of the file name), so a stale crop
is never served.

A rendition's name also says which bytes it holds: besides the original's
name and the options (size, crop, focal point, quality; the format is the
extension) it carries `content-<digest>`, a short hash of the original's bytes
and of this module's VERSION. The same inputs give the same name on every
machine; another file under the same name (a picture deleted and uploaded
again), or new processing, gives new names. So a rendition's address never
changes meaning, and it is served as immutable for a year (core.views.media).

`image_renditions_ensure` makes what is missing: the admin calls it after a
save, `cangxanh renditions` for a whole library, the demo loader once it has
loaded (for all its pictures at once, in parallel: `image_renditions_ensure_many`);
`rendition` calls it only for an image whose record is out of date.
With several app servers and the media in a bucket (images.buckets), whichever
server first needs an image's renditions makes them, once: the others wait for
its claim (images.claims) and read its record; a file is written only when its
name is not in the storage yet, and never deleted first. Once a new record
replaces an image's old one (a new focal point, file or settings), the files
that only the old one named leave the storage (`renditions_retire`).

Renditions are what readers get of an upload, so each is re-encoded from
pixels alone: the source is decoded once, turned upright (EXIF orientation),
converted to sRGB when it carries another colour profile, and stripped of
every piece of metadata before any cut is made: no EXIF (GPS position,
camera, times), no XMP, no comment, no ICC profile in any file. The originals
themselves stay private (images.storage).
"""

from __future__ import annotations  # Pillow's types in signatures: not read at import

import hashlib
import io
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, connections, transaction
from easy_thumbnails import engine
from easy_thumbnails.exceptions import EasyThumbnailsError
from easy_thumbnails.files import Thumbnailer
from easy_thumbnails.storage import thumbnail_default_storage
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps

from cangxanh.delivery import version

from . import bodies, claims, validation
from .models import Image

logger = logging.getLogger(__name__)

# Part of the record's key: bump it when the record's layout or the files change.
# 2: files stripped of metadata and in sRGB, under settings.THUMBNAIL_BASEDIR.
# 3: names carry the digest of the original's bytes (`content-…`).
VERSION = 3
KINDS = ("webp", "fallback")
# The option that puts the digest into easy-thumbnails' names: "…_content-1a2b3c4d5e6f".
CONTENT_OPTION = "content"
_CONTENT_IN_OPTIONS = re.compile(rf"(?:^|_){CONTENT_OPTION}-[0-9a-f]{{12}}(?:_|$)")


@dataclass(frozen=True)
class Rendition:
    """One purpose's renditions of an image, ready for <picture>/<img>."""

    src: str  # the fallback at the purpose's usual width
    width: int  # of `src`, for the width/height attributes
    height: int
    srcset_webp: str
    srcset_fallback: str

    @property
    def url(self) -> str:
        # The name the earlier single-file tag used; templates may still say r.url.
        return self.src


class RenditionError(Exception):
    """The source file cannot be turned into renditions."""


def unreadable() -> tuple[type[BaseException], ...]:
    """What reading a broken, missing or oversized source file raises. A function:
    Pillow's own error loads Pillow (core.deferred), which only picture work needs."""
    return (
        RenditionError,
        EasyThumbnailsError,
        PILImage.DecompressionBombError,
        ValidationError,
        *validation.DECODE_ERRORS,
    )


_digests: dict = {}


def _settings_digest() -> str:
    spec = {"purposes": settings.IMAGE_RENDITIONS, "quality": settings.IMAGE_RENDITION_QUALITY}
    text = json.dumps(spec, sort_keys=True)
    digest = _digests.get(text)  # every page asks, for every image: hash each spec once
    if digest is None:
        digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]
        if len(_digests) > 64:
            _digests.clear()
        _digests[text] = digest
    return digest


def content_digest(data: bytes) -> str:
    """The part of a rendition's name that changes with the bytes it is made from:
    the original's content and how renditions are made (VERSION)."""
    digest = hashlib.sha256(f"{VERSION}:".encode())
    digest.update(data)
    return digest.hexdigest()[:12]


def content_addressed(name: str) -> bool:
    """Whether a rendition's name carries its content digest (made by this release,
    not by one before): only such a name promises that its bytes never change."""
    parts = name.rsplit(".", 2)
    return len(parts) == 3 and bool(_CONTENT_IN_OPTIONS.search(parts[1]))


def record_key(image: Image) -> str:
    """What the record was made for: version, file, focal point and settings."""
    return f"{VERSION}:{image.file.name}:{image.focal_x},{image.focal_y}:{_settings_digest()}"


def plan(width: int, height: int, spec: dict) -> list[tuple[int, int]]:
    """The (width, height) of each rendition of a picture of this size for a purpose.

    Only widths the picture can fill: nothing wider than the original (or than
    the widest crop at the purpose's ratio). If the picture is narrower than the
    widest width, its own width is added when it is clearly wider than the
    largest one kept, so the sharpest copy is not lost.
    """
    ratio = spec.get("ratio")
    widest = min(width, height * ratio[0] // ratio[1]) if ratio else width
    widths = [w for w in spec["widths"] if w <= widest]
    if not widths or (widest < spec["widths"][-1] and widest > widths[-1] * 1.1):
        widths.append(widest)
    if ratio:
        return [(w, round(w * ratio[1] / ratio[0])) for w in widths]
    # The same arithmetic as easy-thumbnails' scale_and_crop, so the sizes match.
    return [(w, int(round(height * (w / width)))) for w in widths]


def _options(spec: dict, size: tuple[int, int], kind: str, image: Image, digest: str) -> dict:
    options = {"quality": settings.IMAGE_RENDITION_QUALITY[kind], CONTENT_OPTION: digest}
    if spec.get("ratio"):
        # crop=True (not "smart"): easy-thumbnails then centres the crop on `target`.
        options |= {"size": size, "crop": True, "target": (image.focal_x, image.focal_y)}
    else:
        options["size"] = (size[0], 0)
    return options


# Modes a profile can be converted from, and the mode that comes out in sRGB.
_SRGB_MODES = {"RGB": "RGB", "RGBA": "RGBA", "CMYK": "RGB", "L": "RGB"}


def _in_srgb(picture: PILImage.Image, name: str) -> PILImage.Image:
    """The picture's pixels in sRGB, when its file says they are in another space.

    Converted rather than kept: a browser shows a picture without a profile as
    sRGB, which it then is, so it looks as its maker saw it in every browser;
    the profile's bytes (up to hundreds of kilobytes, in each of some twenty
    files) are saved; and a profile's description can name the camera or the
    software that made the picture, metadata like any other. Colours beyond
    sRGB (from a wide-gamut camera) are mapped into it, which news pictures on
    the web do not miss. A profile that cannot be used is dropped with a log line.
    """
    icc = picture.info.get("icc_profile")
    if not icc:
        return picture
    mode = picture.mode
    if mode == "LA":  # lcms has no grey-with-alpha: convert the grey, keep the alpha
        grey = _in_srgb(picture.getchannel("L"), name)  # a channel keeps the picture's info
        if grey.mode == "RGB":
            grey.putalpha(picture.getchannel("A"))
            return grey
        return picture
    if mode not in _SRGB_MODES:
        logger.warning("%s: a colour profile on a %s picture was dropped", name, mode)
        return picture
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(
            picture,
            source,
            ImageCms.createProfile("sRGB"),  # built in memory, microseconds: one per call
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode=_SRGB_MODES[mode],
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A damaged profile, or one for another colour space than the pixels'.
        logger.warning("%s: its colour profile could not be applied and was dropped", name)
        return picture


def _stripped(picture: PILImage.Image) -> PILImage.Image:
    """No metadata left for an encoder to copy: Pillow writes a JPEG's comment and a
    PNG's ICC profile from `info` unless told otherwise, and cuts inherit `info`."""
    picture.info = {}
    return picture


def _decode_source(image: Image) -> tuple[PILImage.Image, str]:
    """The picture, decoded once, upright, in sRGB, without a useless alpha channel
    and without any metadata; and the digest of the bytes it was read from."""
    with image.file.open("rb") as fh:
        content = fh.read()
    digest = content_digest(content)
    data = io.BytesIO(content)
    # A stored file is checked again before decoding: one from before the
    # library had limits could be a decompression bomb.
    header = validation.read_header(data)
    if header.width * header.height > validation.max_pixels():
        raise RenditionError(f"{image.file.name}: {header.width}×{header.height} is too large")
    with PILImage.open(data, formats=[header.format]) as opened:
        opened.load()
        picture = ImageOps.exif_transpose(opened)  # a copy: the first frame, upright
    if picture.mode == "P":
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    elif picture.mode in ("RGB", "L") and "transparency" in picture.info:
        # A transparent colour (PNG tRNS) lives in `info`, which is about to go.
        picture = picture.convert(picture.mode + "A")
    picture = _in_srgb(picture, image.file.name)
    if picture.mode in ("RGBA", "LA") and picture.getchannel("A").getextrema() == (255, 255):
        picture = picture.convert(picture.mode[:-1])  # opaque: a JPEG fallback will do
    return _stripped(picture), digest


class _Pictures:
    """The source decoded once, and each size cut once for both of its files.

    easy-thumbnails would decode the source again for every file, and resize it
    again for the WebP and for the fallback of the same size.
    """

    def __init__(self, source: PILImage.Image):
        self.source = source
        self._cut: dict[tuple, PILImage.Image] = {}
        self._thumbnailers: dict[str, object] = {}

    def generator(self, _file, **_options) -> PILImage.Image:
        return self.source

    def processor(self, im: PILImage.Image, **options) -> PILImage.Image:
        key = (tuple(options["size"]), options.get("crop"), tuple(options.get("target") or ()))
        if key not in self._cut:
            # The configured processors; whatever one of them might add to `info` goes too.
            self._cut[key] = _stripped(engine.process_image(im, options))
        return self._cut[key]

    def thumbnailer(self, image: Image, kind: str):
        # One per kind: each keeps what it learnt of the source (its record, and with a
        # bucket a request) for the image's other sizes.
        thumbnailer = self._thumbnailers.get(kind)
        if thumbnailer is None:
            # easy-thumbnails opens its source before each file it makes, although our
            # generator hands it the decoded picture: an empty stand-in under the
            # original's name and storage, so that a bucket is not read twenty times.
            stand_in = ContentFile(b"", name=image.file.name)
            thumbnailer = Thumbnailer(
                stand_in, name=image.file.name, source_storage=image.file.storage
            )
            thumbnailer.source_generators = [self.generator]
            thumbnailer.thumbnail_processors = [self.processor]
            if kind == "webp":
                thumbnailer.thumbnail_extension = "webp"
                thumbnailer.thumbnail_transparency_extension = "webp"
            self._thumbnailers[kind] = thumbnailer
        return thumbnailer


def image_renditions_ensure(*, image: Image) -> int:
    """Make the renditions the image lacks and record them on its row.

    Returns how many files were made (0 when the record is current, or when
    every file exists already). Raises RenditionError, OSError or Pillow's
    errors when the source cannot be read.
    """
    key = record_key(image)
    if (image.renditions or {}).get("key") == key:
        return 0
    # Every app server may need them in the same second (a page on all their fronts):
    # one makes them, the others wait, then read what it recorded (images.claims).
    with claims.held(f"renditions:{key}"):
        recorded = _recorded(image)
        if recorded.get("key") == key:
            image.renditions = recorded
            return 0
        return _make(image, key)


def image_renditions_ensure_many(*, images: Iterable[Image], workers: int | None = None) -> int:
    """`image_renditions_ensure` for many images, in up to os.cpu_count() processes (or
    `workers`): each image's are made apart from any other's, and decoding and encoding
    pictures keeps a CPU busy. Returns how many files were made; an image whose file
    cannot be read is logged and skipped.

    Only after the images' rows are committed: each process reads them over its own
    connection. Inside a transaction (a test's, say) the work is done here, one by one.
    """
    stale = [
        image.pk for image in images if (image.renditions or {}).get("key") != record_key(image)
    ]
    workers = min(workers or os.cpu_count() or 1, len(stale))
    if workers <= 1 or connection.in_atomic_block:
        return sum(_ensure_by_id(pk) for pk in stale)
    # Here only: a web worker, which never comes here, loads no multiprocessing.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # A connection is not to be shared with a child process: each opens its own.
    connections.close_all()
    # Forked children start at once and inherit the settings as they are; elsewhere (or
    # where fork is unsafe: macOS) each starts Django anew (_worker_start).
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start) as pool:
        return sum(pool.map(_ensure_by_id, stale))


def _worker_start() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _ensure_by_id(pk: int) -> int:
    image = Image.objects.filter(pk=pk).first()
    if image is None:
        return 0
    try:
        return image_renditions_ensure(image=image)
    except unreadable():
        logger.exception("No renditions for image %s", pk)
        return 0


def _recorded(image: Image) -> dict:
    """The record on the row as stored now, if the row still holds this file and focal point."""
    found = (
        Image.objects.filter(
            pk=image.pk, file=image.file.name, focal_x=image.focal_x, focal_y=image.focal_y
        )
        .values_list("renditions", flat=True)
        .first()
    )
    return found or {}


def _store(thumbnailer, thumb) -> bool:
    """Write a rendition unless its name is in the storage already, and record it in
    easy-thumbnails' table. A name says which bytes it holds (`content-…`), so a file
    found under it is the one that would be written: no second write, and no delete
    first (easy-thumbnails' `save_thumbnail` deletes, then writes)."""
    storage = thumbnailer.thumbnail_storage
    written = not storage.exists(thumb.name)
    if written:
        storage.save(thumb.name, thumb)
    thumbnailer.get_thumbnail_cache(thumb.name, create=True, update=True)
    return written


def _make(image: Image, key: str) -> int:
    source, digest = _decode_source(image)
    pictures = _Pictures(source)
    made = 0
    purposes = {}
    for purpose, spec in settings.IMAGE_RENDITIONS.items():
        entries = []
        for size in plan(*pictures.source.size, spec):
            entry = {"width": size[0], "height": size[1]}
            for kind in KINDS:
                thumbnailer = pictures.thumbnailer(image, kind)
                options = _options(spec, size, kind, image, digest)
                thumb = thumbnailer.get_existing_thumbnail(options)
                if thumb is None:
                    thumb = thumbnailer.generate_thumbnail(options)
                    made += _store(thumbnailer, thumb)
                    entry["width"], entry["height"] = thumb.image.size
                entry[kind] = thumb.name
            entries.append(entry)
        purposes[purpose] = entries
    image.renditions = {"key": key, "purposes": purposes}
    # Recorded only if the row still holds this file and focal point: an
    # instance changed in memory (a refused form, the admin's preview of a new
    # version waiting for approval) never rewrites the row.
    row = Image.objects.filter(
        pk=image.pk, file=image.file.name, focal_x=image.focal_x, focal_y=image.focal_y
    )
    with transaction.atomic():
        previous = row.select_for_update().values_list("renditions", flat=True).first()
        if previous is not None:  # else the row holds another version: nothing is recorded
            retired = renditions_retire(
                previous=previous, current=image.renditions, image_id=image.pk
            )
            if retired:
                image.renditions["retired"] = retired
        row.update(renditions=image.renditions)
    version.bump()  # pages now offer the new sizes
    return made


def clock() -> float:
    """Now, for the grace of retired files (a test moves it)."""
    return time.time()


def record_names(record: dict) -> set[str]:
    """Every file a record names."""
    return {
        entry[kind]
        for entries in (record.get("purposes") or {}).values()
        for entry in entries
        for kind in KINDS
        if entry.get(kind)
    }


def renditions_retire(*, previous: dict, current: dict, image_id: int) -> list[list]:
    """The files of an image's previous record that its new one does not name are
    retired: kept for RENDITIONS_RETIRE_SECONDS more (pages cached at the edge or in a
    browser, stale-while-revalidate included, still name them), listed with the time
    they were retired in the new record's `retired`, and deleted by the first change or
    sweep (`renditions_sweep`, run by `cangxanh renditions`) after that. Returns the
    list still waiting.

    A file is deleted only when no record names it: not this image's new one (the
    whole picture does not move with the focal point), nor any other image's (rows
    that hold the same original), retired ones included. Through the storage, so a
    bucket loses them too, with easy-thumbnails' records of them (which a bucket's
    existence check reads). After the commit: a rolled-back change keeps its files.

    A record made by an earlier VERSION keeps its files: pages cached before an
    upgrade still name them for a day (core.views.media)."""
    now = clock()
    waiting = {name: when for name, when in previous.get("retired") or []}
    if str(previous.get("key", "")).startswith(f"{VERSION}:"):
        for name in record_names(previous):
            waiting.setdefault(name, now)
    named = record_names(current)
    waiting = {name: when for name, when in waiting.items() if name not in named}
    grace = settings.RENDITIONS_RETIRE_SECONDS
    due = {name for name, when in waiting.items() if when + grace <= now}
    if due:
        sources = {bodies.rendition_source(name) for name in due} - {None}
        for record in (
            Image.objects.exclude(pk=image_id)
            .filter(file__in=sources)
            .values_list("renditions", flat=True)
        ):
            record = record or {}
            due -= record_names(record) | {name for name, _when in record.get("retired") or []}
        names = sorted(due)
        if names:
            transaction.on_commit(lambda: _delete(names))
    return [[name, when] for name, when in sorted(waiting.items()) if name not in due]


def renditions_sweep() -> int:
    """Delete the retired files whose grace is over, for every image (`cangxanh
    renditions`; a changed image does its own). Returns how many images were looked at."""
    swept = 0
    for pk in Image.objects.filter(renditions__has_key="retired").values_list("pk", flat=True):
        with transaction.atomic():
            row = Image.objects.select_for_update().filter(pk=pk)
            record = row.values_list("renditions", flat=True).first()
            if not record or not record.get("retired"):
                continue
            current = {key: value for key, value in record.items() if key != "retired"}
            waiting = renditions_retire(
                previous={"retired": record["retired"]}, current=current, image_id=pk
            )
            if waiting != record["retired"]:
                row.update(renditions={**current, "retired": waiting} if waiting else current)
            swept += 1
    return swept


def _delete(names: list[str]) -> None:
    from easy_thumbnails.models import Thumbnail

    storage = thumbnail_default_storage
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a bucket out of reach: the page or the save still stands
            logger.exception("Rendition %s could not be deleted", name)
    Thumbnail.objects.filter(name__in=names).delete()


def _srcset(entries: list[dict], kind: str) -> str:
    url = thumbnail_default_storage.url
    return ", ".join(f"{url(entry[kind])} {entry['width']}w" for entry in entries)


def rendition(image: Image | None, purpose: str) -> Rendition | None:
    """An image's renditions for a purpose (card, wide, full), or None.

    Reads the record on the row; only an image whose record is out of date
    (new file, new focal point, new settings) has its files made here. A file
    that cannot be read gives None and a log line, never an error page.
    """
    if image is None or not image.file:
        return None
    key = record_key(image)
    if (image.renditions or {}).get("key") != key:
        # One attempt per image and page: the head (og:image, JSON-LD) asks as well as the body.
        if getattr(image, "_renditions_failed", None) == key:
            return None
        try:
            image_renditions_ensure(image=image)
        except unreadable():
            image._renditions_failed = key
            logger.exception("No renditions for image %s", image.pk)
            return None
    entries = image.renditions["purposes"].get(purpose)
    if not entries:
        return None
    # The same record gives the same renditions: build each once per process (the
    # storage's URLs cost more than the rest of a card), keyed by what they come from.
    storage = thumbnail_default_storage
    base = (
        getattr(storage, "base_url", None),
        getattr(storage, "bucket_name", None),  # a bucket's addresses name it
        getattr(storage, "custom_domain", None),
    )
    memo_key = (key, purpose, base, settings.IMAGE_RENDITIONS[purpose]["src"])
    known = _built.get(memo_key)
    if known is not None and known[0] == entries:
        return known[1]
    built = _build(entries, purpose)
    if len(_built) > 10_000:
        _built.clear()
    _built[memo_key] = (entries, built)
    return built


_built: dict[tuple, tuple[list, Rendition]] = {}


def _build(entries: list[dict], purpose: str) -> Rendition:
    usual = settings.IMAGE_RENDITIONS[purpose]["src"]
    main = max((e for e in entries if e["width"] <= usual), key=lambda e: e["width"], default=None)
    main = main or entries[0]
    return Rendition(
        src=thumbnail_default_storage.url(main["fallback"]),
        width=main["width"],
        height=main["height"],
        srcset_webp=_srcset(entries, "webp"),
        srcset_fallback=_srcset(entries, "fallback"),
    )
