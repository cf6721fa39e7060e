"""The one HTML cleaner for article bodies.

Whatever arrives (the editor's output, text pasted from Word, LibreOffice or
Google Docs as the browser received it, the demo loader, an import) goes
through three steps:

1. nh3 reads it as a browser would (html5ever), into well-formed HTML:
   comments go (Word's conditional ones too), <style> and <script> go with
   their contents, and elements nobody needs go but keep their text. Links
   and images whose address `allowlist` refuses lose it here already.
2. `_tidy` turns what word processors mean into what our editor makes: bold
   and italic spans into <strong> and <em>, Word's list paragraphs into lists,
   a bold first table row into header cells, other heading levels into ours,
   Google Docs' wrapper away. It drops what they leave behind: empty
   paragraphs, runs of no-break spaces, stray breaks, images without an
   address. It makes the result tidy, not safe.
3. nh3 again, with the allowlist derived from the editor's configuration
   (`allowlist.py`). This is the gate: nothing outside it survives, and no
   link or image whose address `allowlist` refuses. Blocks keep an anchor id
   (`id="p-0123abcd"`, `allowlist.is_anchor_id`) and no other id.

`references` lists a body's link and image addresses as step 1 reads the
body, for the form field to refuse what cleaning would drop: it must see the
document the cleaner sees, not another parser's idea of it.

`top_level_blocks` cuts a stored body into its top-level elements.

No database: models' save and the demo loader call `sanitize_html` too.
"""

import contextlib
import functools
import re
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from . import allowlist

if TYPE_CHECKING:
    import nh3

# Removed together with everything inside them, never left behind as text.
CONTENT_DROPPED = frozenset(
    {"script", "style", "title", "xml", "template", "noscript", "iframe", "object", "svg", "math"}
    | {"button", "select", "textarea"}
)
# What step 1 keeps so that step 2 can read what a word processor meant.
_READ_TAGS = frozenset(
    {"b", "i", "u", "span", "font", "strike", "del", "ins", "h1", "h5", "h6", "caption"}
)
_WRAPPERS = frozenset(
    {"div", "section", "article", "header", "footer", "main", "aside", "nav", "center"}
)
_READ_ATTRIBUTES = {
    "p": {"class", "style"},
    "span": {"style"},
    "font": {"style"},
    "b": {"style", "id"},
    "i": {"style"},
}

_VOID = frozenset({"br", "hr", "img"})
_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "hr", "table"}
    | {"thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption"}
    | _WRAPPERS
)
# Blocks without text are dropped; table cells stay, or the table would lose its shape.
_DROPPED_WHEN_EMPTY = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "ul", "ol", "figcaption"}
    | {"caption", "tr"}
    | {"thead", "tbody", "tfoot"}
)
# Inline elements without text are replaced by the whitespace they held.
_INLINE_MARKS = frozenset({"strong", "em", "s", "sub", "sup", "a"})

_WORD_LIST = re.compile(r"mso-list:\s*l\d+\s+level(\d+)", re.IGNORECASE)
_ORDERED_MARKER = re.compile(r"^\(?(?:\d{1,3}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})[.)]$")
# A Word list paragraph after a browser has read it: the marker Word wrote for
# browsers that cannot show its lists, then the no-break spaces that indented it.
_TYPED_MARKER = re.compile(
    r"^\s*(\(?(?:\d{1,3}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})[.)]|[·•▪◦§o\-–*])\u00a0{2,}\s*"
)


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["_Element | str"] = field(default_factory=list)
    # (ordered, level) for a Word list paragraph; True for a Word quote paragraph.
    list_item: tuple[bool, int] | None = None
    quote: bool = False


