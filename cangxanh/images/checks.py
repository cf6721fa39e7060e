"""System checks that keep uploaded originals (and documents' files) private."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register
from django.core.files.storage import FileSystemStorage
from django.utils.module_loading import import_string

from .storage import ORIGINALS


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


@register()
def check_originals_storage(app_configs, **kwargs):
    storages = getattr(settings, "STORAGES", {})
    config = storages.get(ORIGINALS)
    if config is None:
        return [
            Error(
                'settings.STORAGES has no "originals" storage: uploaded originals need a '
                "private one (see settings.py).",
                id="cangxanh.E101",
            )
        ]
    location = (config.get("OPTIONS") or {}).get("location")
    try:
        on_disk = issubclass(import_string(config["BACKEND"]), FileSystemStorage)
    except ImportError:
        on_disk = False  # object storage whose extra is not installed here
    if on_disk and location:
        media = Path(settings.MEDIA_ROOT)
        if _inside(Path(location), media) or _inside(media, Path(location)):
            return [
                Error(
                    f"The originals' folder {location} and MEDIA_ROOT {media} overlap: "
                    "whatever serves media would serve the originals, GPS data and all.",
                    id="cangxanh.E102",
                )
            ]
    return []


def _inside_prefix(name: str, prefix: str) -> bool:
    """Whether a key prefix lies within another ("" is the whole bucket)."""
    return not prefix or name == prefix or name.startswith(prefix + "/")


@register()
def check_private_buckets(app_configs, **kwargs):
    """With media in a bucket: originals and documents' files private, and apart from
    the renditions prefix that a bucket policy makes public (docs/operations.md)."""
    configured = getattr(settings, "STORAGES", {})
    media = (configured.get("default") or {}).get("OPTIONS") or {}
    if not media.get("bucket_name"):
        return []
    public = "/".join(
        part for part in (media.get("location", ""), settings.THUMBNAIL_BASEDIR) if part.strip("/")
    ).strip("/")
    errors = []
    for alias in (ORIGINALS, "documents"):
        options = (configured.get(alias) or {}).get("OPTIONS") or {}
        if not options.get("bucket_name"):
            continue
        if options.get("default_acl") not in (None, "private"):
            errors.append(
                Error(
                    f'The "{alias}" bucket storage writes with the ACL '
                    f"{options['default_acl']!r}: its files must be private.",
                    id="cangxanh.E103",
                )
            )
        location = (options.get("location") or "").strip("/")
        if options["bucket_name"] == media["bucket_name"] and (
            _inside_prefix(location, public) or _inside_prefix(public, location)
        ):
            errors.append(
                Error(
                    f'The "{alias}" prefix {location or "(the whole bucket)"!r} and the public '
                    f"renditions prefix {public!r} of bucket {media['bucket_name']} overlap: "
                    "the policy that lets readers load renditions would let them load these.",
                    id="cangxanh.E104",
                )
            )
    return errors
