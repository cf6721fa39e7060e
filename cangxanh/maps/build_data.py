"""Build ``data/world.json``, the country outlines the partner map draws, once, by hand.

Nothing here runs in the portal: the site only reads the file this writes, and never
downloads anything.

Where the data comes from
    Natural Earth's Admin 0 country boundaries, 1:50m, version 4.1.0, as the TopoJSON
    that Mike Bostock's ``world-atlas`` npm package (2.0.2) redistributes. Natural Earth
    is in the public domain ("No permission is needed to use Natural Earth. Crediting
    the authors is unnecessary", https://www.naturalearthdata.com/about/terms-of-use/);
    the package's conversion is under the ISC licence, whose notice is kept in
    ``data/README.md``.

How to rebuild (a developer's machine with npm; the result is committed)::

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m cangxanh.maps.build_data /tmp/package/countries-50m.json

What it does
    1. decodes the TopoJSON arcs and names each country by its ISO 3166-1 alpha-2 code
       (the numeric ids through django-countries' table, the same codes the registries'
       CountryField stores);
    2. simplifies every shared arc once (Douglas-Peucker in the projected frame), so
       neighbours keep exactly the same border and no gap or overlap appears;
    3. follows the views of the United Nations' maps where Natural Earth draws its own:
       Crimea with Ukraine, Northern Cyprus with Cyprus, Somaliland with Somalia, Kosovo
       with Serbia (Viet Nam has not recognised it), the Siachen glacier with India, and
       Australia's Indian Ocean territories with Australia; shared borders inside a
       country are removed, not drawn over. Viet Nam's Hoàng Sa and Trường Sa
       archipelagos are too small for these outlines and are drawn by ``world.py``;
    4. cuts the rings that cross the 180th meridian (Russia's Chukotka, Fiji) into one
       piece on each side, following the curved edge of the map, so no stripe runs
       across it; leaves out Antarctica;
    5. projects with Equal Earth (``projection.py``), rounds to whole frame units and
       writes each country as an SVG path in relative coordinates.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from cangxanh.maps.projection import HEIGHT, SOUTH, WIDTH, project

OUT = Path(__file__).with_name("data") / "world.json"

TOLERANCE = 3.0  # frame units (the frame is 10 000 wide): how far a simplified border may stray
MIN_AREA = 40.0  # square frame units: smaller islands are left out, unless a country has no other

# Features without an ISO id in Natural Earth, by their name there.
NAMED = {
    "N. Cyprus": "CY",
    "Somaliland": "SO",
    "Kosovo": "RS",
    "Siachen Glacier": "IN",
    "Indian Ocean Ter.": "AU",
}
# Parts Natural Earth gives to another country: (its code there, west, south, east, north
# of the part's centre in degrees, the code the UN maps give it).
MOVED = [("RU", 32.0, 44.0, 37.0, 46.5, "UA")]  # Crimea
LEFT_OUT = {"AQ"}  # Antarctica


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs as lists of (lon, lat), undoing TopoJSON's quantisation and deltas."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def alpha2_by_numeric() -> dict[int, str]:
    from django_countries.data import ALT_CODES

    return {numeric: alpha2 for alpha2, (_alpha3, numeric) in ALT_CODES.items() if numeric}


def code_of(geometry: dict, numeric: dict[int, str]) -> str | None:
    name = geometry["properties"]["name"]
    if name in NAMED:
        return NAMED[name]
    if geometry.get("id") is None:
        raise SystemExit(f"no ISO id for {name!r}: add it to NAMED")
    if name == "Antarctica":
        return "AQ"
    return numeric[int(geometry["id"])]


# Simplification -------------------------------------------------------------------------


def _unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Projected points of an arc with continuous longitudes (an arc may cross 180°)."""
    out = []
    offset = 0.0
    previous = points[0][0]
    for lon, lat in points:
        if lon - previous > 180:
            offset -= 360
        elif previous - lon > 180:
            offset += 360
        previous = lon
        # For a given latitude, Equal Earth's x is linear in the longitude.
        x0, y = project(lat, 0)
        x1, _ = project(lat, 90)
        out.append((x0 + (x1 - x0) * (lon + offset) / 90, y))
    return out