class _TreeBuilder(HTMLParser):
    """Reads nh3's output, which is well-formed, into a small tree."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _serialize(nodes: list) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(escape(node, quote=False))
            continue
        attrs = "".join(f' {name}="{escape(value)}"' for name, value in node.attrs.items())
        out.append(f"<{node.tag}{attrs}>")
        if node.tag not in _VOID:
            out.append(_serialize(node.children))
            out.append(f"</{node.tag}>")
    return "".join(out)


def _style(element: _Element) -> dict[str, str]:
    declarations = {}
    for declaration in element.attrs.get("style", "").split(";"):
        name, _, value = declaration.partition(":")
        if value:
            declarations[name.strip().lower()] = value.strip().lower()
    return declarations


def _text(nodes: list) -> str:
    return "".join(node if isinstance(node, str) else _text(node.children) for node in nodes)


def _has_content(nodes: list) -> bool:
    for node in nodes:
        if isinstance(node, str):
            if node.strip():
                return True
        elif node.tag in {"img", "hr", "td", "th"} or _has_content(node.children):
            return True
    return False


def _is_bold(value: str) -> bool:
    return value in {"bold", "bolder"} or (value.isdigit() and int(value) >= 600)


def _marks(style: dict[str, str]) -> list[str]:
    """The marks a word processor's inline style stands for, outermost first."""
    marks = []
    if _is_bold(style.get("font-weight", "")):
        marks.append("strong")
    if style.get("font-style") in {"italic", "oblique"}:
        marks.append("em")
    if "line-through" in style.get("text-decoration", "") + style.get("text-decoration-line", ""):
        marks.append("s")
    if style.get("vertical-align") in {"super", "sub"}:
        marks.append("sup" if style["vertical-align"] == "super" else "sub")
    return marks


def _wrap(marks: list[str], nodes: list) -> list:
    for mark in reversed(marks):
        nodes = [_Element(mark, {}, nodes)]
    return nodes


def _take_word_marker(paragraph: _Element) -> str | None:
    """Remove the list marker Word wrote into a list paragraph; return it."""

    def find(nodes):
        for index, node in enumerate(nodes):
            if isinstance(node, str):
                continue
            if _style(node).get("mso-list") == "ignore":
                del nodes[index]
                return _text(node.children)
            if (found := find(node.children)) is not None:
                return found
        return None

    return find(paragraph.children)


def _strip_typed_marker(paragraph: _Element) -> str | None:
    nodes = paragraph.children
    while nodes and not isinstance(nodes[0], str) and nodes[0].tag in _INLINE_MARKS:
        nodes = nodes[0].children  # a marker inside bold text is still a marker
    if nodes and isinstance(nodes[0], str) and (match := _TYPED_MARKER.match(nodes[0])):
        nodes[0] = nodes[0][match.end() :]
        return match.group(1)
    return None


def _merge_text(nodes: list) -> list:
    merged: list = []
    for node in nodes:
        if isinstance(node, str) and merged and isinstance(merged[-1], str):
            merged[-1] += node
        elif not (isinstance(node, str) and node == ""):
            merged.append(node)
    return merged


def _squeeze(text: str) -> str:
    # One space for any run of spaces, tabs, line ends and no-break spaces; a
    # single no-break space is the writer's own ("10 km") and stays.
    return re.sub(r"\s{2,}", " ", re.sub(r"[\t\n\r\f\v]", " ", text))


def _trim(nodes: list, *, end: bool) -> None:
    """Strip whitespace (no-break spaces included) and breaks at one end of a block."""
    while nodes:
        index = -1 if end else 0
        node = nodes[index]
        if isinstance(node, str):
            stripped = node.rstrip() if end else node.lstrip()
            if stripped:
                nodes[index] = stripped
                return
            del nodes[index]
        elif node.tag == "br":
            del nodes[index]
        elif node.tag in _INLINE_MARKS:
            _trim(node.children, end=end)
            if node.children:
                return
            del nodes[index]
        else:
            return


