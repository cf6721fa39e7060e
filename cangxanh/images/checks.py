"""System checks that keep uploaded originals private."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

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
    if config["BACKEND"].endswith("FileSystemStorage") and location:
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
