"""A PDF's text, read in a limited child process: the words come out, and a bad file
is an answer, never an exception."""

import io
import json
import subprocess
import sys
import time
import unicodedata

from pypdf import PdfWriter

from cangxanh.documents import extract
from cangxanh.documents.extract import Extracted, extract_pdf_text

from . import files


def test_the_vietnamese_sentence_comes_out():
    result = extract_pdf_text(files.fpdf_document([files.SENTENCE]))
    assert result.status == "ok", result.error
    assert files.SENTENCE in result.text
    assert result.pages == 1
    assert result.text == unicodedata.normalize("NFC", result.text)


def test_text_is_one_line_with_whitespace_collapsed_and_a_file_can_be_passed():
    document = files.fpdf_document(["Trang một:\n\n  kế   hoạch", "Trang hai:    hợp tác"])
    result = extract_pdf_text(io.BytesIO(document))
    assert result == Extracted("ok", "Trang một: kế hoạch Trang hai: hợp tác", 2, "")


def test_pages_and_characters_are_capped():
    document = files.fpdf_document(["Trang một", "Trang hai", "Trang ba"])
    two = extract_pdf_text(document, max_pages=2)
    assert two.text == "Trang một Trang hai"
    assert two.pages == 3  # the document's own count
    assert extract_pdf_text(document, max_chars=12).text == "Trang một Tr"


def test_a_page_without_text_is_empty():
    result = extract_pdf_text(files.page_pdf(b"0 0 m 100 100 l S"))
    assert (result.status, result.text, result.pages) == ("empty", "", 1)


def test_a_truncated_or_broken_pdf_fails_without_an_exception():
    document = files.fpdf_document([files.SENTENCE])
    for broken in (document[: len(document) // 2], b"%PDF-1.7\n garbage", b""):
        result = extract_pdf_text(broken)
        assert result.status == "failed"
        assert result.text == ""
        assert 0 < len(result.error) <= 200


def test_an_encrypted_pdf_fails():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("", "owner-password", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert extract_pdf_text(buffer.getvalue()) == Extracted("failed", error="encrypted")


def test_the_child_runs_out_of_cpu_time():
    # 200,000 text operators: a few seconds of pypdf's time, from a 6 KB file.
    slow = files.page_pdf(b"BT /F1 12 Tf " + b"(a) Tj 1 0 Td " * 200_000 + b"ET")
    started = time.monotonic()
    result = extract_pdf_text(slow, cpu_seconds=1, timeout=30)
    assert result.status == "timeout"
    assert "CPU" in result.error
    assert time.monotonic() - started < 10


def test_the_child_runs_out_of_memory():
    result = extract_pdf_text(files.fpdf_document([files.SENTENCE]), memory_bytes=32 * 1024 * 1024)
    assert result.status == "failed"
    assert "memory" in result.error


def test_the_wall_clock_timeout_stops_the_child():
    result = extract_pdf_text(files.fpdf_document([files.SENTENCE]), timeout=0.01)
    assert result.status == "timeout"
    assert result.text == ""


def test_control_characters_and_lone_surrogates_never_reach_the_index():
    # NUL is refused by PostgreSQL in text; a lone surrogate cannot be written as UTF-8.
    from cangxanh.documents.extract_child import normalise

    decomposed = unicodedata.normalize("NFD", "Hải Phòng")
    assert normalise(f" {decomposed}\x00quy\u200bchế\ud800 \x07 ") == "Hải Phòng quy chế"


def test_an_allocation_failing_inside_an_extension_reads_as_the_memory_limit():
    # Under the address-space limit a C extension may fail an allocation without a
    # MemoryError (CPython then raises SystemError): the answer still names the limit,
    # and another SystemError keeps its own words.
    def child_says(message: str) -> str:
        code = (
            "import sys, extract_child as child\n"
            "def read(*args):\n"
            f"    raise SystemError({message!r})\n"
            "child.read = read\n"
            "sys.exit(child.main(['1073741824', '5', '10', '100']))\n"
        )
        done = subprocess.run(
            [
                sys.executable,
                "-I",
                "-c",
                f"import sys; sys.path.insert(0, {str(extract.CHILD.parent)!r})\n" + code,
            ],
            input=b"",
            capture_output=True,
            timeout=60,
            check=True,
        )
        return json.loads(done.stdout)["error"]

    assert child_says("error return without exception set") == "memory limit reached"
    assert child_says("something else") == "SystemError: something else"
