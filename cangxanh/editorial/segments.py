"""An article body as translation segments: one per paragraph, heading, list item,
quote, caption or table cell, and one per picture's alt text, in document order.

The translation desk shows the original's segments beside the translation's, and an
XLIFF job carries them to an agency. A translation is put back together on the
original's layout (`fill`): the same blocks, each holding the translated words, so
structure, links and images survive translation untouched.
"""

import difflib
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import lxml.html
from django.utils.translation import gettext as _

# Elements whose words are one segment (when no other block sits inside them).
TEXT_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "figcaption",
    "caption",
    "th",
    "td",
    "dt",
    "dd",
}
BLOCKS = TEXT_BLOCKS | {"ul", "ol", "dl", "table", "thead", "tbody", "tr", "figure", "div", "hr"}
# What may appear inside a segment.
INLINE = {"strong", "em", "b", "i", "u", "s", "sub", "sup", "a", "br", "code", "img"}
VOID = {"br", "img"}
CUT_TAG = re.compile(r"<[A-Za-z/][^>]*$")
# A picture standing among the blocks (a figure's, as the editor inserts them): its alt
# text is a segment of its own, plain text. A picture inside a paragraph travels with
# that paragraph's markup instead.
PICTURE = "img"


@dataclass(frozen=True)
class Segment:
    tag: str
    html: str  # the inner HTML

    @property
    def text(self) -> str:
        return plain_text(self.html)


def _root(markup: str):
    return lxml.html.fragment_fromstring(markup or "", create_parent="div")


def _is_segment(element) -> bool:
    if not isinstance(element.tag, str) or element.tag not in TEXT_BLOCKS:
        return False
    return not any(
        isinstance(child.tag, str) and child.tag in BLOCKS for child in element.iterdescendants()
    )


def _is_picture(element) -> bool:
    if element.tag != PICTURE or not (element.get("alt") or "").strip():
        return False
    return not any(
        isinstance(parent.tag, str) and parent.tag in TEXT_BLOCKS
        for parent in element.iterancestors()
    )


def _segment_elements(root):
    return [el for el in root.iter() if el is not root and (_is_segment(el) or _is_picture(el))]


def _words(element) -> str:
    """A segment element's words as the desk and XLIFF show them."""
    if element.tag == PICTURE:
        return html.escape(" ".join(element.get("alt", "").split()), quote=False)
    return inner_html(element)


def inner_html(element) -> str:
    parts = [html.escape(element.text or "", quote=False)]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in element]
    return "".join(parts).strip()


def split(markup: str) -> list[Segment]:
    """The body's segments; empty blocks are skipped."""
    segments = []
    for element in _segment_elements(_root(markup)):
        content = _words(element)
        if plain_text(content):
            segments.append(Segment(element.tag, content))
    return segments


def align(original: list[Segment], translation: list[Segment]) -> list[str]:
    """The translation's words for each of the original's segments ("" where it has
    none), matched by the order of their kinds: a translation that left a paragraph
    out (fill drops it) still lines up with the segments that follow."""
    words = [""] * len(original)
    matcher = difflib.SequenceMatcher(
        None, [s.tag for s in original], [s.tag for s in translation], autojunk=False
    )
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            words[block.a + offset] = translation[block.b + offset].html
    return words


def fill(markup: str, translated: list[str]) -> str:
    """`markup`'s layout with its non-empty segments' words replaced, in order.

    Segments left empty in `translated` are dropped (an untranslated paragraph is
    not shown in the original language); missing trailing ones likewise.
    """
    root = _root(markup)
    elements = [el for el in _segment_elements(root) if plain_text(_words(el))]
    for index, element in enumerate(elements):
        words = translated[index].strip() if index < len(translated) else ""
        if element.tag == PICTURE:
            # A picture is never dropped: untranslated, it keeps the original's alt text.
            if plain_text(words):
                element.set("alt", plain_text(words))
            continue
        if not plain_text(words):
            element.drop_tree()
            continue
        for child in list(element):
            element.remove(child)
        pieces = lxml.html.fragments_fromstring(words)
        element.text = pieces[0] if pieces and isinstance(pieces[0], str) else None
        for piece in pieces:
            if not isinstance(piece, str):
                element.append(piece)
    _drop_emptied(root)
    return inner_html(root)


CONTAINERS = {"ul", "ol", "dl", "table", "thead", "tbody", "tr", "blockquote", "li"}


def _drop_emptied(root) -> None:
    """Remove lists, tables and quotes that dropping untranslated segments left empty."""
    for element in reversed(list(root.iter())):
        if element is root or element.tag not in CONTAINERS:
            continue
        if len(element) == 0 and not (element.text or "").strip():
            element.drop_tree()


def plain_text(markup: str) -> str:
    if not markup or not markup.strip():
        return ""
    return " ".join(
        lxml.html.fragment_fromstring(markup, create_parent="div").text_content().split()
    )


class _InlineChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in INLINE:
            self.errors.append(_("“<%(tag)s>” is not allowed inside a paragraph.") % {"tag": tag})
        elif tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in INLINE:
            self.errors.append(_("“<%(tag)s>” is not allowed inside a paragraph.") % {"tag": tag})

    def handle_endtag(self, tag):
        if tag in VOID or tag not in INLINE:
            return  # a disallowed tag is reported where it opens
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(_("“</%(tag)s>” closes a tag that is not open.") % {"tag": tag})
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def markup_errors(inner: str) -> list[str]:
    """What is wrong with the markup of one translated segment (empty when it is sound)."""
    checker = _InlineChecker()
    checker.feed(inner or "")
    checker.close()
    if CUT_TAG.search(inner or ""):
        checker.errors.append(_("A tag is cut off."))
    checker.errors += [
        _("“<%(tag)s>” is opened but never closed.") % {"tag": tag} for tag in checker.stack
    ]
    return checker.errors
