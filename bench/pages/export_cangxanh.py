"""Export cangxanh's published content as JSON, for the Wagtail side of the page bench.

Run with the project venv, with CANGXANH_VAR_DIR naming the scratch var dir:
    .venv/bin/python bench/pages/export_cangxanh.py OUT.json CHOSEN_TRANSLATION_ID

Writes the site identity and section names per language, the people and their
positions, the sources, every image used by a published article (file path,
credit, focal point, alt text and caption per language), and every article
with all its published translations (title, URL slug, lead, body split the way
the article page places further images, publication time, view count).
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[2]


def main(out: str, chosen_id: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cangxanh.settings")
    import django

    django.setup()
    from django.conf import settings

    from cangxanh.core import languages
    from cangxanh.core.models import SiteIdentity
    from cangxanh.news.models import ArticleTranslation, Person, Section, Source
    from cangxanh.news.views import _body_parts

    codes = languages.codes()
    site = {
        row.language: {
            "name": row.name,
            "slogan": row.slogan,
            "publisher": row.publisher,
            "footer": row.footer,
        }
        for row in SiteIdentity.objects.all()
    }
    sections = [
        {
            "key": s.key,
            "in_menu": s.in_menu,
            "names": {t.language: {"name": t.name, "slug": t.slug} for t in s.translations.all()},
        }
        for s in Section.objects.prefetch_related("translations")
    ]
    people = [
        {
            "id": p.pk,
            "name": p.name,
            "positions": {r.language: r.position for r in p.positions.all()},
        }
        for p in Person.objects.prefetch_related("positions")
    ]
    sources = [{"id": s.pk, "name": s.name, "url": s.url} for s in Source.objects.all()]

    published = (
        ArticleTranslation.objects.published()
        .news()  # news articles only: agency pages, documents… have no section, no Wagtail twin
        .select_related("article__section", "article__source")
        .prefetch_related(
            "article__section__translations",
            "article__article_images__image__texts",
        )
        .order_by("published_at", "id")
    )
    articles: dict[int, dict] = {}
    images: dict[int, dict] = {}
    chosen = False
    for t in published:
        article = t.article
        article_images = [ai.image for ai in article.article_images.all()]
        for image in article_images:
            images.setdefault(
                image.pk,
                {
                    "id": image.pk,
                    "path": image.file.path,
                    "width": image.width,
                    "height": image.height,
                    "focal_x": image.focal_x,
                    "focal_y": image.focal_y,
                    "credit": image.credit,
                    "texts": {
                        x.language: {"alt": x.alt, "caption": x.caption} for x in image.texts.all()
                    },
                },
            )
        entry = articles.setdefault(
            article.pk,
            {
                "id": article.pk,
                "section": article.section.key,
                "original_language": article.original_language,
                "author": article.author_id,
                "source": article.source_id,
                "source_url": article.source_url,
                "images": [image.pk for image in article_images],
                "translations": {},
            },
        )
        url = t.get_absolute_url()
        parts = [
            {"html": part} if kind == "html" else {"image": part.pk}
            for kind, part in _body_parts(t.body, article_images[1:])
        ]
        entry["translations"][t.language] = {
            "title": t.title,
            # The last path segment, so that Wagtail serves the very same URL path.
            "slug": unquote(url.rstrip("/").rsplit("/", 1)[-1]),
            "url": url,
            "lead": t.lead,
            "body_parts": parts,
            "published_at": t.published_at.isoformat(),
            "view_count": t.view_count,
            "chosen": t.pk == chosen_id,
        }
        chosen = chosen or t.pk == chosen_id
    if not chosen:
        raise SystemExit(f"translation {chosen_id} is not published")
    data = {
        "default_language": settings.LANGUAGE_CODE,
        "languages": codes,
        "site": site,
        "sections": sections,
        "people": people,
        "sources": sources,
        "images": list(images.values()),
        "articles": list(articles.values()),
    }
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1))
    print(
        f"exported {len(published)} translations of {len(articles)} articles, {len(images)} images"
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
