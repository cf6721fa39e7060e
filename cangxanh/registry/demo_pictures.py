"""Pictures for a few partner localities of the demo, drawn with the demo's illustration
kit (cangxanh/demo/illustrations.py: the same canvas, pens and shapes), not photographs.

Each scene is a loose impression of the place (a harbour skyline under a snowy volcano,
a red suspension bridge over a strait, a sea bridge before glass towers); the alt texts
and captions in content/registry-partners.toml say what is drawn and that it is a drawing.
Deterministic like the demo's own scenes: the randomness comes from the key.
"""

from __future__ import annotations

import io
import math
import random
import zlib
from collections.abc import Callable

from PIL import Image

from cangxanh.demo.illustrations import (
    WHITE,
    Canvas,
    birds,
    catenary,
    clouds,
    container_yard,
    glints,
    hills,
    reflect,
    rgba,
    shade,
    sts_crane,
    sun,
    tower,
    tree,
)

Painter = Callable[[Canvas], None]


def _skyline(c: Canvas, x0: float, x1: float, base: float, lo: float, hi: float, fills) -> None:
    x = x0
    while x < x1:
        w = c.rng.uniform(0.03, 0.055)
        h = c.rng.uniform(lo, hi)
        tower(c, x, min(x + w, x1), base - h, base, c.rng.choice(fills), c.rng.random() < 0.5)
        x += w + c.rng.uniform(0.0, 0.012)


def seattle(c: Canvas) -> None:
    """A harbour skyline at dusk with a needle tower, a snowy volcano and a ferry."""
    shore = 0.64
    c.gradient(["#2c3e73", "#8d5f8f", "#f0a071", "#ffd49a"], 0, shore)
    sun(c, 0.16, 0.5, 0.04, "#ffe7b8", 0.4)
    # The mountain and its snow.
    c.poly([(0.46, shore), (0.74, 0.27), (1.02, shore)], "#8c7ea6")
    c.poly([(0.74, 0.27), (1.02, shore), (0.88, shore)], shade("#8c7ea6", 0.12))
    c.poly("0.66,0.37 0.74,0.27 0.81,0.36 0.78,0.345 0.755,0.375 0.725,0.35 0.695,0.38", "#f5eff3")
    hills(c, shore, 0.05, "#5a4b78", 2.4)
    _skyline(c, 0.0, 0.62, shore, 0.08, 0.3, ("#3e4a72", "#4b5a86", "#58507a", "#36406a"))
    for _ in range(90):  # lit windows
        x, y = c.rng.uniform(0.01, 0.6), c.rng.uniform(shore - 0.26, shore - 0.02)
        c.rect(x, y, x + 0.004, y + 0.006, rgba("#ffd98a", 0.55))
    # The needle tower: three legs, a waist, a saucer deck and a spire.
    n = 0.33
    for dx in (-0.018, 0.0, 0.018):
        c.line([(n + dx, shore), (n + dx * 0.25, 0.42), (n, 0.25)], "#e9e4ef", 0.005)
    c.line([(n - 0.012, 0.46), (n + 0.012, 0.46)], "#e9e4ef", 0.004)
    c.circle(n, 0.245, 0.062, "#f0eaf2", 0.014)
    c.circle(n, 0.232, 0.045, "#d9d1e0", 0.011)
    c.rect(n - 0.03, 0.235, n + 0.03, 0.245, rgba("#ffd98a", 0.8))
    c.line([(n, 0.22), (n, 0.12)], "#e9e4ef", 0.003)
    c.glow(n, 0.12, 0.012, "#ff6b5b", 0.8)
    c.gradient(["#4a4f86", "#1d2450"], shore, 1)
    reflect(c, shore, 0.5, ripple=0.006)
    glints(c, f"0,{shore} 1,1", "#ffcf9a", 70, 0.35)
    # A green-and-white ferry heading out.
    c.poly("0.52,0.82 0.8,0.82 0.78,0.85 0.54,0.85", "#1f7a4d")
    c.rect(0.53, 0.79, 0.79, 0.82, "#f4f4f0")
    c.rect(0.56, 0.765, 0.74, 0.79, "#f4f4f0")
    for i in range(12):
        c.rect(0.545 + i * 0.02, 0.8, 0.557 + i * 0.02, 0.81, "#2d3b58")
    c.rect(0.69, 0.74, 0.705, 0.765, "#1f7a4d")
    c.line("0.5,0.86 0.3,0.88", rgba(WHITE, 0.5), 0.003)
    birds(c, 5, "0.05,0.15 0.3,0.3", rgba("#2a2340", 0.8))