def _douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[int]:
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dx * (ay - py) - dy * (ax - px)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > worst:
                worst, index = distance, i
        # A short arc keeps its farthest point even when it is close: two straight
        # arcs would flatten a small country (Andorra, Qatar's neighbours) to nothing.
        small = first == 0 and last == len(points) - 1 and length < 12 * tolerance
        if index is not None and (worst > tolerance or small):
            keep.add(index)
            stack += [(first, index), (index, last)]
    return sorted(keep)


def simplify_arc(points: list[tuple[float, float]], tolerance: float):
    if len(points) <= 2:
        return points
    flat = _unwrapped(points)
    if points[0] == points[-1]:
        # A closed arc (an island): split it at its farthest point from the start.
        far = max(range(len(flat)), key=lambda i: math.dist(flat[0], flat[i]))
        keep = _douglas_peucker(flat[: far + 1], tolerance)
        keep += [far + i for i in _douglas_peucker(flat[far:], tolerance)[1:]]
        if len(keep) < 4:  # an island stays at least a triangle
            third = max(
                (i for i in range(1, len(flat) - 1) if i != far),
                key=lambda i: math.dist(flat[0], flat[i]) + math.dist(flat[far], flat[i]),
                default=None,
            )
            if third is not None:
                keep = sorted({*keep, third})
    else:
        keep = _douglas_peucker(flat, tolerance)
    return [points[i] for i in keep]


# Rings ----------------------------------------------------------------------------------


def _arc_points(arcs, index):
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def merged_rings(arcs, rings: list[list[int]]) -> list[list[tuple[float, float]]]:
    """The rings of one country as points, without the borders its own parts share."""
    used: dict[int, int] = {}
    for ring in rings:
        for index in ring:
            key = index if index >= 0 else ~index
            used[key] = used.get(key, 0) + 1
    inner = {key for key, count in used.items() if count > 1}
    out = []
    fragments = []
    for ring in rings:
        if not any((i if i >= 0 else ~i) in inner for i in ring):
            out.append(_join([_arc_points(arcs, i) for i in ring]))
            continue
        kept = [i for i in ring if (i if i >= 0 else ~i) not in inner]
        fragments += [_arc_points(arcs, i) for i in kept]
    # Stitch what is left of the rings that lost a shared border, end to start.
    by_start = {}
    for fragment in fragments:
        by_start.setdefault(fragment[0], []).append(fragment)
    while by_start:
        start = next(iter(by_start))
        pieces = []
        point = start
        while point in by_start:
            fragment = by_start[point].pop()
            if not by_start[point]:
                del by_start[point]
            pieces.append(fragment)
            point = fragment[-1]
        if point != start:
            raise SystemExit("a merged ring does not close")
        out.append(_join(pieces))
    return out


def _join(pieces):
    points = list(pieces[0])
    for piece in pieces[1:]:
        points.extend(piece[1:])
    return points


def cut_antimeridian(ring):
    """A ring that crosses 180° as one ring on each side, closed along the edge."""
    crossings = [i for i in range(1, len(ring)) if abs(ring[i][0] - ring[i - 1][0]) > 180]
    if not crossings:
        return [ring]
    if len(crossings) != 2:
        raise SystemExit(f"a ring crosses the 180th meridian {len(crossings)} times")
    points = ring[:-1] if ring[0] == ring[-1] else ring
    # Start right after the first crossing, so each side is one run of points.
    start = crossings[0]
    points = points[start:] + points[:start]
    n = len(points)
    runs, run = [], [points[0]]
    for i in range(1, n + 1):
        a, b = points[i - 1], points[i % n]
        if abs(b[0] - a[0]) > 180:
            # Where the segment meets ±180°: interpolate with continuous longitudes.
            alon = a[0]
            blon = b[0] + (360 if a[0] > 0 else -360)
            # (a segment running along the meridian itself crosses where it starts)
            t = ((180 if a[0] > 0 else -180) - alon) / (blon - alon) if blon != alon else 0
            lat = a[1] + (b[1] - a[1]) * t
            side = 180 if a[0] > 0 else -180
            run.append((side, lat))
            runs.append(run)
            run = [(-side, lat)]
        else:
            run.append(b)
    # The ring started right after a crossing: the last crossing opens the first run.
    runs[0] = run + runs[0]
    out = []
    for run in runs:
        side = run[0][0]
        if run[-1][0] != side:
            raise SystemExit("a ring leaves the 180th meridian on the other side")
        out.append(run + _meridian(side, run[-1][1], run[0][1]) + [run[0]])
    return out