def _group_lists(nodes: list) -> list:
    """Word's list paragraphs (each a <p> with a level) into nested lists."""
    out: list = []
    stack: list[tuple[int, _Element]] = []  # (level, list element)
    for node in nodes:
        if isinstance(node, str) and not node.strip() and stack:
            continue
        if isinstance(node, str) or node.list_item is None:
            stack = []
            out.append(node)
            continue
        ordered, level = node.list_item
        kind = "ol" if ordered else "ul"
        while stack and stack[-1][0] > level:
            stack.pop()
        if stack and stack[-1][0] == level and stack[-1][1].tag != kind:
            stack.pop()  # a numbered list right after a bulleted one, or the reverse
        if not stack or stack[-1][0] < level:
            new_list = _Element(kind)
            if stack and stack[-1][1].children:
                stack[-1][1].children[-1].children.append(new_list)
            else:
                out.append(new_list)
            stack.append((level, new_list))
        node.list_item = None
        stack[-1][1].children.append(_Element("li", {}, [node]))
    return out


def _merge_quotes(nodes: list) -> list:
    out: list = []
    for node in nodes:
        if isinstance(node, _Element) and node.quote:
            previous = next(
                (n for n in reversed(out) if not (isinstance(n, str) and not n.strip())), None
            )
            if isinstance(previous, _Element) and previous.quote:
                while out[-1] is not previous:
                    out.pop()
                previous.children.extend(node.children)
                continue
        out.append(node)
    return out


def _wrap_inline_runs(nodes: list) -> list:
    """Text and inline elements directly among blocks go into paragraphs, as the editor does."""
    out: list = []
    run: list = []

    def flush():
        meaningful = [
            n
            for n in run
            if not (isinstance(n, str) and not n.strip())
            and not (isinstance(n, _Element) and n.tag == "br")
        ]
        if meaningful and all(isinstance(n, _Element) and n.tag == "img" for n in meaningful):
            out.extend(meaningful)  # an image of the editor's stands on its own
        elif _has_content(meaningful):
            paragraph = _Element("p", {}, run[:])
            _finish_host(paragraph)
            out.append(paragraph)
        elif any(isinstance(n, str) and "\n" in n for n in run):
            out.append("\n")
        run.clear()

    for node in nodes:
        if isinstance(node, _Element) and node.tag in _BLOCKS:
            flush()
            out.append(node)
        else:
            run.append(node)
    flush()
    return out


def _squeeze_inline(nodes: list) -> list:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_squeeze(node))
        else:
            if node.tag not in _BLOCKS:
                node.children = _squeeze_inline(node.children)
            out.append(node)
    return _merge_text(out)


def _finish_host(element: _Element) -> None:
    """A block that holds text: tidy its whitespace and breaks at both ends."""
    element.children = _squeeze_inline(element.children)
    _trim(element.children, end=False)
    _trim(element.children, end=True)


def _finish_container(element: _Element) -> None:
    """A block that holds blocks: whitespace between them and loose breaks go."""
    element.children = [
        node
        for node in element.children
        if not (isinstance(node, str) and not node.strip())
        and not (isinstance(node, _Element) and node.tag == "br")
    ]


def _tidy_list(element: _Element) -> None:
    """Only <li> inside a list; a list nested directly in a list joins the item before it."""
    items: list = []
    for node in element.children:
        if isinstance(node, str):
            if node.strip():
                items.append(_Element("li", {}, [node.strip()]))
        elif node.tag == "li":
            items.append(node)
        elif node.tag in {"ul", "ol"} and items:
            items[-1].children.append(node)
        elif node.tag != "br":
            items.append(_Element("li", {}, [node]))
    element.children = items


def _unbold(nodes: list) -> list:
    out: list = []
    for node in nodes:
        if isinstance(node, _Element):
            node.children = _unbold(node.children)
            if node.tag == "strong":
                out.extend(node.children)
                continue
        out.append(node)
    return _merge_text(out)


def _all_bold(nodes: list, bold: bool = False) -> bool:
    for node in nodes:
        if isinstance(node, str):
            if node.strip() and not bold:
                return False
        elif not _all_bold(node.children, bold or node.tag == "strong"):
            return False
    return True


