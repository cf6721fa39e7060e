"""A news site the Wagtail way: home per locale, section index pages, article pages.

Translations are Wagtail pages linked by translation_key (copy_for_translation);
authors are translatable snippets; images are Wagtail images (a custom model
for the photo credit) attached to an article with a per-article caption.
"""

import json
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.templatetags.static import static
from django.utils.text import Truncator
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, Image
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

# The renditions the templates ask for ({% picture %} specs, expanded as the tag does).
CARD = Filter.expand_spec("format-{webp,jpeg} fill-{320x180,480x270,720x405}")
WIDE = Filter.expand_spec("format-{webp,jpeg} fill-{640x360,960x540,1280x720}")
FULL = Filter.expand_spec("format-{webp,jpeg} width-{720,1080,1440,1920}")
SHARE = "fill-1200x630|format-jpeg"


def with_images(queryset, *specs):
    """Articles with their images and just the renditions their cards use, prefetched."""
    images = NewsImage.objects.prefetch_renditions(*(specs or CARD))
    return queryset.prefetch_related(Prefetch("gallery_images__image", queryset=images))


class NewsImage(AbstractImage):
    credit = models.CharField(max_length=200, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "credit")


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


@register_snippet
class Author(TranslatableMixin, models.Model):
    """A byline: the name is the same everywhere, the position is per locale."""

    name = models.CharField(max_length=120)
    position = models.CharField(max_length=200, blank=True)

    panels = [FieldPanel("name"), FieldPanel("position")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]

    def __str__(self):
        return self.name


@register_snippet
class Source(models.Model):
    name = models.CharField(max_length=200, unique=True)
    url = models.URLField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("url")]

    def __str__(self):
        return self.name


class HomePage(Page):
    """The root of one locale's tree; it also carries that locale's site identity."""

    site_name = models.CharField(max_length=200)
    slogan = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    footer = models.TextField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("site_name"),
        FieldPanel("slogan"),
        FieldPanel("publisher"),
        FieldPanel("footer"),
    ]
    subpage_types = ["news.SectionPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = (
            ArticlePage.objects.live()
            .filter(locale_id=self.locale_id)
            .order_by("-published_at", "-pk")
        )
        latest = list(with_images(articles, *CARD, *WIDE)[:5])
        lead = next((a for a in latest if a.main_image), latest[0] if latest else None)
        sections = list(self.get_children().live().in_menu().type(SectionPage))
        # An article's section is its parent: look it up by tree path, not a query per card.
        by_path = {section.path: section for section in sections}
        for item in latest:
            item.section = by_path.get(item.path[: -Page.steplen])
        blocks = []
        for section in sections:
            items = with_images(articles.child_of(section))
            if lead is not None:
                items = items.exclude(pk=lead.pk)
            items = list(items[:4])
            if items:
                blocks.append({"section": section, "items": items})
        url = self.get_full_url(request)
        context.update(
            lead=lead,
            top=[a for a in latest if a is not lead][:4],
            blocks=blocks,
            most_read=list(articles.order_by("-view_count", "-published_at")[:5]),
            canonical=url,
            json_ld={
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": self.site_name,
                "description": self.slogan,
                "url": url,
                "inLanguage": self.locale.language_code,
                "publisher": publisher(request, self),
            },
        )
        return context


class SectionPage(Page):
    """A section's index: its articles, newest first."""

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["section"] = self
        context["articles"] = with_images(
            ArticlePage.objects.live().child_of(self).order_by("-published_at", "-pk")
        )[:12]
        return context


class ArticlePage(Page):
    lead = models.TextField(blank=True)
    body = RichTextField(blank=True)
    published_at = models.DateTimeField(db_index=True)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_url = models.URLField(blank=True)
    view_count = models.PositiveBigIntegerField(default=0, db_index=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("published_at"),
        FieldPanel("author"),
        FieldPanel("source"),
        FieldPanel("source_url"),
        InlinePanel("gallery_images", label="Images"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]
    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    @property
    def main_image(self):
        """The first attached image (with its caption), or None."""
        return next(iter(self.gallery_images.all()), None)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        section = self.get_parent()
        images = list(
            self.gallery_images.prefetch_related(
                Prefetch("image", queryset=NewsImage.objects.prefetch_renditions(*FULL, SHARE))
            )
        )
        home = section.get_parent().specific
        url = self.get_full_url(request)
        related = with_images(
            ArticlePage.objects.live()
            .sibling_of(self, inclusive=False)
            .order_by("-published_at", "-pk")
        )[:4]
        context.update(
            section=section,
            main=images[0] if images else None,
            related=related,
            canonical=url,
            share_links=share_links(url, self.title),
            description=Truncator(self.lead).chars(300),
            json_ld=self.news_article(request, url, section, home, images),
        )
        return context

    def news_article(self, request, url, section, home, images) -> dict:
        """schema.org NewsArticle for the page head."""
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "url": url,
            "headline": Truncator(self.title).chars(110),
            "description": Truncator(self.lead).chars(300),
            "inLanguage": self.locale.language_code,
            "datePublished": self.published_at.isoformat(timespec="seconds"),
            "dateModified": (self.last_published_at or self.published_at).isoformat(
                timespec="seconds"
            ),
            "articleSection": section.title,
            "publisher": publisher(request, home),
        }
        if self.author:
            data["author"] = {"@type": "Person", "name": self.author.name}
            if self.author.position:
                data["author"]["jobTitle"] = self.author.position
        if images:
            share = images[0].image.get_rendition(SHARE)
            data["image"] = [request.build_absolute_uri(share.url)]
        if self.source:
            based_on = {
                "@type": "CreativeWork",
                "publisher": {"@type": "Organization", "name": self.source.name},
            }
            if self.source_url:
                based_on["url"] = self.source_url
            data["isBasedOn"] = based_on
        return data


class ArticlePageImage(Orderable):
    """An image of one article, with the caption and alt text of that translation."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(max_length=500, blank=True)
    alt = models.CharField(max_length=300, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption"), FieldPanel("alt")]


def publisher(request, home) -> dict:
    return {
        "@type": "Organization",
        "name": home.publisher or home.site_name,
        "url": home.get_full_url(request),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(static("news/logo.png")),
        },
    }


def share_links(url: str, title: str) -> list[dict]:
    """Plain share links (no third-party script); an empty href is a share-sheet button."""
    return [
        {
            "key": "facebook",
            "label": "Facebook",
            "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        },
        {
            "key": "x",
            "label": "X",
            "href": "https://x.com/intent/post?" + urlencode({"url": url, "text": title}),
        },
        {
            "key": "linkedin",
            "label": "LinkedIn",
            "href": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        },
        {"key": "zalo", "label": "Zalo", "href": ""},
        {
            "key": "line",
            "label": "LINE",
            "href": "https://social-plugins.line.me/lineit/share?" + urlencode({"url": url}),
        },
        {"key": "kakaotalk", "label": "KakaoTalk", "href": ""},
        {
            "key": "weibo",
            "label": "Weibo",
            "href": "https://service.weibo.com/share/share.php?"
            + urlencode({"url": url, "title": title}),
        },
        {
            "key": "email",
            "label": "E-mail",
            "href": f"mailto:?subject={quote(title)}&body={quote(url)}",
        },
    ]


def to_json(data: dict) -> str:
    """JSON that can stand inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
