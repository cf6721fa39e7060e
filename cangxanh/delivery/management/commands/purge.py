"""`cangxanh purge`: retire every cached page now (after a deploy, or by hand)."""

from django.core.management.base import BaseCommand

from cangxanh.delivery import edge, version


class Command(BaseCommand):
    help = (
        "Retire every page in the page cache, in every process that shares this "
        "machine's version file or this Redis, and at every edge in "
        "CANGXANH_EDGE_PURGE_URLS: after deploying new templates or code, or after "
        "changing the database by hand."
    )

    def handle(self, *args, **options):
        before = version.current()
        version.bump()
        after = version.current()
        self.stdout.write(f"Content version {before} -> {after}: every cached page is retired.")
        for url, answer in edge.send({edge.GLOBAL}).items():
            if answer:
                self.stdout.write(f"Edge {url}: every page purged ({answer}).")
            else:
                self.stderr.write(
                    f"Edge {url}: the purge failed (see the log); it keeps its pages."
                )
