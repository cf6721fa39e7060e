"""What a document may carry as an attached file: the checks every upload passes.

Only PDF, Word (.docx) and Excel (.xlsx) files are accepted, and the type is
read from the bytes, never from the name: a PDF starts with ``%PDF-``; a DOCX
or XLSX is a zip holding ``[Content_Types].xml`` and a ``word/`` or ``xl/``
folder. Everything else is refused with a message saying why: another format
(a program, a web page, a picture), macros, old or password-protected Office
files (OLE2 compound files), zip bombs and files hidden inside the file, Office
files that load or run content from outside themselves when opened (a linked
template, linked objects, pictures or workbooks, data connections, DDE and
include fields, DDE formulas), PDFs that carry scripts (JavaScript, XFA forms,
rich media), actions that start a program or open another file (launch, remote
and embedded go-to, import data), attachments or encryption, and anything over
`DOCUMENT_MAX_UPLOAD_BYTES`.

The file is only ever read in bounded chunks. It is sized and hashed first,
stopping as soon as it passes the limit. A PDF is then scanned window by
window for the names of active content (written plainly or with ``#xx``
escapes), and its object streams, where such names can hide compressed, are
unpacked within a budget and scanned too. A zip's end record is read before
zipfile parses its directory; then every entry is unpacked in chunks within
the caps, which also checks every CRC. The parts that can reach outside are
then read by expat as a stream (no DTD, no entities, constant memory): every
relationships part, and the XML parts of a DOCX's ``word/`` (fields) or of an
XLSX's workbook and worksheets (formulas) in which the unpacking pass saw the
bytes such a field or formula needs.

`check_upload` does the work and answers a `Checked`; `stored_name` gives the
stored file the extension of its real type.
"""

import bisect
import contextlib
import hashlib
import io
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext_lazy

from cangxanh.core import languages

# kind: (stored extension, content type).
ACCEPTED = {
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}

MESSAGES = {
    "file_too_large": gettext_lazy(
        "The file is %(size)s; the largest file a document may carry is %(limit)s."
    ),
    "file_too_large_unknown": gettext_lazy(
        "The file is larger than %(limit)s, the largest file a document may carry."
    ),
    "empty": gettext_lazy("The file is empty. Choose the document's file and upload it again."),
    "not_a_document": gettext_lazy(
        "Upload a PDF, Word (.docx) or Excel (.xlsx) file: this file is none of them, "
        "whatever its name says."
    ),
    "other_format": gettext_lazy(
        "This file is in %(format)s format, whatever its name says. "
        "Upload a PDF, Word (.docx) or Excel (.xlsx) file."
    ),
    "program": gettext_lazy(
        "This file is a program, whatever its name says, and programs are never accepted. "
        "Upload a PDF, Word (.docx) or Excel (.xlsx) file."
    ),
    "old_office": gettext_lazy(
        "This is an old-format Word or Excel file (.doc, .xls) or a password-protected one. "
        "Save it as .docx, .xlsx or PDF, without a password, and upload it again."
    ),
    "macros": gettext_lazy(
        "This file contains macros (a macro-enabled Word or Excel file). Save it as a plain "
        ".docx or .xlsx, or as PDF, and upload it again."
    ),
    "encrypted": gettext_lazy(
        "This file is protected by a password or encrypted. Save it without protection "
        "and upload it again."
    ),
    "too_many_entries": gettext_lazy(
        "This file is made of more than %(limit)s parts, far more than a document holds. "
        "It is refused as a possible zip bomb."
    ),
    "too_much_unpacked": gettext_lazy(
        "This file unpacks to more than %(limit)s, far more than a document holds. "
        "It is refused as a possible zip bomb."
    ),
    "compression_ratio": gettext_lazy(
        "A part of this file is packed more than %(limit)s times smaller than its content, "
        "which documents never are. It is refused as a possible zip bomb."
    ),
    "nested": gettext_lazy(
        "This file holds another file inside it (an archive, a program or an embedded "
        "object). Save it again without embedded objects, or as PDF, and upload it again."
    ),
    "external_content": gettext_lazy(
        "This file loads or runs content from outside itself when it is opened (a linked "
        "template, linked objects or workbooks, DDE or include fields). Save it again "
        "without external links, or as PDF, and upload it again."
    ),
    "pdf_script": gettext_lazy(
        "This PDF contains JavaScript, which public files may not carry. Print it to a new "
        "PDF (or export it again without scripts) and upload it again."
    ),
    "pdf_launch": gettext_lazy(
        "This PDF contains an action that starts a program or opens another file. Print it "
        "to a new PDF and upload it again."
    ),
    "pdf_attachment": gettext_lazy(
        "This PDF carries attached files. Remove the attachments (or print it to a new PDF) "
        "and upload it again."
    ),
    "pdf_form_script": gettext_lazy(
        "This PDF is a dynamic form (XFA) or carries rich media, which can run scripts "
        "when it is opened. Print it to a new PDF and upload it again."
    ),
    "pdf_unchecked": gettext_lazy(
        "This PDF is stored in a way that cannot be checked for scripts. Print it to a new "
        "PDF and upload it again."
    ),
    "damaged": gettext_lazy(
        "The file is damaged or incomplete and cannot be read. Export it again from the "
        "original and upload it once more."
    ),
}

