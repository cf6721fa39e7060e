"""The article body's editor, and the HTML allowlist derived from it.

`EXTENSIONS` is the one definition of what an editor can make in a body
(django-prose-editor, ProseMirror underneath). The allowlist `sanitize.py`
cleans with is derived from it by django-prose-editor's own
`allowlist_from_extensions`, so the editor offers nothing that cleaning would
remove and cleaning keeps nothing the editor cannot make. Where ours differs
from the package's derivation, `_derive` says how and why.

Links may use URL_SCHEMES only. The editor itself would accept a few more
(tel:, ftp:); `BodyField` refuses those, and images from outside the media
storage, with a message, rather than let cleaning drop them unseen.

The admin uses `body_formfield` for `ArticleTranslation.body`.
"""

import html.parser
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget, ProseEditorWidget

from . import sanitize

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


class _References(html.parser.HTMLParser):
    """Collects every link's href and every image's src, as typed or pasted."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"].strip())
        elif tag == "img":
            self.srcs.append((values.get("src") or "").strip())


def _is_library_image(src: str) -> bool:
    # Images come from our media storage: readers' browsers load nothing from elsewhere.
    prefixes = [settings.MEDIA_URL]
    if settings.SITE_URL and settings.MEDIA_URL.startswith("/"):
        prefixes.append(settings.SITE_URL + settings.MEDIA_URL)
    return bool(src) and src.startswith(tuple(prefixes))


def _is_acceptable_link(href: str) -> bool:
    if href.startswith(("/", "#", "?")):
        return True  # an address on this site
    scheme, colon, _rest = href.partition(":")
    return bool(colon) and scheme.lower() in URL_SCHEMES


def _shown(address: str) -> str:
    # An address as the error message quotes it; a pasted data: URI can be megabytes long.
    return address if len(address) <= 80 else address[:79] + "…"


def check_body_references(value: str) -> None:
    """Refuse links and images the cleaner would remove, so nothing disappears unseen."""
    parser = _References()
    parser.feed(value or "")
    parser.close()
    errors = []
    for href in dict.fromkeys(parser.hrefs):
        if not _is_acceptable_link(href):
            errors.append(
                ValidationError(
                    _(
                        "The link to “%(address)s” cannot be kept: links must start with "
                        "https://, http:// or mailto:, or with / for an address on this site."
                    ),
                    code="link",
                    params={"address": _shown(href)},
                )
            )
    for src in dict.fromkeys(parser.srcs):
        if not _is_library_image(src):
            errors.append(
                ValidationError(
                    _(
                        "The image “%(address)s” is not in the image library. Upload it "
                        "under Images first and use the address of the uploaded file."
                    ),
                    code="image",
                    params={"address": _shown(src) or "—"},
                )
            )
    if errors:
        raise ValidationError(errors)


class BodyField(ProseEditorFormField):
    """The body in a form: the editor, our checks, then the cleaner."""

    default_validators = [check_body_references]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", dict(EXTENSIONS))
        kwargs.setdefault("sanitize", sanitize.sanitize_html)
        kwargs.setdefault("widget", ProseEditorWidget)
        super().__init__(*args, **kwargs)

    def has_changed(self, initial, data):
        # The editor may write the stored body a little differently (attribute order):
        # what counts is whether it would be stored differently.
        clean = sanitize.sanitize_html
        return clean(initial or "") != clean(data or "")


HELP_TEXT = _(
    "Pasting from Word, LibreOffice or Google Docs keeps headings, lists, tables, links, "
    "bold and italic; any other formatting is removed on save. Images must come from the "
    "image library."
)


def body_formfield(db_field, **kwargs) -> forms.Field:
    """The form field the admin shows for a translation's body."""
    defaults = {"form_class": BodyField, "widget": AdminProseEditorWidget, "help_text": HELP_TEXT}
    return db_field.formfield(**(defaults | kwargs))
