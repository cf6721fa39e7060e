"""Stable anchors on a draft's paragraphs (`id="p-0123abcd"`), carried from version to version.

A comment on a consultation names the paragraph it is about by that paragraph's
anchor. Text ranges (offsets, quoted words) drift with every edit and are hard
to select on a phone; a paragraph's id does not drift. `carry(previous, new)`
gives every block of a new version of the body an anchor:

- an id the new version already holds, well formed, stays: a translation put
  together on the original's layout shares the original's ids, a restored
  revision brings its own back. When two blocks hold the same id, the first
  keeps it;
- a block without one takes the id of the previous version's block it
  matches: the same text, aligned in document order (repeated paragraphs keep
  theirs in turn); then the same text moved elsewhere; then the most similar
  text (at least `SIMILAR`, within `_REACH` of its old place), best pairs
  first. Each previous id goes to one block at most. So a paragraph keeps its id when a typo is fixed, a sentence
  added or the paragraph moved, and ids the editor dropped (the rich-text
  editor keeps none) come back;
- any other block gets a new id, derived from its text and its position, so
  the same save twice gives the same HTML; never one the previous version
  used, so a comment on a deleted paragraph does not move to a new one.

The blocks are the elements of `allowlist.ANCHOR_TAGS` (the ones the cleaner
lets keep an id) that hold no other block: in the editor's markup a list
item's or a quotation's words sit in a <p>, and that <p> is the anchor. Ids on
anything else are removed.

The body is read with Python's HTML parser, as the cleaner's tidy step reads
it, and nothing but the start tags whose id changes is rewritten. `carry`
expects a body as `sanitize_html` stores it (well formed); the cleaner stores
what it returns unchanged. No database.
"""

import bisect
import difflib
import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from cangxanh.news import allowlist

# How alike (difflib's ratio) a block must be to a previous one to keep its id.
SIMILAR = 0.6
# Up to this many characters (both texts), blocks are compared letter by letter, so a
# heading with one typo fixed still matches; longer ones word by word, which tells as
# much and stays fast for a draft of hundreds of paragraphs rewritten at once.
_SHORT = 80
# An edited paragraph is looked for this many unmatched blocks either side of its
# old place: a draft rewritten from top to bottom then costs time in proportion to
# its length, not to its length squared (moved but unedited, it is found anywhere).
_REACH = 100

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Elements that make whatever holds them a container rather than an anchored block.
_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "pre"}
    | {"blockquote", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "hr"}
    | {"figure", "figcaption", "div", "section", "article", "header", "footer", "aside", "nav"}
)
# Han characters, kana and full-width forms: each one is a word of its own.
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_WORD = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Paragraph:
    key: str  # the anchor; "" when the block has none (or an earlier block has the same)
    tag: str
    text: str  # its words, whitespace collapsed
    html: str  # its inner HTML, as stored


@dataclass
class _Element:
    tag: str
    start: int  # where its start tag begins in the markup
    inner_start: int  # where its start tag ends
    attrs: list[tuple[str, str | None]]
    inner_end: int = -1
    self_closing: bool = False  # written "<p/>": Python's parser reads it as an empty element
    leaf: bool = True  # holds no other block
    words: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [value or "" for name, value in self.attrs if name == "id"]

    @property
    def anchor(self) -> str:
        """Its id if that is an anchor (the first id counts, as in a browser), else ""."""
        ids = self.ids
        return ids[0] if ids and allowlist.is_anchor_id(ids[0]) else ""


class _Reader(HTMLParser):
    """Reads a body into its anchorable blocks and the other elements that hold an id."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.markup = markup
        self.candidates: list[_Element] = []  # of ANCHOR_TAGS, in document order
        self.others: list[_Element] = []  # any other element with an id
        self._open: list[_Element] = []
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", markup))]
        self.feed(markup)
        self.close()
        for element in self._open:
            element.inner_end = len(markup)

    def blocks(self) -> list[_Element]:
        return [element for element in self.candidates if element.leaf]

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start, written = self._offset(), self.get_starttag_text() or ""
        element = _Element(tag, start, start + len(written), attrs)
        element.self_closing = written.endswith("/>")
        if tag in _BLOCKS:
            for holder in self._open:
                holder.leaf = False
        if tag in allowlist.ANCHOR_TAGS:
            self.candidates.append(element)
        elif element.ids:
            self.others.append(element)
        if tag == "br":
            self.handle_data(" ")
        if tag not in _VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth].tag == tag:
                end = self._offset()
                for element in self._open[depth:]:
                    element.inner_end = end
                del self._open[depth:]
                return

    def handle_data(self, data):
        for element in self._open:
            element.words.append(data)


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _paragraph(markup: str, element: _Element, key: str) -> Paragraph:
    return Paragraph(
        key=key,
        tag=element.tag,
        text=_normal("".join(element.words)),
        html=markup[element.inner_start : element.inner_end].strip(),
    )


def paragraphs(html: str | None) -> list[Paragraph]:
    """The body's anchorable blocks in document order, each with its anchor (`key`)."""
    return _paragraphs(_Reader(html or ""))


def _paragraphs(reader: _Reader) -> list[Paragraph]:
    seen: set[str] = set()
    found = []
    for element in reader.blocks():
        key = element.anchor if element.anchor not in seen else ""
        seen.add(key)
        found.append(_paragraph(reader.markup, element, key))
    return found