CHUNK = 1024 * 1024
# Bytes each scan window shares with its neighbours: more than any name looked for is
# long, even written with an escape for every letter.
OVERLAP = 256

ZIP_MAX_ENTRIES = 2_000
ZIP_MAX_DIRECTORY_BYTES = 2 * 1024 * 1024
ZIP_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
ZIP_MAX_RATIO = 200
# Small parts may compress as well as they like: only a big one can be a bomb.
ZIP_RATIO_FROM_BYTES = 1024 * 1024
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
# What the object streams of one PDF may unpack to, all together.
PDF_MAX_OBJECT_STREAM_BYTES = 64 * 1024 * 1024
# How far before an object stream's /Type its dictionary may begin (they are short).
PDF_MAX_DICTIONARY_BYTES = 4096

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_MACRO_EXTENSIONS = frozenset({".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb", ".pptm"})
_MACRO_MARKERS = (b"macroenabled", b"vbaproject", b"vbadata", b"macrosheet")
# What no part of a DOCX or XLSX starts with: archives, compound files, programs.
_NESTED_MAGICS = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    _OLE2[:4],
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",
    b"MZ",
    b"\x7fELF",
)
_PROGRAM_MAGICS = (
    b"MZ",
    b"\x7fELF",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
# Parts that load content from outside the file whatever their relationships say:
# external workbook and DDE links, and data connections (web queries, databases).
_EXTERNAL_PARTS = ("xl/externallinks/", "xl/connections.xml")
# A relationship that reaches outside: TargetMode="External", or a target that is an
# address (a scheme, a drive or a UNC path) where a part name belongs. Hyperlinks are
# only followed when a reader clicks them, and may point anywhere.
_ADDRESS_RE = re.compile(r"\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|[\\/]{2})")
# Word fields that fetch or run outside content when the document is opened or its
# fields are updated; INCLUDE and IMPORT are the old names of INCLUDETEXT and
# INCLUDEPICTURE, which Word still reads.
_EXTERNAL_FIELD_RE = re.compile(
    r"\s*(?:DDE|DDEAUTO|INCLUDETEXT|INCLUDEPICTURE|INCLUDE|IMPORT|LINK|DATABASE)(?!\w)",
    re.IGNORECASE,
)
# Enough of a field's instruction (leading spaces dropped) to read its name.
_FIELD_NAME_CHARACTERS = 64
# Excel never writes a formula longer than 8,192 characters.
_FORMULA_MAX_CHARACTERS = 32_768
_FIELD_ELEMENTS = ("instrText", "fldChar", "fldSimple")
_FORMULA_ELEMENTS = ("f", "formula", "formula1", "formula2", "definedName")
# What the unpacking pass looks for before a part is parsed: a field's instruction
# (the instrText element or the instr attribute: names are never escaped), and the
# bar of a DDE formula, written plainly or as a character reference.
_SCAN_NEEDLES = {"fields": re.compile(rb"instr"), "formulas": re.compile(rb"[|]|&#")}
# What zipfile and struct raise for a zip they cannot read.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
    EOFError,
    struct.error,
    zlib.error,
)

