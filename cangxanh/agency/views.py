"""The agency's public pages: `/about/` (the tree), one page, `/contact/` and `/privacy/`.

Each is a public page for the page cache (delivery.middleware.public_page), with
its canonical address, hreflang alternates, the language switcher's targets,
Dublin Core and schema.org JSON-LD, a breadcrumb and a print layout (`?print=1`).
A page public in other languages only answers the news' "not translated yet" page.
"""

from urllib.parse import unquote

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cangxanh.core import languages
from cangxanh.core.site import absolute, site_identity
from cangxanh.core.templatetags.portal import body_html, text_of
from cangxanh.core.text import shorten
from cangxanh.delivery.middleware import public_page
from cangxanh.images.bodies import body_pictures
from cangxanh.images.renditions import rendition
from cangxanh.news.models import Person, reverse_in
from cangxanh.news.views import iso, json_ld, not_translated, x_default_language

from . import queries
from .facts import DEFAULTS, facts_of
from .models import Key, Layout, PageFacts


def page_url(row) -> str:
    """A page translation's address (news.kinds): from its language, slug and id; the
    contact page and the notice at their own (`queries.fixed_places`, no query per row)."""
    return queries.address(row)


def about_url(lang: str) -> str:
    return reverse_in(lang, "agency:about")


# --- schema.org -----------------------------------------------------------------


def _agency_name(site: dict) -> str:
    return site["publisher"] or site["name"]


def _person_data(request, node: queries.Node) -> dict:
    data = {"@type": "Person", "name": node.person.name if node.person else node.row.title}
    data["url"] = absolute(request, node.url)
    if node.position:
        data["jobTitle"] = node.position
    if node.facts["phone"]:
        data["telephone"] = node.facts["phone"]
    if node.facts["email"]:
        data["email"] = node.facts["email"]
    picture = rendition(node.image, "full") if node.image is not None else None
    if picture is not None:
        data["image"] = absolute(request, picture.src)
    return data


def organization(request, lang: str, tree: queries.Tree | None = None) -> dict:
    """The agency as schema.org's GovernmentOrganization, from the site identity; with
    the tree, its leaders (`employee`) and divisions (`department`)."""
    site = site_identity(lang)
    data = {
        "@type": "GovernmentOrganization",
        "name": _agency_name(site),
        "url": absolute(request, about_url(lang)),
    }
    for field, name in (("address", "address"), ("phone", "telephone"), ("email", "email")):
        if site.get(field):
            data[name] = site[field]
    if tree is not None:
        nodes = sorted(tree.by_id.values(), key=lambda n: (n.facts["position"], n.id))
        leaders = [_person_data(request, n) for n in nodes if n.is_leader]
        divisions = []
        for node in nodes:
            if node.is_division:
                division = {
                    "@type": "GovernmentOrganization",
                    "name": node.row.title,
                    "url": absolute(request, node.url),
                }
                if node.facts["phone"]:
                    division["telephone"] = node.facts["phone"]
                if node.facts["email"]:
                    division["email"] = node.facts["email"]
                divisions.append(division)
        if leaders:
            data["employee"] = leaders
        if divisions:
            data["department"] = divisions
    return data


def _meta(request, *, lang, title, description, canonical, published, modified, image, ld):
    """What the head carries (agency/_meta.html): Open Graph, Dublin Core, JSON-LD."""
    site = site_identity(lang)
    picture = rendition(image, "wide") if image is not None else None
    alt = text_of(image, lang) if image is not None else None
    return {
        "title": title,
        "description": shorten(description, 300, lang),
        "canonical": canonical,
        "publisher": _agency_name(site),
        "published": iso(published),
        "modified": iso(modified),
        "image": {
            "url": absolute(request, picture.src),
            "width": picture.width,
            "height": picture.height,
            "alt": alt.alt if alt else "",
        }
        if picture is not None
        else None,
        "json_ld": json_ld({"@context": "https://schema.org"} | ld),
    }


