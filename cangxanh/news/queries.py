"""Reads for the public site, shared by views (and later feeds, sitemaps, search).

Pages read in a fixed number of queries, whatever the number of images,
translations or list items: one query per list, with its columns only, and
one query for the first image of every article a page lists. Sections and
their names are the chrome of every page: they are read once per content
version in each process (`section_index`), not per page.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from cangxanh.core.compiled import Compiled
from cangxanh.core.site import per_version
from cangxanh.images.models import Image, ImageText

from .models import (
    Article,
    ArticleImage,
    ArticleTranslation,
    Person,
    PersonPosition,
    Section,
    SectionTranslation,
    Source,
    article_url,
)

# --- Sections: read once per content version --------------------------------


@dataclass
class SectionIndex:
    sections: list[Section]  # every section, in menu order, with its names
    by_id: dict[int, Section]
    by_slug: dict[str, list[SectionTranslation]]  # names by slug, any language
    menu: list[Section]  # the top-level sections of the menu
    names: dict[tuple[int, str], SectionTranslation] = field(default_factory=dict)

    def name(self, section_id: int, lang: str) -> SectionTranslation | None:
        return self.names.get((section_id, lang))


def _load_sections() -> SectionIndex:
    sections = list(Section.objects.prefetch_related("translations"))
    by_slug: dict[str, list[SectionTranslation]] = {}
    names = {}
    rows = sorted((row for s in sections for row in s.translations.all()), key=lambda r: r.pk)
    for row in rows:
        by_slug.setdefault(row.slug, []).append(row)
        names[(row.section_id, row.language)] = row
    by_id = {s.pk: s for s in sections}
    for row in rows:
        row.section = by_id[row.section_id]
    return SectionIndex(
        sections=sections,
        by_id=by_id,
        by_slug=by_slug,
        menu=[s for s in sections if s.in_menu and s.parent_id is None],
        names=names,
    )


def section_index() -> SectionIndex:
    return per_version("sections", _load_sections)


def sections_in_menu() -> list[Section]:
    return section_index().menu


def section_by_slug(lang: str, slug: str) -> tuple[Section, bool] | None:
    """The section a slug names, and whether the slug is the right one for `lang`.

    A slug from another language still finds the section, so the caller can
    redirect to the canonical address instead of answering 404.
    """
    rows = section_index().by_slug.get(slug, [])
    for row in rows:
        if row.language == lang:
            return row.section, True
    if rows:
        return rows[0].section, False
    return None


def access_section(lang: str, slug: str) -> tuple[Section, SectionTranslation, bool]:
    """The section a slug names, its name in `lang`, and whether the slug is `lang`'s own.

    Raises Http404 when no section has this slug or it has no name in `lang`; the
    caller redirects to the name's slug when it is not exact.
    """
    from django.http import Http404

    found = section_by_slug(lang, slug)
    if found is None:
        raise Http404
    section, exact = found
    name = section.translation(lang)
    if name is None:
        raise Http404
    return section, name, exact


# --- Lists: cards ------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """A public translation as a list shows it: a card, a headline, a link."""

    id: int
    article_id: int
    section_id: int
    language: str
    title: str
    slug: str
    lead: str
    published_at: datetime
    section: SectionTranslation | None = None  # the section's name in `language`
    url: str = ""
    image: Image | None = None  # the article's first image

    def get_absolute_url(self) -> str:
        return self.url

    def main_image(self) -> Image | None:
        return self.image


ITEM_FIELDS = ("id", "article_id", "article__section_id", "language", "title", "slug", "lead")


def public_translations(lang: str):
    return ArticleTranslation.objects.published().news().in_language(lang).for_listing()


def _public(lang: str):
    """Public news articles in `lang` (other kinds list themselves)."""
    return ArticleTranslation.objects.published().news().in_language(lang)


def items(rows, *, images: bool = True) -> list[Item]:
    """Items from `values_list(*ITEM_FIELDS, "published_at", ...)` rows, with their
    section names and URLs (no query) and first images (one query for all)."""
    index = section_index()
    found = []
    for row in rows:
        tid, article_id, section_id, lang, title, slug, lead, published_at = row[:8]
        name = index.name(section_id, lang)
        found.append(
            Item(
                tid,
                article_id,
                section_id,
                lang,
                title,
                slug,
                lead,
                published_at,
                name,
                article_url(lang, name.slug if name else "-", slug, article_id),
            )
        )
    if images and found:
        first = first_images({item.article_id for item in found})
        for item in found:
            item.image = first.get(item.article_id)
    return found


def _first_image_row():
    """The id of the first ArticleImage of the outer row's article (a subquery)."""
    return Subquery(
        ArticleImage.objects.filter(article_id=OuterRef("article_id"))
        .order_by("position", "id")
        .values("pk")[:1]
    )


