"""The article body's form field: the editor, the checks on what a writer submits, the cleaner.

The editor's configuration and the HTML allowlist derived from it live in
`allowlist.py`; the cleaner in `sanitize.py`.

`BodyField` refuses, with a message, what cleaning would otherwise remove
unseen: links other than URL_SCHEMES or an address on this site (the editor
itself would accept tel: or ftp:), and images that are not files of the image
library. It reads the body as the cleaner does (`sanitize.references`), so
markup that another HTML parser reads differently cannot slip an image past
it.

The admin uses `body_formfield` for `ArticleTranslation.body`.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget, ProseEditorWidget
from js_asset import Media

from cangxanh.news import allowlist, sanitize


def _shown(address: str) -> str:
    # An address as the error message quotes it; a pasted data: URI can be
    # megabytes long, and a control character (a tab hiding a scheme) is shown
    # as its picture rather than as nothing.
    address = "".join(
        chr(0x2400 + ord(c)) if c < " " else "\u2421" if c == "\x7f" else c for c in address
    )
    return address if len(address) <= 80 else address[:79] + "…"


def check_body_references(value: str) -> None:
    """Refuse links and images the cleaner would remove, so nothing disappears unseen."""
    links, images = sanitize.references(value or "")
    errors = []
    for href in dict.fromkeys(links):
        # A link without an address keeps its text: nothing of the writer's is lost.
        if href.strip() and not allowlist.is_acceptable_link(href):
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
    for src in dict.fromkeys(images):
        if not allowlist.is_library_src(src):
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


def check_body_pictures(value: str) -> None:
    """Every picture in a body says what it shows (its alt text), for people who cannot
    see it: the editor's picture dialog asks for it, and this insists."""
    stored = sanitize.sanitize_html(value or "")
    if not stored or "<img" not in stored:
        return
    import lxml.html  # here: the admin's modules load in every process, readers' too

    root = lxml.html.fragment_fromstring(stored, create_parent="div")
    for picture in root.iter("img"):
        if not (picture.get("alt") or "").strip():
            raise ValidationError(
                _(
                    "Describe every picture in the text for people who cannot see it: "
                    "open the picture (double-click it) and fill in its alt text."
                ),
                code="alt",
            )


class BodyField(ProseEditorFormField):
    """The body in a form: the editor, our checks, then the cleaner."""

    default_validators = [check_body_references, check_body_pictures]

    def __init__(self, *args, **kwargs):
        # The picture dialog's "Browse…" opens the library's picker (editorial.pictures),
        # which fills in the address, alt text and caption.
        picker = {"pickerUrl": reverse_lazy("editorial:picture-picker")}
        kwargs.setdefault("extensions", dict(allowlist.EXTENSIONS) | {"Figure": picker})
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
    "bold and italic; any other formatting is removed on save. Pictures come from the image "
    "library: use the picture button, then “Browse…” to choose or upload one."
)


def body_formfield(db_field, **kwargs) -> forms.Field:
    """The form field the admin shows for a translation's body."""
    defaults = {"form_class": BodyField, "widget": AdminProseEditorWidget, "help_text": HELP_TEXT}
    return db_field.formfield(**(defaults | kwargs))


def nonced(media: forms.Media, request) -> Media:
    """A form's media with this request's CSP nonce on every tag: the editor's import map
    is an inline script, which the policy (core.headers) runs only with the nonce."""
    return Media.from_media(media, nonce=request.csp_nonce)


# The editor reads a table cell's alignment from its style attribute, in the markup it
# parses (the stored body, a paste from Word), and writes it back the same way: under a
# policy that applies no style attribute, saving would lose every alignment. Pages with
# the editor, and no others, let style attributes apply (style-src-attr: attributes only,
# never a <style> element or a stylesheet from elsewhere; scripts stay as strict).
_STYLE_ATTRIBUTES = {"style-src-attr": [UNSAFE_INLINE]}


def with_editor(view):
    """A view whose pages hold the editor: its policy lets style attributes apply."""
    return csp_update(_STYLE_ATTRIBUTES, REPORT_ONLY=True)(csp_update(_STYLE_ATTRIBUTES)(view))
