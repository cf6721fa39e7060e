from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cangxanh.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo content (articles in five languages, images, people, a demo superuser). Safe to run again."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # The demo makes accounts with a password the README publishes.
            raise CommandError(
                "The demo content is refused in production (CANGXANH_PRODUCTION=1): it "
                "creates accounts whose password is public."
            )
        report = load_demo()
        self.stdout.write(self.style.SUCCESS(str(report)))