# PDF names end at whitespace (NUL included) or a delimiter.
_REGULAR = rb"[^\x00\s()<>\[\]{}/%]"
_REGULAR_NO_ESCAPE = rb"[^\x00\s()<>\[\]{}/%#]"
# The names that refuse a PDF, and ObjStm, which marks a stream to unpack and scan.
_ACTIVE = {
    b"JavaScript": "pdf_script",
    b"JS": "pdf_script",
    b"Launch": "pdf_launch",
    # Actions that open another file: a remote go-to (another PDF, which may be on a
    # server), a go-to into an embedded or external file, and importing form data.
    b"GoToR": "pdf_launch",
    b"GoToE": "pdf_launch",
    b"ImportData": "pdf_launch",
    b"EmbeddedFile": "pdf_attachment",
    b"EmbeddedFiles": "pdf_attachment",
    b"Encrypt": "encrypted",
    # An XFA form carries its own scripts (in XML, never under /JavaScript), run by
    # Adobe Reader; rich media (Flash, 3D) is a plug-in's content.
    b"XFA": "pdf_form_script",
    b"RichMedia": "pdf_form_script",
}
# An /OpenAction or /AA that runs a script is a /JavaScript action with a /JS entry, so
# the two names find it; a harmless /OpenAction (open at page 1) is accepted.
# "/JS" is three bytes: inside a stream's data (a picture, compressed text) it turns up
# by chance, so it is only looked for between streams and inside object streams. The
# longer names are looked for everywhere, and every script needs /JavaScript anyway.
# "/XFA" (four bytes) likewise: it is a form dictionary's key, never stream data.
_SHORT = frozenset({b"JS", b"XFA"})
_NAMES = "|".join(re.escape(name.decode()) for name in sorted(_ACTIVE, key=len, reverse=True))
_NAME_RE = rb"(?P<name>/(?:" + _NAMES.encode() + rb"|ObjStm))(?!" + _REGULAR + rb")"
_ESCAPED_RE = rb"(?P<escaped>/" + _REGULAR_NO_ESCAPE + rb"*#" + _REGULAR + rb"*)"
# Each starts with a lookahead for the first bytes a match can have: it lets the
# engine skip every other byte quickly (four times faster over a 20 MB file).
_PDF_SCAN_RE = re.compile(
    rb"(?=[/es])(?:"
    + _NAME_RE
    + rb"|"
    + _ESCAPED_RE
    + rb"|(?P<end>endstream)|(?P<stream>(?<![A-Za-z])stream(?:\r\n|\n|\r)))"
)
_PDF_NAMES_RE = re.compile(rb"(?=/)(?:" + _NAME_RE + rb"|" + _ESCAPED_RE + rb")")
_HEX_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
_OBJ_RE = re.compile(rb"(?<![A-Za-z])obj(?![A-Za-z])")
_FILTER_RE = re.compile(rb"/Filter\s*(\[[^\]]*\]|/" + _REGULAR + rb"+)")
_FILTER_NAME_RE = re.compile(rb"/(" + _REGULAR + rb"+)")
_PREDICTOR_RE = re.compile(rb"/Predictor\s*(\d+)")


@dataclass(frozen=True)
class Checked:
    """An upload that passed every check: its real type, size and SHA-256."""

    kind: str  # "pdf", "docx" or "xlsx"
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return ACCEPTED[self.kind][0]

    @property
    def content_type(self) -> str:
        return ACCEPTED[self.kind][1]


def max_upload_bytes() -> int:
    return settings.DOCUMENT_MAX_UPLOAD_BYTES


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _size(size: int) -> str:
    return filesizeformat(size)


def _number(value: int) -> str:
    return languages.get(translation.get_language() or settings.LANGUAGE_CODE).format_number(value)


# Reading ---------------------------------------------------------------------


def _known_size(data) -> int | None:
    if isinstance(data, bytes | bytearray | memoryview):
        return len(data)
    size = getattr(data, "size", None)
    return size if isinstance(size, int) else None


def _is_seekable(fp) -> bool:
    try:
        return bool(fp.seekable())
    except (AttributeError, OSError, ValueError):
        return False


