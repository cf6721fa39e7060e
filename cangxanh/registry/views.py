"""The registries' public pages: partner localities (a list and a world map drawn on
the server, and a profile each), delegations and international agreements.

Everything comes from the records' public copies (`queries`), so readers see only
what an approver published. Pages are cached whole like the news (`public_page`).
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries

from cangxanh.core import collation, languages
from cangxanh.core.site import absolute
from cangxanh.core.templatetags.portal import picture_html, text_of
from cangxanh.delivery.middleware import public_page
from cangxanh.images.models import Image
from cangxanh.images.renditions import rendition
from cangxanh.news.models import ArticleTranslation, reverse_in
from cangxanh.news.views import json_ld

from . import models, queries

PAGE_SIZE = 30


def country_name(code: str) -> str:
    return str(countries.name(code)) or code


def local_date(value: str | None, lang: str) -> str:
    if not value:
        return ""
    day = datetime.date.fromisoformat(value)
    return formats.date_format(day, languages.get(lang).date_format)


def _alternates(request, name: str, **kwargs):
    targets = {code: reverse_in(code, name, **kwargs) for code in languages.codes()}
    return {
        "switcher_targets": targets,
        "page_alternates": [
            {"lang": lang, "href": absolute(request, targets[lang.code])}
            for lang in languages.enabled()
        ],
        "x_default": absolute(request, targets[settings.LANGUAGE_CODE]),
        "canonical": absolute(request, targets[request.LANGUAGE_CODE]),
    }


def own_words(record: queries.Public, key: str) -> dict:
    """A field the office writes in its own language, in the page's language when the
    record's text in it has the field: {"value", "lang"} where `lang` (BCP 47) marks
    words in another language than the page's, for the page's `lang` attribute."""
    page = record.lang
    value = record.text.get(key) or ""
    if value:
        source = record.text_lang
    else:
        value, source = record.data.get(key) or "", settings.LANGUAGE_CODE
    return {"value": value, "lang": "" if source == page else languages.get(source).bcp47}


def _choices_label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def _partner_card(p: queries.Public, lang: str) -> dict:
    return {
        "id": p.id,
        "slug": p.slug,
        "url": reverse_in(lang, "registry:partner", slug=p.slug),
        "name": p.text.get("name") or p.native_name,
        "native_name": p.native_name,
        "region": p.text.get("country_region", ""),
        "country": country_name(p.country),
        "country_code": p.country,
        "relation": p.relation,
        "relation_label": _choices_label(models.Relation, p.relation),
        "established": local_date(p.established_on, lang),
        "established_year": (p.established_on or "")[:4],
        "summary": p.text.get("summary", ""),
        "translated": p.translated,
        "text_lang": p.text_lang,
        "latitude": p.latitude,
        "longitude": p.longitude,
    }


# The city itself on the map (Hải Phòng's centre).
HOME = (20.8449, 106.6881)


def _maps(cards: list[dict], lang: str) -> list[dict]:
    """The world map and the East Asia detail, each partner a numbered link
    (cangxanh.maps): the numbers are those of the list below the maps."""
    from cangxanh.maps.world import MapPoint, world_map

    points = [
        MapPoint(
            lat=c["latitude"],
            lon=c["longitude"],
            label=f"{c['name']}, {c['country']}",
            url=c["url"],
            short=c["name"],
            number=c["number"],
        )
        for c in cards
    ]
    home = MapPoint(
        lat=HOME[0], lon=HOME[1], label=_("Hai Phong"), url=f"/{lang}/", short=_("Hai Phong")
    )
    highlight = {c["country_code"]: True for c in cards}
    maps = []
    for region, dom_id, title in (
        ("world", "map-world", _("Partner localities of the city on the world map")),
        ("east-asia", "map-east-asia", _("Partner localities in East Asia")),
    ):
        shown = world_map(
            highlight=highlight,
            points=points,
            title=title,
            description=_(
                "Each numbered place is a partner locality; its name links to its profile."
            ),
            lang=lang,
            region=region,
            home=home,
            dom_id=dom_id,
        )
        maps.append({"id": dom_id, "title": title, "svg": shown})
    return maps


@public_page(ttl=600)
@require_safe
def partners(request):
    lang = request.LANGUAGE_CODE
    cards = [_partner_card(p, lang) for p in queries.partners(lang)]
    cards.sort(key=lambda c: (collation.key(c["country"], lang), collation.key(c["name"], lang)))
    for number, card in enumerate(cards, start=1):
        card["number"] = number
    by_country: dict[str, list[dict]] = {}
    for card in cards:
        by_country.setdefault(card["country"], []).append(card)
    relations = {}
    for card in cards:
        relations[card["relation_label"]] = relations.get(card["relation_label"], 0) + 1
    return render(
        request,
        "registry/partners.html",
        {
            "title": _("Partner localities"),
            "cards": cards,
            "groups": sorted(by_country.items(), key=lambda item: collation.key(item[0], lang)),
            "countries_count": len(by_country),
            "relations": sorted(relations.items(), key=lambda item: -item[1]),
            "maps": _maps(cards, lang) if cards else [],
            "active_section_slug": "partners",
            **_alternates(request, "registry:partners"),
        },
    )


def _picture(image_id: int | None, lang: str) -> dict | None:
    """The profile's picture as <picture> HTML with its alt text and caption."""
    image = Image.objects.filter(pk=image_id).first() if image_id else None
    r = rendition(image, "wide") if image is not None else None
    if r is None:
        return None
    text = text_of(image, lang)
    alt = escape(text.alt) if text else ""
    return {
        "html": mark_safe(picture_html(r, "(min-width: 60rem) 44rem, 100vw", lazy=False, alt=alt)),
        "caption": text.caption if text else "",
        "credit": image.credit,
    }


