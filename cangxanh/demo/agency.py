"""Loads the agency's demo pages (content/agency.toml) and draws their pictures.

The pages are articles of the kind "page" (cangxanh.agency): created as the demo
articles are, published with their revisions marked approved, their facts made
by the kind's own writer (`PageKindFacts.apply`). The leaders' photos are neutral
silhouettes and the contact page's map a sketch, both drawn here with Pillow: the
project ships no photographs, and a map from a tile service would be a third
party's script or picture. Idempotent: everything carries an import key.
"""

import io
import tomllib
from datetime import datetime

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

from cangxanh.agency.facts import DEFAULTS, PageKindFacts
from cangxanh.agency.models import PAGE
from cangxanh.core import languages
from cangxanh.editorial.revisions import mark_approved
from cangxanh.images.models import Image, ImageText
from cangxanh.news.models import (
    Article,
    ArticleImage,
    ArticleTranslation,
    Person,
    PersonPosition,
    Status,
)

from .markup import markup_to_html

PUBLISHED = "2024-03-01 08:00"  # the pages' publication, in the site's time zone
SCALE = 2  # drawn at twice the size, then reduced: smooth edges

PALETTES = {
    "sea": ("#e3eff4", "#9cc3d3", "#2c4358"),
    "green": ("#e2f0e7", "#9dc8b0", "#2f4a3f"),
    "flame": ("#f6e8e1", "#dfae9b", "#4a3341"),
}
SILHOUETTE, HAIR, SHIRT = "#8b99a5", "#4b5966", "#f7f7f4"


def _rgb(value: str) -> tuple[int, int, int]:
    return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))


def _gradient(width: int, height: int, top: str, bottom: str) -> PILImage.Image:
    a, b = _rgb(top), _rgb(bottom)
    column = PILImage.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel((0, y), tuple(round(p + (q - p) * t) for p, q in zip(a, b, strict=True)))
    return column.resize((width, height))


