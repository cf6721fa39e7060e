"""Translation jobs for outside agencies, as XLIFF 2.0 files, and their import.

A job is one article into one language. `job_export` writes the original's
title, lead, body segments (`segments.split`) and its images' alt texts and
captions as units, with the existing translation as prefilled targets;
`job_import` checks a returned file completely and only then saves it, through
`editing.translation_save_text`, in one transaction.

Inline markup inside a body segment travels as XLIFF 2 inline codes: a paired
element (strong, em, a…) is a `<pc dataRefStart dataRefEnd>` and a void one
(br, img) a `<ph dataRef>`, the HTML tags themselves kept in the unit's
`<originalData>`. On import the tags are taken from the server's copy of the
job, never from the file: a code the original does not have is an error, so an
agency can move, repeat or drop a link but never change where it points.

The translation is put together on the layout of the original text the job was
made from (the original's revision named in the file when it still exists,
otherwise the original's current text), so headings, lists, links and images
stay the original's. A unit left out of the file, or with an empty target,
keeps what the translation has there now (the body segment at the same
position); a partial job therefore never wipes text. `translated_from` is set to
that revision of the original: if the original changed since, the translation
shows as outdated, which is the truth.
"""

import html
import re
from dataclasses import dataclass, field

import lxml.html
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from lxml import etree

from cangxanh.core import languages
from cangxanh.images.models import ImageText
from cangxanh.news.models import Article, ArticleTranslation

from . import editing, segments
from .models import PendingVersion, Revision
from .roles import can_edit

NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
# XLIFF 2.1 keeps 2.0's namespace and core; a tool may write either back.
VERSIONS = {"2.0", "2.1"}
MAX_BYTES = 5 * 1024 * 1024
META_GROUP = "cangxanh-job"

CODE_TYPE = {"a": "link", "img": "image"}  # everything else is "fmt"

TITLE_MAX = ArticleTranslation._meta.get_field("title").max_length
ALT_MAX = ImageText._meta.get_field("alt").max_length
CAPTION_MAX = ImageText._meta.get_field("caption").max_length

# What a body segment is, for the agency (English notes) and for the newsroom (messages).
KINDS: dict[str, tuple[str, Promise]] = {
    "p": ("paragraph", gettext_lazy("Paragraph %(number)s")),
    "li": ("list item", gettext_lazy("List item %(number)s")),
    "blockquote": ("quotation", gettext_lazy("Quotation %(number)s")),
    "figcaption": ("caption of a picture in the body", gettext_lazy("Figure caption %(number)s")),
    "img": (
        "alt text of a picture in the body: what it shows, read aloud to people who cannot "
        "see it; plain text",
        gettext_lazy("Alt text of a body picture %(number)s"),
    ),
    "caption": ("table caption", gettext_lazy("Table caption %(number)s")),
    "th": ("table header cell", gettext_lazy("Table cell %(number)s")),
    "td": ("table cell", gettext_lazy("Table cell %(number)s")),
    "dt": ("term of a definition list", gettext_lazy("Term %(number)s")),
    "dd": ("definition", gettext_lazy("Definition %(number)s")),
}
HEADING = ("heading", gettext_lazy("Heading %(number)s"))
FILE_NOTE = (
    "One news article. Translate every target; keep the inline codes (bold, italics, "
    "links, line breaks) around the words they belong to: you may move or drop them, "
    "but codes that are not in the source are refused. Plain text only in titles, "
    "leads, alt texts and captions."
)


class XliffError(Exception):
    """A job file that cannot be imported; `messages` says everything that is wrong."""

    def __init__(self, messages: list[str]):
        self.messages = [str(m) for m in messages]
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class ImportResult:
    units: int  # units whose target was taken
    images: int  # alt-text-and-caption rows created or changed
    new_version: bool  # the translation is live: the words wait for approval
    revision: Revision | None  # the translation's revision kept by the import
    basis: Revision | None  # the original's revision the translation is now made from
    warnings: list[str] = field(default_factory=list)


