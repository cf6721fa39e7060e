"""The partner map: the SVG it draws, its projection, its shipped outlines."""

import itertools
import math
import re
from pathlib import Path

import pytest
from django.utils import translation
from lxml import etree

from cangxanh.maps import world
from cangxanh.maps.projection import HEIGHT, WIDTH, project
from cangxanh.maps.world import REGIONS, MapPoint, world_map

SVG = "{http://www.w3.org/2000/svg}"
# The drawings a world map shows on a desktop (about 640 pixels wide) and on a phone.
DESKTOP, PHONE = "560", "340"
SITE_CSS = Path(world.__file__).parents[1] / "static" / "cangxanh" / "site.css"

HAI_PHONG = MapPoint(20.86, 106.68, "Hải Phòng", "/en/", short="Hải Phòng")
PLACES = [
    ("Seattle", 47.61, -122.33),
    ("Le Havre", 49.49, 0.11),
    ("Antwerp", 51.22, 4.40),
    ("Kunming", 25.04, 102.71),
    ("Nanning", 22.82, 108.32),
    ("Tianjin", 39.13, 117.20),
    ("Qingdao", 36.07, 120.38),
    ("Incheon", 37.46, 126.71),
    ("Gwangyang", 34.94, 127.70),
    ("Busan", 35.18, 129.08),
    ("Ulsan", 35.54, 129.31),
    ("Kitakyushu", 33.88, 130.88),
    ("Vladivostok", 43.12, 131.89),
    ("Niigata", 37.92, 139.04),
    ("Yokohama", 35.44, 139.64),
]
POINTS = [
    MapPoint(lat, lon, f"{name}, partner locality", f"/en/partners/p{n}/", short=name, number=n)
    for n, (name, lat, lon) in enumerate(PLACES, start=1)
]


def render(**kwargs):
    arguments = {
        "highlight": {"KR": True, "JP": True, "CN": True, "US": True, "FR": "is-partner"},
        "points": POINTS,
        "title": "Partner localities",
        "description": "Where the city's partners are",
        "lang": "en",
        "home": HAI_PHONG,
    }
    arguments.update(kwargs)
    return world_map(**arguments)


def parse(svg):
    return etree.fromstring(str(svg).encode())


def layer(root, name):
    (group,) = root.iterfind(f".//{SVG}g[@class='world-map__markers world-map__markers--{name}']")
    return group


def links(group):
    return [a for a in group.iter(f"{SVG}a") if "world-map__point" in a.get("class")]


# The drawing ------------------------------------------------------------------------------


def test_the_map_is_well_formed_svg_named_and_described():
    root = parse(render())
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert (title.text, desc.text) == ("Partner localities", "Where the city's partners are")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    # Not role="img": its children would be hidden from screen readers, links and all.
    assert root.get("role") == "group"


@pytest.mark.parametrize("name", [layer.name for layer in world.LAYERS])
def test_every_point_is_a_link_named_by_its_label(name):
    group = layer(parse(render()), name)
    found = links(group)
    assert [a.get("href") for a in found] == [p.url for p in POINTS]
    for a, point in zip(found, POINTS, strict=True):
        assert a.get("aria-label") == point.label
        assert a.find(f"{SVG}title").text == point.label
    home = group.find(f"{SVG}a[@class='world-map__home']")
    assert (home.get("href"), home.get("aria-label")) == ("/en/", "Hải Phòng")


def test_the_desktop_drawing_numbers_the_points_and_badges_never_overlap():
    group = layer(parse(render()), DESKTOP)
    numbers = [a.find(f"{SVG}text[@class='world-map__number']").text for a in links(group)]
    assert numbers == [str(p.number) for p in POINTS]
    badges = [
        (float(c.get("cx")), float(c.get("cy")), float(c.get("r")))
        for c in group.iter(f"{SVG}circle")
        if c.get("class") == "world-map__badge"
    ]
    assert len(badges) == len(POINTS)
    for (x1, y1, r), (x2, y2, _r) in itertools.combinations(badges, 2):
        assert math.dist((x1, y1), (x2, y2)) >= 2 * r - 0.2  # one decimal of rounding


def test_a_badge_moved_aside_has_a_leader_to_the_true_place():
    group = layer(parse(render()), DESKTOP)
    leaders = [p for p in group.iter(f"{SVG}path") if p.get("class") == "world-map__leader"]
    # Korea's and Japan's cities crowd: some badges had to move.
    assert leaders
    starts = {tuple(map(float, re.match(r"M(\S+) (\S+)L", p.get("d")).groups())) for p in leaders}
    true_places = {tuple(float(world._n(v)) for v in project(p.lat, p.lon)) for p in POINTS}
    assert starts <= true_places