def kitakyushu(c: Canvas) -> None:
    """A red suspension bridge over a strait between green hills, a port beyond."""
    water = 0.6
    c.gradient(["#79bde8", "#e3f2f5"], 0, water)
    clouds(c, 3, 0.07, 0.22, 0.045)
    hills(c, water, 0.09, "#a9cdb9", 2.5)
    # The far shore's industry: chimneys and cranes.
    for x, h in ((0.58, 0.16), (0.62, 0.2), (0.66, 0.14)):
        c.rect(x, water - h, x + 0.012, water, "#e8e4da")
        for k in range(3):
            y = water - h + k * 0.035
            c.rect(x, y, x + 0.012, y + 0.012, "#c8322f")
        c.circle(x + 0.006, water - h - 0.03, 0.025, rgba(WHITE, 0.55))
    container_yard(c, water, 3, 0, 0.02)
    for x in (0.8, 0.9):
        sts_crane(c.pen(x, water, 0.2), "#2b6cb0", "#f3f5f6", False, False)
    # Near hills on both sides, with trees.
    c.poly("0,0.3 0.08,0.34 0.16,0.45 0.2,0.62 0,0.62", "#5f9e62")
    c.poly("1,0.36 0.93,0.4 0.86,0.5 0.83,0.62 1,0.62", "#5f9e62")
    for x, y in ((0.03, 0.36), (0.09, 0.4), (0.14, 0.48), (0.95, 0.42), (0.9, 0.48)):
        tree(c.pen(x, y, 0.07), "#3f7f4a", shadow=False)
    red, dark = "#c8322f", "#8e1f1d"
    deck, top = 0.5, 0.2
    towers = (0.3, 0.7)
    cable = (
        catenary((0.16, 0.46), (towers[0], top), 0.03, 12)
        + catenary((towers[0], top), (towers[1], top), 0.2, 40)
        + catenary((towers[1], top), (0.84, 0.46), 0.03, 12)
    )
    for x, y in cable[::2]:  # hangers
        if y < deck:
            c.line([(x, y), (x, deck)], rgba(dark, 0.8), 0.0015)
    c.line(cable, red, 0.005)
    for t in towers:
        for dx in (-0.012, 0.012):
            c.rect(t + dx - 0.005, top - 0.01, t + dx + 0.005, water + 0.02, red)
        for y in (top + 0.02, 0.33, deck + 0.03):
            c.rect(t - 0.017, y, t + 0.017, y + 0.01, dark)
    c.rect(0.14, deck, 0.86, deck + 0.016, red)
    c.rect(0.14, deck + 0.016, 0.86, deck + 0.022, dark)
    c.gradient(["#4c9fb8", "#17607a"], water, 1)
    reflect(c, water, 0.45)
    glints(c, f"0,{water} 1,1", WHITE, 70, 0.4)
    # A small coaster under the bridge.
    p = c.pen(0.42, 0.8, 0.05)
    p.poly("-1.6,0.5 1.8,0.5 1.5,0 -1.3,0", "#2f4f6b")
    p.rect(0.6, 0.5, 1.5, 1.3, "#f4f4f0")
    p.rect(0.8, 1.0, 1.3, 1.15, "#28394a")
    p.rect(-1.2, 0.5, 0.4, 0.9, "#f0a030")
    birds(c, 4, "0.4,0.08 0.6,0.18", rgba("#2d3b4a", 0.8))