def _meridian(lon, from_lat, to_lat, step=0.5):
    """Points along a meridian between two latitudes (exclusive), so the edge curves."""
    count = int(abs(to_lat - from_lat) / step)
    return [(lon, from_lat + (to_lat - from_lat) * k / (count + 1)) for k in range(1, count + 1)]


# Output ---------------------------------------------------------------------------------


def frame_ring(ring) -> list[tuple[int, int]]:
    out = []
    for lon, lat in ring:
        x, y = project(lat, lon)
        point = (round(x), round(y))
        if not out or out[-1] != point:
            out.append(point)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out


def area(points) -> float:
    return abs(
        sum(
            points[i - 1][0] * points[i][1] - points[i][0] * points[i - 1][1]
            for i in range(len(points))
        )
        / 2
    )


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """One SVG path: each ring 'm dx dy dx dy … z', relative to the last ring's start.

    (The first pair after the path's first "m" is absolute, every other one relative.)
    """
    numbers: list[str] = []
    origin = (0, 0)
    for ring in rings:
        numbers.append("m")
        x, y = ring[0]
        deltas = [x - origin[0], y - origin[1]]
        for (px, py), (qx, qy) in zip(ring, ring[1:], strict=False):
            deltas += [qx - px, qy - py]
        for value in deltas:
            text = str(value)
            if value >= 0 and numbers[-1][-1].isdigit():
                text = " " + text
            numbers.append(text)
        numbers.append("z")
        origin = ring[0]
    return "".join(numbers)


def build(source: Path, tolerance: float = TOLERANCE, min_area: float = MIN_AREA) -> dict:
    topology = json.loads(source.read_text())
    arcs = [simplify_arc(arc, tolerance) for arc in decode_arcs(topology)]
    numeric = alpha2_by_numeric()
    rings_by_code: dict[str, list[list[int]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = code_of(geometry, numeric)
        if code in LEFT_OUT:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            target = code
            outer = _join([_arc_points(arcs, i) for i in polygon[0]])
            lon = sum(p[0] for p in outer) / len(outer)
            lat = sum(p[1] for p in outer) / len(outer)
            for was, west, south, east, north, becomes in MOVED:
                if code == was and west < lon < east and south < lat < north:
                    target = becomes
            rings_by_code.setdefault(target, []).extend(polygon)
    countries = {}
    for code, rings in sorted(rings_by_code.items()):
        framed = []
        for ring in merged_rings(arcs, rings):
            for piece in cut_antimeridian(ring):
                if min(lat for _lon, lat in piece) < SOUTH:
                    raise SystemExit(f"{code} reaches below the frame")
                points = frame_ring(piece)
                if len(points) >= 3:
                    framed.append(points)
        if not framed:
            continue
        largest = max(framed, key=area)
        framed = [r for r in framed if r is largest or area(r) >= min_area]
        framed.sort(key=area, reverse=True)
        xs = [x for r in framed for x, _ in r]
        ys = [y for r in framed for _, y in r]
        countries[code] = {
            "d": path_data(framed),
            "box": [min(xs), min(ys), max(xs), max(ys)],
        }
    return {
        "source": "Natural Earth 1:50m Admin 0 countries 4.1.0 (public domain), "
        "via world-atlas 2.0.2; see cangxanh/maps/build_data.py",
        "projection": "Equal Earth",
        "width": WIDTH,
        "height": HEIGHT,
        "countries": countries,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="countries-50m.json from world-atlas 2.0.2")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tolerance", type=float, default=TOLERANCE)
    parser.add_argument("--min-area", type=float, default=MIN_AREA)
    args = parser.parse_args(argv)
    data = build(args.source, args.tolerance, args.min_area)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    args.out.write_text(text + "\n")
    print(f"{len(data['countries'])} countries, {len(text.encode()) / 1024:.0f} KiB -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