def test_on_a_phone_the_whole_world_has_dots_only():
    group = layer(parse(render()), PHONE)
    assert not [c for c in group.iter(f"{SVG}circle") if c.get("class") == "world-map__badge"]
    assert not list(group.iter(f"{SVG}text"))


@pytest.mark.parametrize("region", ["world", "east-asia"])
def test_every_drawing_names_places_at_11_pixels_or_more_at_its_width(region):
    # A layer is shown from its own width up (site.css), so its text is never smaller.
    root = parse(render(region=region))
    view_width = float(root.get("viewBox").split()[2])
    named = 0
    for drawing in world.LAYERS:
        for text in layer(root, drawing.name).iter(f"{SVG}text"):
            if "world-map__number" in text.get("class"):
                continue
            named += 1
            assert float(text.get("font-size")) * drawing.px / view_width >= 11, text.text
    assert named


def test_the_stylesheet_shows_each_drawing_from_the_width_it_was_drawn_for():
    css = SITE_CSS.read_text()
    first, *others = world.LAYERS
    (hidden,) = re.findall(r"^(\.world-map__markers--[^{]*)\{ display: none; \}", css, re.M)
    assert {s.strip() for s in hidden.split(",")} == {
        f".world-map__markers--{drawing.name}" for drawing in others
    }
    rules = re.findall(
        r"@container world-map \(min-width: (\d+)px\) \{\s*"
        r"\.world-map__markers--(\w+) \{ display: none; \}\s*"
        r"\.world-map__markers--(\w+) \{ display: inline; \}\s*\}",
        css,
    )
    assert rules == [
        (str(round(drawing.px)), before.name, drawing.name)
        for before, drawing in itertools.pairwise(world.LAYERS)
    ]
    assert first.px == 280  # a 320-pixel phone's map


@pytest.mark.parametrize("lang", ["vi", "en", "ko"])
@pytest.mark.parametrize("region", ["world", "east-asia"])
def test_the_archipelagos_names_stay_inside_the_view(region, lang):
    with translation.override(lang):
        root = parse(render(region=region, lang=lang))
    x, y, width, height = map(float, root.get("viewBox").split())
    for drawing in world.LAYERS:
        names = [
            t for t in layer(root, drawing.name).iter(f"{SVG}text")
            if t.get("class") == "world-map__islands-name"
        ]  # fmt: skip
        # Near a narrow world's right edge a long name may fit nowhere: dots only there.
        if region == "east-asia" or drawing is world.LAYERS[-1]:
            assert len(names) == 2, drawing.name
        for t in names:
            size, left = float(t.get("font-size")), float(t.get("x"))
            length = world._text_width(t.text, size)
            left -= {"start": 0, "middle": length / 2, "end": length}[t.get("text-anchor")]
            pixel = width / drawing.px  # sizes and places are rounded
            assert x <= left and left + length <= x + width + pixel, (drawing.name, t.text)


def test_highlighted_countries_have_their_class():
    root = parse(render(highlight={"KR": True, "fr": "is-partner is-new", "DE": False}))
    countries = {
        p.get("data-country"): p.get("class").split()
        for p in root.iter(f"{SVG}path")
        if p.get("data-country")
    }
    assert countries["KR"] == ["world-map__country", "is-partner"]
    assert countries["FR"] == ["world-map__country", "is-partner", "is-new"]
    assert countries["DE"] == ["world-map__country"]
    assert countries["VN"] == ["world-map__country", "is-home"]
    # Each country is drawn once.
    paths = [p.get("data-country") for p in root.iter(f"{SVG}path") if p.get("data-country")]
    assert len(paths) == len(set(paths))


def test_china_is_coloured_with_its_special_regions_and_taiwan():
    root = parse(render(highlight={"CN": True}))
    classes = {p.get("data-country"): p.get("class") for p in root.iter(f"{SVG}path")}
    for code in ("CN", "HK", "MO", "TW"):
        assert classes[code] == "world-map__country is-partner"


def test_classes_and_ids_from_callers_are_checked():
    with pytest.raises(ValueError):
        render(highlight={"KR": 'x" onclick="alert(1)'})
    with pytest.raises(ValueError):
        render(points=[MapPoint(1, 1, "a", "/", kind="<b>")])
    with pytest.raises(ValueError):
        render(dom_id='x"y')
    with pytest.raises(ValueError):
        render(region="atlantis")


def test_text_is_escaped():
    evil = "<script>alert(1)</script> & co"
    svg = render(
        title=evil,
        description=evil,
        points=[MapPoint(37.46, 126.71, evil, '/en/"><script>x</script>', short=evil, number=1)],
        home=MapPoint(20.86, 106.68, evil, "/", short=evil),
    )
    assert "<script" not in svg
    root = parse(svg)
    assert not list(root.iter(f"{SVG}script", "script"))
    assert root.find(f"{SVG}title").text == evil
    point = links(layer(root, DESKTOP))[0]
    assert point.get("aria-label") == evil
    assert point.get("href") == '/en/"><script>x</script>'
    labels = [t.text for t in point.iter(f"{SVG}text") if "world-map__label" in t.get("class")]
    assert labels == [evil]


