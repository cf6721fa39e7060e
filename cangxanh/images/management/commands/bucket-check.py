from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "With media in S3-compatible buckets: write a small object into the originals' "
        "and the documents' prefixes and ask the bucket for each as a stranger would "
        "(no credentials): both must be refused. When readers load renditions from the "
        "bucket itself, one under the renditions prefix must be readable. Each probe is "
        "deleted. Run it after any change to the buckets' policy or ACLs."
    )

    def handle(self, *args, **options):
        from cangxanh.images.s3 import BucketStorage, probe

        checks = []
        media = storages["default"]
        # Pages name renditions at the bucket itself (not at this site, SERVE_MEDIA=1,
        # nor at a CDN that may read a private bucket, nor signed): there, anyone must
        # be able to load them.
        if isinstance(media, BucketStorage) and not (
            media.base_url is not None or media.custom_domain or media.querystring_auth
        ):
            checks.append(("default", settings.THUMBNAIL_BASEDIR, True))
        for alias in ("originals", "documents"):
            if isinstance(storages[alias], BucketStorage):
                checks.append((alias, "", False))
        if not checks:
            raise CommandError("No storage is in a bucket (AWS_STORAGE_BUCKET_NAME is not set).")
        failed = 0
        for alias, folder, public in checks:
            found = probe(alias, storages[alias], folder, public)
            wanted = "readable by anyone" if public else "refused to strangers"
            line = f"{alias}: {found.address.split('?')[0]} answered {found.status or 'nothing'}"
            if found.ok:
                self.stdout.write(f"{line}: {wanted}, as it must be.")
            else:
                failed += 1
                self.stderr.write(f"{line}: it must be {wanted}.")
        if failed:
            raise CommandError(f"{failed} of {len(checks)} bucket checks failed.")
        self.stdout.write(self.style.SUCCESS(f"All {len(checks)} bucket checks passed."))
