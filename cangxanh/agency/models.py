"""The agency's pages: their facts beside the article, and the newsroom's name for them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cangxanh.news.models import Article, KindManager, Person

PAGE = "page"  # the kind (news.kinds)


class Layout(models.TextChoices):
    """How a page is shown among its siblings and on its own."""

    TEXT = "text", pgettext_lazy("page layout", "Text")
    DIVISION = "division", pgettext_lazy("page layout", "Division")
    LEADER = "leader", pgettext_lazy("page layout", "Leader")
    CONTACT = "contact", pgettext_lazy("page layout", "Contact")


class Key(models.TextChoices):
    """The fixed pages the site finds by their key (the agency's own addresses, and
    the pages the law requires: agency.checks)."""

    FUNCTIONS = "functions", _("Functions and tasks")
    STRUCTURE = "structure", _("Structure")
    LEADERS = "leaders", _("Leaders")
    HISTORY = "history", _("History")
    CONTACT = "contact", _("Contact")
    PRIVACY = "privacy", _("Personal data notice")


class PageFacts(models.Model):
    """What a page is, the same in every language. Written only by
    `agency.facts.PageFacts.apply`, inside the workflow's transaction."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="page_facts"
    )
    parent = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_pages",
        verbose_name=_("parent page"),
        help_text=_("Empty: a page of the agency's first level."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    key = models.SlugField(
        _("fixed page"),
        max_length=20,
        choices=Key.choices,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The page the site shows at this fixed place, if any."),
    )
    layout = models.CharField(
        _("layout"), max_length=20, choices=Layout.choices, default=Layout.TEXT
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
        help_text=_("A leader's page: the person (their position comes from their record)."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("page facts")
        verbose_name_plural = _("page facts")
        ordering = ["position", "article_id"]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.get_layout_display()}"


class AgencyPage(Article):
    """The newsroom's name for an article of the kind "page" (its own admin)."""

    objects = KindManager(PAGE)

    class Meta:
        proxy = True
        verbose_name = _("agency page")
        verbose_name_plural = _("agency pages")
