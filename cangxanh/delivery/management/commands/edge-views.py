"""`cangxanh edge-views LOG`: count the views an edge served, from its log.

With the VCL counting views by "log" (docs/operations.md, "Counting views at the
edge"), Varnish keeps each article's count for a second and answers readers
without asking the portal; varnishncsa appends one line per page with a live
count delivered (delivery.fragments.varnishncsa) to LOG, and this command
follows LOG and counts each line as the page cache counts a hit
(delivery.fragments.view, then stats.counter.record): once per reader in the
window, crawlers and prefetches not, into the same counter, so the total
every server shows includes them within its usual delay.

Where it is: LOG.pos holds the file (its inode) and the offset up to which the
lines are counted and written (the counter flushed: the database, or Redis).
It is written after each flush, so a command stopped or killed starts again
where the last flush ended. The lines after it are counted again then, and a
reader counted before the kill is not counted twice (the reader tally
remembers them for the window); what a kill can lose is what the counter held
unflushed, as a killed portal process loses its unflushed views. When LOG is
replaced (rotated: renamed, and varnishncsa told with SIGHUP), the old file is
read to its end first, then the new one from its start.
"""

import os
import signal
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from cangxanh.delivery import fragments

FLUSH_SECONDS = 0.2  # counts written (and the place saved) at least this often while busy
IDLE_SECONDS = 0.05  # how often an idle log is looked at again
CHUNK = 1 << 20


class Command(BaseCommand):
    help = (
        "Follow an edge's view log (varnishncsa, in the format of "
        "delivery.fragments.LOG_FORMAT) and count each reader served, as the "
        "portal counts a page-cache hit; resumes where it stopped (LOG.pos)."
    )

    def add_arguments(self, parser):
        parser.add_argument("log", help="the file varnishncsa appends to (-a -w)")
        parser.add_argument(
            "--once", action="store_true", help="count what is there, then stop (tests, cron)"
        )

    def handle(self, *args, log, once=False, **options):
        self.path = Path(log)
        self.place = Path(f"{log}.pos")
        self.stopping = False
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, self._stop)
        counted = self.follow(once)
        self.stdout.write(f"edge-views: {counted} views counted from {log}")

    def _stop(self, number, frame) -> None:
        self.stopping = True

    def _saved(self) -> tuple[int, int]:
        try:
            inode, offset = self.place.read_text().split()
            return int(inode), int(offset)
        except (OSError, ValueError):
            return 0, 0

    def _save(self, inode: int, offset: int) -> None:
        new = self.place.with_name(self.place.name + ".new")
        new.write_text(f"{inode} {offset}\n")
        os.replace(new, self.place)

    def _open(self):
        """LOG opened where the counting stopped (at its start when it is another file
        than the saved place's); None while it does not exist."""
        try:
            file = open(self.path, "rb")  # noqa: SIM115 — kept open while followed
        except FileNotFoundError:
            return None
        inode = os.fstat(file.fileno()).st_ino
        saved_inode, offset = self._saved()
        if saved_inode != inode or offset > os.fstat(file.fileno()).st_size:
            offset = 0
        file.seek(offset)
        return file

    def follow(self, once: bool) -> int:
        from cangxanh.stats import counter

        file = None
        counted = 0
        rest = b""
        last_flush = time.monotonic()
        dirty = False
        while not self.stopping:
            if file is None:
                file = self._open()
                rest = b""
                if file is None:
                    if once:
                        break
                    time.sleep(IDLE_SECONDS)
                    continue
            chunk = file.read(CHUNK)
            if chunk:
                lines = (rest + chunk).split(b"\n")
                rest = lines.pop()  # a line varnishncsa has not finished
                for line in lines:
                    found = fragments.view(line.decode("utf-8", "replace"))
                    if found is not None:
                        counter.record(*found)
                        counted += 1
                dirty = True
            now = time.monotonic()
            if dirty and (not chunk or now - last_flush >= FLUSH_SECONDS):
                counter.flush()
                self._save(os.fstat(file.fileno()).st_ino, file.tell() - len(rest))
                last_flush, dirty = now, False
            if chunk:
                continue
            if once:
                break
            if self._replaced(file):
                file.close()
                file = None  # the old file is read to its end: the new one from its start
                continue
            time.sleep(IDLE_SECONDS)
        if file is not None:
            counter.flush()
            self._save(os.fstat(file.fileno()).st_ino, file.tell() - len(rest))
            file.close()
        return counted

    def _replaced(self, file) -> bool:
        try:
            return os.stat(self.path).st_ino != os.fstat(file.fileno()).st_ino
        except FileNotFoundError:
            return False  # renamed away, the new one not there yet