@pytest.mark.parametrize("region", list(REGIONS))
def test_no_style_attribute_and_no_style_element(region):
    svg = render(region=region)
    root = parse(svg)
    for element in root.iter():
        assert "style" not in element.attrib
        assert etree.QName(element).localname != "style"
    assert "style" not in svg.replace("world-map", "")


def test_every_class_drawn_has_a_rule_in_the_site_stylesheet():
    css = SITE_CSS.read_text()
    root = parse(render(highlight={"KR": True}))
    classes = {c for e in root.iter() for c in (e.get("class") or "").split()}
    assert {"world-map__badge", "world-map__label", "is-on-focus"} <= classes
    # (world-map--<region> is a hook for the page, which may need none)
    for name in classes - {f"world-map--{region}" for region in REGIONS}:
        assert re.search(rf"\.{re.escape(name)}\b", css), name


@pytest.mark.parametrize("name", ["400", DESKTOP, "800"])
def test_short_labels_that_would_cover_others_show_only_on_focus(name):
    group = layer(parse(render()), name)
    labels = [t for t in group.iter(f"{SVG}text") if "world-map__label" in t.get("class")]
    hidden = [t for t in labels if "is-on-focus" in t.get("class")]
    shown = [t for t in labels if "is-on-focus" not in t.get("class")]
    # The Korean and Japanese cities cannot all be named on a world map...
    assert hidden
    # ...but the city itself always is, and so are the places standing alone.
    assert {"Hải Phòng", "Seattle", "Le Havre"} <= {t.text for t in shown}


def test_hoang_sa_and_truong_sa_are_drawn_with_viet_nam():
    with translation.override("en"):
        root = parse(render(region="east-asia"))
    groups = [g for g in root.iter(f"{SVG}g") if "world-map__islands" in (g.get("class") or "")]
    assert groups and all("is-home" in g.get("class") for g in groups)
    names = {t.text for g in groups for t in g.iter(f"{SVG}text")}
    assert names == {"Hoang Sa archipelago", "Truong Sa archipelago"}
    for g in groups:
        assert len(list(g.iter(f"{SVG}circle"))) == len(world.HOANG_SA) + len(world.TRUONG_SA)


def test_a_crop_shows_its_countries_and_places_only():
    root = parse(render(region="east-asia"))
    x, y, width, height = map(float, root.get("viewBox").split())
    assert width < WIDTH / 4
    codes = {p.get("data-country") for p in root.iter(f"{SVG}path")}
    assert {"VN", "CN", "KR", "JP", "KP", "LA", "KH", "PH"} <= codes
    assert not {"US", "BR", "FR"} & codes
    hrefs = [a.get("href") for a in links(layer(root, DESKTOP))]
    far = {p.url for p in POINTS if p.lon < 90}
    assert hrefs == [p.url for p in POINTS if p.url not in far]
    # Badges stay inside the view.
    for c in layer(root, DESKTOP).iter(f"{SVG}circle"):
        if c.get("class") == "world-map__badge":
            assert x <= float(c.get("cx")) <= x + width and y <= float(c.get("cy")) <= y + height
    # The city is outside Europe's view: not drawn there.
    europe = parse(render(region="europe"))
    assert europe.find(f".//{SVG}a[@class='world-map__home']") is None


def test_renders_are_cached_and_follow_their_arguments():
    assert render() is render()
    assert render(highlight={"KR": True}) != render(highlight={"JP": True})
    assert render(title="A") != render(title="B")


def test_points_without_number_are_dots_and_routes_are_optional():
    plain = [MapPoint(p.lat, p.lon, p.label, p.url) for p in POINTS[:3]]
    root = parse(render(points=plain, routes=False))
    assert not [c for c in root.iter(f"{SVG}circle") if c.get("class") == "world-map__badge"]
    assert len(links(layer(root, DESKTOP))) == 3
    assert not [p for p in root.iter(f"{SVG}path") if p.get("class") == "world-map__routes"]
    routes = [
        p for p in parse(render()).iter(f"{SVG}path") if p.get("class") == "world-map__routes"
    ]
    assert routes[0].get("d").count("Q") == len(POINTS)


# The projection ---------------------------------------------------------------------------


def test_projection_frame():
    assert project(0, 0) == pytest.approx((WIDTH / 2, project(0, 0)[1]))
    assert project(90, 0) == pytest.approx((WIDTH / 2, 0))
    assert project(0, 180)[0] == pytest.approx(WIDTH)
    assert project(0, -180)[0] == pytest.approx(0)
    assert project(-60, 0)[1] == pytest.approx(HEIGHT, abs=1)
    # Equal Earth: the pole is a line half as long as the equator... roughly.
    pole = project(90, 180)[0] - project(90, -180)[0]
    assert 0.5 < pole / WIDTH < 0.6


