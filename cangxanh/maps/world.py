"""A world map drawn on the server as inline SVG: partner countries and places as links.

The outlines come from ``data/world.json`` (Natural Earth, public domain; see
``build_data.py``), already projected with Equal Earth into the map's frame
(``projection.py``). Nothing is fetched from elsewhere, and the output carries no
``style`` attribute and no ``<style>`` element (the site's CSP forbids them): every
look is a class styled in ``static/cangxanh/site.css`` (``.world-map``).

Crowded places (Korea, Japan, China around the Yellow Sea) stay readable: each place
is a small dot at its true position and, when it has a ``number``, a numbered badge
that moves aside along a thin leader line when it would cover another badge; the page
lists the places with the same numbers beside the map. A short label is drawn where
it fits and otherwise shows only while its link is hovered or focused. Text and markers
are drawn once for each range of widths the map may be shown at (``LAYERS``); the
stylesheet shows the one drawn for the map's own width, so no name is drawn under 11
pixels. It asks the map's box for that width: the page makes the element around the
``<svg>`` a size container, ``container: world-map / inline-size``; without one, the
narrowest drawing shows. Under 400 pixels a whole world shows dots only (East Asia is
under 80 of them), and ``region="east-asia"`` draws the same map cropped to where most
partners are (outlines outside the crop are left out, so the page carries less).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .projection import HEIGHT, SOUTH, WIDTH, project

__all__ = ["REGIONS", "MapPoint", "project", "world_map"]

DATA = Path(__file__).with_name("data") / "world.json"

# (west, south, east, north) in degrees; the view is the frame's box around it.
REGIONS: dict[str, tuple[float, float, float, float] | None] = {
    "world": None,
    "east-asia": (93.0, 3.0, 147.0, 50.0),
    "europe": (-12.0, 35.0, 40.0, 62.0),
}

# Highlighting a country also colours the parts ISO 3166 lists apart but Viet Nam's
# policy counts as that country (the One-China policy).
TOGETHER = {"CN": ("HK", "MO", "TW")}

# Viet Nam's Hoàng Sa and Trường Sa archipelagos: too small for the 1:50m outlines, but
# every map published in Viet Nam shows them. Main islands and reefs, (lat, lon).
HOANG_SA = [
    (16.83, 112.34), (16.67, 112.73), (16.98, 112.26), (16.53, 111.61),
    (16.45, 111.71), (16.05, 111.77), (15.78, 111.20),
]  # fmt: skip
TRUONG_SA = [
    (11.43, 114.33), (11.05, 114.28), (10.67, 114.42), (10.38, 114.36), (10.18, 114.36),
    (9.88, 114.33), (8.64, 111.92), (7.87, 112.92), (8.85, 112.20), (8.96, 113.69),
    (8.10, 113.30), (11.08, 115.02), (10.82, 115.82), (7.37, 113.83), (8.85, 114.65),
]  # fmt: skip

_CLASS = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class MapPoint:
    """A place on the map, drawn as a link.

    ``label`` is the link's accessible name (and its tooltip); ``short`` the words drawn
    beside the marker, if any; ``number`` the badge's number, which the list beside the
    map repeats (None: a dot only); ``kind`` an extra class for the marker (a-z, 0-9, -).
    """

    lat: float
    lon: float
    label: str
    url: str
    short: str = ""
    number: int | None = None
    kind: str = ""


@dataclass(frozen=True)
class _View:
    x: float
    y: float
    width: float
    height: float

    def contains(self, box) -> bool:
        x0, y0, x1, y1 = box
        return (
            x1 >= self.x
            and x0 <= self.x + self.width
            and y1 >= self.y
            and y0 <= self.y + self.height
        )


@cache
def _data() -> dict:
    return json.loads(DATA.read_text())


def _n(value: float) -> str:
    """A coordinate, short: one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@cache