@contextlib.contextmanager
def _opened(data, limit: int):
    """The upload's bytes as a seekable file at its start, left at its start afterwards.

    A stream that cannot seek is copied (in memory, on disk past 8 MiB), never
    more than `limit` bytes of it.
    """
    if isinstance(data, bytes | bytearray | memoryview):
        yield io.BytesIO(data)
    elif _is_seekable(data):
        data.seek(0)
        try:
            yield data
        finally:
            data.seek(0)
    else:
        with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as copy:
            copied = 0
            while chunk := data.read(CHUNK):
                copied += len(chunk)
                if copied > limit:
                    raise _error("file_too_large_unknown", limit=_size(limit))
                copy.write(chunk)
            copy.seek(0)
            yield copy


def _measure(fp: IO[bytes], limit: int) -> tuple[int, str]:
    """(size, SHA-256), reading CHUNK bytes at a time and stopping past `limit`."""
    digest = hashlib.sha256()
    size = 0
    while chunk := fp.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise _error("file_too_large_unknown", limit=_size(limit))
        digest.update(chunk)
    fp.seek(0)
    return size, digest.hexdigest()


def _other_format(head: bytes) -> str | None:
    """Name a common format that is not a document the portal takes."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or (
        text.startswith(b"<") and (b"<html" in text or b"<script" in text)
    ):
        return "HTML"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "SVG"
    if text.startswith(b"<?xml"):
        return "XML"
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:5] == b"{\\rtf":
        return "RTF"
    if head[:4] == b"Rar!":
        return "RAR"
    if head[:4] == b"7z\xbc\xaf":
        return "7z"
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    return None


def check_upload(name: str, data, *, max_bytes: int | None = None) -> Checked:
    """Every check, cheapest first; raises ValidationError saying why a file is refused.

    `data` is bytes or a binary file (an UploadedFile). A seekable file is left at
    its start; nothing is written anywhere.
    """
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    # A size that is known (bytes, Django's uploads) refuses a file before it is read.
    known = _known_size(data)
    if known is not None and known > limit:
        raise _error("file_too_large", size=_size(known), limit=_size(limit))
    with _opened(data, limit) as fp:
        size, sha256 = _measure(fp, limit)
        if size == 0:
            raise _error("empty")
        head = fp.read(512)
        if head[:5] == b"%PDF-":
            _check_pdf(fp, size)
            kind = "pdf"
        elif head[:8] == _OLE2:
            raise _error("old_office")
        elif head[:4] in _ZIP_MAGICS:
            kind = _check_zip(fp, size, name or "")
        elif head.startswith(_PROGRAM_MAGICS):
            raise _error("program")
        elif other := _other_format(head):
            raise _error("other_format", format=other)
        else:
            raise _error("not_a_document")
    return Checked(kind=kind, size=size, sha256=sha256)


def stored_name(name: str, checked: Checked) -> str:
    """The upload's name with the extension of its real type: a PDF named .docx becomes .pdf."""
    stem = PurePath(name or "document").stem or "document"
    return f"{stem}.{checked.extension}"


# Zip: DOCX and XLSX -------------------------------------------------------------


def _zip_directory(fp: IO[bytes], size: int) -> tuple[int, int]:
    """(entries, central directory bytes) from the end record, before zipfile reads anything."""
    tail_length = min(size, 22 + 0xFFFF + 20)
    fp.seek(size - tail_length)
    tail = fp.read(tail_length)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _error("damaged")
    entries, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or directory == 0xFFFFFFFF:
        # Zip64: the real numbers are in the zip64 end record the locator points to.
        locator = tail[at - 20 : at] if at >= 20 else b""
        if locator[:4] != b"PK\x06\x07":
            raise _error("damaged")
        (offset,) = struct.unpack("<Q", locator[8:16])
        fp.seek(offset)
        record = fp.read(56)
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            raise _error("damaged")
        entries, directory = struct.unpack("<QQ", record[32:48])
    return entries, directory


def _check_zip(fp: IO[bytes], size: int, name: str) -> str:
    entries, directory = _zip_directory(fp, size)
    if entries > ZIP_MAX_ENTRIES or directory > ZIP_MAX_DIRECTORY_BYTES:
        raise _error("too_many_entries", limit=_number(ZIP_MAX_ENTRIES))
    fp.seek(0)
    try:
        with zipfile.ZipFile(fp) as archive:
            return _check_archive(archive, name)
    except ValidationError:
        raise
    except _ZIP_ERRORS as exc:
        raise _error("damaged") from exc


