"""What an article body may contain: the editor's configuration and the allowlist derived from it.

`EXTENSIONS` is the one definition of what an editor can make in a body
(django-prose-editor, ProseMirror underneath). The allowlist the cleaner
(`sanitize.py`) keeps is derived from it by django-prose-editor's own
`allowlist_from_extensions`, so the editor offers nothing that cleaning would
remove and cleaning keeps nothing the editor cannot make. Where ours differs
from the package's derivation, `_derive` says how and why.

Two addresses are judged here, for the cleaner and the body's form field
(`editor.py`) alike: `is_acceptable_link` (a link's href) and
`is_library_src` (an image's src: only files of our image library, so a
reader's browser loads nothing from elsewhere). One attribute comes from
outside the editor: a block's anchor id (`ANCHOR_TAGS`, `is_anchor_id`).

This module imports neither the cleaner nor the form field; both read it.
"""

import re
import unicodedata
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django_prose_editor.config import allowlist_from_extensions

EXTENSIONS: dict[str, Any] = {
    # Paragraphs, the document and the undo history are always on.
    # The article's title is the page's <h1>; the body starts at <h2>.
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    # No underline: on the web underlined text reads as a link.
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    # No "open in a new window": readers decide where a link opens.
    "Link": {"enableTarget": False},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    # An image with an optional caption: <figure><img><figcaption>.
    "Figure": True,
    "Caption": True,
    "Image": True,
    # Show no-break spaces and soft hyphens, which pasted text is full of.
    "SpecialCharacters": True,
    "Fullscreen": True,
    # The package turns the browser's spell checking off by default; writers want it.
    "NoSpellCheck": False,
}

# Extensions that change how one edits, never the HTML. django-prose-editor
# 0.28.0 has no allowlist processor for Fullscreen, so they stay out of the derivation.
_NO_MARKUP = {"Fullscreen"}

# The editor itself would accept a few more (tel:, ftp:); the form field
# refuses those with a message rather than let cleaning drop them unseen.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
CELL_ALIGNMENTS = frozenset({"left", "center", "right"})
# Every link gets this rel, set by the cleaner; whatever rel a paste carried is replaced.
LINK_REL = "noopener noreferrer"