def _view(region: str) -> _View:
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}; known: {', '.join(REGIONS)}")
    box = REGIONS[region]
    if box is None:
        return _View(0, 0, WIDTH, HEIGHT)
    west, south, east, north = box
    points = [project(lat, west) for lat in (south, north)] + [
        project(lat, east) for lat in (south, north)
    ]
    # Parallels are straight, meridians curve: the middle of each parallel too.
    points += [project(lat, (west + east) / 2) for lat in (south, north)]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return _View(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


@cache
def _sea_and_graticule() -> tuple[str, str]:
    """The globe's outline (the sea) and lines every 30 degrees, in the whole frame."""
    left = [project(lat, -180) for lat in _steps(90, SOUTH)]
    right = [project(lat, 180) for lat in _steps(SOUTH, 90)]
    sea = "M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in left + right) + "Z"
    lines = []
    for lon in range(-150, 180, 30):
        points = [project(lat, lon) for lat in _steps(90, SOUTH)]
        lines.append("M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in points))
    for lat in range(-30, 90, 30):
        (x0, y), (x1, _) = project(lat, -180), project(lat, 180)
        lines.append(f"M{_n(x0)} {_n(y)}H{_n(x1)}")
    return sea, "".join(lines)


def _steps(start: float, stop: float, count: int = 30) -> list[float]:
    return [start + (stop - start) * k / count for k in range(count + 1)]


@cache
def _countries(region: str) -> tuple[tuple[str, str], ...]:
    """(code, path data) of the countries the region's view shows, largest first.

    A crop keeps only the rings that reach into its view (Alaska's Aleutians put the
    United States' box across the whole map), so its page carries less.
    """
    view = _view(region)
    out = []
    for code, country in _data()["countries"].items():
        if not view.contains(country["box"]):
            continue
        d = country["d"]
        if REGIONS[region] is not None:
            d = _rings_in(d, view)
        if d:
            out.append((code, d))
    return tuple(out)


def _rings_in(d: str, view: _View) -> str:
    """A path written by build_data, without its rings that lie outside the view."""
    kept = []
    start = (0, 0)
    for ring in re.findall(r"m([^z]*)z", d):
        numbers = [int(n) for n in re.findall(r"-?\d+", ring)]
        x, y = start[0] + numbers[0], start[1] + numbers[1]
        start = (x, y)
        xs, ys = [x], [y]
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            xs.append(x)
            ys.append(y)
        if view.contains((min(xs), min(ys), max(xs), max(ys))):
            kept.append((start, numbers[2:]))
    out = []
    previous = (0, 0)
    for (x, y), rest in kept:
        pairs = [x - previous[0], y - previous[1], *rest]
        text = "m"
        for value in pairs:
            text += (" " if value >= 0 and text[-1].isdigit() else "") + str(value)
        out.append(text + "z")
        previous = (x, y)
    return "".join(out)


def _css_classes(value) -> str:
    if value is True:
        return "is-partner"
    classes = str(value).split()
    if not classes or not all(_CLASS.match(c) for c in classes):
        raise ValueError(f"not a CSS class: {value!r}")
    return " ".join(classes)


def _text_width(text: str, size: float) -> float:
    """About how wide a text is drawn: wide (CJK) letters a full em, the rest 0.56."""
    return size * sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.56 for c in text)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box(x, y, r):
    return (x - r, y - r, x + r, y + r)


@dataclass(frozen=True)
class _Layer:
    """One drawing of the markers, for a map shown ``px`` CSS pixels wide or a little more.

    Text and markers are sized in the view's units, and the browser scales the view to
    the map's box: a size that suits a map 900 pixels wide draws 6-pixel labels where
    the same map is 420 wide beside another. So the SVG carries a layer for each range
    of widths, drawn for the narrowest of its range, and the stylesheet shows the one
    whose range holds the map's width (``@container world-map`` in site.css, which
    repeats these widths): its text is drawn at ``LABEL_PX`` or, up to the next
    layer's width, a little larger. The others, ``display: none``, are neither seen,
    nor read, nor reached with the keyboard. Outlines are drawn once, shared.
    """

    name: str
    px: float
    badges: bool = True
    labels: bool = True


# From a 320-pixel phone (a map 280 wide) to a tablet's full width, with steps where
# the partners page puts its maps: 340 for most phones, 400 for East Asia beside the
# world on a desktop, 560 for that world. A layer's text grows at most 1.43 times
# before the next one shows. Each is named by its width: world-map__markers--280.
LAYERS = tuple(_Layer(str(px), px) for px in (280, 340, 400, 560, 800))
# A whole world under 400 pixels is too small for numbers and words: dots, and the list.
WORLD_DOTS_BELOW = 400

# Sizes in CSS pixels at a layer's own width. A name at 12 and the archipelagos' at
# 11.5 stay at least 11 on screen; a badge 19 across holds a two-digit number at 9.3.
LABEL_PX = 12.0
ISLANDS_PX = 11.5
HOME_PX = 13.0
BADGE_PX = 9.5  # radius
DOT_PX = 3.2  # radius

_ANGLES = [
    (math.cos(math.radians(a)), -math.sin(math.radians(a)))
    for a in (0, 180, 45, 135, 225, 315, 90, 270, 22, 158, 202, 338, 68, 112, 248, 292)
]


def _place_badges(spots, radius, dot, view, obstacles):
    """Greedy: each badge on its place, else a free one on the nearest ring around it.

    Free: inside the view, clear of the badges already placed, of every other place's
    dot (a badge must not hide where another place is) and of the obstacles (names
    already drawn). Of the free places on that ring, first those whose leader crosses
    no other leader nor runs under a badge, then the one farthest from the crowd, so
    a cluster opens outwards. The first places keep their spot: give the list in order.
    """
    gap = radius * 0.3
    badge_gap = (2 * radius + gap) ** 2
    dot_gap = (radius + 2 * dot) ** 2
    step = (2 * radius + gap) * 0.7
    x0, y0 = view.x + radius, view.y + radius
    x1, y1 = view.x + view.width - radius, view.y + view.height - radius
    # A grid of cells as wide as the largest distance that matters; each badge and dot
    # is listed in its cell and the eight around it, so a candidate looks in one list.
    cell = 2 * radius + gap
    badges_near: dict[tuple[int, int], list] = {}
    dots_near: dict[tuple[int, int], list] = {}

    def add(grid, x, y, item):
        i, j = int(x // cell), int(y // cell)
        for key in ((i + di, j + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1)):
            grid.setdefault(key, []).append(item)

    for index, (x, y) in enumerate(spots):
        add(dots_near, x, y, (index, x, y))

    placed = []
    leaders = []  # (place, badge) of the badges moved aside
    for index, (x, y) in enumerate(spots):
        best = None
        for ring in range(12):
            distance = ring * step
            candidates = [(x, y)] if ring == 0 else [
                (x + distance * dx, y + distance * dy) for dx, dy in _ANGLES
            ]  # fmt: skip
            free = []
            for cx, cy in candidates:
                if not (x0 <= cx <= x1 and y0 <= cy <= y1):
                    continue
                key = (int(cx // cell), int(cy // cell))
                if any(
                    (cx - px) ** 2 + (cy - py) ** 2 < badge_gap
                    for px, py in badges_near.get(key, ())
                ):
                    continue
                if any(
                    other != index and (cx - px) ** 2 + (cy - py) ** 2 < dot_gap
                    for other, px, py in dots_near.get(key, ())
                ):
                    continue
                box = (cx - radius, cy - radius, cx + radius, cy + radius)
                if any(_overlaps(box, o) for o in obstacles):
                    continue
                free.append((cx, cy))
            if not free:
                continue
            key = (int(x // cell), int(y // cell))
            crowd = [(px, py) for _o, px, py in dots_near.get(key, ())]
            crowd += badges_near.get(key, [])

            free.sort(
                key=lambda c: sum(1 / (1 + (c[0] - px) ** 2 + (c[1] - py) ** 2) for px, py in crowd)
            )
            best = next(
                (
                    c
                    for c in free
                    if not any(_crosses((x, y), c, a, b) for a, b in leaders)
                    and not any(_near_segment(p, (x, y), c) < radius for p in placed)
                ),
                free[0],
            )
            break
        best = best or (x, y)
        placed.append(best)
        if best != (x, y):
            leaders.append(((x, y), best))
        add(badges_near, *best, best)
    return placed


def _near_segment(p, a, b) -> float:
    """How far point p lies from the segment a-b."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if not length else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _crosses(p1, p2, q1, q2) -> bool:
    """Whether two segments cross (touching at an end does not count)."""

    def side(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = side(q1, q2, p1), side(q1, q2, p2)
    d3, d4 = side(p1, p2, q1), side(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


def world_map(
    *,
    highlight: dict[str, str | bool] | None = None,
    points: list[MapPoint] | tuple[MapPoint, ...] = (),
    title: str,
    description: str,
    lang: str,
    region: str = "world",
    home: MapPoint | None = None,
    routes: bool = True,
    home_country: str = "VN",
    dom_id: str = "world-map",
) -> SafeString:
    """The map as an inline ``<svg>``.

    ``highlight`` maps ISO 3166-1 alpha-2 codes to True (class ``is-partner``) or to
    the classes to add. ``points`` are drawn as links, in that order (the first keep
    their place when badges crowd: give the list in the order the page lists them).
    A cropped ``region`` leaves out the points beyond its edges.
    ``home`` (the city itself) is drawn apart and, with ``routes``, a faint line runs
    from it to each point in the view. ``home_country`` gets ``is-home``. ``title``
    and ``description`` name and describe the map for screen readers; ``lang`` is the
    language of its texts; ``region`` one of ``REGIONS``; ``dom_id`` prefixes the ids
    (two maps on a page need two). All text is escaped. Renders are cached: the same
    arguments cost nothing the second time.
    """
    if not _CLASS.match(dom_id):
        raise ValueError(f"not an id: {dom_id!r}")
    classes = {}
    if home_country:
        classes[home_country.upper()] = "is-home"
    for code, value in (highlight or {}).items():
        if value:
            extra = _css_classes(value)
            for part in (code.upper(), *TOGETHER.get(code.upper(), ())):
                classes[part] = extra
    for point in points:
        if point.kind:
            _css_classes(point.kind)
    return _render(
        region,
        tuple(sorted(classes.items())),
        tuple(points),
        title,
        description,
        translation.to_language(lang),
        home,
        routes,
        dom_id,
    )


@lru_cache(maxsize=64)
def _render(region, classes, points, title, description, lang, home, routes, dom_id):
    view = _view(region)
    classes = dict(classes)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="world-map world-map--{region}"'
        f' viewBox="{_n(view.x)} {_n(view.y)} {_n(view.width)} {_n(view.height)}"'
        f' role="group" aria-labelledby="{dom_id}-title" aria-describedby="{dom_id}-desc">',
        f'<title id="{dom_id}-title">{escape(title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(description)}</desc>',
    ]
    head, tags = _base(region)
    out.append(head + '<g class="world-map__countries">')
    for code, tag in tags:
        extra = classes.get(code)
        if extra:
            tag = tag.replace('"world-map__country"', f'"world-map__country {extra}"', 1)
        out.append(tag)
    out.append("</g>")
    # A cropped map leaves out the places beyond its edges: a link nobody sees would
    # still take a stop of the keyboard.
    inside = (view.x, view.y, view.x + view.width, view.y + view.height)
    spots, shown = [], []
    for point in points:
        x, y = project(point.lat, point.lon)
        if _overlaps((x, y, x, y), inside) or region == "world":
            spots.append((x, y))
            shown.append(point)
    points = shown
    if home is not None and region != "world":
        hx, hy = project(home.lat, home.lon)
        if not _overlaps((hx, hy, hx, hy), inside):
            home = None
    if home is not None and routes:
        out.append(_routes(project(home.lat, home.lon), spots, view))
    with translation.override(lang):
        islands = (gettext("Hoang Sa archipelago"), gettext("Truong Sa archipelago"))
    for layer in LAYERS:
        if region == "world" and layer.px < WORLD_DOTS_BELOW:
            layer = _Layer(layer.name, layer.px, badges=False, labels=False)
        out.append(_markers(layer, view, points, spots, home, islands, classes.get("VN")))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text in it went through escape()


@cache
def _base(region: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What every map of a region starts with: the sea and the lines, then each country.

    Built once per process; a render only swaps in the tags of the countries it colours.
    """
    sea, graticule = _sea_and_graticule()
    head = (
        f'<path class="world-map__sea" d="{sea}"/>'
        f'<path class="world-map__graticule" d="{graticule}"/>'
    )
    tags = tuple(
        (code, f'<path class="world-map__country" data-country="{code}" d="{d}"/>')
        for code, d in _countries(region)
    )
    return head, tags


def _routes(home, spots, view) -> str:
    hx, hy = home
    inside = (view.x, view.y, view.x + view.width, view.y + view.height)
    arcs = []
    for x, y in spots:
        if not (_overlaps(_box(x, y, 0.1), inside) and _overlaps(_box(hx, hy, 0.1), inside)):
            continue
        length = math.dist((hx, hy), (x, y))
        # Bend each line northwards, as the great circles between them do.
        cx, cy = (hx + x) / 2, (hy + y) / 2 - length * 0.2
        arcs.append(f"M{_n(hx)} {_n(hy)}Q{_n(cx)} {_n(cy)} {_n(x)} {_n(y)}")
    return f'<path class="world-map__routes" d="{"".join(arcs)}"/>' if arcs else ""


def _markers(layer, view, points, spots, home, islands, vn_class) -> str:
    unit = view.width / layer.px  # one CSS pixel, in the view's units
    radius, dot = BADGE_PX * unit, DOT_PX * unit
    label_size = LABEL_PX * unit
    obstacles = []
    out = [f'<g class="world-map__markers world-map__markers--{layer.name}"'
           f' font-size="{_n(label_size)}">']  # fmt: skip

    # Viet Nam's archipelagos: dots in its colour and their names, before anything.
    cls = f"world-map__islands {vn_class}" if vn_class else "world-map__islands"
    out.append(f'<g class="{cls}">')
    groups = [[project(lat, lon) for lat, lon in group] for group in (HOANG_SA, TRUONG_SA)]
    # A name covers no island, no place and not the city; the badges and the other
    # names keep clear of it.
    avoid = [_box(x, y, 2 * unit) for x, y in itertools.chain(*groups)]
    avoid += [_box(x, y, DOT_PX * unit) for x, y in spots]
    if home is not None:
        avoid.append(_box(*project(home.lat, home.lon), BADGE_PX * 0.85 * unit))
    for name, where, north in zip(islands, groups, (True, False), strict=True):
        out.append(
            "".join(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(1.3 * unit)}"/>' for x, y in where)
        )
        if layer.labels:
            text = _islands_name(name, where, north, ISLANDS_PX * unit, unit, view, avoid)
            if text:
                obstacles.append(avoid[-1])
                out.append(text)
    out.append("</g>")

    home_spot = project(home.lat, home.lon) if home is not None else None
    home_label = ""
    if home_spot:
        hx, hy = home_spot
        obstacles.append(_box(hx, hy, radius))
        if home.short and layer.labels:
            # The city's own name first, before any badge: it must always show.
            around = obstacles + [_box(x, y, dot) for x, y in spots]
            home_label = _label(
                home.short, hx, hy, radius * 0.85, HOME_PX * unit, around, view,
                prefer_left=True, always=True,
            )  # fmt: skip
            obstacles.append(around[-1])
    numbered = [i for i, p in enumerate(points) if p.number is not None] if layer.badges else []
    badges = dict(zip(numbered, _place_badges(
        [spots[i] for i in numbered], radius, dot, view, obstacles), strict=True))  # fmt: skip
    # What a name must not cover: badges, every place's dot, and the leaders (as a
    # string of small boxes along each).
    boxes = obstacles + [_box(x, y, radius) for x, y in badges.values()]
    boxes += [_box(x, y, dot) for x, y in spots]
    for i, (bx, by) in badges.items():
        x, y = spots[i]
        steps = int(math.dist((x, y), (bx, by)) / radius) + 1
        boxes += [
            _box(x + (bx - x) * k / steps, y + (by - y) * k / steps, unit) for k in range(1, steps)
        ]

    # Leaders and dots under every badge, so no dot ever covers a number.
    if badges:
        under = []
        for i, (bx, by) in badges.items():
            x, y = spots[i]
            if math.dist((x, y), (bx, by)) > radius * 0.5:
                under.append(
                    f'<path class="world-map__leader" d="M{_n(x)} {_n(y)}L{_n(bx)} {_n(by)}"/>'
                )
            under.append(
                f'<circle class="world-map__dot" cx="{_n(x)}" cy="{_n(y)}" r="{_n(dot)}"/>'
            )
        out.append(f'<g aria-hidden="true">{"".join(under)}</g>')

    for i, point in enumerate(points):
        kind = f" {_css_classes(point.kind)}" if point.kind else ""
        label = escape(point.label)
        parts = [
            f'<a class="world-map__point{kind}" href="{escape(point.url)}" aria-label="{label}">',
            f"<title>{label}</title>",
        ]
        if i in badges:
            bx, by = badges[i]
            size = radius * (1.15 if point.number < 10 else 0.98 if point.number < 100 else 0.8)
            parts.append(
                f'<circle class="world-map__badge" cx="{_n(bx)}" cy="{_n(by)}" r="{_n(radius)}"/>'
                f'<text class="world-map__number" x="{_n(bx)}" y="{_n(by)}" font-size="{_n(size)}"'
                f' text-anchor="middle" dominant-baseline="central">{point.number}</text>'
            )
            anchor = (bx, by, radius)
        else:
            x, y = spots[i]
            parts.append(
                f'<circle class="world-map__dot" cx="{_n(x)}" cy="{_n(y)}" r="{_n(dot)}"/>'
            )
            anchor = (x, y, dot)
        if point.short and layer.labels:
            parts.append(_label(point.short, *anchor, label_size, boxes, view))
        parts.append("</a>")
        out.append("".join(parts))

    if home_spot:
        hx, hy = home_spot
        ring = radius * 0.85 if layer.badges else dot * 1.8
        label = escape(home.label)
        out.append(
            f'<a class="world-map__home" href="{escape(home.url)}" aria-label="{label}">'
            f"<title>{label}</title>"
            f'<circle class="world-map__home-ring" cx="{_n(hx)}" cy="{_n(hy)}" r="{_n(ring)}"/>'
            f'<circle class="world-map__home-dot" cx="{_n(hx)}" cy="{_n(hy)}" r="{_n(ring / 2)}"/>'
        )
        out.append(home_label + "</a>")
    out.append("</g>")
    return "".join(out)


def _islands_name(name, where, north, size, unit, view, avoid) -> str:
    """An archipelago's name beside its dots, where it lies inside the view and covers
    none of ``avoid`` (names, dots, the city): right of them; else above them (``north``)
    or under them, from their left end on or as far right as the view allows; else left
    of them. Where none is free (on a narrow world map the Truong Sa's name fits nowhere
    near it), the dots show without a name. Its box is added to ``avoid``.
    """
    xs, ys = [x for x, _ in where], [y for _, y in where]
    width, half, gap = _text_width(name, size), size * 0.6, 4 * unit
    x0, y0, x1, y1 = view.x, view.y, view.x + view.width, view.y + view.height
    y = sum(ys) / len(ys)
    beside = min(ys) - gap - half if north else max(ys) + gap + half
    left = min(min(xs), x1 - width)
    sides = [
        ("start", max(xs) + gap, y, (max(xs) + gap, y - half, max(xs) + gap + width, y + half)),
        ("start", left, beside, (left, beside - half, left + width, beside + half)),
        ("end", min(xs) - gap, y, (min(xs) - gap - width, y - half, min(xs) - gap, y + half)),
    ]  # fmt: skip
    for anchor, x, y, box in sides:
        inside = x0 <= box[0] and box[2] <= x1 and y0 <= box[1] and box[3] <= y1
        if inside and not any(_overlaps(box, other) for other in avoid):
            avoid.append(box)
            return (
                f'<text class="world-map__islands-name" x="{_n(x)}" y="{_n(y)}"'
                f' font-size="{_n(size)}" text-anchor="{anchor}"'
                f' dominant-baseline="central">{escape(name)}</text>'
            )
    return ""


def _label(text, x, y, r, size, boxes, view, prefer_left=False, always=False):
    """A short label beside its marker where it covers nothing; else shown on focus.

    Its box is added to ``boxes``; ``always``: shown even where it covers something.
    """
    width = _text_width(text, size)
    pad = size * 0.3
    half = size * 0.62
    sides = [
        ("start", x + r + pad, y, (x + r + pad, y - half, x + r + pad + width, y + half)),
        ("end", x - r - pad, y, (x - r - pad - width, y - half, x - r - pad, y + half)),
        ("middle", x, y - r - pad - half, (x - width / 2, y - r - pad - 2 * half, x + width / 2, y - r - pad)),
        ("middle", x, y + r + pad + half, (x - width / 2, y + r + pad, x + width / 2, y + r + pad + 2 * half)),
    ]  # fmt: skip
    if prefer_left:
        sides[0], sides[1] = sides[1], sides[0]
    inside = [
        s for s in sides
        if s[3][0] >= view.x and s[3][2] <= view.x + view.width
        and s[3][1] >= view.y and s[3][3] <= view.y + view.height
    ]  # fmt: skip
    for anchor, lx, ly, box in inside:
        if not any(_overlaps(box, other) for other in boxes):
            boxes.append(box)
            return _text("world-map__label", anchor, lx, ly, text, size)
    anchor, lx, ly, box = (inside or sides)[0]
    if always:
        boxes.append(box)
        return _text("world-map__label", anchor, lx, ly, text, size)
    return _text("world-map__label is-on-focus", anchor, lx, ly, text, size)


def _text(cls, anchor, x, y, text, size):
    return (
        f'<text class="{cls}" x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}"'
        f' text-anchor="{anchor}" dominant-baseline="central">{escape(text)}</text>'
    )