@dataclass
class Unit:
    """One unit of a job as the server knows it: what the file's targets are checked against."""

    id: str
    kind: str  # title, lead, body, alt, caption
    note: str  # English, for the agency
    label: str  # translated, for messages to the newsroom
    source: str  # inner HTML for body units, plain text otherwise
    codes: "_Codes | None" = None  # a body unit's inline codes
    image_id: int | None = None

    @property
    def data(self) -> dict[str, str]:
        return self.codes.data if self.codes else {}


@dataclass
class Job:
    units: list[Unit]
    body: str  # the original body whose layout the translation is filled into

    def by_id(self) -> dict[str, Unit]:
        return {unit.id: unit for unit in self.units}


# Languages ---------------------------------------------------------------------------------


def bcp47(code: str) -> str:
    return languages.get(code).bcp47 if code in languages.codes() else code


def _language_code(tag: str | None) -> str | None:
    """The project's code for an XLIFF language tag (case-insensitive, zh-Hans or zh-hans)."""
    wanted = (tag or "").strip().lower()
    return next((code for code in languages.codes() if code == wanted), None)


def _language_name(tag: str | None) -> str:
    code = _language_code(tag)
    return languages.get(code).native_name if code else (tag or "—")


# The job as the server knows it ---------------------------------------------------------------


def _original(article: Article) -> ArticleTranslation | None:
    return ArticleTranslation.objects.filter(
        article=article, language=article.original_language
    ).first()


def _start_tag(element) -> str:
    attributes = "".join(
        f' {name}="{html.escape(value, quote=True)}"' for name, value in element.attrib.items()
    )
    return f"<{element.tag}{attributes}>"


@dataclass(frozen=True)
class _Code:
    id: str
    tag: str
    start: str  # data id of the start tag (or of the void element)
    end: str | None  # data id of the end tag; None for br and img
    html: str  # the start tag


class _Codes:
    """Numbers the inline codes of one source segment and keeps their tags as originalData."""

    def __init__(self):
        self.data: dict[str, str] = {}
        self.codes: list[_Code] = []

    def _data(self, markup: str) -> str:
        data_id = f"d{len(self.data) + 1}"
        self.data[data_id] = markup
        return data_id

    def add(self, element) -> _Code:
        start_html = _start_tag(element)
        start = self._data(start_html)
        end = None if element.tag in segments.VOID else self._data(f"</{element.tag}>")
        code = _Code(str(len(self.codes) + 1), element.tag, start, end, start_html)
        self.codes.append(code)
        return code


def _fragment(markup: str):
    return lxml.html.fragment_fromstring(markup or "", create_parent="div")


