"""Build the page tree from the JSON that bench/pages/export_cangxanh.py writes.

One home page per locale (translations of the default one), one section index
page per section and locale, one article page per published translation, all
made with copy_for_translation so Wagtail links them as translations. At the
end every live page is rendered once, which also makes the image renditions.
"""

import json
from datetime import datetime
from html import escape
from pathlib import Path

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from wagtail.models import Locale, Page, Site

from news.models import (
    ArticlePage,
    ArticlePageImage,
    Author,
    HomePage,
    NewsImage,
    SectionPage,
    Source,
)


class Command(BaseCommand):
    help = "Load the cangxanh export into the Wagtail page tree."

    def add_arguments(self, parser):
        parser.add_argument("export", help="JSON written by export_cangxanh.py")
        parser.add_argument("--result", help="write the chosen article's URL here (JSON)")

    def handle(self, *args, export, result=None, **options):
        data = json.loads(Path(export).read_text())
        with transaction.atomic():
            chosen_url = self.load(data)
        self.render_all()
        home_url = HomePage.objects.get(locale__language_code=data["default_language"]).url
        if result:
            Path(result).write_text(json.dumps({"article_url": chosen_url, "home_url": home_url}))
        self.stdout.write(f"seeded {ArticlePage.objects.count()} article pages; {chosen_url}")

    def load(self, data) -> str:
        codes = data["languages"]
        default = data["default_language"]
        self.locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in codes}

        # The tree: replace the "Welcome" page of a fresh install with our home page.
        root = Page.get_first_root_node()
        Page.objects.filter(depth=2).delete()
        homes = {}
        for code in [default, *[c for c in codes if c != default]]:
            identity = data["site"][code]
            if code == default:
                home = root.add_child(
                    instance=HomePage(
                        title=identity["name"],
                        slug="home",
                        locale=self.locales[code],
                        site_name=identity["name"],
                    )
                )
            else:
                home = homes[default].copy_for_translation(self.locales[code])
            home.title = identity["name"]
            home.site_name = identity["name"]
            home.slogan = identity["slogan"]
            home.publisher = identity["publisher"]
            home.footer = identity["footer"]
            home.save_revision().publish()
            homes[code] = home
        Site.objects.all().delete()
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=homes[default],
            is_default_site=True,
            site_name=data["site"][default]["name"],
        )

        sections = {}
        for section in data["sections"]:
            first = None
            for code in codes:
                name = section["names"].get(code)
                if name is None:
                    continue
                if first is None:
                    page = homes[code].add_child(
                        instance=SectionPage(
                            title=name["name"], slug=name["slug"], locale=self.locales[code]
                        )
                    )
                    first = page
                else:
                    page = first.copy_for_translation(self.locales[code])
                page.title = name["name"]
                page.slug = name["slug"]
                page.show_in_menus = section["in_menu"]
                page.save_revision().publish()
                sections[section["key"], code] = page

        authors = {}
        for person in data["people"]:
            first = None
            for code in codes:
                if first is None:
                    author = Author(name=person["name"], locale=self.locales[code])
                    first = author
                else:
                    author = first.copy_for_translation(self.locales[code])
                author.position = person["positions"].get(code, "")
                author.save()
                authors[person["id"], code] = author

        sources = {
            s["id"]: Source.objects.create(name=s["name"], url=s["url"]) for s in data["sources"]
        }
        self.images = {}
        self.image_texts = {}
        for item in data["images"]:
            path = Path(item["path"])
            with path.open("rb") as handle:
                image = NewsImage(
                    title=path.stem,
                    file=ImageFile(handle, name=path.name),
                    credit=item["credit"],
                    description=item["texts"].get(default, {}).get("alt", ""),
                )
                if (item["focal_x"], item["focal_y"]) != (50, 50):
                    # cangxanh keeps a focal point in percent; Wagtail wants a box in pixels.
                    image.focal_point_x = item["width"] * item["focal_x"] // 100
                    image.focal_point_y = item["height"] * item["focal_y"] // 100
                    image.focal_point_width = item["width"] // 10
                    image.focal_point_height = item["height"] // 10
                image.save()
            self.images[item["id"]] = image
            self.image_texts[item["id"]] = item["texts"]

        chosen_url = ""
        for article in data["articles"]:
            translations = article["translations"]
            order = sorted(
                translations, key=lambda c: (c != article["original_language"], codes.index(c))
            )
            first = None
            for code in order:
                if first is None:
                    page = ArticlePage(locale=self.locales[code])
                    self.fill(page, article, translations[code], code, authors, sources)
                    page = sections[article["section"], code].add_child(instance=page)
                    first = page
                else:
                    page = first.copy_for_translation(self.locales[code])
                    self.fill(page, article, translations[code], code, authors, sources)
                page.save_revision().publish()
                if translations[code].get("chosen"):
                    chosen_url = page.url
        if not chosen_url:
            raise CommandError("the export names no chosen article")
        return chosen_url

    def fill(self, page, article, text, code, authors, sources):
        published = datetime.fromisoformat(text["published_at"])
        page.title = text["title"]
        page.slug = text["slug"]
        page.lead = text["lead"]
        page.body = self.body(text["body_parts"], code)
        page.published_at = published
        page.first_published_at = published
        page.view_count = text["view_count"]
        page.author = authors.get((article["author"], code))
        page.source = sources.get(article["source"])
        page.source_url = article["source_url"]
        page.gallery_images = [
            ArticlePageImage(
                image=self.images[image_id],
                caption=self.image_texts[image_id].get(code, {}).get("caption", ""),
                alt=self.image_texts[image_id].get(code, {}).get("alt", ""),
                sort_order=position,
            )
            for position, image_id in enumerate(article["images"])
        ]

    def body(self, parts, code) -> str:
        """Rich text: the HTML blocks, with further images as Wagtail image embeds."""
        out = []
        for part in parts:
            if "html" in part:
                out.append(part["html"])
            else:
                alt = self.image_texts[part["image"]].get(code, {}).get("alt", "")
                image = self.images[part["image"]]
                out.append(
                    f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="{escape(alt)}"/>'
                )
        return "".join(out)

    def render_all(self):
        """Render every live page once: checks them and makes every rendition they use."""
        client = Client()
        for page in Page.objects.live().filter(depth__gte=2).specific():
            response = client.get(page.url, HTTP_HOST="localhost")
            if response.status_code != 200:
                raise CommandError(f"{page.url}: HTTP {response.status_code}")