def _header_row(table: _Element) -> None:
    """A first row in bold, as word processors write a header row, becomes header cells."""
    rows = table.children[0].children if table.children else []
    if len(rows) < 2:
        return
    cells = [n for n in rows[0].children if isinstance(n, _Element) and n.tag in {"td", "th"}]
    if cells and all(
        c.tag == "th" or (_has_content(c.children) and _all_bold(c.children)) for c in cells
    ):
        for cell in cells:
            cell.tag = "th"
            cell.children = _unbold(cell.children)


def _tidy_nodes(nodes: list) -> list:
    out: list = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        else:
            out.extend(_tidy_element(node))
    return _merge_quotes(_group_lists(_merge_text(out)))


def _tidy_element(element: _Element) -> list:
    """The element, tidied, as the nodes that take its place."""
    # Word's list paragraph: its marker must go before its spans are unwrapped.
    level = _WORD_LIST.search(element.attrs.get("style", "")) if element.tag == "p" else None
    if level and (marker := _take_word_marker(element)) is not None:
        marker = marker.replace("\u00a0", " ").strip()
        element.list_item = (bool(_ORDERED_MARKER.match(marker)), int(level.group(1)))
    element.children = _tidy_nodes(element.children)
    replaced = _read_word_processor(element)
    return replaced if replaced is not None else _finish(element)


def _read_word_processor(element: _Element) -> list | None:
    """What a word processor's markup means, in the editor's markup; None: keep the element."""
    tag, style = element.tag, _style(element)
    if tag == "b":
        # Google Docs wraps a whole paste in <b style="font-weight:normal" id="docs-internal-guid-…">.
        if element.attrs.get("id", "").startswith("docs-internal-guid") or not _is_bold(
            style.get("font-weight", "bold")
        ):
            return element.children
        return [_Element("strong", {}, element.children)]
    if tag == "i":
        if style.get("font-style") == "normal":
            return element.children
        return [_Element("em", {}, element.children)]
    if tag in {"strike", "del"}:
        return [_Element("s", {}, element.children)]
    if tag in {"span", "font", "u", "ins"}:
        return _wrap(_marks(style), element.children)
    if tag == "a" and not element.attrs.get("href"):
        return element.children  # a bookmark, or a link whose address was not allowed
    if tag == "img":
        return [element] if element.attrs.get("src") else []
    if tag in _WRAPPERS:
        if any(isinstance(n, _Element) and n.tag in _BLOCKS for n in element.children):
            return _wrap_inline_runs(element.children)
        element.tag = "p"
        return None
    if tag == "table":
        # The editor's shape: every row in one <tbody>; a caption becomes the paragraph before.
        captions = [n for n in element.children if isinstance(n, _Element) and n.tag == "caption"]
        rows = [
            row
            for node in element.children
            if isinstance(node, _Element)
            for row in ([node] if node.tag == "tr" else node.children)
            if isinstance(row, _Element) and row.tag == "tr"
        ]
        element.children = [_Element("tbody", {}, rows)] if rows else []
        _header_row(element)
        before = [_Element("p", {}, c.children) for c in captions if _has_content(c.children)]
        return [*before, element] if _has_content(element.children) else before
    if tag == "p" and element.list_item is None:
        words = set(element.attrs.get("class", "").lower().split())
        if "msotitle" in words:
            element.tag = "h2"
        elif {"msoquote", "msointensequote"} & words:
            element.quote = True
        elif (marker := _strip_typed_marker(element)) is not None:
            element.list_item = (bool(_ORDERED_MARKER.match(marker)), 1)
    return None