def _print_view(request) -> bool:
    # `?print=1`: the same page laid out for paper (delivery keeps the parameter).
    return request.GET.get("print") == "1"


# --- /about/ ----------------------------------------------------------------------


@public_page(ttl=300)
@require_safe
def about(request):
    """The agency: its first-level pages in order, each with its divisions or leaders."""
    lang = request.LANGUAGE_CODE
    tree = queries.page_tree(lang)
    site = site_identity(lang)
    print_view = _print_view(request)
    path = about_url(lang)
    canonical = absolute(request, path)
    switcher = {code: about_url(code) for code in languages.codes()}
    rows = [node.row for node in tree.by_id.values()]
    published = min((r.published_at for r in rows), default=None)
    modified = max((max(r.updated_at, r.published_at) for r in rows), default=None)
    title = _("About the agency")
    description = next(
        (n.row.lead for n in tree.roots if n.row.lead), site["slogan"] or _agency_name(site)
    )
    ld = {
        "@type": "AboutPage",
        "name": title,
        "url": canonical,
        "inLanguage": languages.get(lang).bcp47,
        "mainEntity": organization(request, lang, tree),
    }
    first_image = next((n.image for n in tree.roots if n.image is not None), None)
    return render(
        request,
        "agency/about.html",
        {
            "tree": tree,
            "agency_name": _agency_name(site),
            "canonical": canonical,
            "page_alternates": [
                {"lang": lang_, "href": absolute(request, switcher[lang_.code])}
                for lang_ in languages.enabled()
            ],
            "x_default": absolute(
                request, switcher[x_default_language(settings.LANGUAGE_CODE, switcher)]
            ),
            "switcher_targets": switcher,
            "active_section_slug": "about",
            "print_view": print_view,
            "noindex": print_view,
            "printed_url": unquote(canonical),
            "meta": _meta(
                request,
                lang=lang,
                title=title,
                description=description,
                canonical=canonical,
                published=published,
                modified=modified,
                image=first_image,
                ld=ld,
            ),
        },
    )


# --- One page -----------------------------------------------------------------------


def _show(request, rows: list):
    """A page public in some languages (`rows`), at its own address: the fixed one of
    the contact page and the notice (`OWN_ADDRESS`), else `/about/<slug>-<id>/`."""
    lang = request.LANGUAGE_CODE
    if not rows:
        raise Http404
    article_obj = rows[0].article
    public = {}
    for row in rows:
        row.article = article_obj
        public[row.language] = row
    current = public.get(lang)
    if current is None:
        return not_translated(request, article_obj, public)
    tree = queries.page_tree(lang)
    node = tree.by_id.get(article_obj.pk)
    if node is None:  # unpublished between the two reads
        raise Http404
    node.row = current  # with its body
    key = node.facts["key"]
    canonical = queries.address(current, key)
    if unquote(canonical) != request.path:
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(canonical + (f"?{query}" if query else ""))
    print_view = _print_view(request)
    return render_page(
        request,
        node=node,
        tree=tree,
        public=public,
        canonical=canonical,
        print_view=print_view,
    )


@public_page(ttl=300)
@require_safe
def page(request, slug: str, article_id: int):
    return _show(request, queries.page_rows(article_id=article_id))


@public_page(ttl=300)
@require_safe
def contact(request):
    """`/contact/`: the page whose fixed place is "contact", with the agency's contacts."""
    return _show(request, queries.page_rows(key=Key.CONTACT.value))


@public_page(ttl=300)
@require_safe
def privacy(request):
    """`/privacy/`: the personal-data notice (Decree 13/2023/NĐ-CP) that forms link to."""
    return _show(request, queries.page_rows(key=Key.PRIVACY.value))