def draw_portrait(palette: str = "sea", hair: str = "short") -> PILImage.Image:
    """A neutral head-and-shoulders silhouette in a dark jacket (800 × 1000)."""
    light, deep, jacket = PALETTES.get(palette, PALETTES["sea"])
    w, h = 800 * SCALE, 1000 * SCALE
    img = _gradient(w, h, light, deep)
    d = ImageDraw.Draw(img)
    cx = w / 2
    # A soft halo behind the head.
    halo = PILImage.new("L", (w, h), 0)
    ImageDraw.Draw(halo).ellipse((cx - 0.42 * w, 0.1 * h, cx + 0.42 * w, 0.72 * h), fill=90)
    halo = halo.filter(ImageFilter.GaussianBlur(60 * SCALE))
    img.paste(PILImage.new("RGB", (w, h), "#ffffff"), (0, 0), halo)
    d = ImageDraw.Draw(img)
    head = (cx - 0.165 * w, 0.24 * h, cx + 0.165 * w, 0.56 * h)
    if hair == "long":  # falls behind the neck to the shoulders
        d.rounded_rectangle(
            (cx - 0.2 * w, 0.25 * h, cx + 0.2 * w, 0.7 * h), radius=0.17 * w, fill=HAIR
        )
    # Neck, then the shoulders in a jacket, the shirt's V and the lapels.
    d.rounded_rectangle(
        (cx - 0.08 * w, 0.48 * h, cx + 0.08 * w, 0.68 * h), radius=0.04 * w, fill=SILHOUETTE
    )
    d.rounded_rectangle(
        (cx - 0.45 * w, 0.65 * h, cx + 0.45 * w, 1.3 * h), radius=0.22 * w, fill=jacket
    )
    d.polygon([(cx - 0.12 * w, 0.645 * h), (cx + 0.12 * w, 0.645 * h), (cx, 0.84 * h)], fill=SHIRT)
    d.polygon(
        [(cx - 0.08 * w, 0.64 * h), (cx + 0.08 * w, 0.64 * h), (cx, 0.72 * h)], fill=SILHOUETTE
    )
    lapel = tuple(min(255, c + 28) for c in _rgb(jacket))
    for side in (-1, 1):
        d.polygon(
            [
                (cx + side * 0.13 * w, 0.65 * h),
                (cx + side * 0.025 * w, 0.86 * h),
                (cx + side * 0.21 * w, 0.71 * h),
            ],
            fill=lapel,
        )
    d.ellipse(head, fill=SILHOUETTE)
    for side in (-1, 1):  # ears
        x = cx + side * 0.165 * w
        d.ellipse((x - 0.022 * w, 0.37 * h, x + 0.022 * w, 0.44 * h), fill=SILHOUETTE)
    if hair == "bun":
        d.ellipse((cx - 0.08 * w, 0.17 * h, cx + 0.08 * w, 0.29 * h), fill=HAIR)
    # The hair's cap over the top of the head.
    d.chord((cx - 0.172 * w, 0.225 * h, cx + 0.172 * w, 0.5 * h), start=180, end=360, fill=HAIR)
    if hair == "short":  # a side parting
        d.chord((cx - 0.172 * w, 0.3 * h, cx - 0.02 * w, 0.4 * h), start=180, end=360, fill=HAIR)
    return img.resize((w // SCALE, h // SCALE), PILImage.LANCZOS)


def draw_map() -> PILImage.Image:
    """A sketch map of the office's neighbourhood: river, streets, parks, a red pin (1600 × 900)."""
    w, h = 1600 * SCALE, 900 * SCALE
    img = PILImage.new("RGB", (w, h), "#f1eee5")
    d = ImageDraw.Draw(img)
    # City blocks between the streets.
    block, road, minor = "#e4dfd2", "#ffffff", "#fbfaf6"
    xs = [0.0, 0.17, 0.33, 0.5, 0.66, 0.83, 1.0]
    ys = [0.3, 0.48, 0.66, 0.84, 1.02]
    for x0, x1 in zip(xs, xs[1:], strict=False):
        for y0, y1 in zip(ys, ys[1:], strict=False):
            d.rounded_rectangle(
                (
                    x0 * w + 14 * SCALE,
                    y0 * h + 14 * SCALE,
                    x1 * w - 14 * SCALE,
                    y1 * h - 14 * SCALE,
                ),
                radius=10 * SCALE,
                fill=block,
            )
    # Parks and a square.
    for box in ((0.17, 0.48, 0.33, 0.66), (0.66, 0.66, 0.83, 0.84), (0.83, 0.3, 1.0, 0.48)):
        x0, y0, x1, y1 = box
        d.rounded_rectangle(
            (x0 * w + 14 * SCALE, y0 * h + 14 * SCALE, x1 * w - 14 * SCALE, y1 * h - 14 * SCALE),
            radius=18 * SCALE,
            fill="#cfe5c3",
        )
        for i in range(5):  # trees
            tx = x0 * w + (0.2 + 0.15 * i) * (x1 - x0) * w
            ty = (y0 + (0.35 if i % 2 else 0.62) * (y1 - y0)) * h
            d.ellipse(
                (tx - 16 * SCALE, ty - 16 * SCALE, tx + 16 * SCALE, ty + 16 * SCALE), fill="#a8d096"
            )
    # The river along the top, with its bank.
    river = [(0, 0.0), (0, 0.2 * h), (0.25 * w, 0.26 * h), (0.55 * w, 0.2 * h), (0.8 * w, 0.24 * h)]
    river += [(w, 0.18 * h), (w, 0)]
    d.polygon(river, fill="#a9d3e8")
    bank = [
        (0, 0.2 * h),
        (0.25 * w, 0.26 * h),
        (0.55 * w, 0.2 * h),
        (0.8 * w, 0.24 * h),
        (w, 0.18 * h),
    ]
    d.line(bank, fill="#8cbfd8", width=8 * SCALE, joint="curve")
    for i in range(9):  # ripples
        x = (0.06 + 0.105 * i) * w
        y = (0.07 + 0.05 * (i % 3)) * h
        d.line((x, y, x + 60 * SCALE, y), fill="#c6e3f1", width=5 * SCALE)
    # Streets: a riverside road, avenues and smaller streets.
    d.line(bank, fill=road, width=26 * SCALE, joint="curve")
    for x in xs[1:-1]:
        d.line(
            (x * w, 0.24 * h, x * w, h),
            fill=road if x in (0.33, 0.66) else minor,
            width=(24 if x in (0.33, 0.66) else 14) * SCALE,
        )
    for y in ys[:-1]:
        d.line(
            (0, y * h, w, y * h),
            fill=road if y == 0.48 else minor,
            width=(24 if y == 0.48 else 14) * SCALE,
        )
    # The office: a highlighted block and a red pin.
    bx0, by0, bx1, by1 = 0.5 * w, 0.3 * h, 0.66 * w, 0.48 * h
    d.rounded_rectangle(
        (bx0 + 14 * SCALE, by0 + 14 * SCALE, bx1 - 14 * SCALE, by1 - 14 * SCALE),
        radius=10 * SCALE,
        fill="#f4d3c9",
        outline="#c8321f",
        width=4 * SCALE,
    )
    px, py = (bx0 + bx1) / 2, by0 + 0.8 * (by1 - by0)
    d.ellipse((px - 26 * SCALE, py - 7 * SCALE, px + 26 * SCALE, py + 8 * SCALE), fill="#d9b3a6")
    r = 30 * SCALE
    d.polygon(
        [(px - 0.82 * r, py - 1.55 * r), (px + 0.82 * r, py - 1.55 * r), (px, py)], fill="#c8321f"
    )
    d.ellipse((px - r, py - 2.7 * r, px + r, py - 0.7 * r), fill="#c8321f")
    d.ellipse((px - 0.42 * r, py - 2.12 * r, px + 0.42 * r, py - 1.28 * r), fill="#ffffff")
    # A north arrow and a scale bar.
    nx, ny = 0.955 * w, 0.9 * h
    d.ellipse((nx - 40 * SCALE, ny - 52 * SCALE, nx + 40 * SCALE, ny + 28 * SCALE), fill="#ffffff")
    d.polygon([(nx, ny - 44 * SCALE), (nx - 20 * SCALE, ny + 16 * SCALE), (nx, ny)], fill="#18212b")
    d.polygon([(nx, ny - 44 * SCALE), (nx + 20 * SCALE, ny + 16 * SCALE), (nx, ny)], fill="#56616d")
    sx, sy = 0.04 * w, 0.93 * h
    for i in range(4):
        d.rectangle(
            (sx + i * 50 * SCALE, sy, sx + (i + 1) * 50 * SCALE, sy + 10 * SCALE),
            fill="#18212b" if i % 2 == 0 else "#ffffff",
            outline="#18212b",
            width=2 * SCALE,
        )
    return img.resize((w // SCALE, h // SCALE), PILImage.LANCZOS)


def _jpeg(picture: PILImage.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=86, optimize=True, progressive=True)
    return buffer.getvalue()


def _people(data: dict, report) -> dict[str, Person]:
    people = {}
    for entry in data.get("person", []):
        person, created = Person.objects.get_or_create(
            import_key=entry["key"], defaults={"name": entry["name"]}
        )
        if created:
            report.add("people")
            for lang in languages.codes():
                if entry.get(lang):
                    PersonPosition.objects.create(
                        person=person, language=lang, position=entry[lang]
                    )
        people[entry["key"]] = person
    return people


def _images(data: dict, report) -> dict[str, Image]:
    images = {}
    for entry in data.get("image", []):
        image = Image.objects.filter(import_key=entry["key"]).first()
        if image is None:
            if entry["draw"] == "map":
                drawn = draw_map()
            else:
                drawn = draw_portrait(entry.get("palette", "sea"), entry.get("hair", "short"))
            image = Image(import_key=entry["key"], credit=entry.get("credit", ""))
            image.file.save(f"{entry['key']}.jpg", ContentFile(_jpeg(drawn)), save=False)
            image.save()
            captions = entry.get("caption", {})
            for lang in languages.codes():
                if entry.get(lang):
                    ImageText.objects.create(
                        image=image, language=lang, alt=entry[lang], caption=captions.get(lang, "")
                    )
            report.add("images")
        images[entry["key"]] = image  # its renditions: load_demo, after the commit
    return images


def load_agency(report) -> None:
    """The agency's pages, its leaders' photos and the contact page's map."""
    from .loader import CONTENT, LOCAL

    with open(CONTENT / "agency.toml", "rb") as fh:
        data = tomllib.load(fh)
    people = _people(data, report)
    images = _images(data, report)
    published = datetime.strptime(PUBLISHED, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL)
    pages: dict[str, Article] = {}
    for entry in data["page"]:  # parents come before their children
        found = Article.objects.filter(import_key=entry["key"]).first()
        if found is not None:
            pages[entry["key"]] = found
            continue
        article = Article.objects.create(import_key=entry["key"], kind=PAGE)
        person = entry.get("person")
        extra = DEFAULTS | {
            "parent": pages[entry["parent"]].pk if entry.get("parent") else None,
            "position": entry.get("position", 0),
            "key": entry.get("fixed"),
            "layout": entry.get("layout", "text"),
            "person": (people.get(person) or Person.objects.get(import_key=person)).pk
            if person
            else None,
            "phone": entry.get("phone", ""),
            "email": entry.get("email", ""),
        }
        PageKindFacts().apply(article, PageKindFacts().normalised(extra))
        for position, key in enumerate(entry.get("images", [])):
            ArticleImage.objects.create(article=article, image=images[key], position=position)
        for lang in languages.codes():
            text = entry.get(lang)
            if not text:
                continue
            translation = ArticleTranslation.objects.create(
                article=article,
                language=lang,
                title=text["title"].strip(),
                lead=text.get("lead", "").strip(),
                body=markup_to_html(text.get("body", "")),
                status=Status.PUBLISHED,
                published_at=published,
            )
            mark_approved(translation)  # as an approver would have published it
        original = article.translations.filter(language=article.original_language).first()
        basis = original.revisions.order_by("-number").first() if original else None
        article.translations.exclude(language=article.original_language).update(
            translated_from=basis
        )
        Article.objects.filter(pk=article.pk).update(created_at=published, updated_at=published)
        ArticleTranslation.objects.filter(article=article).update(
            created_at=published, updated_at=published
        )
        pages[entry["key"]] = article
        report.add("agency pages")