def _check_archive(archive: zipfile.ZipFile, name: str) -> str:
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _error("too_many_entries", limit=_number(ZIP_MAX_ENTRIES))
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise _error("other_format", format="OpenDocument" if "mimetype" in names else "ZIP")
    folders = {n.split("/", 1)[0] for n in names if "/" in n}
    if "word" in folders and "xl" not in folders:
        kind = "docx"
    elif "xl" in folders and "word" not in folders:
        kind = "xlsx"
    elif "ppt" in folders:
        raise _error("other_format", format="PowerPoint")
    else:
        raise _error("not_a_document")

    if PurePath(name).suffix.lower() in _MACRO_EXTENSIONS or any(
        marker.decode() in n.lower() for n in names for marker in _MACRO_MARKERS
    ):
        raise _error("macros")
    if any(info.flag_bits & 0x1 for info in infos):
        raise _error("encrypted")
    if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in infos):
        raise _error("damaged")

    # The sizes the directory declares; zipfile never unpacks more than them (the
    # pass below reads every part and checks its CRC, so a lie is found as damage).
    if sum(info.file_size for info in infos) > ZIP_MAX_UNPACKED_BYTES:
        raise _error("too_much_unpacked", limit=_size(ZIP_MAX_UNPACKED_BYTES))
    for info in infos:
        if info.file_size > ZIP_RATIO_FROM_BYTES and info.file_size > ZIP_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise _error("compression_ratio", limit=_number(ZIP_MAX_RATIO))
    if any("/embeddings/" in n.lower() for n in names):
        raise _error("nested")

    types = archive.getinfo("[Content_Types].xml")
    if types.file_size > CONTENT_TYPES_MAX_BYTES:
        raise _error("damaged")
    with archive.open(types) as part:
        declared = part.read(CONTENT_TYPES_MAX_BYTES).lower()
    if any(marker in declared for marker in _MACRO_MARKERS):
        raise _error("macros")

    unpacked = 0
    to_parse: list[tuple[zipfile.ZipInfo, str]] = []
    for info in infos:
        scan = _scan_kind(info.filename, kind)
        wanted = scan == "rels"
        with archive.open(info) as part:
            first = part.read(8)
            if first.startswith(_NESTED_MAGICS):
                raise _error("nested")
            unpacked += len(first)
            if scan is not None and not wanted:
                wanted = _SCAN_NEEDLES[scan].search(first) is not None
            previous = first
            while chunk := part.read(CHUNK):
                unpacked += len(chunk)
                if unpacked > ZIP_MAX_UNPACKED_BYTES:
                    raise _error("too_much_unpacked", limit=_size(ZIP_MAX_UNPACKED_BYTES))
                if scan is not None and not wanted:
                    wanted = (previous is first and not _plain_xml(first + chunk)) or (
                        _SCAN_NEEDLES[scan].search(previous[-8:] + chunk) is not None
                    )
                previous = chunk
        if wanted:
            to_parse.append((info, scan))

    if any(n.lower().startswith(_EXTERNAL_PARTS) for n in names):
        raise _error("external_content")
    # The relationships first: they are small, and say most.
    for info, scan in sorted(to_parse, key=lambda item: item[1] != "rels"):
        _parse_part(archive, info, scan)
    return kind


# Zip: what reaches outside ----------------------------------------------------------


def _scan_kind(name: str, kind: str) -> str | None:
    """How a part is read for what reaches outside: "rels", "fields", "formulas" or not at all."""
    lower = name.lower()
    if lower.endswith(".rels"):
        return "rels"
    if not lower.endswith(".xml"):
        return None
    if kind == "docx" and lower.startswith("word/"):
        return "fields"
    if kind == "xlsx" and (lower == "xl/workbook.xml" or lower.startswith("xl/worksheets/")):
        return "formulas"
    return None


def _plain_xml(start: bytes) -> bool:
    """Whether a part's first bytes show XML in UTF-8, whose bytes the needles find.

    Anything else (UTF-16, another declared encoding) is parsed whatever it holds.
    """
    start = start.removeprefix(b"\xef\xbb\xbf")
    if start.startswith(b"<?xml"):
        end = start.find(b"?>")
        if end < 0:
            return False
        declared = re.search(rb"encoding\s*=\s*[\"']([^\"']*)", start[:end])
        return declared is None or declared.group(1).lower() == b"utf-8"
    return start[:1] == b"<" and start[1:2] != b"\x00"


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _refuse_dtd(*_args) -> None:
    # Office's parts never declare a DTD: entities are how XML bombs and
    # file-reading tricks work.
    raise _error("damaged")


