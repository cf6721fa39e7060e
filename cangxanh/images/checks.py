"""System checks that keep uploaded originals private."""

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