def _first_images_query(article_ids):
    return ArticleImage.objects.filter(
        article_id__in=article_ids, pk=_first_image_row()
    ).values_list("article_id", *(f"image__{name}" for name in _attnames(Image)))


def _latest_query(lang, now, per_section):
    return (
        ArticleTranslation.objects.published(now)
        .news()
        .in_language(lang)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("article__section_id"),
                order_by=[F("published_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=per_section)
        .order_by("-published_at", "-id")
        .values_list(*ITEM_FIELDS, "published_at")
    )


def _translations_first_images_query(translation_ids):
    articles = ArticleTranslation.objects.filter(id__in=translation_ids).values("article_id")
    return ArticleImage.objects.filter(article_id__in=articles, pk=_first_image_row()).values_list(
        "article_id", *(f"image__{name}" for name in _attnames(Image))
    )


_FIRST_IMAGES = Compiled(_first_images_query)
# The first images of the articles of these translations: a read that can go in the
# same round trip as the translations' own (core.compiled.together).
TRANSLATIONS_FIRST_IMAGES = Compiled(_translations_first_images_query)
_LATEST = Compiled(_latest_query)


def first_images(article_ids) -> dict[int, Image]:
    """The first image of each article, in one query."""
    ids = sorted(article_ids)
    if not ids:
        return {}
    return images_by_article(_FIRST_IMAGES(article_ids=ids))


def images_by_article(rows) -> dict[int, Image]:
    """{article id: Image} from rows of (article id, the image's fields)."""
    names = _attnames(Image)
    return {row[0]: Image.from_db("default", names, row[1:]) for row in rows}


def latest_by_section(lang: str, per_section: int) -> list[Item]:
    """The `per_section` newest public translations of every section, newest first."""
    return items(_LATEST(lang=lang, now=timezone.now(), per_section=per_section))


def section_page_items(lang: str, section: Section):
    """A section's public translations, newest first, as rows for `items`."""
    return (
        _public(lang)
        .filter(article__section=section)
        .order_by("-published_at", "-id")
        .values_list(*ITEM_FIELDS, "published_at")
    )


def _related_rows(lang: str, article_id: int, section_id: int, limit: int):
    return (
        _public(lang)
        .filter(article__section_id=section_id)
        .exclude(article_id=article_id)
        .order_by("-published_at", "-id")
        .values_list(*ITEM_FIELDS, "published_at")[:limit]
    )


def related(lang: str, article: Article, limit: int = 4) -> list[Item]:
    """The newest public translations in `lang` of the article's section, but itself."""
    known = getattr(article, "related_items", None)
    if known is not None and len(known) <= limit:
        return known[:limit]
    return items(_related_rows(lang, article.pk, article.section_id, limit))


# --- The article page ----------------------------------------------------------


RELATED = 4  # articles an article page suggests


def _attnames(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _original_changed():
    """Whether the original's words (its row: what readers see of it) differ from those
    of the original's revision the outer translation was made from: the translation is
    behind the original. The newsroom calls such a translation outdated
    (`editorial.editing.is_outdated`); readers are told so on its page."""
    return Exists(
        ArticleTranslation.objects.filter(
            article_id=OuterRef("article_id"), language=OuterRef("article__original_language")
        )
        .exclude(pk=OuterRef("pk"))
        .filter(
            ~Q(title=OuterRef("translated_from__title"))
            | ~Q(lead=OuterRef("translated_from__lead"))
            | ~Q(body=OuterRef("translated_from__body"))
        )
    )


def _translations_query(article_id, lang):
    position = PersonPosition.objects.filter(
        person_id=OuterRef("article__author_id"), language=lang
    ).values("position")[:1]
    return (
        ArticleTranslation.objects.filter(article_id=article_id)
        .annotate(author_position=Subquery(position), original_changed=_original_changed())
        .values_list(
            *_attnames(ArticleTranslation),
            *(f"article__{name}" for name in _attnames(Article)),
            *(f"article__author__{name}" for name in _attnames(Person)),
            *(f"article__source__{name}" for name in _attnames(Source)),
            "author_position",
            "original_changed",
        )
    )


def _related_query(lang, article_id, section_id, now):
    return (
        ArticleTranslation.objects.published(now)
        .news()
        .in_language(lang)
        .filter(article__section_id=section_id)
        .exclude(article_id=article_id)
        .order_by("-published_at", "-id")
        .values_list(*ITEM_FIELDS, "published_at")[:RELATED]
    )


def _images_query(article_id, related_ids, lang):
    wanted = Q(article_id=article_id)
    if related_ids:
        wanted |= Q(article_id__in=related_ids, pk=_first_image_row())
    return (
        ArticleImage.objects.filter(wanted)
        .annotate(text=FilteredRelation("image__texts", condition=Q(image__texts__language=lang)))
        .values_list(
            *_attnames(ArticleImage),
            *(f"image__{name}" for name in _attnames(Image)),
            "text__alt",
            "text__caption",
        )
    )


# The article page's three reads, compiled once per process (cangxanh.core.compiled).
_TRANSLATIONS = Compiled(_translations_query)
_RELATED = Compiled(_related_query)
_IMAGES = Compiled(_images_query)


def _split(row, models):
    """Model instances from consecutive runs of a row's columns (None: a missing join)."""
    found, start = [], 0
    for model in models:
        names = _attnames(model)
        values = row[start : start + len(names)]
        start += len(names)
        found.append(None if values[0] is None else model.from_db("default", names, values))
    return found, row[start:]


def article_for_page(article_id: int, lang: str | None = None) -> Article | None:
    """An article with everything its page shows, in three queries.

    One reads every translation with the article, its author (and the author's
    position in `lang`) and source, and whether each translation is behind its
    original (`original_changed`, see `_original_changed`); with `lang`, one
    reads the related articles in `lang` (`article.related_items`, see
    `related`); one reads the article's images with their alt text and caption
    in `lang`, and the first image of each related article. The article's
    `translations.all()` and `article_images.all()` then need no query, its
    section comes with its names from the section index;
    `article.author_position` (None without `lang`) and each image's
    `page_texts[lang]` (its ImageText, or None) are in `lang`.
    """
    article_id = int(article_id)  # a URL's digits
    found = _TRANSLATIONS(article_id=article_id, lang=lang or "")
    if not found:
        return Article.objects.filter(pk=article_id).first()  # none: the caller answers 404
    rows = []
    article = None
    for row in found:
        (translation, article_row, author, source), (position, changed) = _split(
            row, (ArticleTranslation, Article, Person, Source)
        )
        translation.original_changed = bool(changed) and translation.translated_from_id is not None
        if article is None:
            article = article_row
            article.author, article.source = author, source
            article.author_position = (position or "") if lang else None
        translation.article = article
        rows.append(translation)
    section = section_index().by_id.get(article.section_id)
    if section is not None:
        article.section = section
    listed = []
    if lang and article.section_id is not None:  # related: other news of its section
        related_rows = _RELATED(
            lang=lang, article_id=article.pk, section_id=article.section_id, now=timezone.now()
        )
        listed = items(related_rows, images=False)
        article.related_items = listed
    image_rows = _IMAGES(
        article_id=article.pk, related_ids=[item.article_id for item in listed], lang=lang or ""
    )
    rows_by_article: dict[int, list] = {}
    for row in image_rows:
        (link, image), (alt, caption) = _split(row, (ArticleImage, Image))
        link.image = image
        if lang:
            text = None
            if alt is not None:
                text = ImageText(image=image, language=lang, alt=alt, caption=caption)
            image.page_texts = {lang: text}
        rows_by_article.setdefault(link.article_id, []).append(link)
    images = rows_by_article.pop(article.pk, [])
    for item in listed:
        first = rows_by_article.get(item.article_id)
        item.image = first[0].image if first else None
    article._prefetched_objects_cache = {
        "translations": _known(article.translations.all(), rows),
        "article_images": _known(article.article_images.all(), images),
    }
    return article


def _known(queryset, rows):
    """`queryset` holding `rows` already, as a prefetch leaves it."""
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset
