"""Media, originals and documents' files in S3-compatible buckets, chosen by the environment.

Read by settings.py (so it imports nothing of Django's models) and by the tests, which
hand it the environment of a test server. Without `AWS_STORAGE_BUCKET_NAME` nothing
changes: every file stays on local disk (`storages_from_env` returns {}).

Three storages, two audiences (docs/operations.md, "Media on shared storage"):

- `default`, the media storage: renditions only, under `<AWS_LOCATION>/renditions/`,
  the one prefix a bucket policy may make public. Each object is named after its
  content (images.renditions), so it is written with a year's `immutable` and may be
  overwritten by the same bytes (`file_overwrite`: no existence check per write).
  Pages name it at the bucket (or `AWS_S3_CUSTOM_DOMAIN`, a CDN), unsigned; or, with
  `SERVE_MEDIA=1`, at this site's MEDIA_URL, the app reading it from a bucket that is
  then private whole.
- `originals` and `documents`: uploaded pictures as uploaded (GPS and all) and
  documents' files, listed or not. Written with a private ACL to
  `AWS_ORIGINALS_BUCKET_NAME` (or the media bucket), under `AWS_ORIGINALS_LOCATION`
  (`originals`) and `AWS_DOCUMENTS_LOCATION` (`documents`). Their `url()` is never
  the bucket's but, as on disk, the name under MEDIA_URL: an original's library
  address (what bodies name it by), which answers 404 to readers. Staff download
  originals and readers get documents' files through the app (images.views.original,
  documents.views.file), which reads them with its own credentials.
"""

from collections.abc import Mapping

BACKEND = "cangxanh.images.s3.BucketStorage"
# Renditions are named after their bytes: a browser or CDN keeps each for a year.
RENDITION_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
# What each storage is given from the environment, when set.
_CONNECTION = {
    "endpoint_url": "AWS_S3_ENDPOINT_URL",  # MinIO, Ceph, a local cloud; empty for AWS
    "region_name": "AWS_S3_REGION_NAME",
    "addressing_style": "AWS_S3_ADDRESSING_STYLE",  # "path" for most S3-compatible stores
    "access_key": "AWS_ACCESS_KEY_ID",
    "secret_key": "AWS_SECRET_ACCESS_KEY",
}


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def storages_from_env(environ: Mapping[str, str], *, media_url: str, serve_media: bool) -> dict:
    """settings.STORAGES' `default`, `originals` and `documents` for the buckets the
    environment names, or {} when it names none."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {}
    connection = {
        option: environ[name] for option, name in _CONNECTION.items() if environ.get(name)
    }
    media = connection | {
        "bucket_name": bucket,
        "location": environ.get("AWS_LOCATION", "").strip("/"),
        "object_parameters": dict(RENDITION_OBJECT_PARAMETERS),
        "file_overwrite": True,
        "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        # Signed addresses expire, and pages and CDNs keep them: off unless asked for.
        "querystring_auth": _true(environ.get("AWS_QUERYSTRING_AUTH")),
        # The app serves media (SERVE_MEDIA=1): pages name renditions on this site.
        "base_url": media_url if serve_media else None,
    }
    private = connection | {
        "bucket_name": environ.get("AWS_ORIGINALS_BUCKET_NAME") or bucket,
        "default_acl": "private",
        "custom_domain": None,
        # Never an address at the bucket, signed or not (see above).
        "base_url": media_url,
        "querystring_auth": True,
        "querystring_expire": 300,
        # Two uploads of "cang.jpg" keep two objects, as on disk.
        "file_overwrite": False,
    }
    return {
        "default": {"BACKEND": BACKEND, "OPTIONS": media},
        "originals": {
            "BACKEND": BACKEND,
            "OPTIONS": private
            | {"location": (environ.get("AWS_ORIGINALS_LOCATION") or "originals").strip("/")},
        },
        "documents": {
            "BACKEND": BACKEND,
            "OPTIONS": private
            | {"location": (environ.get("AWS_DOCUMENTS_LOCATION") or "documents").strip("/")},
        },
    }
