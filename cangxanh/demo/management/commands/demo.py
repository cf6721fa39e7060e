from django.core.management.base import BaseCommand

from cangxanh.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo content (articles in five languages, images, people, a demo superuser). Safe to run again."

    def handle(self, *args, **options):
        report = load_demo()
        self.stdout.write(self.style.SUCCESS(str(report)))
