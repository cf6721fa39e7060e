from django.core.management.base import BaseCommand

from cangxanh.images.models import Image
from cangxanh.images.renditions import image_renditions_ensure, renditions_sweep, unreadable
from cangxanh.images.storage import media_sweep, originals_move


class Command(BaseCommand):
    help = (
        "Make the missing renditions of every library image (after an upgrade or a change "
        "to IMAGE_RENDITIONS), so no reader waits for them. First moves any original still "
        "in the public media storage to the private originals storage, and deletes "
        "renditions left in the old layout (images/…/renditions/), and those an image stopped "
        "using more than RENDITIONS_RETIRE_SECONDS ago. Safe to run again (from cron, daily)."
    )

    def handle(self, *args, **options):
        # Originals uploaded by an older release (during a rolling deploy, say) first:
        # renditions are made from the private copy.
        moved = originals_move(Image.objects.values_list("file", flat=True))
        swept = media_sweep()
        for name in moved.conflicts + swept.conflicts:
            self.stderr.write(f"{name}: differs between media and originals; left in media.")
        self.stdout.write(
            f"Moved {len(moved.moved) + len(swept.moved)} originals to the private storage; "
            f"removed {len(swept.removed)} old renditions."
        )
        made = failed = 0
        for image in Image.objects.order_by("pk").iterator():
            try:
                made += image_renditions_ensure(image=image)
            except unreadable() as exc:
                failed += 1
                self.stderr.write(f"Image {image.pk} ({image.file.name}): {exc}")
        self.stdout.write(self.style.SUCCESS(f"Made {made} renditions; {failed} images failed."))
        # Renditions an image stopped using, once their grace is over (RENDITIONS_RETIRE_SECONDS).
        renditions_sweep()
        if failed or moved.conflicts or swept.conflicts:
            raise SystemExit(1)
