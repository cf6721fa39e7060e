from django.core.management.base import BaseCommand

from cangxanh.images.models import Image
from cangxanh.images.renditions import UNREADABLE, image_renditions_ensure


class Command(BaseCommand):
    help = (
        "Make the missing renditions of every library image (after an upgrade or a change "
        "to IMAGE_RENDITIONS), so no reader waits for them. Safe to run again."
    )

    def handle(self, *args, **options):
        made = failed = 0
        for image in Image.objects.order_by("pk").iterator():
            try:
                made += image_renditions_ensure(image=image)
            except UNREADABLE as exc:
                failed += 1
                self.stderr.write(f"Image {image.pk} ({image.file.name}): {exc}")
        self.stdout.write(self.style.SUCCESS(f"Made {made} renditions; {failed} images failed."))
        if failed:
            raise SystemExit(1)