def incheon(c: Canvas) -> None:
    """A long cable-stayed sea bridge before a cluster of glass towers, a jet climbing."""
    water = 0.58
    c.gradient(["#4f9fd8", "#d9eef7"], 0, water)
    sun(c, 0.12, 0.14, 0.035, "#fff4d6", 0.35)
    clouds(c, 3, 0.1, 0.3, 0.04)
    hills(c, water, 0.04, "#a8c6cf", 2)
    glass = ("#7fa7c9", "#5c86ad", "#9fc4cf", "#b8d3e3", "#6f93b8")
    _skyline(c, 0.45, 0.98, water, 0.1, 0.3, glass)
    tower(c, 0.66, 0.7, water - 0.42, water, "#6e98c0", True)  # the tallest, tapering top
    c.poly([(0.66, water - 0.42), (0.7, water - 0.42), (0.685, water - 0.47)], "#6e98c0")
    c.gradient(["#5fa9c8", "#236f92"], water, 1)
    reflect(c, water, 0.4, 0.2)
    # The bridge: a low deck across the picture and two pylons with fans of stays.
    deck = 0.7
    line, stay = "#eef1f3", rgba("#f6f8f9", 0.9)
    for x in (i * 0.04 for i in range(26)):
        c.rect(x - 0.004, deck, x + 0.004, deck + 0.06, "#c9d0d6")
    for px in (0.2, 0.46):
        c.poly(
            [
                (px - 0.025, deck + 0.05),
                (px - 0.004, 0.3),
                (px + 0.004, 0.3),
                (px + 0.025, deck + 0.05),
            ],
            line,
        )
        c.poly([(px - 0.012, deck + 0.05), (px, 0.45), (px + 0.012, deck + 0.05)], "#5fa9c8")
        for k in range(1, 11):
            for end in (px - k * 0.02, px + k * 0.02):
                c.line([(px, 0.31 + k * 0.008), (end, deck)], stay, 0.0018)
    c.rect(-0.01, deck - 0.012, 1.01, deck, line)
    c.rect(-0.01, deck, 1.01, deck + 0.006, "#9aa6b0")
    for i in range(10):
        x = (i + c.rng.uniform(0.1, 0.8)) / 10
        c.rect(
            x,
            deck - 0.02,
            x + 0.012,
            deck - 0.012,
            c.rng.choice(("#f2b441", "#e0614f", "#3c7fbf", WHITE)),
        )
    glints(c, f"0,{deck + 0.06} 1,1", WHITE, 60, 0.4)
    # A jet climbing away to the right.
    p = c.pen(0.72, 0.2, 0.02)
    angle = math.radians(12)

    def rot(u: float, v: float) -> tuple[float, float]:
        return (
            u * math.cos(angle) - v * math.sin(angle),
            u * math.sin(angle) + v * math.cos(angle),
        )

    body = [
        rot(u, v)
        for u, v in (
            (-4, 0.5),
            (3.6, 0.6),
            (4.4, 0),
            (3.6, -0.5),
            (-4, -0.4),
            (-4.6, 1.6),
            (-3.6, 1.6),
        )
    ]
    p.poly(body, "#f6f7f8")
    p.poly([rot(u, v) for u, v in ((-0.6, 0), (0.8, 0), (-1.6, -2.6), (-2.2, -2.6))], "#dfe3e7")
    p.poly([rot(u, v) for u, v in ((-4.2, 0.6), (-3.4, 0.6), (-4.3, 1.6), (-4.6, 1.6))], "#1f5fa8")
    birds(c, 4, "0.25,0.12 0.45,0.22", rgba("#2d3b4a", 0.7))


SCENES: dict[str, Painter] = {
    "partner-seattle": seattle,
    "partner-kitakyushu": kitakyushu,
    "partner-incheon": incheon,
}


def draw(key: str, width: int = 1600, height: int = 900) -> Image.Image:
    canvas = Canvas(width, height, random.Random(zlib.crc32(key.encode())))
    SCENES[key](canvas)
    return canvas.img.resize((width, height), Image.LANCZOS)


def jpeg(key: str) -> bytes:
    buffer = io.BytesIO()
    draw(key).save(buffer, "JPEG", quality=86, optimize=True, progressive=True)
    return buffer.getvalue()