def _finish(element: _Element) -> list:
    """Whitespace, breaks and emptiness, once the element is in the editor's markup."""
    if element.tag in _INLINE_MARKS:
        element.children = _squeeze_inline(element.children)
        if not _has_content(element.children):
            return [" "] if _text(element.children) else []
        return [element]
    if element.tag in _VOID:
        return [element]
    if element.tag in {"ul", "ol"}:
        _tidy_list(element)
    if re.fullmatch(r"h[2-4]", element.tag) and _all_bold(element.children):
        element.children = _unbold(element.children)  # a heading is bold already
    if any(isinstance(n, _Element) and n.tag in _BLOCKS for n in element.children):
        if element.tag in {"li", "blockquote", "td", "th", "figure"}:
            element.children = _wrap_inline_runs(element.children)
        _finish_container(element)
    elif element.tag in {"ul", "ol", "tr", "tbody", "figure"}:
        _finish_container(element)
    else:
        _finish_host(element)
    if element.tag in _DROPPED_WHEN_EMPTY and not _has_content(element.children):
        return []
    if element.tag == "figure" and not any(
        isinstance(n, _Element) and n.tag == "img" for n in element.children
    ):
        # No image left: its caption, if any, is an ordinary paragraph.
        return [
            _Element("p", {}, n.children)
            for n in element.children
            if isinstance(n, _Element) and n.tag == "figcaption"
        ]
    if element.quote:
        element.tag = "blockquote"
        element.children = [_Element("p", {}, element.children)]
        element.attrs = {}
    return [element]


_CELL_STYLE = re.compile(r"\s*text-align\s*:\s*([a-z]+)\s*;?\s*", re.IGNORECASE)


def _filter_address(tag: str, name: str, value: str) -> str | None:
    """A link's or an image's address, kept only if `allowlist` allows it, whatever markup carried it."""
    if name == "href":
        return value if allowlist.is_acceptable_link(value) else None
    if name == "src":
        # An <img> without its src is dropped by the tidy step (and after the gate).
        return value if tag == "img" and allowlist.is_library_src(value) else None
    return value


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if (value := _filter_address(tag, name, value)) is None:
        return None
    if name == "title":
        return value if value.strip() else None  # the link dialog leaves title="" behind
    if name == "id":
        # Only a block's anchor, exactly: never "main", "login" or any other id the page uses.
        return value if tag in allowlist.ANCHOR_TAGS and allowlist.is_anchor_id(value) else None
    if name != "style":
        return value
    # A table cell's alignment, written exactly as the editor writes it; no other style.
    match = _CELL_STYLE.fullmatch(value) if tag in {"td", "th"} else None
    if match and (align := match.group(1).lower()) in allowlist.CELL_ALIGNMENTS:
        return f"text-align: {align};"
    return None


def _kept_attributes() -> dict[str, set[str]]:
    """The allowlist's attributes, and the anchor id on the blocks that may carry one."""
    # "*": nh3 would otherwise keep lang and title on every element.
    attributes = {"*": set()} | {
        tag: set(names) for tag, names in allowlist.ALLOWED_ATTRIBUTES.items()
    }
    for tag in allowlist.ANCHOR_TAGS:
        attributes.setdefault(tag, set()).add("id")
    return attributes


def _reader_options() -> dict:
    """How step 1 reads a body: which elements it keeps, so the tree html5ever builds.

    Shared by the reader and `references`, so both see the same document.
    """
    attributes = _kept_attributes()
    for tag, names in _READ_ATTRIBUTES.items():
        attributes.setdefault(tag, set()).update(names)
    return {
        "tags": set(allowlist.ALLOWED_TAGS | _READ_TAGS | _WRAPPERS),
        "clean_content_tags": set(CONTENT_DROPPED),
        "attributes": attributes,
        "allowed_classes": {tag: set(names) for tag, names in allowlist.ALLOWED_CLASSES.items()},
        "link_rel": None,
        "strip_comments": True,
    }


