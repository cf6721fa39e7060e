"""Reads of the agency's pages: the tree in a language, one page in every language.

Every read starts from `ArticleTranslation.objects.published().of_kind(PAGE)`, so
nothing unpublished or still scheduled is ever shown. The tree of a language is
three queries whatever its size: the pages with their facts, person and the
person's position in that language; their pictures; the pictures' texts.
"""

import re
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Subquery

from cangxanh.core.site import per_version
from cangxanh.images.models import ImageText
from cangxanh.news.models import (
    ArticleImage,
    ArticleTranslation,
    Person,
    PersonPosition,
    reverse_in,
)

from .facts import facts_of
from .models import PAGE, Key, Layout, PageFacts

# Fixed pages with an address of their own: their `/about/<slug>-<id>/` answers 301 there.
OWN_ADDRESS = {Key.CONTACT.value: "agency:contact", Key.PRIVACY.value: "agency:privacy"}


def fixed_places() -> dict[int, str]:
    """The pages that have an address of their own (`OWN_ADDRESS`), by id: one small
    query per content version, so a page's address costs none (search, sitemaps)."""
    return per_version(
        ("agency-fixed-places",),
        lambda: dict(
            PageFacts.objects.filter(key__in=list(OWN_ADDRESS)).values_list("article_id", "key")
        ),
    )


_UNKNOWN = object()


def address(row, key=_UNKNOWN) -> str:
    """Where a page translation lives: its fixed place's address (`OWN_ADDRESS`) if it
    has one, else `/about/<slug>-<id>/`; `key` (its fixed place, or None) when known."""
    if key is _UNKNOWN:
        key = fixed_places().get(row.article_id)
    if key in OWN_ADDRESS:
        return reverse_in(row.language, OWN_ADDRESS[key])
    return reverse_in(row.language, "agency:page", slug=row.slug, article_id=row.article_id)


@dataclass
class Node:
    """A page in one language, as the agency's pages show it."""

    row: ArticleTranslation
    facts: dict
    person: Person | None = None
    position: str = ""  # the person's position in the page's language
    image: object = None  # the main picture (images.Image, its texts read), or None
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None

    @property
    def id(self) -> int:
        return self.row.article_id

    @property
    def url(self) -> str:
        return address(self.row, self.facts["key"])

    @property
    def layout(self) -> str:
        return self.facts["layout"]

    @property
    def is_leader(self) -> bool:
        return self.layout == Layout.LEADER

    @property
    def is_division(self) -> bool:
        return self.layout == Layout.DIVISION

    @property
    def name(self) -> str:
        """A leader's name (their person's), else the page's title."""
        return self.person.name if self.person is not None else self.row.title

    @property
    def phone_href(self) -> str:
        return re.sub(r"[^0-9+]", "", self.facts["phone"])

    @property
    def leaders(self) -> list["Node"]:
        return [node for node in self.children if node.is_leader]

    @property
    def divisions(self) -> list["Node"]:
        return [node for node in self.children if node.is_division]

    @property
    def others(self) -> list["Node"]:
        return [node for node in self.children if not (node.is_leader or node.is_division)]

    def ancestors(self) -> list["Node"]:
        found, node, seen = [], self.parent, {self.id}
        while node is not None and node.id not in seen:
            seen.add(node.id)
            found.append(node)
            node = node.parent
        return found[::-1]


@dataclass
class Tree:
    lang: str
    roots: list[Node]
    by_id: dict[int, Node]

    def by_key(self, key: str) -> Node | None:
        return next((n for n in self.by_id.values() if n.facts["key"] == key), None)


def public_pages():
    return ArticleTranslation.objects.published().of_kind(PAGE)


def _position_in(lang: str):
    return Subquery(
        PersonPosition.objects.filter(
            person=OuterRef("article__page_facts__person"), language=lang
        ).values("position")[:1]
    )


def _pictures(lang: str) -> Prefetch:
    return Prefetch(
        "article__article_images",
        queryset=ArticleImage.objects.select_related("image").prefetch_related(
            Prefetch("image__texts", queryset=ImageText.objects.filter(language=lang))
        ),
    )


def _main_image(row, lang: str):
    links = list(row.article.article_images.all())
    if not links:
        return None
    image = links[0].image
    image.page_texts = {lang: next(iter(image.texts.all()), None)}
    return image


def node_of(row, lang: str) -> Node:
    page_facts = getattr(row.article, "page_facts", None)
    return Node(
        row=row,
        facts=facts_of(page_facts),
        person=page_facts.person if page_facts is not None else None,
        position=getattr(row, "person_position", None) or "",
        image=_main_image(row, lang),
    )


def page_tree(lang: str) -> Tree:
    """Every public page in `lang`, in the tree (a page whose parent is not public in
    `lang` stands at the first level), each level in its order."""
    rows = (
        public_pages()
        .in_language(lang)
        .select_related("article", "article__page_facts", "article__page_facts__person")
        .annotate(person_position=_position_in(lang))
        .defer("body")
        .prefetch_related(_pictures(lang))
    )
    nodes = {row.article_id: node_of(row, lang) for row in rows}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.facts["parent"])
        if parent is None or parent is node:
            roots.append(node)
        else:
            node.parent = parent
            parent.children.append(node)

    def order(node: Node):
        return (node.facts["position"], node.id)

    for node in nodes.values():
        node.children.sort(key=order)
    roots.sort(key=order)
    # A loop of parents (two pages approved under each other) reaches no root: show them there.
    reachable, stack = set(), list(roots)
    while stack:
        node = stack.pop()
        if node.id not in reachable:
            reachable.add(node.id)
            stack.extend(node.children)
    for node in nodes.values():
        if node.id not in reachable:
            if node.parent is not None:
                node.parent.children.remove(node)
            node.parent = None
            roots.append(node)
            reachable.add(node.id)
    return Tree(lang=lang, roots=roots, by_id=nodes)


def page_rows(*, article_id: int | None = None, key: str | None = None) -> list:
    """The public translations of one page (by id, or by its fixed place), every language,
    with the body: one query. Empty when it is public in no language."""
    rows = public_pages().select_related("article")
    if key is not None:
        rows = rows.filter(article__page_facts__key=key)
    else:
        rows = rows.filter(article_id=article_id)
    return list(rows)


def english_missing(required: list[str]) -> list[str]:
    """Of the fixed pages `required`, those with no public English translation."""
    have = set(
        public_pages()
        .in_language("en")
        .filter(article__page_facts__key__in=required)
        .values_list("article__page_facts__key", flat=True)
    )
    return [key for key in required if key not in have]
