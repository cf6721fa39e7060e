"""The bucket storage (django-storages' S3, the `s3` extra) and the check that the
buckets' permissions keep what is private private (`cangxanh bucket-check`).

Configured from the environment by images.buckets; docs/operations.md says how to set
up the buckets and their policy.
"""

import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


@deconstructible
class BucketStorage(S3Storage):
    """django-storages' S3 storage, with one more option: `base_url`. When given, a
    file's url() is `base_url` + its name, an address on this site, never one at the
    bucket: an original's library address, or a rendition the app serves itself."""

    def __init__(self, **settings):
        self.base_url = settings.pop("base_url", None)
        super().__init__(**settings)

    def url(self, name, parameters=None, expire=None, http_method=None):
        if self.base_url is None:
            return super().url(name, parameters, expire, http_method)
        return self.base_url + filepath_to_uri(name).lstrip("/")

    def anonymous_url(self, name: str) -> str:
        """The object's address at the bucket, unsigned: what anyone on the internet
        could ask for."""
        return self.unsigned_connection.meta.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket_name, "Key": self._normalize_name(name)}
        )


@dataclass(frozen=True)
class Probe:
    storage: str  # its alias in settings.STORAGES
    address: str  # the probe object's address at the bucket
    status: int  # what an anonymous GET answered (0: no answer)
    public: bool  # whether it must be readable by anyone

    @property
    def ok(self) -> bool:
        readable = self.status == 200
        return readable if self.public else (not readable and self.status != 0)


def anonymous_status(url: str, timeout: float = 10) -> int:
    """The HTTP status of a GET without any credentials or cookie (0: no answer)."""
    request = urllib.request.Request(url, headers={"User-Agent": "cangxanh bucket-check"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


def probe(alias: str, storage: BucketStorage, folder: str, public: bool) -> Probe:
    """Write a small object under `folder` of a storage, ask the bucket for it as a
    stranger would, and delete it."""
    name = f"{folder.strip('/')}/bucket-check-{uuid.uuid4().hex}.txt".lstrip("/")
    stored = storage.save(name, ContentFile(b"cangxanh bucket-check\n"))
    try:
        address = storage.anonymous_url(stored)
        return Probe(alias, address, anonymous_status(address), public)
    finally:
        storage.delete(stored)
