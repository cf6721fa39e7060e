"""Library pictures inside article bodies: finding them, recording them, reading them.

A writer places a library picture in a body by its library address,
`<img src="/media/images/2026/12/cang.jpg" alt="…">` (the original's name
under MEDIA_URL, with or without SITE_URL; the address of one of its
renditions works too). Readers never load that address: pages replace each
such `<img>` with the picture's renditions (core.templatetags.portal). This
module:

- reads a body's `<img>` tags and turns their `src` into the name of a library
  original (`library_name`, `library_names`);
- keeps `BodyImage` rows in step with each translation's body (`body_images_sync`,
  on every save, and `body_images_link` when an image is added after a body
  already named it), so images.access can tell which pictures are public;
- reads the pictures a page's body names, in one query, remembered per
  content version (`body_pictures`).

Bodies are cleaned by news.sanitize (nh3) before they are stored: an `<img>`
carries only src, alt, width and height, written `name="value"`. The pattern
below still reads any quoting, since previews show a new version's text.
"""

import re
from html import unescape
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db.models import FilteredRelation, Q

from cangxanh.core.site import per_version

IMG_TAG = re.compile(
    r"<img\b((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>",
    re.IGNORECASE,
)
_ATTRIBUTE = re.compile(r"([^\s=>/]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
# easy-thumbnails' options part of a rendition's name: "720x0_q80", "480x270_q82_crop_target-50,50".
_OPTIONS = re.compile(r"\d+x\d+(?:_[\w,.-]*)?")
_RENDITION_TYPES = frozenset({"jpg", "png", "webp"})


def img_attributes(match: re.Match) -> dict[str, str]:
    """An `<img>` tag's attributes (names lower-cased, values unescaped)."""
    found = {}
    for name, double, single, bare in _ATTRIBUTE.findall(match.group(1)):
        found.setdefault(name.lower(), unescape(double or single or bare))
    return found


def _split_rendition(filename: str) -> str | None:
    """The original's file name in a rendition's: "cang.jpg.720x0_q80.webp" -> "cang.jpg"."""
    parts = filename.rsplit(".", 2)
    if len(parts) != 3 or parts[2] not in _RENDITION_TYPES:
        return None
    source, options, _ext = parts
    if not source or not _OPTIONS.fullmatch(options):
        return None
    return source


def rendition_source(name: str) -> str | None:
    """The original's name for a rendition's name in the media storage, or None.

    Renditions are `<THUMBNAIL_BASEDIR>/<original's name>.<options>.<type>`. The
    split is unambiguous: options never hold a dot, so the original's name is
    what stands before the last two dots.
    """
    prefix = settings.THUMBNAIL_BASEDIR.strip("/") + "/"
    if not name.startswith(prefix):
        return None
    return _split_rendition(name[len(prefix) :])


def _old_rendition_source(name: str) -> str | None:
    # Before originals went private: images/2026/12/renditions/cang.jpg.720x0_q80.webp.
    folder, _slash, filename = name.rpartition("/")
    parent, _slash, last = folder.rpartition("/")
    if last != "renditions" or not parent:
        return None
    source = _split_rendition(filename)
    return f"{parent}/{source}" if source else None


def _media_prefixes() -> tuple[str, ...]:
    media = settings.MEDIA_URL
    prefixes = [media]
    if settings.SITE_URL and media.startswith("/"):
        prefixes.insert(0, settings.SITE_URL.rstrip("/") + media)
    return tuple(prefixes)


def library_name(src: str) -> str | None:
    """The name of the library original that an `<img src>` of a body points at
    (its library address, or a rendition's), or None for any other address."""
    src = (src or "").strip()
    for prefix in _media_prefixes():
        if src.startswith(prefix):
            path = urlsplit(src[len(prefix) :]).path
            break
    else:
        return None
    try:
        name = unquote(path, errors="strict") if "%" in path else path
    except UnicodeDecodeError:  # broken percent-encoding names nothing
        return None
    if not name or "\x00" in name:
        return None
    return rendition_source(name) or _old_rendition_source(name) or name


ANY_IMG = re.compile(r"<img\b", re.IGNORECASE)


def library_names(body: str) -> list[str]:
    """The library originals a body shows, in order, each once."""
    if not body or not ANY_IMG.search(body):
        return []
    names = (library_name(img_attributes(match).get("src", "")) for match in IMG_TAG.finditer(body))
    return list(dict.fromkeys(name for name in names if name))


# --- Keeping BodyImage in step -------------------------------------------------


def body_images_sync(translation) -> None:
    """Record which library images this translation's body shows (a save's last step)."""
    from .models import BodyImage, Image

    names = library_names(translation.body)
    wanted = (
        set(Image.objects.filter(file__in=names).values_list("pk", flat=True)) if names else set()
    )
    have = set(BodyImage.objects.filter(translation=translation).values_list("image_id", flat=True))
    if have - wanted:
        BodyImage.objects.filter(translation=translation, image_id__in=have - wanted).delete()
    if wanted - have:
        BodyImage.objects.bulk_create(
            [BodyImage(translation=translation, image_id=pk) for pk in sorted(wanted - have)],
            ignore_conflicts=True,
        )


def translation_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """post_save of ArticleTranslation: only a save that may have changed the body."""
    if raw or (update_fields is not None and "body" not in update_fields):
        return
    body_images_sync(instance)


def body_images_link(image) -> None:
    """A new image whose name bodies already use (typed before it was uploaded): link them."""
    from cangxanh.news.models import ArticleTranslation

    from .models import BodyImage

    name = image.file.name
    if not name:
        return
    rows = ArticleTranslation.objects.filter(body__contains=name).values_list("pk", "body")
    BodyImage.objects.bulk_create(
        [
            BodyImage(translation_id=pk, image=image)
            for pk, body in rows
            if name in library_names(body)
        ],
        ignore_conflicts=True,
    )


def image_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if created and not raw:
        body_images_link(instance)


# --- Reading a page's body pictures --------------------------------------------


def _attnames(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _load(names: tuple[str, ...], lang: str) -> tuple[tuple, ...]:
    from .models import Image

    return tuple(
        Image.objects.filter(file__in=names)
        .annotate(text=FilteredRelation("texts", condition=Q(texts__language=lang)))
        .values_list(*_attnames(Image), "text__alt", "text__caption")
    )


def body_pictures(body: str, lang: str) -> dict:
    """The library images a body shows, by original name, each with its alt text and
    caption in `lang` (`page_texts`, as the article's own images have them).

    No query for a body without pictures; else one, remembered for as long as the
    content version stands (any change to an image moves it). Fresh instances
    each time: what a page does to one (a rendition made) stays on that page.
    """
    names = library_names(body)
    if not names:
        return {}
    from .models import Image, ImageText

    rows = per_version(("body-pictures", lang, tuple(names)), lambda: _load(tuple(names), lang))
    fields = _attnames(Image)
    found = {}
    for row in rows:
        image = Image.from_db("default", fields, row[: len(fields)])
        alt, caption = row[len(fields) :]
        text = None
        if alt is not None:
            text = ImageText(image=image, language=lang, alt=alt, caption=caption)
        image.page_texts = {lang: text}
        found[image.file.name] = image
    return found