def _parse_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: str) -> None:
    """Read one part with expat, in chunks, refusing what reaches outside.

    Names are matched by their local part, whatever the prefix: Word and Excel read
    the elements of their own namespaces under any prefix, and matching more is
    only stricter. A part that is not well-formed XML is damaged.
    """
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    if scan == "rels":
        parser.StartElementHandler = _relationship
        reader = None
    elif scan == "fields":
        reader = _Fields(parser)
    else:
        reader = _Formulas(parser)
    try:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _error("damaged") from exc
    if reader is not None:
        reader.close()


def _relationship(name: str, attrs: dict[str, str]) -> None:
    if _local(name) != "Relationship":
        return
    values = {_local(key): value for key, value in attrs.items()}
    if values.get("Type", "").strip().lower().endswith("/hyperlink"):
        return
    if values.get("TargetMode", "").strip().lower() == "external" or _ADDRESS_RE.match(
        values.get("Target", "")
    ):
        raise _error("external_content")


def _check_field(instruction: str) -> None:
    if _EXTERNAL_FIELD_RE.match(instruction):
        raise _error("external_content")


class _Fields:
    """Word's fields: a simple field's instr attribute, and a complex field's instruction.

    A complex field is fldChar begin, its instruction in instrText runs (a name may
    be cut across several), fldChar separate, its result, fldChar end; fields nest.
    Only the start of each instruction is kept, enough to read the field's name.
    """

    def __init__(self, parser):
        self.parser = parser
        # The instruction so far of each open field; None once it has been read.
        self.fields: list[str | None] = []
        self.loose: str | None = None  # instruction text outside any field
        self.depth = 0  # instrText elements open
        parser.StartElementHandler = self.start

    def add(self, text: str) -> None:
        if self.fields and self.fields[-1] is not None:
            self.fields[-1] = _instruction(self.fields[-1], text)
        else:
            self.loose = _instruction(self.loose or "", text)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if not name.endswith(_FIELD_ELEMENTS):
            return
        local = _local(name)
        if local == "fldSimple":
            for key, value in attrs.items():
                if _local(key) == "instr":
                    _check_field(value)
        elif local == "fldChar":
            kind = next((v for k, v in attrs.items() if _local(k) == "fldCharType"), "")
            kind = kind.strip().lower()
            if kind == "begin":
                if self.fields and self.fields[-1] == "":
                    # The outer field's name would be this field's result: Word reads
                    # it so, and what it will be cannot be known here.
                    raise _error("external_content")
                self.fields.append("")
            elif kind in ("separate", "end") and self.fields:
                if self.fields[-1] is not None:
                    _check_field(self.fields[-1])
                    self.fields[-1] = None
                if kind == "end":
                    self.fields.pop()
        elif local in ("instrText", "delInstrText"):
            self.depth += 1
            self.parser.CharacterDataHandler = self.add
            self.parser.EndElementHandler = self.end

    def end(self, name: str) -> None:
        if _local(name) not in ("instrText", "delInstrText"):
            return
        self.depth -= 1
        if self.depth == 0:
            self.parser.CharacterDataHandler = None
            self.parser.EndElementHandler = None
            if self.loose is not None:
                _check_field(self.loose)
                self.loose = None

    def close(self) -> None:
        for instruction in self.fields:
            if instruction is not None:
                _check_field(instruction)


def _instruction(so_far: str, text: str) -> str:
    if not so_far:
        text = text.lstrip()
    return (so_far + text)[:_FIELD_NAME_CHARACTERS]


