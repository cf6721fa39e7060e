"""Procedural demo illustrations for the cangxanh portal.

The demo content needs pictures, yet the project ships no photographs: every demo
image is drawn here with Pillow as a flat, editorial-style vector illustration of a
green port city (cranes and containers, a cable-stayed bridge, flamboyant trees...).

``draw(key)`` renders one scene as an RGB image.  Rendering is deterministic: each
scene takes its randomness from a ``random.Random`` seeded with the CRC-32 of its key,
so the same key and size always give the same pixels.

Scenes work in relative coordinates: x is a fraction of the width, y, sizes and line
widths are fractions of the height.  Objects are drawn with a ``Pen``, a local frame
(origin, unit, u to the right and v upwards) placed on the canvas, so a tree or a boat
is described once and drawn anywhere at any size.  Literal shapes are written compactly
as "u,v u,v ..." strings.  Everything is drawn at twice the requested size and
downscaled with Lanczos resampling for smooth edges.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw

Color = tuple[int, ...]
Fill = Color | str  # an RGB(A) tuple or a "#rrggbb" string
Point = tuple[float, float]
Shape = Sequence[Point] | str  # points, or "x,y x,y ..." for a literal shape

SUPERSAMPLE = 2
WHITE, BLACK = (255, 255, 255), (0, 0, 0)
CONTAINERS = ("#d9534f", "#f0a030", "#2f7fb8", "#3aa17e", "#f2c94c", "#8e5ea2", "#e8e4da")
REDS = ("#9e1b28", "#c0222e", "#d92f2f", "#e8452f", "#f46a45")  # flamboyant: dark to light
CLOTHES = ("#e0614f", "#3c7fbf", "#f2b441", "#8e5ea2", "#2fa4a0")
TRUNK, GREEN, LAMP, INK, STRAW = "#5b3b2e", "#3f8f4f", "#ffd27a", "#2d2b3a", "#eedcaa"


def as_rgb(fill: Fill) -> Color:
    if isinstance(fill, str):
        return (int(fill[1:3], 16), int(fill[3:5], 16), int(fill[5:7], 16))
    return fill[:3]


def mix(a: Fill, b: Fill, t: float) -> Color:
    t = min(max(t, 0.0), 1.0)
    return tuple(round(p + (q - p) * t) for p, q in zip(as_rgb(a), as_rgb(b), strict=True))


def shade(fill: Fill, t: float) -> Color:
    return mix(fill, BLACK, t)


def tint(fill: Fill, t: float) -> Color:
    return mix(fill, WHITE, t)


def rgba(fill: Fill, alpha: float) -> Color:
    return (*as_rgb(fill), round(255 * alpha))


def pts(shape: Shape) -> list[Point]:
    if isinstance(shape, str):
        return [(float(a), float(b)) for a, b in (pair.split(",") for pair in shape.split())]
    return list(shape)


def ramp(stops: Sequence[Fill], t: float) -> Color:
    """Colour at ``t`` (0..1) along evenly spaced gradient stops."""
    pos = min(max(t, 0.0), 1.0) * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    return mix(stops[i], stops[i + 1], pos - i)


def catenary(p0: Point, p1: Point, sag: float, n: int = 24) -> list[Point]:
    (x0, y0), (x1, y1) = p0, p1
    ts = [i / n for i in range(n + 1)]
    return [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t + 4 * sag * t * (1 - t)) for t in ts]


class Canvas:
    """A supersampled RGB image with drawing helpers in relative coordinates."""

    def __init__(self, width: int, height: int, rng: random.Random) -> None:
        self.w, self.h = width * SUPERSAMPLE, height * SUPERSAMPLE
        self.ax = self.h / self.w  # turns a height-relative length into a width fraction
        self.img = Image.new("RGB", (self.w, self.h), WHITE)
        self.d = ImageDraw.Draw(self.img, "RGBA")
        self.rng = rng

    def pen(self, x: float, y: float, s: float = 1, flip: bool = False) -> Pen:
        return Pen(self, x, y, s, flip)

    def xy(self, shape: Shape) -> list[Point]:
        return [(x * self.w, y * self.h) for x, y in pts(shape)]

    def poly(self, shape: Shape, fill: Fill) -> None:
        self.d.polygon(self.xy(shape), fill=fill)

    def line(self, shape: Shape, fill: Fill, width: float) -> None:
        self.d.line(self.xy(shape), fill=fill, width=max(1, round(width * self.h)), joint="curve")

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Fill, r: float = 0) -> None:
        (x0, x1), (y0, y1) = sorted((x0 * self.w, x1 * self.w)), sorted((y0 * self.h, y1 * self.h))
        self.d.rounded_rectangle((x0, y0, x1, y1), r * self.h, fill=fill)

    def oval(self, x: float, y: float, r: float, ry: float | None = None) -> tuple[float, ...]:
        cx, cy, rx, ry = x * self.w, y * self.h, r * self.h, (r if ry is None else ry) * self.h
        return (cx - rx, cy - ry, cx + rx, cy + ry)

    def circle(self, x: float, y: float, r: float, fill: Fill, ry: float | None = None) -> None:
        self.d.ellipse(self.oval(x, y, r, ry), fill=fill)

    def ring(self, x: float, y: float, r: float, fill: Fill, width: float) -> None:
        self.d.ellipse(self.oval(x, y, r), outline=fill, width=max(1, round(width * self.h)))

    def gradient(self, stops: Sequence[Fill], y0: float, y1: float) -> None:
        """Vertical gradient across the full width, drawn row by row."""
        top, bottom = round(y0 * self.h), round(y1 * self.h)
        for row in range(top, bottom):
            self.d.line([(0, row), (self.w, row)], fill=ramp(stops, (row - top) / (bottom - top)))

    def glow(self, x: float, y: float, r: float, fill: Fill, a: float = 0.5, n: int = 16) -> None:
        """A soft halo of total opacity ``a``, made of ``n`` stacked translucent discs."""
        for i in range(n):
            self.circle(x, y, r * (1 - i / n), rgba(fill, a / n))


class Pen:
    """A local frame on a canvas: origin (x, y), unit ``s`` (a fraction of the height),
    ``u`` pointing right (left when flipped) and ``v`` pointing up."""

    def __init__(self, c: Canvas, x: float, y: float, s: float, flip: bool) -> None:
        self.c, self.x, self.y, self.s = c, x, y, s
        self.k = s * c.ax * (-1 if flip else 1)

    def p(self, u: float, v: float) -> Point:
        return (self.x + u * self.k, self.y - v * self.s)

    def at(self, u: float, v: float, s: float) -> Pen:
        """A sub-frame at (u, v) whose unit is ``s`` of this one."""
        return Pen(self.c, *self.p(u, v), s * self.s, self.k < 0)

    def poly(self, shape: Shape, fill: Fill) -> None:
        self.c.poly([self.p(u, v) for u, v in pts(shape)], fill)

    def line(self, shape: Shape, fill: Fill, width: float) -> None:
        self.c.line([self.p(u, v) for u, v in pts(shape)], fill, width * self.s)

    def rect(self, u0: float, v0: float, u1: float, v1: float, fill: Fill, r: float = 0) -> None:
        self.c.rect(*self.p(u0, v0), *self.p(u1, v1), fill, r * self.s)

    def circle(self, u: float, v: float, r: float, fill: Fill, rv: float | None = None) -> None:
        self.c.circle(*self.p(u, v), r * self.s, fill, None if rv is None else rv * self.s)

    def ring(self, u: float, v: float, r: float, fill: Fill, width: float) -> None:
        self.c.ring(*self.p(u, v), r * self.s, fill, width * self.s)


# --- sky, land and water ------------------------------------------------------------------


def hills(c: Canvas, base: float, amp: float, fill: Fill, bumps: float, x0: float = 0) -> None:
    p1, p2 = c.rng.uniform(0, 6.3), c.rng.uniform(0, 6.3)
    top = []
    for x in (x0 + (1 - x0) * i / 80 for i in range(81)):
        v = 0.5 + 0.32 * math.sin(x * bumps * math.pi + p1) + 0.18 * math.sin(x * bumps * 2.7 + p2)
        top.append((x, base - amp * v * (min(1, (x - x0) / 0.15) if x0 else 1)))
    c.poly([(x0, base), *top, (1, base)], fill)


def clouds(c: Canvas, n: int, y0: float, y1: float, size: float = 0.05) -> None:
    for i in range(n):
        x, y = (i + c.rng.uniform(0.1, 0.9)) / n, c.rng.uniform(y0, y1)
        p, fill = c.pen(x, y, size * c.rng.uniform(0.7, 1.3)), rgba(WHITE, 0.9)
        for u, v, r in ((-0.75, -0.05, 0.42), (-0.25, 0.22, 0.58), (0.35, 0.12, 0.5)):
            p.circle(u, v, r, fill)
        p.circle(0.85, -0.08, 0.36, fill)
        p.rect(-1.05, 0, 1.15, -0.44, fill, 0.2)


def sun(c: Canvas, x: float, y: float, r: float, fill: Fill, alpha: float = 0.45) -> None:
    c.glow(x, y, r * 3.2, fill, alpha, 32)
    c.circle(x, y, r, fill)


def glints(c: Canvas, box: str, fill: Fill, n: int, alpha: float = 0.35) -> None:
    """Short highlights on water within ``box`` ("x0,y0 x1,y1"), longer towards the viewer."""
    (x0, y0), (x1, y1) = pts(box)
    for _ in range(n):
        t, x = c.rng.random() ** 1.6, c.rng.uniform(x0, x1)
        y, half = y0 + (y1 - y0) * t, (0.01 + 0.05 * t) * c.rng.uniform(0.5, 1.2)
        c.line([(x - half, y), (x + half, y)], rgba(fill, alpha), 0.0015 + 0.003 * t)


def reflect(c: Canvas, wl: float, strength: float, depth: float = 1, ripple: float = 0.004) -> None:
    """Mirror what lies above the waterline ``wl`` onto the water, fading with depth."""
    top = round(wl * c.h)
    dh = min(top, c.h - top, round(depth * c.h))
    src = c.img.crop((0, top - dh, c.w, top)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    mask = Image.linear_gradient("L").resize((c.w, dh)).point(lambda v: round((255 - v) * strength))
    merged = Image.composite(src, c.img.crop((0, top, c.w, top + dh)), mask)
    band = max(2, dh // 90)
    for y in range(0, dh, band):  # shift thin bands sideways for a rippled look
        dx = round(c.rng.uniform(-1, 1) * ripple * c.w * (0.3 + y / dh))
        c.img.paste(merged.crop((0, y, c.w, min(dh, y + band))), (dx, top + y))


def birds(c: Canvas, n: int, box: str, fill: Fill) -> None:
    (x0, y0), (x1, y1) = pts(box)
    for _ in range(n):
        p = c.pen(c.rng.uniform(x0, x1), c.rng.uniform(y0, y1), c.rng.uniform(0.008, 0.014))
        p.line("-2,0.5 0,0 2,0.6", fill, 0.25)


def stars(c: Canvas, n: int, y1: float) -> None:
    for _ in range(n):
        r, alpha = c.rng.choice((0.0012, 0.0016, 0.0022, 0.003)), c.rng.uniform(0.4, 1)
        c.circle(c.rng.random(), c.rng.random() ** 1.4 * y1, r, rgba("#fff6d8", alpha))


def street(c: Canvas, walk: float, road: float, asphalt: str = "#72767e") -> None:
    c.rect(0, walk, 1, road, "#d9cbb6")
    c.rect(0, road - 0.008, 1, road, "#b5a58e")
    c.gradient([asphalt, shade(asphalt, 0.15)], road, 1)


# --- plants and people --------------------------------------------------------------------

CANOPY = ((-0.24, 0.82, 0.28), (0.24, 0.84, 0.28), (0, 1.1, 0.34), (0.02, 0.92, 0.3))


def tree(p: Pen, green: Fill = GREEN, shadow: bool = True) -> None:
    if shadow:
        p.circle(0, 0, 0.5, rgba(BLACK, 0.12), 0.07)
    p.poly("-0.05,0 -0.03,0.75 0.03,0.75 0.05,0", TRUNK)
    p.line("0,0.5 -0.16,0.78", TRUNK, 0.03)
    for fill, du, dv in ((shade(green, 0.22), 0.05, -0.05), (green, 0, 0)):
        for u, v, r in CANOPY:
            p.circle(u + du, v + dv, r, fill)


def flame_tree(p: Pen) -> None:
    """Flamboyant tree (phuong do): dark trunk and a wide umbrella of red blossom."""
    rng, blobs = p.c.rng, []
    p.poly("-0.045,0 -0.02,0.62 0.02,0.62 0.045,0", TRUNK)
    for du in (-0.5, -0.25, 0.2, 0.48):
        p.line([(0, 0.42), (du, 0.72)], TRUNK, 0.024)
    for _ in range(220):
        a, d, r = rng.uniform(0, math.pi), rng.random() ** 0.5, rng.uniform(0.035, 0.065)
        blobs.append((0.8 * d * math.cos(a), 0.66 + 0.3 * d * math.sin(a), r))
    for u, v, r in blobs[:50]:
        p.circle(u, v, r * 1.5, "#3f7a35")
    for u, v, r in sorted(blobs[50:], key=lambda b: b[1]):  # brighter towards the top
        level = min(4, int((v - 0.6) / 0.09 + rng.random() * 1.2))
        p.circle(u, v, r, "#5d9a45" if rng.random() < 0.08 else REDS[level])


def person(p: Pen, fill: Fill, body: Fill, stride: float = 0, hat: bool = False) -> None:
    for side in (-1, 1):
        p.line([(side * 0.04, 0.45), (side * stride, 0)], fill, 0.08)
    p.rect(-0.13, 0.8, 0.13, 0.4, body, 0.07)
    p.circle(0, 0.9, 0.1, fill)
    if hat:  # conical non la
        p.poly("-0.24,0.92 0.24,0.92 0,1.07", STRAW)


def bust(p: Pen, body: Fill, hair: Fill | None = None) -> None:
    """Head and shoulders seen from behind (crowds, audiences, pupils)."""
    p.rect(-0.32, 0.42, 0.32, -0.4, body, 0.16)
    p.circle(0, 0.6, 0.2, hair or body, 0.22)


def cyclist(p: Pen, fill: Fill) -> None:
    for u in (-0.3, 0.32):
        p.ring(u, 0.2, 0.2, fill, 0.025)
    p.line("-0.3,0.2 0,0.22 0.32,0.2", fill, 0.025)
    p.line("-0.1,0.52 0,0.22 0.22,0.55 0.32,0.2", fill, 0.025)
    p.line("-0.08,0.56 0.02,0.95", fill, 0.13)
    p.line("0.02,0.9 0.22,0.58", fill, 0.05)
    p.line("-0.06,0.56 0.1,0.4 0.04,0.2", fill, 0.07)
    p.circle(0.07, 1.06, 0.085, fill)
    p.poly("-0.15,1.1 0.29,1.1 0.07,1.24", STRAW)


def cyclo(p: Pen, fill: Fill) -> None:
    """Cyclo (pedal rickshaw) facing left: passenger seat in front, the rider behind."""
    for u in (-0.45, 0.55):
        p.ring(u, 0.2, 0.2, fill, 0.025)
    p.line("-0.15,0.45 0.55,0.2", fill, 0.03)
    p.line("0.18,0.32 0.38,0.78", fill, 0.03)
    p.line("-0.1,0.5 -0.06,0.98 0.04,0.98", fill, 0.025)
    bust(p.at(-0.4, 0.72, 0.3), fill)
    p.poly("-0.7,0.45 -0.12,0.45 -0.1,0.92 -0.2,0.95 -0.26,0.62 -0.66,0.64", fill)
    p.line("-0.66,0.46 -0.78,0.26 -0.62,0.24", fill, 0.03)
    p.line("0.38,0.8 0.28,1.2", fill, 0.13)
    p.line("0.3,1.14 0.02,0.98", fill, 0.05)
    p.line("0.36,0.8 0.3,0.55 0.16,0.36", fill, 0.075)
    p.circle(0.25, 1.32, 0.09, fill)
    p.poly("0.02,1.37 0.48,1.37 0.25,1.52", STRAW)


def leaf(p: Pen, u: float, v: float, size: float, angle: float, width: float, fill: Fill) -> None:
    du, dv = math.cos(angle), math.sin(angle)
    side = [(t * size, math.sin(math.pi * t) * width) for t in (i / 8 for i in range(9))]
    outline = [(u + du * a - dv * b, v + dv * a + du * b) for a, b in side]
    p.poly(outline + [(u + du * a + dv * b, v + dv * a - du * b) for a, b in side[::-1]], fill)


def potted_plant(p: Pen) -> None:
    for i in range(9):
        angle, fill = math.pi * (0.15 + 0.7 * i / 8), shade(GREEN, i % 2 * 0.15)
        leaf(p, 0, 0.3, 0.75 + 0.2 * (i % 3), angle, 0.09, fill)
    p.poly("-0.2,0.35 0.2,0.35 0.15,0 -0.15,0", "#c8764a")


# --- port and transport -------------------------------------------------------------------


def container(c: Canvas, x: float, y: float, w: float, h: float, fill: Fill) -> None:
    """A shipping container, (x, y) its top-left corner."""
    gx, gy = 0.05 * h * c.ax, 0.05 * h
    c.rect(x, y, x + w, y + h, shade(fill, 0.45))
    c.rect(x + gx, y + gy, x + w - gx, y + h - gy, fill)
    c.rect(x + gx, y + gy, x + w - gx, y + 0.2 * h, tint(fill, 0.2))
    for rx in (x + w * i / 6 for i in range(1, 6)):
        c.line([(rx, y + 0.25 * h), (rx, y + h - 2 * gy)], rgba(shade(fill, 0.3), 0.7), 0.06 * h)


def container_yard(c: Canvas, base: float, rows: int, dim: float, ch: float = 0.028) -> None:
    cw, x = ch * 2.4 * c.ax, -0.02
    while x < 1:
        for row in range(rows - (c.rng.randint(1, rows - 1) if c.rng.random() < 0.3 else 0)):
            container(c, x, base - (row + 1) * ch, cw, ch, shade(c.rng.choice(CONTAINERS), dim))
        x += cw + (0.6 * cw if c.rng.random() < 0.05 else 0)


def sts_crane(p: Pen, leg: Fill, boom: Fill, raised: bool, lit: bool) -> list[Point]:
    """Ship-to-shore gantry crane in profile, boom reaching left; returns its lamp positions."""
    g, stay = 0.6, shade(boom, 0.35)  # g: girder level
    for u in (0.0, 0.34):
        p.rect(u - 0.012, 0, u + 0.012, g, leg)
        p.rect(u - 0.024, 0, u + 0.024, 0.02, shade(leg, 0.3))
    p.rect(0, 0.3, 0.34, 0.33, leg)
    p.line("0,0.33 0.34,0.6", leg, 0.012)
    tip = (-0.18, 1.12) if raised else (-0.55, 0.635)
    for end in (tip, (-0.2, 0.635), (0.56, 0.635)):
        p.line([(0.2, 0.94), end], stay, 0.005)
    p.line("0.02,0.6 0.2,0.94 0.34,0.6", leg, 0.02)
    if raised:
        p.line([(0.02, 0.618), tip], boom, 0.035)
    else:
        p.rect(-0.55, g, 0.02, 0.635, boom)
        p.rect(-0.33, g, -0.27, 0.555, shade(boom, 0.2))  # trolley, ropes and spreader
        p.line("-0.315,0.56 -0.315,0.38", shade(leg, 0.4), 0.004)
        p.line("-0.285,0.56 -0.285,0.38", shade(leg, 0.4), 0.004)
        p.rect(-0.35, 0.38, -0.25, 0.36, leg)
    p.rect(0, g, 0.56, 0.635, boom)
    p.rect(0 if raised else -0.55, g, 0.56, 0.61, shade(boom, 0.15))
    p.rect(0.3, 0.635, 0.52, 0.7, boom)  # machinery house
    p.rect(0.3, 0.66, 0.52, 0.67, leg)
    lamps = [p.p(0.2, 0.94), p.p(*tip), p.p(0.5, 0.7), p.p(0.56, g)]
    if lit:
        lamps += [] if raised else [p.p(u / 5, g) for u in range(-2, 3)]
        for x, y in lamps:
            p.c.glow(x, y, 0.025, LAMP, 0.6)
            p.c.circle(x, y, 0.003, tint(LAMP, 0.6))
    return lamps


def container_ship(p: Pen, n: float, hull: Fill) -> None:
    """Container ship in profile, bow to the left: origin at the bow's waterline, unit the
    hull height, ``n`` the length in units."""
    c, wake = p.c, rgba(shade(hull, 0.3), 0.1)
    for k in range(1, 5):
        p.poly([(0.5, 0), (n, 0), (n - 0.1, -0.2 * k), (n * 0.1, -0.2 * k)], wake)
    p.poly([(0, 1.2), (0.05 * n, 1), (n, 1), (n, 0.3), (n - 0.1, 0), (0.045 * n, 0)], hull)
    p.poly([(0.03 * n, 0.25), (n, 0.25), (n - 0.1, 0), (0.045 * n, 0)], "#b8373c")
    p.line([(0, 1.2), (0.05 * n, 1), (n, 1)], tint(hull, 0.5), 0.04)
    u, ch, w = 0.08 * n, 0.42, 0.924  # container height and width
    while u < 0.87 * n - 1:
        for row in range(c.rng.randint(3, 5)):
            x, y = p.p(u, 1 + (row + 1) * ch)
            container(c, x, y, w * p.k, ch * p.s, c.rng.choice(CONTAINERS))
        u += w + (0.1 if c.rng.random() < 0.5 else 0)
    b = p.at(0.87 * n, 1, ch)  # bridge and funnel
    b.rect(0, 0, 2.6, 6.2, "#f4f4f0")
    b.rect(-0.6, 6.2, 2.9, 6.9, "#f4f4f0")
    b.rect(-0.5, 6.35, 2.8, 6.7, "#28394a")
    for row in range(5):
        b.rect(0.3, 1 + row * 1.05, 2.3, 1.35 + row * 1.05, "#9fb3c2")
    b.rect(2.6, 0, 4.4, 4.5, "#e7e5de")
    b.rect(3.0, 4.2, 4.1, 6.0, "#2f6f8f")
    b.rect(3.0, 5.5, 4.1, 6.0, "#1f2a36")
    p.circle(0.4, 0, 0.5, rgba(WHITE, 0.6), 0.08)


def tug(p: Pen, fill: Fill) -> None:
    p.poly("-0.9,0.16 1,0.24 0.8,-0.02 -0.75,-0.02", fill)
    p.rect(-0.9, 0.18, 1, 0.13, "#2a2a35", 0.02)
    p.rect(-0.4, 0.38, 0.32, 0.17, "#f5f3ee")
    p.rect(-0.22, 0.52, 0.18, 0.37, "#f5f3ee")
    p.rect(-0.18, 0.49, 0.14, 0.43, "#28394a")
    p.rect(-0.58, 0.45, -0.44, 0.17, fill)
    p.circle(-1.0, 0.0, 0.25, rgba(WHITE, 0.45), 0.035)


def boat(p: Pen, hull: Fill, trim: Fill, cabin: Fill | None = None) -> None:
    """Wooden fishing boat: up-swept bow (to the right) with a painted eye, trim, cabin."""
    ts = [i / 16 for i in range(17)]
    top = [(1.6 * t - 0.8, 0.16 + 0.14 * (2 * t - 1) ** 2 + 0.12 * t**3) for t in ts]
    keel = pts("0.56,-0.04 0.2,-0.07 -0.4,-0.07 -0.64,-0.03")
    p.poly([(u, -v) for u, v in top] + keel, rgba(shade(hull, 0.2), 0.35))
    if cabin:
        p.line("0.3,0.2 0.3,0.95", "#4a3a30", 0.014)
        p.rect(-0.45, 0.15, 0.05, 0.42, cabin)
        p.poly("-0.5,0.42 0.1,0.42 0.05,0.48 -0.45,0.48", shade(cabin, 0.35))
        p.rect(-0.38, 0.37, -0.02, 0.29, "#33414f")
    p.poly(top + keel, hull)
    p.poly(top + [(u, v - 0.06) for u, v in reversed(top)], trim)
    p.line([(u, v - 0.12) for u, v in top[2:-2]], tint(hull, 0.3), 0.012)
    p.circle(0.64, 0.27, 0.04, WHITE, 0.025)
    p.circle(0.65, 0.27, 0.018, BLACK)


def car(p: Pen, fill: Fill) -> None:
    """Car seen from behind."""
    p.rect(-0.9, 0.08, 0.9, 0.72, fill, 0.25)
    p.rect(-0.68, 0.62, 0.68, 1.05, shade(fill, 0.15), 0.25)
    p.rect(-0.58, 0.7, 0.58, 0.98, "#2b3b4c")
    for side in (-1, 1):
        p.rect(side * 0.85, 0.35, side * 0.55, 0.48, "#ff4a3a")
        p.rect(side * 0.88, -0.05, side * 0.52, 0.1, "#23252b")


def truck(p: Pen, box: Fill, cab: Fill) -> None:
    p.rect(-0.6, 0.5, 0.25, 0.1, box)
    p.rect(0.28, 0.42, 0.55, 0.1, cab, 0.05)
    p.rect(0.42, 0.38, 0.53, 0.26, "#bcd8e8")
    for u in (-0.45, -0.3, 0.4):
        p.circle(u, 0.08, 0.08, "#23252b")


def wind_turbine(p: Pen, angle: float) -> None:
    p.poly("-0.018,0 -0.008,1 0.008,1 0.018,0", "#f4f6f7")
    for a in (angle, angle + 2.094, angle + 4.189):
        du, dv = math.cos(a), math.sin(a)
        root = (0.1 * du - 0.035 * dv, 1 + 0.1 * dv + 0.035 * du)
        p.poly([(0, 1), root, (0.46 * du, 1 + 0.46 * dv)], "#f4f6f7")
    p.circle(0, 1, 0.02, "#dfe4e6")


def lantern(p: Pen, fill: Fill) -> None:
    p.c.glow(p.x, p.y, p.s * 3.2, fill, 0.4, 8)
    p.line("0,1.4 0,0", "#3a2a20", 0.08)
    p.circle(0, 0, 1, fill, 0.85)
    p.circle(0, 0, 0.45, shade(fill, 0.12), 0.85)
    p.circle(-0.35, 0.25, 0.18, rgba(tint(fill, 0.6), 0.7), 0.35)
    p.rect(-0.4, 0.95, 0.4, 0.78, "#e8b64c")
    p.rect(-0.4, -0.95, 0.4, -0.78, "#e8b64c")
    p.line("0,-0.95 0,-1.6", "#e8b64c", 0.1)


def airliner(p: Pen, livery: Fill) -> None:
    """Passenger jet in profile, nose to the left: origin at the nose, unit the fuselage radius."""
    p.circle(9.5, -2.6, 8.5 * p.c.ax, rgba(BLACK, 0.16), 0.25)
    p.poly("13.6,1 16.4,4.4 17.6,4.4 17.9,0.9", livery)
    p.poly("6.6,-0.3 8.4,-0.3 12.4,0.6 11.8,0.6", "#c5ccd3")
    nose = []
    for t in (math.pi * (0.5 + i / 20) for i in range(21)):
        nose.append((2 + 2 * math.cos(t), -0.15 + math.sin(t) * (1.15 if t < math.pi else 0.85)))
    p.poly([*nose, *pts("14,-1 18,0.55 18.2,0.8 16,1")], "#f6f7f8")
    p.poly("1.1,-0.45 14.3,-0.45 14.6,-0.7 1.5,-0.7", livery)
    p.poly("0.7,0.25 1.7,0.55 1.9,0.2 1,0.05", "#2a3d52")
    for i in range(26):
        p.circle(3 + i * 0.42, 0.3, 0.13, "#5b7a96")
    p.poly("15.5,0.4 17.2,0.4 18.3,1.3 17.6,1.3", shade(livery, 0.15))
    p.poly("6.2,-0.4 9.4,-0.4 12.8,-1.9 11.9,-2", "#dfe3e7")
    p.rect(6.0, -0.9, 8.8, -2.05, "#e3e7eb", 0.55)
    p.circle(6.15, -1.47, 0.22, "#4a5663", 0.52)
    for u in (3, 9.6, 10.4):
        p.line([(u, -0.9), (u, -2.1)], "#5b636b", 0.18)
        p.circle(u, -2.2, 0.36, "#23252b")


# --- buildings ----------------------------------------------------------------------------


def tower(c: Canvas, x0: float, x1: float, y0: float, y1: float, fill: Fill, bands: bool) -> None:
    """A facade with a shaded side and either a window grid or glass bands."""
    c.rect(x0, y0, x1, y1, fill)
    c.rect(x1 - (x1 - x0) * 0.28, y0, x1, y1, shade(fill, 0.12))
    glass, cols = mix(fill, "#2d5d86", 0.45), max(2, round((x1 - x0) / 0.012))
    for y in (y0 + 0.015 + 0.022 * i for i in range(int((y1 - y0 - 0.02) / 0.022))):
        if bands:
            c.rect(x0, y, x1, y + 0.008, rgba(glass, 0.8))
            continue
        for wx in (x0 + (x1 - x0) * (i + 0.25) / cols for i in range(cols)):
            c.rect(wx, y, wx + (x1 - x0) * 0.5 / cols, y + 0.011, glass)


def factory(c: Canvas, x0: float, x1: float, base: float, h: float, d: float, fill: Fill) -> None:
    """Oblique factory block (front, side and a roof tiled with solar panels), depth ``d``."""
    roof, dy, panel, edge = base - h, d * 1.17, "#2b4f86", tint("#2b4f86", 0.35)
    c.rect(x0, roof, x1, base, fill)
    c.poly([(x1, base), (x1, roof), (x1 + d, roof - dy), (x1 + d, base - dy)], shade(fill, 0.2))
    c.poly([(x0, roof), (x1, roof), (x1 + d, roof - dy), (x0 + d, roof - dy)], shade(fill, 0.12))

    def at(u: float, v: float) -> Point:
        return (x0 + (x1 - x0) * u + d * v, roof - dy * v)

    cols = max(3, round((x1 - x0) / 0.025))
    for u0, u1 in (((i + 0.08) / cols, (i + 0.92) / cols) for i in range(cols)):
        for v0, v1 in ((j / 4 + 0.03, j / 4 + 0.22) for j in range(4)):
            c.poly([at(u0, v0), at(u1, v0), at(u1, v1), at(u0, v1)], panel)
            c.poly([at(u0, v1), at(u1, v1), at(u1, v1 - 0.05), at(u0, v1 - 0.05)], edge)


def shophouse(p: Pen, w: float, wall: Fill, lanterns: bool) -> None:
    """Two-storey French-era shophouse: shop front, shuttered balcony, tiled roof.
    Origin at the bottom-left corner, unit one storey, ``w`` the width in storeys."""
    shutter, roof, iron = "#2e7d5b", "#b5543a", "#2f3a33"
    p.rect(0, 0, w, 2, wall)
    p.rect(0, 0, 0.06 * w, 2, shade(wall, 0.08))
    p.poly([(-0.04 * w, 2), (1.04 * w, 2), (0.92 * w, 2.35), (0.08 * w, 2.35)], roof)
    for v in (2.07, 2.14, 2.21, 2.28):
        p.line([(0.06 * w, v), (0.94 * w, v)], shade(roof, 0.2), 0.01)
    p.rect(-0.01 * w, 2, 1.01 * w, 1.94, tint(wall, 0.45))
    p.rect(-0.03 * w, 1.04, 1.03 * w, 0.97, tint(wall, 0.4))
    p.rect(0.15 * w, 0, 0.85 * w, 0.78, "#4a3b35")
    p.rect(0.1 * w, 0.78, 0.9 * w, 0.93, shutter)
    for u, ww in ((w * 0.22, w * 0.2), (w * 0.58, w * 0.2)):
        p.rect(u, 1.28, u + ww, 1.95, "#3a3f3a")
        for su in (u - 0.45 * ww, u + ww):
            p.rect(su, 1.28, su + 0.45 * ww, 1.95, shutter)
            for v in (1.28 + 0.095 * k for k in range(1, 7)):
                p.line([(su, v), (su + 0.45 * ww, v)], shade(shutter, 0.3), 0.006)
    p.rect(0.08 * w, 1.3, 0.92 * w, 1.33, iron)
    for u in (0.08 * w + 0.06 * w * k for k in range(15)):
        p.line([(u, 1.31), (u, 1.02)], iron, 0.009)
    for k in range(3 if lanterns else 0):
        lantern(p.at(w * (0.3 + 0.2 * k), 0.62, 0.08), REDS[2] if k % 2 else "#f2a93b")


def karst(c: Canvas, x0: float, x1: float, base: float, h: float, green: Fill) -> None:
    """Steep limestone island: near-vertical sides, a bumpy dome, rock streaks, a wave notch."""
    rng, top = c.rng, []
    p1, p2, k = rng.uniform(0, 6), rng.uniform(0, 6), rng.uniform(9, 15)
    for t in (i / 40 for i in range(41)):
        bump = 1 + 0.07 * math.sin(t * k + p1) + 0.05 * math.sin(t * 23 + p2)
        top.append((x0 + (x1 - x0) * t, base - h * math.sin(math.pi * t) ** 0.3 * bump))
    c.poly([(x, 2 * base - y) for x, y in top], rgba(shade(green, 0.3), 0.35))
    c.poly(top, green)
    sx, sy = top[25 + rng.randint(0, 6)]
    edge = [(sx + 0.01 * math.sin(i), sy + (base - sy) * i / 6) for i in range(7)]
    c.poly([q for q in top if q[0] >= sx] + edge[::-1], shade(green, 0.18))
    c.poly(top[:6] + [(top[5][0], base)], tint(green, 0.12))
    for _ in range(int((x1 - x0) * 40)):
        x, y = top[rng.randint(4, 36)]
        streak = c.pen(x, y, h * rng.uniform(0.12, 0.4))
        streak.poly("-0.03,0 0.03,0 0.012,-1 -0.018,-0.8", rgba(tint(green, 0.45), 0.55))
    for _ in range(int((x1 - x0) * 120)):
        x, y = top[rng.randint(3, 37)]
        r = rng.uniform(0.006, 0.014)
        c.circle(x, y + rng.uniform(0.01, 0.5) * h, r, rgba(shade(green, 0.25), 0.5))
    nh = base - 0.035 * h  # the wave-cut notch at the waterline
    c.poly([(x0, base), (x1, base), (x1 - 0.006, nh), (x0 + 0.006, nh)], shade(green, 0.45))


def room(
    c: Canvas, back: tuple[float, float, float, float], feet: tuple[float, float], fills: Sequence
) -> None:
    """An interior in one-point perspective: ceiling, left and right walls, floor.

    ``back`` is the back wall's box (x0, y0, x1, y1); ``feet`` the heights where the
    left and right walls meet the picture's edges; ``fills`` ceiling, left, right, floor.
    """
    (x0, y0, x1, y1), (left_foot, right_foot) = back, feet
    ceiling, left, right, floor = fills
    c.poly(f"0,0 1,0 {x1},{y0} {x0},{y0}", ceiling)
    c.poly(f"0,0 {x0},{y0} {x0},{y1} 0,{left_foot}", left)
    c.poly(f"1,0 {x1},{y0} {x1},{y1} 1,{right_foot}", right)
    c.poly(f"{x0},{y1} {x1},{y1} 1,{right_foot} 1,1 0,1 0,{left_foot}", floor)


# --- scenes -------------------------------------------------------------------------------

Scene = Callable[[Canvas], None]
SCENES: dict[str, Scene] = {}


def scene(key: str) -> Callable[[Scene], Scene]:
    def register(fn: Scene) -> Scene:
        SCENES[key] = fn
        return fn

    return register


def _port(c: Canvas, night: bool) -> None:
    """Cranes over a container yard on the quay, by day or by night."""
    quay, wl = 0.665, 0.705
    if night:
        c.gradient(["#050b24", "#0d1d46", "#2e4d80"], 0, quay)
        stars(c, 150, 0.5)
        sun(c, 0.77, 0.08, 0.03, "#f4f1e0", 0.3)
        hills(c, quay, 0.05, "#1d2d4f", 2.5)
        for _ in range(80):
            c.circle(c.rng.random(), quay - c.rng.uniform(0, 0.02), 0.0018, rgba(LAMP, 0.8))
        leg, boom, dim, face = "#24466e", "#a9bbd0", 0.5, "#1f2a3d"
    else:
        c.gradient(["#a5d2ec", "#d9ecf0", "#fbe9d3"], 0, quay)
        sun(c, 0.16, 0.44, 0.05, "#fff1d0")
        clouds(c, 3, 0.1, 0.3, 0.045)
        hills(c, quay - 0.02, 0.08, "#bcd5d1", 2.2)
        hills(c, quay, 0.05, "#9cc2b5", 3.1)
        leg, boom, dim, face = "#2b6cb0", "#f3f5f6", 0, "#7c8a92"
    container_yard(c, quay, 4, dim)
    lamps: list[Point] = []
    for i, (x, h) in enumerate(((0.1, 0.54), (0.35, 0.5), (0.6, 0.56), (0.85, 0.5))):
        lamps += sts_crane(c.pen(x, quay, h), leg, boom, i == 2, night)
    for x in (0.05, 0.48, 0.95) if night else ():  # floodlight masts
        c.line([(x, quay), (x, 0.42)], "#2a3550", 0.004)
        c.pen(x, quay).poly("-0.007,0.245 0.007,0.245 0.14,0 -0.14,0", rgba(LAMP, 0.12))
        c.glow(x, 0.42, 0.05, "#fff0c0", 0.7)
        lamps.append((x, 0.42))
    c.rect(0, quay, 1, wl, face)
    c.rect(0, quay, 1, quay + 0.006, tint(face, 0.35))
    for i in range(24):
        c.rect(i / 24 + 0.01, quay + 0.012, i / 24 + 0.02, wl, shade(face, 0.35))
    c.gradient(["#10224a", "#050d22"] if night else ["#5aa6b8", "#1f6f88"], wl, 1)
    reflect(c, wl, 0.5 if night else 0.42, ripple=0.006 if night else 0.004)
    for lx, _ in lamps[::2] if night else ():  # light trails on the water
        for _ in range(6):
            y, half = wl + c.rng.uniform(0.01, 0.25) ** 1.3, c.rng.uniform(0.004, 0.012)
            c.line([(lx - half, y), (lx + half, y)], rgba(LAMP, 0.45), 0.003)
    glints(c, f"0,{wl} 1,1", "#9fb8e8" if night else WHITE, 60, 0.3 if night else 0.4)
    if not night:
        tug(c.pen(0.72, 0.9, 0.16), "#d0463b")


@scene("port-cranes")
def port_cranes(c: Canvas) -> None:
    _port(c, night=False)


@scene("container-ship")
def container_ship_scene(c: Canvas) -> None:
    c.gradient(["#84c3e6", "#e6f4f3"], 0, 0.6)
    clouds(c, 4, 0.08, 0.26)
    hills(c, 0.6, 0.09, "#a9cbc5", 2)
    hills(c, 0.6, 0.045, "#7fb0a2", 3.5)
    c.gradient(["#4aa9b4", "#125f79"], 0.6, 1)
    glints(c, "0,0.6 1,1", WHITE, 90)
    birds(c, 5, "0.55,0.1 0.9,0.22", rgba("#3d5566", 0.8))
    container_ship(c.pen(0.04, 0.8, 0.1), 0.86 / (0.1 * c.ax), "#203a55")
    tug(c.pen(0.2, 0.93, 0.15), "#d0463b")


@scene("sea-bridge")
def sea_bridge(c: Canvas) -> None:
    horizon, deck, dark = 0.62, 0.5, "#2a1f3d"
    c.gradient(["#2f356e", "#9b4f7e", "#f2894a", "#ffc872"], 0, horizon)
    sun(c, 0.5, 0.58, 0.085, "#ffe2a0", 0.55)
    hills(c, horizon, 0.035, "#6a3f63", 2)
    c.gradient(["#f2a05e", "#3b2f5e"], horizon, 1)
    for x in (i * 0.05 for i in range(21) if not 4 < i < 16):
        c.rect(x - 0.004, deck, x + 0.004, horizon + 0.01, dark)
    for px in (0.28, 0.72):  # pylons and their fans of stay cables
        c.pen(px, horizon + 0.01).poly("-0.012,0 -0.006,0.48 0.006,0.48 0.012,0", dark)
        for k in range(1, 13):
            for end in (px - k * 0.018, px + k * 0.018):
                c.line([(px, 0.15 + k * 0.006), (end, deck)], rgba(dark, 0.85), 0.0025)
    c.rect(-0.01, deck, 1.01, deck + 0.018, dark)
    c.rect(-0.01, deck - 0.004, 1.01, deck, "#4a3558")
    for i in range(16):
        p = c.pen((i + c.rng.uniform(0.1, 0.8)) / 16, deck - 0.004, 0.008)
        fill = c.rng.choice(("#ffd36b", "#ff6b5b", "#f4f0e8", "#7fd1d8"))
        p.rect(-1.4, 0, 1.4, 0.8, fill, 0.3)
        p.rect(-0.7, 0.6, 0.8, 1.3, fill, 0.3)
    reflect(c, horizon, 0.5, ripple=0.005)
    glints(c, f"0.35,{horizon} 0.65,1", "#ffe0a8", 60, 0.5)
    glints(c, f"0,{horizon} 1,1", "#ffb98a", 40, 0.25)
    birds(c, 6, "0.55,0.2 0.85,0.35", rgba(dark, 0.9))
    boat(c.pen(0.15, 0.84, 0.1), dark, dark, dark)


@scene("poinciana")
def poinciana(c: Canvas) -> None:
    walk, road, x = 0.7, 0.76, -0.02
    c.gradient(["#74bde6", "#dbeff5"], 0, walk)
    while x < 1:  # a row of low shophouses
        w, top = c.rng.uniform(0.09, 0.14), walk - c.rng.uniform(0.26, 0.38)
        c.rect(x, top, x + w, walk, c.rng.choice(("#f3d9a4", "#f6e7c8", "#e9b7a0", "#cfe0d6")))
        c.rect(x - 0.003, top - 0.014, x + w + 0.003, top, "#b5543a")
        for y in (top + 0.03 + row * 0.075 for row in range(3)):
            for k in range(2 if y < walk - 0.12 else 0):
                c.rect(x + w * (0.18 + 0.4 * k), y, x + w * (0.42 + 0.4 * k), y + 0.045, "#3e8069")
        c.rect(x + 0.1 * w, walk - 0.08, x + 0.9 * w, walk, "#5a4a44")
        c.rect(x + 0.05 * w, walk - 0.095, x + 0.95 * w, walk - 0.075, c.rng.choice(CLOTHES[:3]))
        x += w
    street(c, walk, road)
    for i in range(8):
        c.rect(i / 8 + 0.02, 0.875, i / 8 + 0.09, 0.882, rgba(WHITE, 0.8))
    for y in (c.rng.uniform(walk, 1) for _ in range(160)):  # fallen petals
        c.circle(c.rng.random(), y, 0.003 + 0.003 * (y - walk) / 0.3, c.rng.choice(REDS))
    for x in (0.1, 0.38, 0.66, 0.94):
        c.circle(x, road - 0.004, 0.16, rgba(BLACK, 0.12), 0.02)
        flame_tree(c.pen(x, road - 0.005, 0.52 + c.rng.uniform(-0.03, 0.03)))
    for x, y, flip in ((0.27, 0.95, False), (0.55, 0.86, True), (0.8, 0.95, False)):
        cyclist(c.pen(x, y, 0.16, flip), INK)


@scene("city-skyline")
def city_skyline(c: Canvas) -> None:
    bank, shore, x = 0.6, 0.8, -0.01
    c.gradient(["#4ea5e0", "#d5ecf6"], 0, bank)
    clouds(c, 4, 0.08, 0.26, 0.055)
    while x < 1:
        w = c.rng.uniform(0.04, 0.07)
        c.rect(x, bank - c.rng.uniform(0.18, 0.34), x + w, bank, "#b4cde0")
        x += w + 0.005
    x, landmark = 0.0, True
    while x < 1:
        w, h = c.rng.uniform(0.05, 0.085), c.rng.uniform(0.12, 0.36)
        if x > 0.4 and landmark:
            h, landmark = 0.48, False
            c.pen(x + w / 2, bank - h, 0.1).poly("-0.2,0 -0.03,1 0.03,1 0.2,0", "#d8e2ea")
        fill = c.rng.choice(("#7fa7c9", "#e6ebee", "#5c86ad", "#9fc4cf", "#f0e2c8"))
        tower(c, x, x + w, bank - h, bank, fill, c.rng.random() < 0.4)
        x += w + c.rng.uniform(0.0, 0.025)
    c.rect(0, bank - 0.012, 1, bank + 0.004, "#6fae6a")
    for i in range(26):
        tree(c.pen(i / 25, bank + 0.004, 0.03), "#4f9a5e", shadow=False)
    c.rect(0, bank + 0.004, 1, bank + 0.01, "#8c9aa0")
    c.gradient(["#5fa9cc", "#2f7fa8"], bank + 0.01, shore)
    reflect(c, bank + 0.01, 0.45, shore - bank - 0.01)
    glints(c, f"0,{bank + 0.01} 1,{shore}", WHITE, 60, 0.45)
    c.gradient(["#8fd06f", "#5fae55"], shore, 1)
    c.rect(0, shore, 1, shore + 0.012, "#c9c2b0")
    c.poly("0,0.93 1,0.86 1,0.9 0,0.98", "#eadfc6")
    for x in (0.05, 0.22, 0.72, 0.93):
        tree(c.pen(x, 0.91 if x < 0.5 else 0.88, 0.13))
    for x in (0.12, 0.5, 0.85):
        c.line([(x, shore + 0.012), (x, shore - 0.06)], "#3b4a55", 0.004)
        c.circle(x, shore - 0.062, 0.008, "#fff3c4")
    for x, stride in ((0.33, 0.12), (0.42, -0.12), (0.57, 0.12)):
        person(c.pen(x, 0.93 - 0.07 * x, 0.07), "#34394a", c.rng.choice(CLOTHES[:3]), stride)


@scene("opera-house")
def opera_house(c: Canvas) -> None:
    ground, cream, light, trim = 0.68, "#f2e3c2", "#ffd98a", tint("#f2e3c2", 0.5)
    c.gradient(["#324c88", "#b9748a", "#f6b47f"], 0, ground)
    stars(c, 25, 0.2)
    c.poly("0.17,0.37 0.83,0.37 0.79,0.31 0.21,0.31", "#8c8ea6")
    for x0, x1 in ((0.15, 0.37), (0.63, 0.85)):  # wings with a balustrade and arched windows
        c.rect(x0, 0.37, x1, ground, cream)
        c.rect(x0 - 0.005, 0.355, x1 + 0.005, 0.375, trim)
        c.rect(x0 - 0.005, 0.33, x1 + 0.005, 0.336, trim)
        for bx in (x0 + (x1 - x0) * k / 11 for k in range(12)):
            c.rect(bx - 0.002, 0.335, bx + 0.002, 0.356, trim)
        for wx in (x0 + (x1 - x0) * (0.18 + 0.32 * k) for k in range(3)):
            for wy in (0.44, 0.56):
                c.rect(wx - 0.016, wy, wx + 0.016, wy + 0.07, light)
                c.circle(wx, wy, 0.016 / c.ax, light)
                c.rect(wx - 0.02, wy + 0.07, wx + 0.02, wy + 0.076, tint(cream, 0.4))
    c.rect(0.36, 0.24, 0.64, ground, cream)
    c.poly("0.34,0.24 0.66,0.24 0.5,0.13", tint(cream, 0.4))  # pediment
    c.poly("0.37,0.232 0.63,0.232 0.5,0.15", shade(cream, 0.08))
    c.circle(0.5, 0.205, 0.02, trim)
    c.rect(0.34, 0.24, 0.66, 0.265, tint(cream, 0.45))
    c.rect(0.38, 0.3, 0.62, ground, "#c9ae84")
    for k in range(3):
        c.rect(0.405 + k * 0.08, 0.38, 0.435 + k * 0.08, 0.62, light)
    c.glow(0.5, 0.5, 0.25, light, 0.35)
    for x in (0.375 + k * 0.035 for k in range(8)):  # columns
        c.rect(x, 0.29, x + 0.016, ground, tint(cream, 0.3))
        c.rect(x + 0.011, 0.29, x + 0.016, ground, shade(cream, 0.1))
        c.rect(x - 0.004, 0.282, x + 0.02, 0.292, trim)
    c.rect(0.365, 0.265, 0.635, 0.285, cream)
    c.gradient(["#cdb8a0", "#8f7e78"], ground, 1)
    for i in range(4):
        y, fill = ground + i * 0.012, mix("#eadcc2", "#c9b59a", i / 4)
        c.rect(0.36 - i * 0.015, y, 0.64 + i * 0.015, y + 0.012, fill)
    for y in (ground + 0.06 + i**1.5 * 0.018 for i in range(6)):
        c.line([(0, y), (1, y)], rgba("#7a6a66", 0.35), 0.002)
    for x in (0.04, 0.14, 0.86, 0.96):
        tree(c.pen(x, 0.88, 0.24), "#2f6b4a")
    for x in (0.27, 0.73):
        c.line([(x, 0.86), (x, 0.7)], "#2a2a35", 0.006)
        c.glow(x, 0.7, 0.07, light, 0.7)
        c.circle(x, 0.7, 0.012, tint(light, 0.5))
    for _ in range(9):
        p = c.pen(c.rng.uniform(0.22, 0.78), c.rng.uniform(0.8, 0.95), 0.075)
        person(p, "#2b2838", c.rng.choice(CLOTHES[:4]), c.rng.uniform(-0.15, 0.15))


@scene("lan-ha-bay")
def lan_ha_bay(c: Canvas) -> None:
    horizon = 0.52
    c.gradient(["#6bbde8", "#e3f5f7"], 0, horizon)
    clouds(c, 4, 0.08, 0.25)
    c.gradient(["#8fdcd4", "#2fb0b0", "#148694"], horizon, 1)
    glints(c, f"0,{horizon} 1,1", WHITE, 80, 0.45)
    for x0, w, h in ((0.02, 0.1, 0.1), (0.35, 0.08, 0.12), (0.5, 0.12, 0.09), (0.86, 0.1, 0.1)):
        karst(c, x0, x0 + w, horizon + 0.005, h, "#a9cfc0")
    karst(c, 0.12, 0.3, 0.6, 0.26, "#6aa582")
    karst(c, 0.66, 0.8, 0.58, 0.2, "#6aa582")
    karst(c, 0.55, 0.98, 0.74, 0.5, "#3f8a55")
    c.circle(0.66, 0.742, 0.11, "#f6ecd0", 0.022)  # the beach
    c.circle(0.66, 0.752, 0.13, rgba(WHITE, 0.35), 0.012)
    for x in (0.61, 0.7):
        c.line([(x, 0.735), (x + 0.005, 0.66)], TRUNK, 0.004)
        for j in range(6):
            leaf(c.pen(x + 0.005, 0.66, 0.04), 0, 0, 1, math.pi * (0.05 + 0.18 * j), 0.18, GREEN)
    boat(c.pen(0.42, 0.7, 0.1), "#f4f1ea", "#e05d4f", "#f4f1ea")
    boat(c.pen(0.3, 0.83, 0.14, flip=True), "#f4f1ea", "#2f8fb3", "#f4f1ea")
    for x, y, fill in ((0.12, 0.86, "#f29b30"), (0.2, 0.93, "#f2c94c"), (0.52, 0.9, "#e2483d")):
        c.circle(x, y, 0.05, fill, 0.007)  # kayaks
        person(c.pen(x, y - 0.002, 0.04), "#2c3e50", "#2c3e50")
        c.line([(x - 0.03, y - 0.03), (x + 0.03, y + 0.004)], "#2c3e50", 0.003)


@scene("industrial-park")
def industrial_park(c: Canvas) -> None:
    c.gradient(["#78bde6", "#e0f1f5"], 0, 0.42)
    clouds(c, 3, 0.08, 0.22, 0.045)
    hills(c, 0.42, 0.07, "#a7c9b6", 2)
    c.gradient(["#a6d47f", "#6fb159"], 0.42, 1)
    tower(c, 0.62, 0.7, 0.26, 0.5, "#7fb3d5", True)
    far = ((0.05, 0.3, 0.52, 0.08), (0.36, 0.6, 0.51, 0.07), (0.76, 0.95, 0.53, 0.09))
    for x0, x1, base, h in far:
        factory(c, x0, x1, base, h, 0.03, "#dfe3e6")
    for i in range(30):
        tree(c.pen(i / 29, 0.57, 0.04), "#4f9a57", shadow=False)
    c.poly("0.5,0.84 0.57,0.84 0.545,0.55 0.525,0.55", "#7c8288")
    for x0, x1, h, front in ((0.02, 0.44, 0.15, "#f1f3f4"), (0.58, 0.92, 0.13, "#d5dadf")):
        factory(c, x0, x1, 0.79, h, 0.06, front)
        c.rect(x0, 0.79 - h * 0.62, x1, 0.79 - h * 0.5, "#2f9c8f")
        for dx in (x0 + (x1 - x0) * (0.1 + 0.22 * k) for k in range(4)):  # loading doors
            c.rect(dx, 0.79 - h * 0.38, dx + 0.05, 0.79, "#9aa5ae")
            for y in (0.79 - h * 0.38 * j / 6 for j in range(1, 6)):
                c.line([(dx, y), (dx + 0.05, y)], "#85909a", 0.0015)
    c.rect(0, 0.84, 1, 0.95, "#62676e")
    for i in range(12):
        c.rect(i / 12 + 0.01, 0.893, i / 12 + 0.05, 0.898, rgba(WHITE, 0.85))
    truck(c.pen(0.25, 0.885, 0.13), "#eef0f2", "#2f7fb8")
    truck(c.pen(0.7, 0.945, 0.15), "#f0a030", "#d9534f")
    for i in range(9):
        tree(c.pen(0.04 + i * 0.115 + 0.03 * (i > 3), 0.835, 0.06), "#3f8a4a")


@scene("conference-hall")
def conference_hall(c: Canvas) -> None:
    room(c, (0.15, 0.1, 0.85, 0.58), (0.84, 0.84), ("#ece7df", "#c9a57c", "#b8946c", "#4e6688"))
    c.rect(0.15, 0.1, 0.85, 0.58, "#efe6d6")
    for x in (0.15 + 0.025 * i for i in range(29)):
        c.line([(x, 0.1), (x, 0.58)], rgba("#c8a77e", 0.45), 0.003)
    for k in range(3):  # ceiling lights
        for x in (0.5 + (i - 2) * (0.16 - k * 0.02) for i in range(5)):
            c.glow(x, 0.03 + k * 0.025, 0.03, "#fff6dc", 0.5)
            c.circle(x, 0.03 + k * 0.025, 0.012, "#fffaf0", 0.004)
    c.rect(0.32, 0.14, 0.68, 0.39, "#2b3f5c")  # the screen
    c.rect(0.33, 0.155, 0.67, 0.375, "#7fbfe0")
    c.poly("0.33,0.32 0.42,0.26 0.5,0.3 0.6,0.23 0.67,0.27 0.67,0.375 0.33,0.375", "#2f9c8f")
    c.circle(0.58, 0.2, 0.022, "#ffe08a")
    for x in (0.2, 0.8):
        potted_plant(c.pen(x, 0.6, 0.14))
    for i in range(9):
        c.rect(0.25 + i * 0.0625, 0.44, 0.29 + i * 0.0625, 0.54, "#2f3a4a", 0.01)
    c.poly("0.24,0.52 0.76,0.52 0.8,0.56 0.2,0.56", "#f7f7f3")
    c.rect(0.2, 0.56, 0.8, 0.63, "#2e5e8c")
    for i in range(13):
        c.line([(0.2 + i * 0.05, 0.565), (0.2 + i * 0.05, 0.63)], rgba(WHITE, 0.15), 0.003)
    flags = ("#2fa4a0", "#f29b30", "#8e5ea2", "#5aa9e6", "#e0608a", "#d9b13c")  # plain colours
    for i, x in enumerate(0.28 + i * 0.063 for i in range(8)):
        c.rect(x - 0.012, 0.535, x + 0.012, 0.548, "#fdfdfb")
        c.line([(x + 0.018, 0.545), (x + 0.018, 0.495)], "#8a8f96", 0.002)
        c.rect(x + 0.019, 0.495, x + 0.036, 0.512, flags[i % len(flags)])
    for row in range(4):  # the audience from behind, chair backs in front of each person
        y, s = 0.74 + row * 0.085, 0.55 + 0.2 * row
        for side in (-1, 1):
            for i in range(4 + row):
                p = c.pen(0.5 + side * (0.05 + (i + 0.5) * 0.085) * s, y, s)
                suit = c.rng.choice(("#2c3440", "#4a5568", "#e8e6e1"))
                if c.rng.random() < 0.7:
                    bust(p.at(0, 0.105, 0.085), suit, "#1c1f26")
                p.rect(-0.065, 0, 0.065, 0.115, "#26374f", 0.02)
                p.rect(-0.055, 0.095, 0.055, 0.11, "#3a5272", 0.01)


@scene("festival-lanterns")
def festival_lanterns(c: Canvas) -> None:
    c.gradient(["#0c1436", "#2c1f4f", "#6b2f52"], 0, 0.7)
    stars(c, 60, 0.3)
    c.gradient(["#5a2c44", "#1a1020"], 0.7, 1)
    c.glow(0.5, 0.62, 0.42, "#ff9e4a", 0.8, 20)
    for x0, x1, top in ((0, 0.16, 0.2), (0.16, 0.3, 0.32), (0.7, 0.84, 0.3), (0.84, 1, 0.18)):
        c.rect(x0, top, x1, 0.8, "#1c1533" if top < 0.25 else "#251a3d")
        for y in (top + 0.04 + 0.06 * j for j in range(int((0.66 - top) / 0.06))):
            for wx in (x0 + (x1 - x0) * (0.12 + 0.3 * k) for k in range(3)):
                if c.rng.random() < 0.55:
                    c.rect(wx, y, wx + (x1 - x0) * 0.16, y + 0.03, rgba("#ffc46b", 0.8))
    c.rect(0.33, 0.34, 0.67, 0.64, "#3a1a30")  # the stage
    c.rect(0.35, 0.37, 0.65, 0.58, "#b8343c")
    c.rect(0.35, 0.37, 0.65, 0.4, "#8a1f30")
    c.rect(0.31, 0.58, 0.69, 0.68, "#2e1526")
    c.rect(0.31, 0.575, 0.69, 0.585, "#ffd08a")
    for k in range(5):
        x, dx = 0.36 + k * 0.07, 0.12 * (k - 2)
        c.poly([(x, 0.36), (x + 0.006, 0.36), (x + dx, 0), (x - 0.05 + dx, 0)], rgba(LAMP, 0.08))
    for x in (0.42, 0.5, 0.58):
        person(c.pen(x, 0.58, 0.1), "#2a1426", "#2a1426")
    strings = ((0.12, 0.18, 0.12, 0.022), (0.3, 0.26, 0.1, 0.017), (0.44, 0.45, 0.05, 0.012))
    for y0, y1, sag, r in strings:
        wire = catenary((0.0, y0), (1.0, y1), sag, 40)
        c.line(wire, "#3a2a20", 0.002)
        for i in range(2, 40, 2 if r > 0.015 else 3):
            x, y = wire[i]
            lantern(c.pen(x, y + 1.5 * r, r), REDS[2] if i // 2 % 2 else "#f7b731")
    for i in range(34):
        x, y = (i + c.rng.uniform(0, 0.6)) / 33, 0.86 + c.rng.uniform(-0.02, 0.02)
        bust(c.pen(x, y, 0.09), "#3c2440")
    for i in range(24):
        x, y = (i + c.rng.uniform(0, 0.6)) / 23, 0.97 + c.rng.uniform(-0.02, 0.02)
        p = c.pen(x, y, c.rng.uniform(0.13, 0.16))
        if c.rng.random() < 0.25:  # a raised phone
            p.line("0.22,0.3 0.4,0.95", "#140c1c", 0.09)
            p.rect(0.34, 0.95, 0.48, 1.15, "#bfe3ff", 0.02)
        bust(p, "#140c1c")


@scene("airport")
def airport(c: Canvas) -> None:
    apron, x0, x1 = 0.6, 0.05, 0.83
    c.gradient(["#4a9fdf", "#d6eef8"], 0, apron)
    clouds(c, 3, 0.08, 0.2)
    hills(c, apron, 0.06, "#b6d3d6", 2)
    c.rect(0.86, 0.14, 0.9, apron, "#e7ebee")  # control tower
    c.rect(0.885, 0.14, 0.9, apron, "#c7cfd6")
    c.poly("0.84,0.11 0.92,0.11 0.905,0.16 0.855,0.16", "#2f4f6b")
    c.rect(0.845, 0.095, 0.915, 0.11, "#eef1f3")
    c.line("0.88,0.095 0.88,0.05", "#8a949c", 0.003)
    under, roof = [], []  # the terminal's curved roof over a glass facade
    for t in (i / 60 for i in range(61)):
        arch = math.sin(math.pi * t)
        under.append((x0 + (x1 - x0) * t, 0.47 - 0.09 * arch - 0.05 * t))
        roof.append((x0 - 0.02 + (x1 - x0 + 0.04) * t, 0.455 - 0.11 * arch - 0.05 * t))
    c.poly([*under, (x1, apron), (x0, apron)], "#5d9cc9")
    for x, y in under[::2]:
        c.line([(x, y), (x, apron)], rgba("#d7e7f2", 0.7), 0.002)
    for y in (0.52, 0.56):
        c.line([(x0, y), (x1, y)], rgba("#d7e7f2", 0.7), 0.002)
    c.poly("0.2,0.6 0.32,0.4 0.36,0.4 0.24,0.6", rgba(WHITE, 0.15))
    c.poly([*roof, *reversed(under)], "#f3f5f7")
    c.poly([*under, *[(x, y - 0.012) for x, y in reversed(under)]], "#c3ced8")
    c.gradient(["#a3abb1", "#7f878d"], apron, 1)
    c.rect(0, apron, 1, apron + 0.02, "#8fbf6f")
    c.line(catenary((-0.1, 0.98), (1.1, 0.72), -0.08, 30), "#f2c94c", 0.006)
    for i in range(14):
        c.circle(i / 13, 0.66, 0.004, "#3b7dd8")
    truck(c.pen(0.08, 0.715, 0.07), "#e8e4da", "#f2b441")
    airliner(c.pen(0.14, 0.77, 0.064), "#1f8a8a")


@scene("fishing-boats")
def fishing_boats(c: Canvas) -> None:
    wl, net = 0.62, "#2c4a38"
    c.gradient(["#7b82c4", "#c99ab0", "#f2a9a0", "#ffd7a3"], 0, wl)
    sun(c, 0.74, 0.45, 0.045, "#fff0c8", 0.6)
    hills(c, wl - 0.02, 0.16, "#a593bb", 1.6)
    hills(c, wl, 0.1, "#7d7ea8", 2.6)
    hills(c, wl, 0.05, "#5d7f80", 3.6)
    c.gradient(["#e3b0a6", "#4b6f99"], wl, 1)
    for x, wall in zip((0.06, 0.17, 0.3, 0.48, 0.6), CONTAINERS[2:], strict=True):
        p = c.pen(x, wl + 0.006, 0.05)  # floating houses on pontoons
        p.rect(-0.2, 0, 1.5, 0.28, "#3b4b6b")
        p.rect(0, 0.28, 1.3, 1.1, wall)
        p.rect(0.4, 0.28, 0.72, 0.8, shade(wall, 0.5))
        p.poly("-0.16,1.1 1.46,1.1 1.1,1.6 0.2,1.6", "#8a4b3c")
    reflect(c, wl + 0.008, 0.45)
    glints(c, f"0,{wl} 1,1", "#ffe6c8", 70, 0.4)
    for x in (0.12, 0.16, 0.2, 0.24, 0.28):
        c.circle(x, 0.7 + 0.01 * math.sin(x * 40), 0.005, "#f28c38")
    top, hem = catenary((0.5, 0.56), (0.62, 0.56), 0.02), catenary((0.5, 0.64), (0.62, 0.64), 0.05)
    c.poly(top + hem[::-1], rgba(net, 0.35))  # a net drying between two poles
    for k in range(1, 24, 2):
        c.line([top[k], hem[k]], rgba(net, 0.7), 0.0015)
    for k in range(1, 5):
        mesh = [(x, y + (hy - y) * k / 5) for (x, y), (_, hy) in zip(top, hem, strict=True)]
        c.line(mesh, rgba(net, 0.7), 0.0015)
    for x in (0.5, 0.62):
        c.line([(x, 0.77), (x, 0.54)], "#4a3a30", 0.005)
    boats = [
        ("#2f6fb0", "#d94a3d", "#f2c94c", 0.74, 0.7, 0.2),
        ("#2e9c7a", "#f2c94c", "#e8e4da", 0.36, 0.79, 0.28),
        ("#d94a3d", "#2f6fb0", "#f4f1ea", 0.8, 0.87, 0.3),
        ("#3a5ca8", "#e8e4da", "#e07a5f", 0.2, 0.96, 0.34),
    ]
    for i, (hull, trim, cabin, x, y, s) in enumerate(boats):
        boat(c.pen(x, y, s, flip=i % 2 == 1), hull, trim, cabin)
    birds(c, 5, "0.3,0.1 0.7,0.3", rgba("#4b3b5c", 0.8))


@scene("old-town-street")
def old_town_street(c: Canvas) -> None:
    walk, road, x = 0.74, 0.79, -0.03
    c.gradient(["#79c0e6", "#e2f2f4"], 0, walk)
    clouds(c, 3, 0.06, 0.16, 0.04)
    for i in range(7):
        w, fh = 0.15 + c.rng.uniform(-0.01, 0.02), 0.2 + 0.015 * (i % 2)
        wall = ("#f2c14e", "#f5cf6b", "#e9b949")[i % 3]
        shophouse(c.pen(x, walk, fh), w / (fh * c.ax), wall, i % 2 == 0)
        x += w
    for y0, y1, sag in ((0.24, 0.22, 0.05), (0.27, 0.26, 0.04)):
        c.line(catenary((0, y0), (1, y1), sag), "#3a3a3a", 0.002)
    street(c, walk, road, "#8b8680")
    for x in (0.1, 0.86):
        tree(c.pen(x, walk + 0.02, 0.3))
    for x in (0.33, 0.62):
        potted_plant(c.pen(x, walk + 0.01, 0.06))
    cyclo(c.pen(0.5, 0.96, 0.17), INK)
    person(c.pen(0.24, 0.9, 0.11), INK, "#3c7fbf", 0.1, hat=True)


@scene("green-park")
def green_park(c: Canvas) -> None:
    horizon, x = 0.44, 0.0
    c.gradient(["#86cbee", "#e5f6f5"], 0, horizon)
    clouds(c, 3, 0.06, 0.2)
    while x < 1:
        w = c.rng.uniform(0.03, 0.06)
        c.rect(x, horizon - c.rng.uniform(0.06, 0.16), x + w, horizon, "#c6dbe6")
        x += w + c.rng.uniform(0.01, 0.05)
    c.gradient(["#a4d67c", "#68b653"], horizon, 1)
    for i in range(36):
        tree(c.pen(i / 35, horizon + 0.02, 0.045 + 0.01 * (i % 3)), "#5a9d5e", shadow=False)
    lake = []
    for t in (i * math.pi / 30 for i in range(60)):
        lake.append((0.64 + 0.28 * math.cos(t) + 0.02 * math.sin(3 * t), 0.62 + 0.08 * math.sin(t)))
    c.poly([(x, y + 0.01) for x, y in lake], "#d8cfa8")
    c.poly(lake, "#5bb3d3")
    glints(c, "0.45,0.56 0.85,0.68", WHITE, 25, 0.5)
    p = c.pen(0.74, 0.6, 0.1)  # pavilion on the shore
    p.rect(-1, -0.1, 1, 0.05, "#b89b7a")
    for u in (-0.75, -0.25, 0.25, 0.75):
        p.rect(u - 0.05, 0, u + 0.05, 0.8, "#b8372f")
    p.rect(-0.6, 0.9, 0.6, 1.25, "#8f2a25")
    p.poly("-1.55,0.75 -0.95,0.9 0.95,0.9 1.55,0.75 1,1.05 -1,1.05", "#3d5a4f")
    p.poly("-1.05,1.15 -0.45,1.3 0.45,1.3 1.05,1.15 0.5,1.45 -0.5,1.45", "#3d5a4f")
    for x, y in ((0.5, 0.63), (0.53, 0.65), (0.58, 0.62)):  # ducks
        c.pen(x, y, 0.012).circle(0, 0, 0.6, WHITE, 0.35)
        c.pen(x, y, 0.012).line("0.35,0.1 0.45,0.7", WHITE, 0.18)

    def path_x(t: float) -> float:
        return 0.12 + 0.22 * t + 0.06 * math.sin(t * 3)

    ts = [i / 20 for i in range(21)]
    left = [(path_x(t) - 0.1 * (1 - t) - 0.01, 1 - 0.48 * t) for t in ts]
    c.poly(left + [(path_x(t) + 0.1 * (1 - t) + 0.01, 1 - 0.48 * t) for t in ts[::-1]], "#ecdfc0")
    for bx, by in ((0.12, 0.72), (0.55, 0.86)):  # flower beds
        c.circle(bx, by, 0.14, "#5a9e48", 0.035)
        for _ in range(24):
            fill = c.rng.choice(("#e0614f", "#f2c94c", "#f4f1ea", "#e0608a"))
            x, y = bx + c.rng.uniform(-0.065, 0.065), by + c.rng.uniform(-0.015, 0.015)
            c.circle(x, y, 0.007, fill)
    for x, base, s in ((0.05, 0.62, 0.2), (0.9, 0.9, 0.3), (0.99, 0.7, 0.22)):
        tree(c.pen(x, base, s))
    for x in (0.38, 0.44):
        tree(c.pen(x, 0.6, 0.1), "#4f9a57")
    c.rect(0.7, 0.78, 0.8, 0.79, "#7a5a40")  # a bench
    c.rect(0.7, 0.755, 0.8, 0.765, "#7a5a40")
    for x in (0.705, 0.795):
        c.line([(x, 0.755), (x, 0.81)], "#4a3a30", 0.003)
    for t, stride in ((0.2, 0.15), (0.45, -0.15), (0.58, 0.12), (0.75, -0.12)):
        p = c.pen(path_x(t) + 0.015, 1 - 0.48 * t - 0.01, 0.12 * (1 - t) + 0.03)
        person(p, "#333344", c.rng.choice(CLOTHES[:4]), stride)


@scene("night-port")
def night_port(c: Canvas) -> None:
    _port(c, night=True)


@scene("classroom")
def classroom(c: Canvas) -> None:
    room(c, (0.2, 0.08, 0.86, 0.6), (0.84, 0.8), ("#f4f1ea", "#e4efe0", "#dde9da", "#d9b98f"))
    c.rect(0.2, 0.08, 0.86, 0.6, "#f5ecd8")

    def wall(u: float, v: float) -> Point:  # left wall: u = 0 at the viewer, 1 at the front
        top, bottom = 0.08 * u, 0.84 - 0.24 * u
        return (0.2 * u, top + (bottom - top) * v)

    for u0, u1 in ((0.12, 0.42), (0.55, 0.85)):  # windows onto the trees, sun on the floor
        a0, a1, mid = u0 + 0.03, u1 - 0.03, (u0 + u1) / 2
        c.poly([wall(u0, 0.18), wall(u1, 0.18), wall(u1, 0.62), wall(u0, 0.62)], WHITE)
        c.poly([wall(a0, 0.21), wall(a1, 0.21), wall(a1, 0.59), wall(a0, 0.59)], "#a9dcf2")
        waves = (
            (a0 + (a1 - a0) * i / 10, 0.36 + 0.05 * math.sin(i * 1.7 + u0 * 9)) for i in range(11)
        )
        leaves = [wall(u, v) for u, v in waves]
        c.poly([*leaves, wall(a1, 0.59), wall(a0, 0.59)], "#5fae5a")
        c.line([wall(mid, 0.21), wall(mid, 0.59)], WHITE, 0.006)
        c.line([wall(u0, 0.4), wall(u1, 0.4)], WHITE, 0.005)
        sunlight = [(0.05 + u0 * 0.5, 0.9), (0.2 + u1 * 0.4, 0.9), (0.3 + u1 * 0.3, 0.74)]
        c.poly([*sunlight, (0.2 + u0 * 0.3, 0.74)], rgba(WHITE, 0.2))
    for i, fill in enumerate(("#f2b441", "#e0614f", "#5aa9e6", "#8fd06f", "#e0608a")):
        c.pen(0.92, 0.18 + i * 0.055).poly("0,0 0.07,-0.03 0.07,0.04 0,0.035", fill)  # papers
    c.rect(0.3, 0.16, 0.74, 0.43, "#8b5a2b")  # blackboard, left blank
    c.rect(0.315, 0.175, 0.725, 0.415, "#2f5d4a")
    c.circle(0.45, 0.26, 0.06, rgba(WHITE, 0.05), 0.03)
    c.circle(0.62, 0.33, 0.08, rgba(WHITE, 0.04), 0.03)
    c.rect(0.3, 0.43, 0.74, 0.442, "#7a4e25")
    c.circle(0.52, 0.11, 0.025, WHITE)
    c.ring(0.52, 0.11, 0.025, "#5a5a5a", 0.004)
    c.line("0.52,0.093 0.52,0.11 0.53,0.115", "#333333", 0.003)
    c.rect(0.62, 0.5, 0.8, 0.6, "#a26b3c")
    c.rect(0.61, 0.49, 0.81, 0.505, "#c08552")
    p = c.pen(0.71, 0.44, 0.036)  # globe
    p.rect(-0.4, -1.2, 0.4, -1.4, "#b08d57")
    p.line("0,-1.2 0,-1", "#6a6a6a", 0.12)
    p.ring(0, 0, 1.08, "#b08d57", 0.1)
    p.circle(0, 0, 0.95, "#3f8fd2")
    p.poly("-0.3,0.6 0.1,0.7 0.35,0.3 0,-0.2 -0.3,0.1", "#6fbf5a")
    p.poly("0.4,-0.1 0.65,-0.2 0.5,-0.6", "#6fbf5a")
    rows = ((0.68, (0.24, 0.41, 0.59, 0.76)), (0.8, (0.15, 0.38, 0.62, 0.85)))
    for y, cols in (*rows, (0.95, (0.04, 0.33, 0.67, 0.96))):
        for x in cols:
            p = c.pen(x, y, (y - 0.3) / 0.7)
            p.poly("-0.15,0.06 0.15,0.06 0.162,0 -0.162,0", "#d6a36a")
            p.rect(-0.162, 0, 0.162, -0.02, "#a9763f")
            for side in (-0.075, 0.075):
                bust(p.at(side, -0.03, 0.16), "#f4f6f8", "#2b2622")


@scene("coastal-road")
def coastal_road(c: Canvas) -> None:
    horizon, vp = 0.44, (0.6, 0.44)
    c.gradient(["#68b2e4", "#e0f2f6"], 0, horizon)
    clouds(c, 3, 0.06, 0.22)
    hills(c, horizon, 0.05, "#9fc6a6", 2.5, 0.5)
    c.gradient(["#7cc3cf", "#2a8aa0"], horizon, 1)
    glints(c, f"0,{horizon} 0.4,1", WHITE, 60, 0.4)
    for i in range(7):
        p = c.pen(0.04 + i * 0.075, horizon + 0.004 + 0.006 * (i % 2), 0.2 - 0.012 * i)
        wind_turbine(p, 0.4 + i)

    def edge(bottom_x: float, s: float) -> Point:  # s: 0 at the vanishing point, 1 at the bottom
        return (vp[0] + (bottom_x - vp[0]) * s, vp[1] + (1 - vp[1]) * s)

    c.poly([vp, (1.2, 1.0), (1.0, horizon)], "#86c06a")
    c.poly([vp, (1.3, 1.0), (1.2, 1.0)], "#6fae57")
    for s in (0.15 + 0.09 * k for k in range(10)):
        tree(c.pen(*edge(1.4, s), 0.1 * s + 0.02), "#4f9a57")
    c.poly([vp, edge(0.05, 1), edge(0.36, 1)], "#b9bfb8")  # the sea dyke's concrete revetment
    for k in range(1, 8):
        c.line([vp, edge(0.05 + k * 0.04, 1)], rgba("#8f968e", 0.6), 0.002)
    for s in (1 / (1 + k * 0.35) for k in range(1, 16)):
        c.line([edge(0.05, s), edge(0.36, s)], rgba("#8f968e", 0.6), 0.0015)
    c.poly([vp, edge(0.36, 1), edge(1.2, 1)], "#5b6068")
    c.poly([vp, edge(0.36, 1), edge(0.39, 1)], "#e9ecef")
    for s0, s1 in ((1 / (1 + k * 0.5), 1 / (1 + (k + 0.45) * 0.5)) for k in range(16)):
        c.poly([edge(0.76, s0), edge(0.79, s0), edge(0.79, s1), edge(0.76, s1)], rgba(WHITE, 0.9))
    cars = ((0.25, 0.6, "#3c7fbf"), (0.42, 0.95, "#f4f1ea"), (0.6, 1.0, "#f2b441"))
    for s, off, fill in (*cars, (0.85, 0.55, "#e0614f")):
        car(c.pen(*edge(off, s), 0.1 * s), fill)
    for s in (0.12 + 0.08 * k for k in range(12)):  # mangroves on stilt roots by the dyke
        p = c.pen(*edge(0.02, s), 0.1 * s)
        for u in (-0.2, -0.45, -0.7, -0.95):
            p.line([(u, 0.35), (u - 0.12, 0.05), (u - 0.2, -0.1)], "#5b4636", 0.04)
            p.line([(u, 0.35), (u + 0.1, -0.1)], "#5b4636", 0.04)
        for j, (u, v) in enumerate(((-0.3, 0.7), (-0.65, 0.85), (-0.95, 0.65), (-0.5, 0.55))):
            p.circle(u, v, 0.42, shade("#3f7f4a", 0.07 * j))


KEYS: tuple[str, ...] = tuple(SCENES)


def draw(key: str, width: int = 1600, height: int = 900) -> Image.Image:
    """Render the illustration ``key`` as an RGB image of ``width`` x ``height`` pixels."""
    try:
        painter = SCENES[key]
    except KeyError:
        raise KeyError(f"unknown illustration: {key}") from None
    canvas = Canvas(width, height, random.Random(zlib.crc32(key.encode())))
    painter(canvas)
    return canvas.img.resize((width, height), Image.LANCZOS)