def _add_text(parent, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _encode_source(node, out, codes: _Codes) -> None:
    """HTML inside `node` as XLIFF content of `out`, every inline element a new code."""
    _add_text(out, node.text)
    for child in node:
        if isinstance(child.tag, str) and child.tag in segments.INLINE:
            code = codes.add(child)
            element = _code_element(out, code, code.id)
            if element is not None:
                _encode_source(child, element, codes)
        elif isinstance(child.tag, str):
            _encode_source(child, out, codes)  # not inline markup: keep the words only
        _add_text(out, child.tail)


def _code_element(out, code: _Code, code_id: str):
    """Append the inline code for `code` to `out`; return it when it holds words (a pc)."""
    kind = CODE_TYPE.get(code.tag, "fmt")
    if code.end is None:
        etree.SubElement(out, f"{{{NS}}}ph", id=code_id, dataRef=code.start, type=kind)
        return None
    return etree.SubElement(
        out, f"{{{NS}}}pc", id=code_id, dataRefStart=code.start, dataRefEnd=code.end, type=kind
    )


def _encode_target(node, out, codes: _Codes, used: dict[str, int]) -> None:
    """A translated segment as XLIFF content, its markup mapped onto the source's codes.

    Each element takes the source code with the same tag (the same attributes first);
    one the source has no code for is left out, keeping its words.
    """
    _add_text(out, node.text)
    for child in node:
        if not isinstance(child.tag, str):
            _add_text(out, child.tail)
            continue
        same_tag = [c for c in codes.codes if c.tag == child.tag]
        exact = [c for c in same_tag if c.html == _start_tag(child)]
        code = next(iter(exact or same_tag), None)
        if code is None:
            _encode_target(child, out, codes, used)
        else:
            used[code.id] = used.get(code.id, 0) + 1
            # A code used twice in the target needs an id of its own.
            target_id = code.id if used[code.id] == 1 else f"{code.id}.{used[code.id]}"
            element = _code_element(out, code, target_id)
            if element is not None:
                _encode_target(child, element, codes, used)
        _add_text(out, child.tail)


def _body_unit(number: int, segment: segments.Segment, total: int) -> Unit:
    english, label = KINDS.get(segment.tag) or HEADING
    codes = _Codes()
    _encode_source(_fragment(segment.html), etree.Element("scratch"), codes)
    return Unit(
        id=f"body-{number}",
        kind="body",
        note=f"Body, segment {number} of {total}: {english}.",
        label=label % {"number": number},
        source=segment.html,
        codes=codes,
    )


def _job(article: Article, text) -> Job:
    """The units of a job for `text` (the original's title, lead and body) and the images."""
    units = [
        Unit(
            id="title",
            kind="title",
            note="Title of the article. Plain text.",
            label=pgettext("part of an article", "Title"),
            source=text.title,
        )
    ]
    if text.lead.strip():
        units.append(
            Unit(
                id="lead",
                kind="lead",
                note="Lead: the summary shown under the title and in lists. Plain text.",
                label=pgettext("part of an article", "Lead"),
                source=text.lead,
            )
        )
    body = segments.split(text.body)
    for number, segment in enumerate(body, start=1):
        units.append(_body_unit(number, segment, len(body)))
    article_images = article.article_images.select_related("image").prefetch_related("image__texts")
    for position, article_image in enumerate(article_images, start=1):
        image = article_image.image
        texts = image.text(article.original_language)
        if texts is None:
            continue
        if texts.alt.strip():
            units.append(
                Unit(
                    id=f"image-{image.pk}-alt",
                    kind="alt",
                    note=(
                        f"Alt text of image {position}: what the picture shows, read aloud "
                        "to people who cannot see it. Plain text, required."
                    ),
                    label=_("Alt text of image %(number)s") % {"number": position},
                    source=texts.alt,
                    image_id=image.pk,
                )
            )
        if texts.caption.strip():
            units.append(
                Unit(
                    id=f"image-{image.pk}-caption",
                    kind="caption",
                    note=f"Caption shown under image {position}. Plain text.",
                    label=_("Caption of image %(number)s") % {"number": position},
                    source=texts.caption,
                    image_id=image.pk,
                )
            )
    return Job(units=units, body=text.body)


# Export ------------------------------------------------------------------------------------------


STRUCTURE = {"xliff", "file", "notes", "unit", "originalData", "segment", "metadata", "metaGroup"}


def _indent(element, level: int = 0) -> None:
    """Indent the structure only: the words in source, target, note, data and meta stay as
    they are (lxml's pretty printing would put white space into a source that starts with
    an inline code)."""
    if etree.QName(element).localname not in STRUCTURE or not len(element):
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        child.tail = pad
        _indent(child, level + 1)
    element[-1].tail = "\n" + "  " * level


def job_export(*, article: Article, language: str) -> bytes:
    """The XLIFF 2.0 job translating `article` into `language`, with what exists prefilled."""
    original = _original(article)
    if original is None:
        raise ValueError("the article has no text in its original language")
    if language == article.original_language:
        raise ValueError("the original is not translated into itself")
    probe = ArticleTranslation(article=article, language=language)
    revision = editing.original_latest_revision(probe)
    job = _job(article, original)  # the approved original, never a waiting new version

    translation = ArticleTranslation.objects.filter(article=article, language=language).first()
    existing: dict[str, str] = {}
    if translation is not None:
        words = editing.working_text(translation)
        existing["title"], existing["lead"] = words.title, words.lead
        aligned = segments.align(segments.split(job.body), segments.split(words.body))
        for number, segment_words in enumerate(aligned, start=1):
            if segment_words:
                existing[f"body-{number}"] = segment_words
    for unit in job.units:
        if unit.image_id is not None:
            row = ImageText.objects.filter(image_id=unit.image_id, language=language).first()
            if row is not None:
                existing[unit.id] = row.alt if unit.kind == "alt" else row.caption

    root = etree.Element(
        f"{{{NS}}}xliff",
        nsmap={None: NS, "mda": MDA},
        version="2.0",
        srcLang=bcp47(article.original_language),
        trgLang=bcp47(language),
    )
    xfile = etree.SubElement(
        root,
        f"{{{NS}}}file",
        id=f"article-{article.pk}",
        original=f"cangxanh:article:{article.pk}",
        canResegment="no",
    )
    metadata = etree.SubElement(xfile, f"{{{MDA}}}metadata")
    group = etree.SubElement(metadata, f"{{{MDA}}}metaGroup", category=META_GROUP)
    facts = {
        "article": str(article.pk),
        "source-revision": str(revision.number) if revision else "",
        "exported-at": timezone.now().isoformat(timespec="seconds"),
    }
    for kind, value in facts.items():
        if value:
            etree.SubElement(group, f"{{{MDA}}}meta", type=kind).text = value
    notes = etree.SubElement(xfile, f"{{{NS}}}notes")
    etree.SubElement(notes, f"{{{NS}}}note", category="instructions").text = FILE_NOTE

    for unit in job.units:
        xunit = etree.SubElement(xfile, f"{{{NS}}}unit", id=unit.id)
        unit_notes = etree.SubElement(xunit, f"{{{NS}}}notes")
        etree.SubElement(unit_notes, f"{{{NS}}}note", category="context").text = unit.note
        codes = unit.codes
        if codes is not None and codes.data:
            original_data = etree.SubElement(xunit, f"{{{NS}}}originalData")
            for data_id, markup in codes.data.items():
                etree.SubElement(original_data, f"{{{NS}}}data", id=data_id).text = markup
        target_words = existing.get(unit.id, "")
        has_target = bool(segments.plain_text(target_words) if codes else target_words.strip())
        segment = etree.SubElement(
            xunit, f"{{{NS}}}segment", state="translated" if has_target else "initial"
        )
        source = etree.SubElement(segment, f"{{{NS}}}source")
        target = etree.Element(f"{{{NS}}}target") if has_target else None
        if codes is not None:
            _encode_source(_fragment(unit.source), source, _Codes())
            if target is not None:
                _encode_target(_fragment(target_words), target, codes, {})
        else:
            source.text = unit.source
            if target is not None:
                target.text = target_words
        if target is not None:
            segment.append(target)
    _indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


# Import ------------------------------------------------------------------------------------------


def _parse(data: bytes):
    if len(data) > MAX_BYTES:
        raise XliffError([_("The file is larger than 5 MiB.")])
    if re.search(rb"<!\s*(?:DOCTYPE|ENTITY)", data, re.IGNORECASE):
        # Entity declarations are how XML bombs and file-reading tricks work; XLIFF needs none.
        raise XliffError([_("The file declares a DOCTYPE or entities, which are not accepted.")])
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno or 1
        raise XliffError(
            [_("The file is not well-formed XML (line %(line)s).") % {"line": line}]
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XliffError([_("The file declares a DOCTYPE or entities, which are not accepted.")])
    return root


def _find(element, name: str):
    return element.find(f"{{{NS}}}{name}")


def _check_header(root, article: Article, language: str) -> tuple[list[str], object | None]:
    """The document, its languages and its one file: errors, and the file element."""
    if root.tag != f"{{{NS}}}xliff":
        return [_("This is not an XLIFF 2 file.")], None
    errors = []
    if root.get("version") not in VERSIONS:
        errors.append(
            _("This file is XLIFF version %(version)s; version 2.0 is expected.")
            % {"version": root.get("version") or "—"}
        )
    files = root.findall(f"{{{NS}}}file")
    if len(files) != 1:
        errors.append(_("A translation job holds exactly one article (one <file> element)."))
        return errors, None
    xfile = files[0]
    numbers = set()
    match = re.fullmatch(r"cangxanh:article:(\d+)", xfile.get("original") or "")
    if match:
        numbers.add(int(match.group(1)))
    for meta in xfile.iterfind(f"{{{MDA}}}metadata/{{{MDA}}}metaGroup/{{{MDA}}}meta"):
        if meta.get("type") == "article" and (meta.text or "").strip().isdigit():
            numbers.add(int(meta.text.strip()))
    if not numbers:
        errors.append(_("This file is not a translation job of this portal."))
    for number in sorted(numbers - {article.pk}):
        errors.append(
            _("This file is for article #%(file)s, not #%(article)s.")
            % {"file": number, "article": article.pk}
        )
    if _language_code(root.get("srcLang")) != article.original_language:
        errors.append(
            _(
                "This file translates from %(file)s, but the original of this article is in "
                "%(original)s."
            )
            % {
                "file": _language_name(root.get("srcLang")),
                "original": _language_name(article.original_language),
            }
        )
    if _language_code(root.get("trgLang")) != language:
        errors.append(
            _("This file is a translation into %(file)s, not into %(language)s.")
            % {"file": _language_name(root.get("trgLang")), "language": _language_name(language)}
        )
    return errors, xfile


def _source_revision(xfile) -> int | None:
    for meta in xfile.iterfind(f"{{{MDA}}}metadata/{{{MDA}}}metaGroup/{{{MDA}}}meta"):
        if meta.get("type") == "source-revision" and (meta.text or "").strip().isdigit():
            return int(meta.text.strip())
    return None


def _problem(unit: Unit, problem: str) -> str:
    return _("%(place)s: %(problem)s") % {"place": unit.label, "problem": problem}


def _local(element) -> str | None:
    name = etree.QName(element)
    return name.localname if name.namespace == NS else None


def _decode(node, unit: Unit, errors: list[str]) -> str:
    """The target content of a body unit as HTML, its tags from the server's originalData."""
    parts = [html.escape(node.text or "", quote=False)]
    for child in node:
        name = _local(child)
        if name in {"pc", "ph", "sc", "ec"}:
            code = _source_code(child, name, unit)
            if code is None:
                errors.append(_unknown_code(unit, child))
            elif name == "pc":
                parts += [unit.data[code.start], _decode(child, unit, errors), unit.data[code.end]]
            else:
                parts.append(unit.data[code.end if name == "ec" else code.start])
        elif name == "mrk":
            parts.append(_decode(child, unit, errors))  # an annotation: keep its words
        elif name not in {"sm", "em"}:  # annotation markers carry no words
            errors.append(
                _problem(unit, _("<%(tag)s> is not allowed in a target.") % {"tag": _tag(child)})
            )
        parts.append(html.escape(child.tail or "", quote=False))
    return "".join(parts)


def _source_code(element, name: str, unit: Unit) -> _Code | None:
    """The source's code that a target's pc, ph, sc or ec stands for: by its data
    references, or by its id when it has none (the id of the source's code)."""
    codes = unit.codes.codes if unit.codes else []
    # ph stands for a void element (br, img); pc, sc and ec for a paired one.
    fitting = [c for c in codes if (c.end is None) == (name == "ph")]
    refs = {
        "pc": ("dataRefStart", "dataRefEnd"),
        "ph": ("dataRef",),
        "sc": ("dataRef",),
        "ec": ("dataRef",),
    }[name]
    given = [element.get(attribute) for attribute in refs]
    if any(given):
        if name == "pc":
            return next((c for c in fitting if [c.start, c.end] == given), None)
        return next((c for c in fitting if (c.end if name == "ec" else c.start) == given[0]), None)
    code_id = element.get("startRef") if name == "ec" else element.get("id")
    return next((c for c in fitting if c.id == code_id), None)


def _tag(element) -> str:
    return etree.QName(element).localname


def _unknown_code(unit: Unit, element) -> str:
    refs = [element.get(a) for a in ("dataRefStart", "dataRefEnd", "dataRef") if element.get(a)]
    code = f"<{_tag(element)}> " + ("/".join(refs) or f"id={element.get('id') or '—'}")
    return _problem(unit, _("the inline code %(code)s is not in the original.") % {"code": code})


def _plain(node, unit: Unit, errors: list[str]) -> str:
    """The target of a plain-text unit; annotations are unwrapped, markup is an error."""
    for child in node.iterdescendants():
        if _local(child) not in {"mrk", "sm", "em"}:
            errors.append(
                _problem(
                    unit,
                    _("this text takes no formatting; remove <%(tag)s>.") % {"tag": _tag(child)},
                )
            )
            return ""
    return "".join(node.itertext())


def _targets(xfile, job: Job, errors: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each unit's target as found in the file (HTML for body units, text otherwise), and
    each unit's source words; units whose target has wrong inline codes are left out."""
    known = job.by_id()
    seen: list[str] = []
    unknown: list[str] = []
    targets: dict[str, str] = {}
    sources: dict[str, str] = {}
    for xunit in xfile.iter(f"{{{NS}}}unit"):
        unit_id = xunit.get("id") or ""
        seen.append(unit_id)
        unit = known.get(unit_id)
        if unit is None:
            unknown.append(unit_id or "—")
            continue
        before = len(errors)
        pieces, source_words, has_target = [], [], False
        # A tool may have split the unit into several segments: take them in order.
        for part in xunit:
            if _local(part) not in {"segment", "ignorable"}:
                continue
            source = _find(part, "source")
            if source is not None:
                source_words.append("".join(source.itertext()))
            target = _find(part, "target")
            if target is not None:
                has_target = True
                decode = _decode if unit.kind == "body" else _plain
                pieces.append(decode(target, unit, errors))
        sources[unit_id] = " ".join("".join(source_words).split())
        if has_target and len(errors) == before:
            targets[unit_id] = "".join(pieces)
    if unknown:
        errors.append(
            _("The file has units this job does not know: %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    repeated = sorted({unit_id for unit_id in seen if seen.count(unit_id) > 1})
    if repeated:
        errors.append(
            _("These units appear more than once: %(ids)s.") % {"ids": ", ".join(repeated)}
        )
    return targets, sources


def _check_targets(job: Job, targets: dict[str, str], errors: list[str]) -> dict[str, str]:
    """Validate each target; return the non-empty ones, cleaned."""
    taken: dict[str, str] = {}
    for unit in job.units:
        if unit.id not in targets:
            continue
        value = targets[unit.id]
        if unit.kind == "body":
            problems = segments.markup_errors(value)
            errors += [_problem(unit, problem) for problem in problems]
            if not problems and segments.plain_text(value):
                taken[unit.id] = value.strip()
            continue
        value = value.strip() if unit.kind == "lead" else " ".join(value.split())
        limit = {"title": TITLE_MAX, "alt": ALT_MAX, "caption": CAPTION_MAX}.get(unit.kind)
        if not value and unit.kind in {"title", "alt"}:
            errors.append(_problem(unit, _("it may not be empty.")))
        elif limit and len(value) > limit:
            errors.append(
                _problem(
                    unit,
                    _("at most %(limit)s characters (this one has %(count)s).")
                    % {"limit": limit, "count": len(value)},
                )
            )
        elif value:
            taken[unit.id] = value
    return taken


def _plain_source(unit: Unit) -> str:
    if unit.kind == "body":
        return segments.plain_text(unit.source)
    return " ".join(unit.source.split())


@dataclass
class _Plan:
    """What an import will write, decided before anything is."""

    text: dict[str, str]
    images: list[tuple[int, str | None, str | None]]  # image id, new alt, new caption
    units: int
    basis: Revision | None
    changed: bool


def _plan(xfile, *, article: Article, language: str, original, translation) -> _Plan:
    errors: list[str] = []
    current = original  # as approved: a waiting new version is not what was exported
    number = _source_revision(xfile)
    basis = original.revisions.filter(number=number).first() if number else None
    latest = editing.original_latest_revision(
        ArticleTranslation(article=article, language=language)
    )
    # The layout the agency translated: the revision the job was made from, unless that
    # is the one translations follow now (then the original's approved text).
    base = basis if basis is not None and basis != latest else current
    job = _job(article, base)
    targets, file_sources = _targets(xfile, job, errors)
    taken = _check_targets(job, targets, errors)

    words = editing.working_text(translation) if translation is not None else None
    title = taken.get("title") or (words.title if words else "")
    if not title:
        errors.append(_("The title has no translation, and a new translation needs one."))
    with_texts = set(
        ImageText.objects.filter(
            image__in=[u.image_id for u in job.units if u.image_id], language=language
        ).values_list("image_id", flat=True)
    )
    images = []
    for unit in job.units:
        if unit.kind != "caption" and unit.kind != "alt":
            continue
        alt = taken.get(f"image-{unit.image_id}-alt")
        caption = taken.get(f"image-{unit.image_id}-caption")
        if unit.kind == "caption" and caption and not alt and unit.image_id not in with_texts:
            errors.append(_problem(unit, _("a caption needs the alt text of its image too.")))
        if (alt or caption) and all(i[0] != unit.image_id for i in images):
            images.append((unit.image_id, alt, caption))
    if errors:
        raise XliffError(errors)

    # A unit the file leaves out or leaves empty keeps the translation's words there.
    body_units = [u for u in job.units if u.kind == "body"]
    existing = segments.align(segments.split(job.body), segments.split(words.body)) if words else []
    translated = [
        taken.get(unit.id) or (existing[index] if index < len(existing) else "")
        for index, unit in enumerate(body_units)
    ]
    # An original without a body (no body units) leaves the translation's body alone.
    kept_body = words.body if words else ""
    body = segments.fill(job.body, translated) if body_units else kept_body
    text = {
        "title": title,
        "slug": words.slug if words else "",
        "lead": taken.get("lead") or (words.lead if words else ""),
        "body": body,
    }
    now = _job(article, current).by_id()
    changed = any(
        unit_id not in now or _plain_source(now[unit_id]) != words_there
        for unit_id, words_there in file_sources.items()
        if words_there
    ) or (
        base is not current
        and any(getattr(base, f) != getattr(current, f) for f in ("title", "lead", "body"))
    )
    return _Plan(text=text, images=images, units=len(taken), basis=basis, changed=changed)


def job_import(*, article: Article, language: str, data: bytes, user) -> ImportResult:
    """Check the returned job `data` completely, then save it; `XliffError` lists what is wrong.

    Nothing is written unless every check passes; everything is written in one transaction.
    """
    if not can_edit(user, ArticleTranslation(article=article, language=language)):
        raise PermissionDenied(_("You cannot work on this language of this article."))
    root = _parse(data)
    errors, xfile = _check_header(root, article, language)
    if xfile is None or errors:
        raise XliffError(errors)
    original = _original(article)
    if original is None:
        raise XliffError([_("This article has no original text to translate.")])

    with transaction.atomic():
        translation = (
            ArticleTranslation.objects.select_for_update()
            .filter(article=article, language=language)
            .first()
        )
        plan = _plan(
            xfile, article=article, language=language, original=original, translation=translation
        )
        target = translation or ArticleTranslation(article=article, language=language)
        revision = editing.translation_save_text(
            translation=target, text=plan.text, user=user, note="XLIFF"
        )
        images = editing.translation_save_image_texts(
            translation=target,
            texts={image_id: (alt, caption) for image_id, alt, caption in plan.images},
            user=user,
        )
        if plan.basis is not None:
            ArticleTranslation.objects.filter(pk=target.pk).update(translated_from=plan.basis)
            target.translated_from = plan.basis

    warnings = []
    if plan.changed and plan.basis is not None:
        warnings.append(
            _(
                "The original changed after this job was exported: the translation is marked "
                "as made from revision #%(number)s."
            )
            % {"number": plan.basis.number}
        )
    elif plan.changed:
        warnings.append(
            _("The original changed after this job was exported: compare the translation with it.")
        )
    return ImportResult(
        units=plan.units,
        images=images,
        new_version=PendingVersion.objects.filter(translation=target).exists(),
        revision=revision,
        basis=plan.basis,
        warnings=warnings,
    )
