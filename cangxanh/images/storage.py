"""Where the library's files live, and moving originals out of public media.

Two storages, two audiences:

- `settings.STORAGES["originals"]` holds what editors uploaded, as uploaded:
  with the camera's EXIF (a GPS position, often), XMP, comments and colour
  profile. It is private: outside MEDIA_ROOT, without a public URL, never
  served by a web server or by the media view. `Image.file` uses it
  (`originals`, a callable, so tests can point it at a temporary folder).
- The default (media) storage holds the renditions, re-encoded without any
  of that (`images.renditions`), under `settings.THUMBNAIL_BASEDIR`.

Installs from before this split kept originals in the media storage, under
the same names. `originals_move` moves them (the `images` migration 0004 at
`migrate`, and `cangxanh renditions`, which also removes renditions in the
old layout); `Image.file.name` never changes.
"""

import contextlib
import errno
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

ORIGINALS = "originals"
# Where the media storage held originals, and renditions beside them, before the split.
OLD_ORIGINALS_DIR = "images"
OLD_RENDITIONS_DIR = "renditions"


def originals() -> Storage:
    """The private storage of uploaded originals (`Image.file`'s storage)."""
    return storages[ORIGINALS]


class LocalStorage(FileSystemStorage):
    """Django's file system storage, except that a write failing half way (a full
    disk, a quota) removes what it wrote: no file is left that no row names.

    Django's `_save` leaves the partial file, under the name it last tried (another
    if the first was taken meanwhile); that name is followed here, per thread."""

    _writing = threading.local()

    def get_available_name(self, name, max_length=None):
        name = super().get_available_name(name, max_length)
        if getattr(self._writing, "name", None) is not None:
            self._writing.name = name  # `_save` moved on to this name
        return name

    def _save(self, name, content):
        self._writing.name = name
        try:
            return super()._save(name, content)
        except OSError:
            with contextlib.suppress(OSError):
                os.remove(self.path(self._writing.name))
            raise
        finally:
            self._writing.name = None


def out_of_space(error: BaseException) -> bool:
    """Whether a write failed because the disk (or the account's quota) is full."""
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def out_of_space_message() -> str:
    return _(
        "The picture could not be stored: the server's disk is full. Nothing was saved. "
        "Tell the administrator, then send the form again."
    )


@dataclass
class Moved:
    """What `originals_move` and `media_sweep` did."""

    moved: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # in the originals storage already
    missing: list[str] = field(default_factory=list)  # in neither storage
    conflicts: list[str] = field(default_factory=list)  # in both, with different sizes
    removed: list[str] = field(default_factory=list)  # old renditions deleted


def _move_one(name: str, source: Storage, target: Storage, report: Moved) -> None:
    in_source = source.exists(name)
    if target.exists(name):
        if not in_source:
            report.already.append(name)
            return
        if source.size(name) != target.size(name):
            # Never overwrite, never lose: left where it is for a person to look at.
            report.conflicts.append(name)
            logger.error("Original %s differs between media and originals; left in media", name)
            return
        source.delete(name)  # a copy made by an interrupted earlier run
        report.moved.append(name)
        return
    if not in_source:
        report.missing.append(name)
        return
    with source.open(name, "rb") as fh:
        saved = target.save(name, fh)
    if saved != name:
        # The storage chose another name: the row would no longer find its file.
        target.delete(saved)
        report.conflicts.append(name)
        logger.error("Original %s could not be stored under its own name; left in media", name)
        return
    source.delete(name)
    report.moved.append(name)


def originals_move(
    names: Iterable[str], *, source: Storage | None = None, target: Storage | None = None
) -> Moved:
    """Move these originals from the media storage to the originals storage, under the
    same names. Idempotent: a file already moved is left alone, one in both places
    (an interrupted run) loses its media copy only when the sizes agree."""
    source = source or default_storage
    target = target or originals()
    report = Moved()
    for name in dict.fromkeys(n for n in names if n):
        _move_one(name, source, target, report)
    return report


def _walk(storage: Storage, folder: str):
    """Every file under `folder` of a storage, as (name, is in a renditions folder)."""
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    inside = folder.rstrip("/").rsplit("/", 1)[-1] == OLD_RENDITIONS_DIR
    for name in files:
        yield f"{folder}/{name}", inside
    for sub in folders:
        for found, in_renditions in _walk(storage, f"{folder}/{sub}"):
            yield found, in_renditions or inside


def media_sweep(*, source: Storage | None = None, target: Storage | None = None) -> Moved:
    """Empty the media storage's old `images/` folder: renditions made before the split
    (beside the originals, with the source's JPEG comment kept) are deleted, and any
    other file there, an original no row names any more included, moves to the
    private storage. Idempotent."""
    source = source or default_storage
    target = target or originals()
    report = Moved()
    for name, old_rendition in list(_walk(source, OLD_ORIGINALS_DIR)):
        if old_rendition:
            source.delete(name)
            report.removed.append(name)
        else:
            _move_one(name, source, target, report)
    return report
