"""The text of an attached PDF, for the search index: read by pypdf in a limited child.

pypdf has a history of files that make it loop or eat memory, and an attached
file comes from outside. So it never runs in the web or worker process: each
PDF is read by a fresh child (`extract_child.py`, started isolated with `-I`,
with an empty environment) that limits its own address space and CPU time and
may write no file, under a wall-clock timeout here. At most `MAX_PAGES` pages
are read and `MAX_CHARS` characters kept; the text is NFC with whitespace
collapsed.

`extract_pdf_text` never raises for a bad PDF: a broken, truncated or hostile
file answers status "failed" (or "timeout") with a short reason, to be shown
to staff and retried later.
"""

import json
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MAX_PAGES = 300
MAX_CHARS = 400_000
MEMORY_BYTES = 512 * 1024 * 1024
CPU_SECONDS = 30
TIMEOUT_SECONDS = 60
# What the parent reads of the child's answer: the text at MAX_CHARS, in UTF-8 with
# JSON escapes, stays far below it.
MAX_ANSWER_BYTES = 16 * 1024 * 1024

CHILD = Path(__file__).with_name("extract_child.py")
STATUSES = ("ok", "empty", "failed", "timeout")


@dataclass(frozen=True)
class Extracted:
    """What came out of one PDF: "ok" with text, "empty" (a scan without text),
    "failed" or "timeout" with a short reason in `error`."""

    status: str
    text: str = ""
    pages: int = 0
    error: str = ""


def _read(data: bytes | IO[bytes]) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if hasattr(data, "seek"):
        data.seek(0)
    return data.read()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def extract_pdf_text(
    data: bytes | IO[bytes],
    *,
    timeout: float = TIMEOUT_SECONDS,
    memory_bytes: int = MEMORY_BYTES,
    cpu_seconds: int = CPU_SECONDS,
    max_pages: int = MAX_PAGES,
    max_chars: int = MAX_CHARS,
) -> Extracted:
    """The text of a PDF (bytes or a binary file), read in a child with these limits."""
    command = [
        sys.executable,
        "-I",  # isolated: no PYTHONPATH, user site or current directory on the path
        "-B",  # and no bytecode written (the child may write no file at all)
        str(CHILD),
        str(memory_bytes),
        str(max(1, int(cpu_seconds))),
        str(max_pages),
        str(max_chars),
    ]
    try:
        child = subprocess.run(
            command,
            input=_read(data),
            capture_output=True,
            timeout=timeout,
            env={"LC_ALL": "C.UTF-8"},  # none of this process's secrets
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Extracted("timeout", error=f"no answer within {timeout:g} s")
    except OSError as exc:
        return Extracted("failed", error=f"the reader could not start: {exc.strerror or exc}")

    if child.returncode < 0:
        if -child.returncode in (signal.SIGXCPU, signal.SIGKILL):
            return Extracted(
                "timeout",
                error=f"CPU limit of {cpu_seconds} s reached ({_signal_name(-child.returncode)})",
            )
        return Extracted("failed", error=f"the reader stopped ({_signal_name(-child.returncode)})")
    answer = child.stdout[:MAX_ANSWER_BYTES]
    try:
        result = json.loads(answer)
        status, text = result["status"], result["text"]
        pages, error = int(result["pages"]), str(result["error"])[:200]
    except (ValueError, KeyError, TypeError):
        last = child.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return Extracted("failed", error=(last[0] or f"exit status {child.returncode}")[:200])
    if status not in STATUSES or not isinstance(text, str):
        return Extracted("failed", error="unexpected answer from the reader")
    return Extracted(status, text[:max_chars], pages, error)