def cut(html: str | None) -> list[tuple[str, Paragraph | None]]:
    """The body in pieces, each ending where something may follow one of its blocks
    on a page (a paragraph's comments), with that block; the last piece has None.

    A block that holds its words itself inside a list item or a quotation (an <li>
    or <blockquote> without a <p>) is cut just before its end tag, so what follows
    stays inside it; any other block just after its end tag. Joined, the pieces are
    the body again."""
    reader = _Reader(html or "")
    markup = reader.markup
    pieces: list[tuple[str, Paragraph | None]] = []
    done = 0
    for element, paragraph in zip(reader.blocks(), _paragraphs(reader), strict=True):
        end = element.inner_end
        closing = f"</{element.tag}"
        if (
            element.tag not in ("li", "blockquote")
            and markup[end : end + len(closing)].lower() == closing
        ):
            end = markup.find(">", end) + 1 or len(markup)
        if end < done:
            continue  # never in markup as the cleaner stores it
        pieces.append((markup[done:end], paragraph))
        done = end
    pieces.append((markup[done:], None))
    return pieces


def _signature(paragraph: Paragraph) -> str:
    """What matching compares: the words, or for a block without words (a picture) its markup."""
    return paragraph.text or _normal(paragraph.html)


def _words(text: str) -> list[str]:
    return _WORD.findall(_CJK.sub(r" \g<0> ", text))


def _similarity(
    chars: difflib.SequenceMatcher, words: difflib.SequenceMatcher, new: str, old: str
) -> float:
    """difflib's ratio of `new` to `old` (already seq2 of both matchers), 0 below SIMILAR."""
    matcher = chars if len(new) <= _SHORT and len(old) <= _SHORT else words
    matcher.set_seq1(new if matcher is chars else _words(new))
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def _match(
    new: list[str], old: list[str], open_new: set[int], free_old: set[int]
) -> dict[int, int]:
    """Which previous block (index into `old`) each open new block (into `new`) takes."""
    taken: dict[int, int] = {}

    def give(j: int, i: int) -> None:
        taken[j] = i
        open_new.discard(j)
        free_old.discard(i)

    # 1. The same text in the same order: the unchanged stretches between edits.
    aligned = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for a, b, size in aligned.get_matching_blocks():
        for offset in range(size):
            if b + offset in open_new and a + offset in free_old:
                give(b + offset, a + offset)
    # 2. The same text elsewhere: a paragraph moved.
    by_text: dict[str, list[int]] = {}
    for i in sorted(free_old):
        by_text.setdefault(old[i], []).append(i)
    for j in sorted(open_new):
        if by_text.get(new[j]):
            give(j, by_text[new[j]].pop(0))
    # 3. The most alike: a paragraph edited (and perhaps moved too), among the
    # _REACH open blocks on either side of its place.
    pairs = []
    waiting = sorted(open_new)
    for i in sorted(free_old):
        if not old[i]:
            continue
        chars = difflib.SequenceMatcher(None, autojunk=False)
        chars.set_seq2(old[i])
        words = difflib.SequenceMatcher(None, autojunk=False)
        words.set_seq2(_words(old[i]))
        place = bisect.bisect_left(waiting, i)
        for j in waiting[max(0, place - _REACH) : place + _REACH]:
            if new[j] and (score := _similarity(chars, words, new[j], old[i])) >= SIMILAR:
                pairs.append((-score, abs(i - j), j, i))
    for _score, _distance, j, i in sorted(pairs):
        if j in open_new and i in free_old:
            give(j, i)
    return taken


def _fresh(position: int, signature: str, reserved: set[str]) -> str:
    for attempt in itertools.count():
        seed = f"{position}\n{attempt}\n{signature}".encode()
        anchor = "p-" + hashlib.sha256(seed).hexdigest()[:8]
        if anchor not in reserved:
            return anchor
    raise AssertionError("unreachable")


def _start_tag(element: _Element, anchor: str) -> str:
    attributes = "".join(
        f" {name}" if value is None else f' {name}="{escape(value)}"'
        for name, value in element.attrs
        if name != "id"
    )
    if anchor:
        attributes = f' id="{anchor}"' + attributes
    return f"<{element.tag}{attributes}{'/' if element.self_closing else ''}>"


def carry(previous_html: str | None, new_html: str) -> str:
    """`new_html` with an anchor on every block, carried over from `previous_html`."""
    reader = _Reader(new_html or "")
    blocks = reader.blocks()
    found = [_paragraph(reader.markup, element, "") for element in blocks]
    earlier = _Reader(previous_html or "")
    previous = [p for p in _paragraphs(earlier) if p.key]

    anchors = [""] * len(blocks)
    in_use: set[str] = set()
    for index, element in enumerate(blocks):
        if element.anchor and element.anchor not in in_use:
            anchors[index] = element.anchor
            in_use.add(element.anchor)
    open_new = {index for index, anchor in enumerate(anchors) if not anchor}
    free_old = {index for index, p in enumerate(previous) if p.key not in in_use}
    signatures = [_signature(p) for p in found]
    matched = _match(signatures, [_signature(p) for p in previous], open_new, free_old)
    for index, old in matched.items():
        anchors[index] = previous[old].key

    # Never one the previous version used anywhere: its comments stay where they were.
    reserved = set(anchors) | {
        anchor
        for element in earlier.candidates
        for anchor in element.ids
        if allowlist.is_anchor_id(anchor)
    }
    for index in [index for index, anchor in enumerate(anchors) if not anchor]:
        anchors[index] = _fresh(index, signatures[index], reserved)
        reserved.add(anchors[index])

    rewrites = list(zip(blocks, anchors, strict=True))
    rewrites += [(element, "") for element in reader.candidates if not element.leaf]
    rewrites += [(element, "") for element in reader.others]
    out, done = [], 0
    for element, anchor in sorted(rewrites, key=lambda rewrite: rewrite[0].start):
        if element.ids == ([anchor] if anchor else []):
            continue
        out += [reader.markup[done : element.start], _start_tag(element, anchor)]
        done = element.inner_start
    out.append(reader.markup[done:])
    return "".join(out)