def _articles(ids: list[int], lang: str) -> list:
    return list(
        ArticleTranslation.objects.published()
        .filter(article_id__in=ids, language=lang)
        .select_related("article")
        .order_by("-published_at")[:12]
    )


@public_page(ttl=600)
@require_safe
def partner(request, slug: str):
    lang = request.LANGUAGE_CODE
    found = queries.partner(lang, slug)
    if found is None:
        raise Http404
    card = _partner_card(found, lang)
    picture = _picture(found.picture, lang)
    agreements = [
        _agreement_row(a, lang) for a in queries.agreements(lang) if a.partner == found.id
    ]
    delegations = [
        _delegation_row(d, lang) for d in queries.delegations(lang) if d.partner == found.id
    ]
    facts = []
    if found.population:
        population = languages.get(lang).format_number(found.population)
        if found.population_year:
            population = _("%(number)s (%(year)s)") % {
                "number": population,
                "year": found.population_year,
            }
        facts.append((_("Population"), {"value": population, "lang": ""}))
    if found.area_km2:
        area = _("%(number)s km²") % {"number": languages.get(lang).format_number(found.area_km2)}
        facts.append((_("Area"), {"value": area, "lang": ""}))
    facts.append((_("Country"), {"value": card["country"], "lang": ""}))
    if card["region"]:
        facts.append((_("Region"), {"value": card["region"], "lang": ""}))
    facts.append((_("Relation"), {"value": card["relation_label"], "lang": ""}))
    if card["established"]:
        facts.append((_("Established"), {"value": card["established"], "lang": ""}))
    established_by = own_words(found, "established_by")
    if established_by["value"]:
        facts.append((_("Established by"), established_by))
    ld = {
        "@context": "https://schema.org",
        "@type": "City",
        "name": card["name"],
        "alternateName": found.native_name,
        "url": absolute(request, card["url"]),
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": found.latitude,
            "longitude": found.longitude,
        },
        "containedInPlace": {
            "@type": "Country",
            "name": card["country"],
            "identifier": found.country,
        },
    }
    return render(
        request,
        "registry/partner.html",
        {
            "title": card["name"],
            "card": card,
            "text": found.text,
            "facts": facts,
            "picture": picture,
            "illustrative": found.illustrative,
            "agreements": agreements,
            "delegations": delegations,
            "articles": _articles(found.articles, lang),
            "json_ld": json_ld(ld),
            "active_section_slug": "partners",
            **_alternates(request, "registry:partner", slug=slug),
        },
    )