class _Formulas:
    """Excel's formulas (cells, defined names, conditional formats, validations).

    The text of nested formula elements (a validation's formula1 holding an f) is
    read as one formula: nothing inside one is left unread.
    """

    def __init__(self, parser):
        self.parser = parser
        self.text: list[str] = []
        self.length = 0
        self.depth = 0  # formula elements open
        parser.StartElementHandler = self.start

    def start(self, name: str, _attrs) -> None:
        if name.endswith(_FORMULA_ELEMENTS) and _local(name) in _FORMULA_ELEMENTS:
            if self.depth == 0:
                self.text, self.length = [], 0
                self.parser.CharacterDataHandler = self.add
                self.parser.EndElementHandler = self.end
            self.depth += 1

    def add(self, text: str) -> None:
        self.length += len(text)
        if self.length > _FORMULA_MAX_CHARACTERS:
            raise _error("damaged")
        self.text.append(text)

    def end(self, name: str) -> None:
        if _local(name) not in _FORMULA_ELEMENTS:
            return
        self.depth -= 1
        if self.depth == 0:
            self.parser.CharacterDataHandler = None
            self.parser.EndElementHandler = None
            if _dde_formula("".join(self.text)):
                raise _error("external_content")

    def close(self) -> None:
        pass


def _dde_formula(formula: str) -> bool:
    """Whether a formula calls DDE: ``app|'topic'!item``, as in ``cmd|' /c calc'!A0``.

    Outside string literals ("a|b"), quoted sheet or book names ('A|B'!A1) and
    brackets (structured references, [1] for a linked book), a bar means nothing
    else in Excel's formulas, so any bar left is refused.
    """
    at, length, depth = 0, len(formula), 0
    while at < length:
        char = formula[at]
        if depth:
            if char == "'":
                at += 1  # an escaped character in a structured reference
            elif char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
        elif char == '"' or char == "'":
            # A string or a quoted name; a doubled quote inside is one quote.
            end = at + 1
            while (end := formula.find(char, end)) >= 0 and formula[end + 1 : end + 2] == char:
                end += 2
            if end < 0:
                return False  # unterminated: Excel cannot read the formula
            at = end
            if char == "'" and formula[at + 1 :].lstrip().startswith("|"):
                return True  # a quoted application name
        elif char == "[":
            depth = 1
        elif char == "|":
            return True
        at += 1
    return False


# PDF ---------------------------------------------------------------------------


def _windows(fp: IO[bytes], start: int, end: int):
    """[start, end) in chunks, each read with OVERLAP bytes on both sides.

    Yields (offset of the window, window, where its own chunk begins and ends in
    it, whether it reaches `end`). A match that begins in the chunk and is shorter
    than OVERLAP lies wholly in the window, with the bytes around it for look-arounds.
    """
    pos = start
    while pos < end:
        chunk_end = min(pos + CHUNK, end)
        low, high = max(start, pos - OVERLAP), min(end, chunk_end + OVERLAP)
        fp.seek(low)
        window = fp.read(high - low)
        yield low, window, pos - low, chunk_end - low, high >= end
        pos = chunk_end


def _matches(fp: IO[bytes], pattern: re.Pattern, start: int, end: int):
    """(absolute position, match) of every match of `pattern` beginning in [start, end)."""
    for low, window, first, last, final in _windows(fp, start, end):
        for match in pattern.finditer(window):
            if not first <= match.start() < last:
                continue
            if match.end() == len(window) and not final:
                continue  # longer than OVERLAP and cut by the window: not a name we look for
            yield low + match.start(), match


def _pdf_name(match: re.Match) -> bytes | None:
    """The name a scan match stands for, escapes read (/J#61vaScript is /JavaScript)."""
    if match.lastgroup == "name":
        return match.group()[1:]
    if match.lastgroup == "escaped":
        raw = match.group()[1:]
        if len(raw) > OVERLAP:
            return None
        return _HEX_ESCAPE_RE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return None


def _names_in(buffer: bytes, *, final: bool):
    """The names looked for in an unpacked object stream (a name cut at the end waits)."""
    for match in _PDF_NAMES_RE.finditer(buffer):
        if match.end() == len(buffer) and not final:
            continue
        yield _pdf_name(match)


def _refuse_active(names, *, short: bool) -> None:
    """Refuse the first active name; an encrypted file first, since nothing else can be read."""
    codes = {_ACTIVE[n] for n in names if n in _ACTIVE and (short or n not in _SHORT)}
    for code in ("encrypted", "pdf_script", "pdf_launch", "pdf_attachment", "pdf_form_script"):
        if code in codes:
            raise _error(code)