def _derive() -> tuple[frozenset[str], dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    derived = allowlist_from_extensions(
        {name: config for name, config in EXTENSIONS.items() if name not in _NO_MARKUP}
    )
    tags = set(derived["tags"])
    attributes = {tag: set(names) for tag, names in derived["attributes"].items()}
    classes = {tag: set(names) for tag, names in derived.get("allowed_classes", {}).items()}

    def narrow(tag: str, name: str) -> None:
        attributes.get(tag, set()).discard(name)

    # Narrower than the package's derivation, because of our configuration:
    # - the cleaner sets rel on every link (LINK_REL), so a pasted rel is not kept;
    narrow("a", "rel")
    # - the editor writes every row of a table into one <tbody>, never a <thead>;
    tags.discard("thead")
    # - data-file is written only by a file picker, and none is configured;
    narrow("img", "data-file")
    # - Figure and Caption write one class each, not any class.
    narrow("figure", "class")
    for tag, name in (("figure", "figure"), ("figcaption", "figure-caption")):
        if tag in tags:
            classes.setdefault(tag, set()).add(name)
    # Wider: a cell keeps the alignment a pasted table gave it, which tiptap
    # writes as style="text-align: right;". The cleaner keeps that one property
    # (CELL_ALIGNMENTS) and nothing else a style may say.
    for tag in {"td", "th"} & tags:
        attributes.setdefault(tag, set()).add("style")
    return (
        frozenset(tags),
        {tag: frozenset(names) for tag, names in attributes.items() if names},
        {tag: frozenset(names) for tag, names in classes.items()},
    )


ALLOWED_TAGS, ALLOWED_ATTRIBUTES, ALLOWED_CLASSES = _derive()

# Not the editor's: a consultation's draft carries a stable id on each block
# (`consultations/anchors.py`), so that a comment points at its paragraph from
# one version of the draft to the next. The editor drops these ids (matching
# puts them back); the cleaner keeps one only on these blocks and only in the
# form `is_anchor_id` accepts, so a body can never take one of the page's own
# ids ("main", "login") or become the target of its fragments.
ANCHOR_TAGS = frozenset({"p", "h2", "h3", "h4", "li", "blockquote"}) & ALLOWED_TAGS
_ANCHOR_ID = re.compile(r"p-[0-9a-f]{8}")


def is_anchor_id(value: str) -> bool:
    """Whether `value` is a block's anchor exactly: "p-" and 8 lowercase hex digits."""
    return _ANCHOR_ID.fullmatch(value) is not None


def _is_control(character: str) -> bool:
    return character < " " or character == "\x7f"


def is_acceptable_link(href: str) -> bool:
    """Whether a link's address (as parsed, entities decoded) may be kept.

    An address on this site starts with "#", "?", or "/" followed by neither
    "/" nor a backslash (a browser reads both as another host). Any other
    address names its scheme before the first ":", in any case, and it must be
    one of URL_SCHEMES. No control character anywhere: browsers drop tabs and
    line ends inside an address, which is how "java<tab>script:" hides, and
    nothing is trimmed first (" javascript:" is refused as typed).
    """
    if not href or any(_is_control(c) for c in href):
        return False
    if href.startswith(("#", "?")):
        return True
    if href.startswith("/"):
        return not href.startswith(("//", "/\\"))
    scheme, colon, _rest = href.partition(":")
    return bool(colon) and scheme.lower() in URL_SCHEMES


# Characters a library path may hold besides ASCII letters and digits and
# non-ASCII letters, marks and digits (an uploaded file's name keeps its
# Vietnamese letters): RFC 3986's unreserved and sub-delims, ":" and "@".
_PATH_PUNCTUATION = frozenset("-._~!$&'()*+,;=:@")
_HEX = frozenset("0123456789abcdefABCDEF")


def _is_path_segment(segment: str) -> bool:
    index = 0
    while index < len(segment):
        character = segment[index]
        if character == "%":
            escape = segment[index + 1 : index + 3]
            if len(escape) != 2 or not set(escape) <= _HEX:
                return False
            index += 3
            continue
        if character.isascii():
            if not (character.isalnum() or character in _PATH_PUNCTUATION):
                return False
        elif unicodedata.category(character)[0] not in "LMN":
            return False
        index += 1
    # Percent escapes must not hide what the path may not say: a dot segment
    # (browsers resolve "%2e%2e" as ".."), a slash, a backslash or a control.
    decoded = unquote(segment)
    return decoded not in {".", ".."} and not any(c in "/\\" or _is_control(c) for c in decoded)


def library_prefixes() -> tuple[str, ...]:
    """The addresses our image library's files start with: MEDIA_URL, and the same on SITE_URL."""
    media_url = settings.MEDIA_URL
    if not media_url:
        return ()  # no media storage configured: nothing is a library image
    prefixes = [media_url]
    if settings.SITE_URL and media_url.startswith("/") and not media_url.startswith("//"):
        prefixes.append(settings.SITE_URL + media_url)
    return tuple(prefixes)


def is_library_src(src: str) -> bool:
    """Whether an image's address (as parsed, entities decoded) is a file of our image library.

    A library src is one of `library_prefixes()` (MEDIA_URL, or SITE_URL +
    MEDIA_URL when MEDIA_URL is a path on this site), exactly as written,
    followed by a path: one or more segments joined by single "/", each made of
    ASCII letters and digits, "-._~!$&'()*+,;=:@", percent escapes, or
    non-ASCII letters, marks and digits. No segment is empty, "." or "..", or
    becomes one through percent escapes, and no escape stands for "/", a
    backslash or a control character; there is no query or fragment, no
    whitespace or control character anywhere (not even at the ends: nothing is
    trimmed), no backslash. So an image can only ever load a file under
    MEDIA_URL: never another host ("//host", "\\\\host"), never another address
    of this site ("/media/../admin/"), never a data: or javascript: URL.
    """
    return any(
        src.startswith(prefix)
        and all(segment and _is_path_segment(segment) for segment in src[len(prefix) :].split("/"))
        for prefix in library_prefixes()
    )
