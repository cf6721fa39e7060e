"""Reads for the public site, shared by views (and later feeds, sitemaps, search)."""

from django.db.models import Prefetch

from .models import Article, ArticleImage, ArticleTranslation, Section, SectionTranslation


def sections_in_menu():
    return Section.objects.filter(in_menu=True, parent__isnull=True).prefetch_related(
        "translations"
    )


def section_by_slug(lang: str, slug: str) -> tuple[Section, bool] | None:
    """The section a slug names, and whether the slug is the right one for `lang`.

    A slug from another language still finds the section, so the caller can
    redirect to the canonical address instead of answering 404.
    """
    rows = list(SectionTranslation.objects.filter(slug=slug).select_related("section"))
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


def public_translations(lang: str):
    return ArticleTranslation.objects.published().in_language(lang).for_listing()


def article_for_page(article_id: int) -> Article | None:
    """An article with everything its page shows, in a fixed number of queries."""
    return (
        Article.objects.filter(pk=article_id)
        .select_related("section", "author", "source")
        .prefetch_related(
            "section__translations",
            "author__positions",
            "translations",
            Prefetch(
                "article_images",
                queryset=ArticleImage.objects.select_related("image").prefetch_related(
                    "image__texts"
                ),
            ),
        )
        .first()
    )