@functools.cache
def _cleaners() -> "tuple[nh3.Cleaner, nh3.Cleaner]":
    import nh3  # here: a process that only serves pages never cleans, nor loads it

    # The reader already drops addresses `allowlist` refuses, and the gate
    # again: an outside image must not survive any path through these steps.
    reader = nh3.Cleaner(
        **_reader_options(),
        attribute_filter=_filter_address,
        url_schemes=set(allowlist.URL_SCHEMES),
    )
    gate = nh3.Cleaner(
        tags=set(allowlist.ALLOWED_TAGS),
        clean_content_tags=set(CONTENT_DROPPED),
        attributes=_kept_attributes(),
        allowed_classes={tag: set(names) for tag, names in allowlist.ALLOWED_CLASSES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(allowlist.URL_SCHEMES),
        link_rel=allowlist.LINK_REL,
        strip_comments=True,
    )
    return reader, gate


def _walk(nodes: list):
    for node in nodes:
        if isinstance(node, _Element):
            yield node
            yield from _walk(node.children)


def _relevel_headings(root: _Element) -> None:
    """Our headings are <h2>-<h4> (the title is the page's <h1>).

    A document that uses <h1> moves every heading one level down, keeping its
    outline; deeper levels than <h4> become <h4>.
    """
    headings = [e for e in _walk(root.children) if re.fullmatch(r"h[1-6]", e.tag)]
    shift = 1 if any(e.tag == "h1" for e in headings) else 0
    for element in headings:
        element.tag = f"h{min(4, max(2, int(element.tag[1]) + shift))}"


def _tidy(markup: str) -> str:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    _relevel_headings(builder.root)
    return _serialize(_wrap_inline_runs(_tidy_nodes(builder.root.children)))


# An <img> as the gate writes it: every attribute double-quoted, any '"' inside escaped.
_GATE_IMG = re.compile(r'<img(?: [a-z-]+="[^"]*")*>')


def sanitize_html(html: str) -> str:
    """The body as it may be stored: the editor's structure, nothing else."""
    reader, gate = _cleaners()
    markup = reader.clean(html or "")
    # Nested past any document's depth, it is not tidied; the gate still decides what is kept.
    with contextlib.suppress(RecursionError):
        markup = _tidy(markup)
    markup = gate.clean(markup).strip()
    # The tidy step drops an image whose src the reader refused; untidied, it is done here.
    return _GATE_IMG.sub(lambda m: m[0] if ' src="' in m[0] else "", markup)


# Where a URL's scheme may be in a body: letters, digits, "+", "-" and "."
# before a ":", once character references are decoded and tabs and line ends
# (which URL parsers drop) are taken out.
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*(?=:)", re.IGNORECASE)


def references(html: str) -> tuple[list[str], list[str]]:
    """The body's link addresses and image addresses, as the cleaner reads the body.

    html5ever reads it exactly as step 1 does (the same elements kept, so the
    same tree), and the tidy step's tree builder reads the result. The one
    difference: no address is removed on the way, so the form field can name
    each one the cleaner would drop. An image without a src is listed as "",
    and so is one whose address no URL parser can read (nh3 drops those
    before anyone sees them); a link with such an address is not listed.
    """
    # nh3 removes a URL whose scheme it is not given before any filter sees it,
    # so this reading is given every scheme the body could hold (more is harmless).
    text = re.sub(r"[\t\n\r]", "", unescape(html))
    schemes = {scheme.lower() for scheme in _SCHEME.findall(text)} | allowlist.URL_SCHEMES
    import nh3

    survey = nh3.Cleaner(**_reader_options(), url_schemes=schemes)
    builder = _TreeBuilder()
    builder.feed(survey.clean(html))
    builder.close()
    links, images = [], []
    pending = builder.root.children[::-1]  # not recursive: a body may nest past Python's depth
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            continue
        if node.tag == "a" and "href" in node.attrs:
            links.append(node.attrs["href"])
        elif node.tag == "img":
            images.append(node.attrs.get("src", ""))
        pending.extend(node.children[::-1])
    return links, images


_TAG = re.compile(r"""<(/?)([a-z][a-z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")


def top_level_blocks(body: str) -> list[str]:
    """A stored (clean) body cut after each of its top-level elements, in order.

    For placing the article's further images between blocks, never inside a
    list, a table or a quotation. Nothing is left out: loose text stays with
    the element after it.
    """
    blocks, depth, start = [], 0, 0
    for match in _TAG.finditer(body):
        closing, tag = match.group(1), match.group(2)
        if tag not in _VOID:
            depth = max(0, depth + (-1 if closing else 1))
        if depth == 0:
            blocks.append(body[start : match.end()])
            start = match.end()
    blocks.append(body[start:])
    return [block.strip() for block in blocks if block.strip()]
