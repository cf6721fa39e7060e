"""The child process that reads a PDF's text: `python -I extract_child.py MEMORY CPU PAGES CHARS`.

It limits itself before anything else (address space, CPU seconds, no files
written, no core dump), then reads the PDF from stdin and writes one JSON object
to stdout: status ("ok", "empty", "failed"), text, pages (the document's page
count) and error. It imports only the standard library and pypdf, so that it
runs isolated (`-I`: no PYTHONPATH, no current directory on the path) and
carries none of the parent's settings or environment. `cangxanh.documents.extract`
starts it, with a wall-clock timeout on top.
"""

import io
import json
import logging
import re
import resource
import sys
import unicodedata
import warnings

# Control characters (NUL included: PostgreSQL refuses it in text), lone surrogates
# (they cannot be written as UTF-8) and zero-width characters become spaces.
_UNWANTED_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u200b\ufeff]")
_SPACE_RE = re.compile(r"\s+")


def limit(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # The soft limit sends SIGXCPU; the hard one, a second later, SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def normalise(text: str) -> str:
    """NFC, without control characters, every run of whitespace one space."""
    text = _UNWANTED_RE.sub(" ", unicodedata.normalize("NFC", text))
    return _SPACE_RE.sub(" ", text).strip()


def _reason(exc: BaseException) -> str:
    detail = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def read(data: bytes, max_pages: int, max_chars: int) -> dict:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return {"status": "failed", "text": "", "pages": 0, "error": "encrypted"}
    pages = len(reader.pages)
    parts: list[str] = []
    length = 0
    for number in range(min(pages, max_pages)):
        text = normalise(reader.pages[number].extract_text() or "")
        if text:
            parts.append(text)
            length += len(text) + 1
        if length >= max_chars:
            break
    text = " ".join(parts)[:max_chars].strip()
    return {"status": "ok" if text else "empty", "text": text, "pages": pages, "error": ""}


def main(argv: list[str]) -> int:
    memory_bytes, cpu_seconds, max_pages, max_chars = (int(a) for a in argv[:4])
    limit(memory_bytes, cpu_seconds)
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    try:
        result = read(sys.stdin.buffer.read(), max_pages, max_chars)
    except MemoryError:
        result = {"status": "failed", "text": "", "pages": 0, "error": "memory limit reached"}
    except SystemError as exc:
        # A C function that returns failure without saying why: under this child's
        # address-space limit, an allocation that failed inside an extension (seen in
        # about one run in four of the memory test); anything else keeps its own words.
        out_of_memory = "without exception set" in str(exc)
        error = "memory limit reached" if out_of_memory else _reason(exc)
        result = {"status": "failed", "text": "", "pages": 0, "error": error}
    except RecursionError:
        result = {"status": "failed", "text": "", "pages": 0, "error": "nested too deeply"}
    except Exception as exc:  # any error of a hostile or broken file is an answer, not a crash
        result = {"status": "failed", "text": "", "pages": 0, "error": _reason(exc)}
    sys.stdout.buffer.write(json.dumps(result, ensure_ascii=False).encode("utf-8", "replace"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
