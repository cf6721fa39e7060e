"""The one-off converter of Natural Earth's outlines (cangxanh.maps.build_data)."""

import json

from cangxanh.maps import build_data
from cangxanh.maps.projection import project


def test_a_ring_across_the_180th_meridian_becomes_one_on_each_side():
    # An island from 179°E to 179°W, written the way world-atlas stitches it.
    ring = [(179.0, -16.0), (-179.0, -16.0), (-179.0, -17.0), (179.0, -17.0), (179.0, -16.0)]
    pieces = build_data.cut_antimeridian(ring)
    assert len(pieces) == 2
    for piece in pieces:
        signs = {lon > 0 for lon, _lat in piece if abs(lon) != 180}
        assert len(signs) == 1
        assert piece[0] == piece[-1]
        # Closed along the meridian itself, not across the map.
        assert {lon for lon, _lat in piece if abs(lon) == 180} in ({180}, {-180})
    framed = [build_data.frame_ring(p) for p in pieces]
    for points in framed:
        xs = [x for x, _y in points]
        assert max(xs) - min(xs) < 100


def test_a_ring_that_stays_on_one_side_is_left_alone():
    ring = [(10.0, 10.0), (11.0, 10.0), (11.0, 11.0), (10.0, 10.0)]
    assert build_data.cut_antimeridian(ring) == [ring]


def test_parts_of_one_country_are_merged_without_their_shared_border():
    # Two squares side by side; arc 0 is the border they share.
    arcs = [
        [(1.0, 0.0), (1.0, 1.0)],
        [(1.0, 1.0), (0.0, 1.0), (0.0, 0.0), (1.0, 0.0)],
        [(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0)],
    ]
    left, right = [0, 1], [2, ~0]
    (ring,) = build_data.merged_rings(arcs, [left, right])
    assert (1.0, 0.5) not in ring
    assert set(ring) == {(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (0.0, 1.0)}
    # Apart, each keeps its own ring.
    assert len(build_data.merged_rings(arcs, [left])) == 1


def test_paths_are_relative_and_read_back():
    rings = [[(10, 20), (15, 20), (15, 27)], [(100, 5), (90, 5), (95, -3)]]
    d = build_data.path_data(rings)
    assert d == "m10 20 5 0 0 7zm90-15-10 0 5-8z"


def test_simplifying_keeps_the_ends_and_a_small_island_a_triangle():
    line = [(100.0 + i / 100, 10.0) for i in range(50)]
    assert build_data.simplify_arc(line, 3.0) == [line[0], line[-1]]
    island = [(100.0, 10.0), (100.01, 10.0), (100.01, 10.01), (100.0, 10.01), (100.0, 10.0)]
    kept = build_data.simplify_arc(island, 3.0)
    assert kept[0] == kept[-1] and len(set(kept)) >= 3


def test_the_shipped_file_says_where_it_comes_from():
    data = json.loads(build_data.OUT.read_text())
    assert "Natural Earth" in data["source"] and "public domain" in data["source"]
    assert data["projection"] == "Equal Earth"
    assert (data["width"], data["height"]) == (10000, round(project(-60, 0)[1]))