def test_projection_places_cities_where_they_are():
    hai_phong = project(20.86, 106.68)
    hanoi = project(21.03, 105.85)
    ho_chi_minh_city = project(10.82, 106.63)
    assert hai_phong[0] > hanoi[0]
    assert hai_phong[1] < ho_chi_minh_city[1]
    assert project(37.46, 126.71)[0] > project(39.90, 116.40)[0]  # Incheon, Beijing
    assert project(47.61, -122.33)[0] < project(49.49, 0.11)[0] < hai_phong[0]


# The shipped outlines ---------------------------------------------------------------------


def rings(d):
    """Absolute rings of a path written as build_data writes them."""
    out = []
    origin = (0, 0)
    for ring in re.findall(r"m([^z]*)z", d):
        numbers = list(map(int, re.findall(r"-?\d+", ring)))
        x, y = origin[0] + numbers[0], origin[1] + numbers[1]
        origin = (x, y)
        points = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        out.append(points)
    return out


def inside(point, d):
    """Even-odd rule, as the stylesheet fills countries."""
    px, py = point
    hits = 0
    for ring in rings(d):
        for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (ay > py) != (by > py) and px < ax + (py - ay) * (bx - ax) / (by - ay):
                hits += 1
    return hits % 2 == 1


@pytest.fixture(scope="module")
def countries():
    return world._data()["countries"]


def test_the_data_is_small_and_keyed_by_iso_codes(countries):
    from django_countries.data import COUNTRIES

    assert world.DATA.stat().st_size < 150_000
    assert set(countries) <= set(COUNTRIES)
    assert len(countries) > 200
    assert {"VN", "KR", "JP", "CN", "US", "RU", "FR", "BE", "LA", "KH", "SG"} <= set(countries)
    assert "AQ" not in countries


@pytest.mark.parametrize("code", ["RU", "FJ", "US", "NZ", "KI"])
def test_no_stripe_across_the_map_at_the_180th_meridian(countries, code):
    if code not in countries:
        pytest.skip(f"{code} not in the data")
    for ring in rings(countries[code]["d"]):
        for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
            assert abs(bx - ax) < WIDTH / 4, (code, (ax, ay), (bx, by))


def test_every_outline_stays_in_the_frame(countries):
    for code, country in countries.items():
        for ring in rings(country["d"]):
            for x, y in ring:
                assert -1 <= x <= WIDTH + 1 and 0 <= y <= HEIGHT, code
        x0, y0, x1, y1 = country["box"]
        assert 0 <= x0 <= x1 <= WIDTH and 0 <= y0 <= y1 <= HEIGHT


def test_russia_is_cut_at_the_180th_meridian_on_both_sides(countries):
    # Chukotka reaches past 180°: a piece at the map's left edge, the rest at its right.
    xs = [x for ring in rings(countries["RU"]["d"]) for x, _ in ring]
    assert min(xs) < project(66, -175)[0]
    assert max(xs) > project(66, 175)[0]


def test_places_fall_in_their_countries(countries):
    def where(lat, lon):
        x, y = project(lat, lon)
        return {code for code, c in countries.items() if inside((round(x), round(y)), c["d"])}

    assert where(20.86, 106.68) == {"VN"}  # Hải Phòng
    assert where(37.46, 126.9) == {"KR"}  # Seoul
    assert where(44.95, 34.10) == {"UA"}  # Simferopol: Crimea as the UN maps draw it
    assert where(42.66, 21.17) == {"RS"}  # Pristina: Viet Nam has not recognised Kosovo
    assert where(35.19, 33.36) == {"CY"}  # Nicosia (north)
    assert where(9.56, 44.06) == {"SO"}  # Hargeisa
    assert where(-29.6, 28.2) == {"LS"}  # Lesotho, a hole in South Africa


def test_a_crop_keeps_the_rings_it_shows_where_they_were(countries):
    whole = world._View(0, 0, WIDTH, HEIGHT)
    for code in ("RU", "JP", "ID", "US"):
        assert world._rings_in(countries[code]["d"], whole) == countries[code]["d"]
    crop = world._view("east-asia")
    japan = rings(world._rings_in(countries["JP"]["d"], crop))
    assert japan == [r for r in rings(countries["JP"]["d"]) if r in japan]
    assert world._rings_in(countries["BR"]["d"], crop) == ""


def test_a_map_without_places_is_just_the_countries():
    root = parse(render(points=[], home=None, highlight={}))
    assert not list(root.iter(f"{SVG}a"))
    assert len([p for p in root.iter(f"{SVG}path") if p.get("data-country")]) > 200