def render_page(
    request,
    *,
    node: queries.Node,
    tree: queries.Tree,
    public: dict,
    canonical: str,
    print_view: bool = False,
    preview: bool = False,
):
    current = node.row
    lang = current.language
    article_obj = current.article
    site = site_identity(lang)
    key = node.facts["key"]
    switcher = {}
    alternates = []
    for code in languages.codes():
        if code in public:
            url = queries.address(public[code], key)
            switcher[code] = url
            alternates.append({"lang": languages.get(code), "href": absolute(request, url)})
    url = absolute(request, canonical)
    x_default = switcher.get(x_default_language(article_obj.original_language, switcher))
    published = current.published_at
    modified = max(current.updated_at, published) if published else current.updated_at
    if node.is_leader and node.person is not None:
        ld_type, entity = "ProfilePage", _person_data(request, node)
        entity["worksFor"] = organization(request, lang)
    elif key == Key.CONTACT.value or node.layout == Layout.CONTACT:
        ld_type, entity = "ContactPage", organization(request, lang)
    else:
        ld_type, entity = "WebPage", None
    ld = {
        "@type": ld_type,
        "name": current.title,
        "url": url,
        "inLanguage": languages.get(lang).bcp47,
        "isPartOf": {
            "@type": "WebSite",
            "name": site["name"],
            "url": absolute(request, f"/{lang}/"),
        },
    }
    if current.lead:
        ld["description"] = shorten(current.lead, 300, lang)
    if published:
        ld["datePublished"] = iso(published)
    ld["dateModified"] = iso(modified)
    if entity is not None:
        ld["mainEntity"] = entity
    else:
        ld["about"] = organization(request, lang)
    pictures = body_pictures(current.body, lang)
    top = (node.ancestors() or [node])[0]
    return render(
        request,
        "agency/page.html",
        {
            "page": node,
            "tree": tree,
            "top": top,
            "ancestors": node.ancestors(),
            "body": mark_safe(body_html(current.body, pictures, print_view=print_view)),
            "show_contacts": key == Key.CONTACT.value or node.layout == Layout.CONTACT,
            "canonical": url,
            "page_alternates": alternates,
            "x_default": absolute(request, x_default) if x_default else url,
            "switcher_targets": switcher,
            "article_id": article_obj.pk,
            "active_section_slug": "contact" if key == Key.CONTACT.value else "about",
            "about_url": about_url(lang),
            "print_view": print_view,
            "preview": preview,
            "noindex": preview or print_view,
            "printed_url": unquote(url),
            "meta": _meta(
                request,
                lang=lang,
                title=current.title,
                description=current.lead or site["slogan"],
                canonical=url,
                published=published,
                modified=modified,
                image=node.image,
                ld=ld,
            ),
        },
    )


def render_preview(request, article_obj, current, public, *, canonical, preview=True, extra=None):
    """The staff preview of a page (news.kinds `render`): its working text, and the facts
    waiting for approval (`extra`) or else the live ones."""
    lang = current.language
    if extra is None:
        live = PageFacts.objects.filter(article_id=article_obj.pk).first()
        facts = facts_of(live)
    else:
        facts = DEFAULTS | extra
    person = (
        Person.objects.prefetch_related("positions").filter(pk=facts["person"]).first()
        if facts["person"]
        else None
    )
    links = list(article_obj.article_images.all())  # the waiting pictures, if any
    image = links[0].image if links else None
    tree = queries.page_tree(lang)
    node = queries.Node(
        row=current,
        facts=facts,
        person=person,
        position=person.position(lang) if person else "",
        image=image,
    )
    found = tree.by_id.get(article_obj.pk)
    if found is not None:
        node.children = found.children
    node.parent = tree.by_id.get(facts["parent"])
    for row in public.values():
        row.article = article_obj
    # Its address as readers will have it (`canonical` is the live one's).
    return render_page(
        request,
        node=node,
        tree=tree,
        public=public,
        canonical=queries.address(current, facts["key"]),
        preview=preview,
    )