def _delegation_row(d: queries.Public, lang: str) -> dict:
    return {
        "id": d.id,
        "title": d.text.get("title") or d.organisation,
        "text_lang": d.text_lang,
        "summary": d.text.get("summary", ""),
        "translated": d.translated,
        "direction": d.direction,
        "direction_label": _choices_label(models.Direction, d.direction),
        "start": local_date(d.start, lang),
        "end": local_date(d.end, lang),
        "start_iso": d.start,
        "end_iso": d.end,
        "year": d.start[:4],
        "countries": [country_name(c) for c in d.countries],
        "organisation": own_words(d, "organisation"),
        "leader": own_words(d, "leader"),
        "field": own_words(d, "field"),
        "level_label": _choices_label(models.Level, d.level),
        "purpose": d.purpose,
        "purpose_label": _choices_label(models.Purpose, d.purpose),
        "members_count": d.members_count,
        "article": d.article,
        "partner": d.partner,
    }


def _agreement_row(a: queries.Public, lang: str) -> dict:
    return {
        "id": a.id,
        "title": a.text.get("title") or a.number or a.parties,
        "summary": a.text.get("summary", ""),
        "translated": a.translated,
        "number": a.number,
        "kind_label": _choices_label(models.AgreementKind, a.kind),
        "parties": own_words(a, "parties"),
        "signed_on": local_date(a.signed_on, lang),
        "signed_iso": a.signed_on,
        "signed_at": own_words(a, "signed_at"),
        "signatories": own_words(a, "signatories"),
        "text_lang": a.text_lang,
        "expires_on": local_date(a.expires_on, lang),
        "status": a.status,
        "status_label": _choices_label(models.AgreementStatus, a.status),
        "partner": a.partner,
    }


def _filter_choice(request, name: str, allowed) -> str:
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def _partner_cards(lang: str, ids: set) -> dict[int, dict]:
    """The cards of the public partners among `ids`, by id."""
    return {p.id: _partner_card(p, lang) for p in queries.partners(lang) if p.id in ids}


@public_page(ttl=600)
@require_safe
def delegations(request):
    lang = request.LANGUAGE_CODE
    found = queries.delegations(lang)
    years = sorted({d.start[:4] for d in found}, reverse=True)
    direction = _filter_choice(request, "direction", {c.value for c in models.Direction})
    year = _filter_choice(request, "year", set(years))
    matching = [
        d
        for d in found
        if (not direction or d.direction == direction) and (not year or d.start[:4] == year)
    ]
    paginator = Paginator(matching, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        page = paginator.page(1)
    # Rows (country names, dates in words) only for the page shown.
    shown = [_delegation_row(d, lang) for d in page.object_list]
    articles = {
        t.article_id: t
        for t in ArticleTranslation.objects.published()
        .filter(language=lang, article_id__in=[r["article"] for r in shown if r["article"]])
        .select_related("article")
    }
    partner_cards = _partner_cards(lang, {r["partner"] for r in shown})
    for row in shown:
        row["article_row"] = articles.get(row["article"])
        row["partner_card"] = partner_cards.get(row["partner"])
    return render(
        request,
        "registry/delegations.html",
        {
            "title": _("Delegations"),
            "rows": shown,
            "total": len(matching),
            "page": page,
            "page_query": urlencode(
                {k: v for k, v in (("direction", direction), ("year", year)) if v}
            ),
            "years": years,
            "directions": models.Direction.choices,
            "params": {"direction": direction, "year": year},
            "active_section_slug": "partners",
            "noindex": bool(direction or year or page.number > 1),
            **_alternates(request, "registry:delegations"),
        },
    )


@public_page(ttl=600)
@require_safe
def agreements(request):
    lang = request.LANGUAGE_CODE
    rows = [_agreement_row(a, lang) for a in queries.agreements(lang)]
    partner_cards = _partner_cards(lang, {row["partner"] for row in rows})
    for row in rows:
        row["partner_card"] = partner_cards.get(row["partner"])
    return render(
        request,
        "registry/agreements.html",
        {
            "title": _("International agreements"),
            "rows": rows,
            "active_section_slug": "partners",
            **_alternates(request, "registry:agreements"),
        },
    )