def _check_pdf(fp: IO[bytes], size: int) -> None:
    fp.seek(max(0, size - 1024))
    if b"%%EOF" not in fp.read(1024):
        raise _error("damaged")  # cut short: an interrupted upload or copy
    names: list[tuple[int, bytes]] = []
    streams: list[int] = []  # where each stream's data begins
    ends: list[int] = []
    for pos, match in _matches(fp, _PDF_SCAN_RE, 0, size):
        if match.lastgroup == "stream":
            streams.append(pos + len(match.group()))
        elif match.lastgroup == "end":
            ends.append(pos)
        elif (found := _pdf_name(match)) is not None and (found in _ACTIVE or found == b"ObjStm"):
            names.append((pos, found))

    # Stream data runs from after `stream` to the next `endstream`.
    data: list[tuple[int, int]] = []
    for start in streams:
        if data and start < data[-1][1]:
            continue
        index = bisect.bisect_left(ends, start)
        data.append((start, ends[index] if index < len(ends) else size))
    starts = [start for start, _end in data]

    def between_streams(pos: int) -> bool:
        index = bisect.bisect_right(starts, pos) - 1
        return index < 0 or pos >= data[index][1]

    _refuse_active([n for _pos, n in names], short=False)
    _refuse_active([n for pos, n in names if between_streams(pos)], short=True)

    budget = PDF_MAX_OBJECT_STREAM_BYTES
    for pos, found in names:
        if found == b"ObjStm":
            budget = _check_object_stream(fp, size, pos, streams, ends, budget)


def _check_object_stream(
    fp: IO[bytes], size: int, pos: int, streams: list[int], ends: list[int], budget: int
) -> int:
    """Unpack the object stream whose dictionary names /ObjStm at `pos` and scan it.

    Answers what is left of the budget. Anything that keeps its content from being
    read the way a viewer reads it (another filter, a predictor, a dictionary out
    of reach) refuses the file: what cannot be checked is not accepted.
    """
    index = bisect.bisect_right(streams, pos)
    if index == len(streams):
        raise _error("pdf_unchecked")
    data_start = streams[index]
    fp.seek(max(0, pos - PDF_MAX_DICTIONARY_BYTES))
    before = fp.read(pos - max(0, pos - PDF_MAX_DICTIONARY_BYTES))
    objects = list(_OBJ_RE.finditer(before))
    if data_start - pos > PDF_MAX_DICTIONARY_BYTES or not objects:
        raise _error("pdf_unchecked")
    after = fp.read(data_start - pos)
    dictionary = _HEX_ESCAPE_RE.sub(
        lambda m: bytes([int(m.group(1), 16)]), before[objects[-1].end() :] + after
    )
    filters: list[bytes] = []
    if b"/Filter" in dictionary:
        declared = _FILTER_RE.search(dictionary)
        if declared is None:
            raise _error("pdf_unchecked")  # an indirect /Filter
        filters = _FILTER_NAME_RE.findall(declared.group(1))
    if filters not in ([], [b"FlateDecode"], [b"Fl"]):
        raise _error("pdf_unchecked")
    predictor = _PREDICTOR_RE.search(dictionary)
    if predictor and int(predictor.group(1)) > 1:
        raise _error("pdf_unchecked")
    if (
        b"/DecodeParms" in dictionary
        and not predictor
        and b"<<" not in dictionary.split(b"/DecodeParms", 1)[1][:8]
    ):
        raise _error("pdf_unchecked")  # parameters held elsewhere: an indirect reference

    end_index = bisect.bisect_left(ends, data_start)
    data_end = ends[end_index] if end_index < len(ends) else size
    if not filters:
        for _pos, match in _matches(fp, _PDF_NAMES_RE, data_start, data_end):
            _refuse_active([_pdf_name(match)], short=True)
        return budget

    unpacker = zlib.decompressobj()
    fp.seek(data_start)
    remaining = data_end - data_start
    pending = b""
    tail = b""
    try:
        while not unpacker.eof:
            if not pending:
                pending = fp.read(min(CHUNK, remaining))
                remaining -= len(pending)
                if not pending:
                    break
            out = unpacker.decompress(pending, CHUNK)
            pending = unpacker.unconsumed_tail
            budget -= len(out)
            if budget < 0:
                raise _error("pdf_unchecked")
            buffer = tail + out
            _refuse_active(list(_names_in(buffer, final=False)), short=True)
            tail = buffer[-OVERLAP:]
    except zlib.error as exc:
        raise _error("damaged") from exc
    _refuse_active(list(_names_in(tail, final=True)), short=True)
    return budget
