"""Procedural demo illustrations for the cangxanh portal.

The demo content needs pictures, yet the project ships no photographs: every demo
image is drawn here with Pillow as a flat, editorial-style vector illustration of a
green port city (cranes and containers, a cable-stayed bridge, flamboyant trees...).

``draw(key)`` renders one scene as an RGB image.  Rendering is deterministic: each
scene takes its randomness from a ``random.Random`` seeded with the CRC-32 of its key,
so the same key and size always give the same pixels.  Scenes are drawn in relative
coordinates (x as a fraction of the width, y as a fraction of the height; radii, sizes
and line widths as fractions of the height) at twice the requested size, then
downscaled with Lanczos resampling for smooth edges.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw

Color = tuple[int, int, int]
Fill = tuple[int, ...]
Point = tuple[float, float]
Stops = Sequence[tuple[float, Color]]

SUPERSAMPLE = 2


def rgb(code: str) -> Color:
    code = code.lstrip("#")
    return (int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16))


WHITE, BLACK = (255, 255, 255), (0, 0, 0)
CONTAINERS = [rgb(c) for c in ("#d9534f", "#f0a030", "#2f7fb8", "#3aa17e", "#f2c94c",
                               "#8e5ea2", "#e8e4da", "#5a7d9a", "#c8553d")]
REDS = [rgb(c) for c in ("#b81d2a", "#d62f2f", "#e84a36", "#f26b45", "#c42437", "#ff7f50")]
TRUNK = rgb("#5b3b2e")


def mix(a: Color, b: Color, t: float) -> Color:
    t = min(max(t, 0.0), 1.0)
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


def shade(color: Color, t: float) -> Color:
    return mix(color, BLACK, t)


def tint(color: Color, t: float) -> Color:
    return mix(color, WHITE, t)


def rgba(color: Color, alpha: float) -> Fill:
    return (*color, round(255 * alpha))


def ramp(stops: Stops, t: float) -> Color:
    for (t0, c0), (t1, c1) in zip(stops, stops[1:], strict=False):
        if t <= t1:
            return mix(c0, c1, (t - t0) / ((t1 - t0) or 1.0))
    return stops[-1][1]


def lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


class Canvas:
    """A supersampled RGB image with drawing helpers in relative coordinates."""

    def __init__(self, width: int, height: int, rng: random.Random) -> None:
        self.w, self.h = width * SUPERSAMPLE, height * SUPERSAMPLE
        self.ax = self.h / self.w  # converts a height-relative length to a width fraction
        self.img = Image.new("RGB", (self.w, self.h), WHITE)
        self.d = ImageDraw.Draw(self.img, "RGBA")
        self.rng = rng

    def pt(self, p: Point) -> Point:
        return (p[0] * self.w, p[1] * self.h)

    def poly(self, points: Sequence[Point], fill: Fill) -> None:
        self.d.polygon([self.pt(p) for p in points], fill=fill)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Fill,
             radius: float = 0.0) -> None:
        box = (min(x0, x1) * self.w, min(y0, y1) * self.h,
               max(x0, x1) * self.w, max(y0, y1) * self.h)
        if radius > 0:
            self.d.rounded_rectangle(box, radius * self.h, fill=fill)
        else:
            self.d.rectangle(box, fill=fill)

    def circle(self, x: float, y: float, r: float, fill: Fill, ry: float | None = None) -> None:
        ry = r if ry is None else ry
        self.d.ellipse((x * self.w - r * self.h, (y - ry) * self.h,
                        x * self.w + r * self.h, (y + ry) * self.h), fill=fill)

    def ring(self, x: float, y: float, r: float, fill: Fill, width: float) -> None:
        self.d.ellipse((x * self.w - r * self.h, (y - r) * self.h, x * self.w + r * self.h,
                        (y + r) * self.h), outline=fill, width=max(1, round(width * self.h)))

    def line(self, points: Sequence[Point], fill: Fill, width: float) -> None:
        self.d.line([self.pt(p) for p in points], fill=fill,
                    width=max(1, round(width * self.h)), joint="curve")

    def gradient(self, stops: Stops, y0: float = 0.0, y1: float = 1.0,
                 x0: float = 0.0, x1: float = 1.0) -> None:
        """Vertical gradient, drawn row by row."""
        top, bottom = round(y0 * self.h), round(y1 * self.h)
        for row in range(top, bottom):
            color = ramp(stops, (row - top) / max(1, bottom - top - 1))
            self.d.line([(x0 * self.w, row), (x1 * self.w, row)], fill=color)

    def glow(self, x: float, y: float, r: float, color: Color, strength: float = 0.5,
             steps: int = 10, ry: float | None = None) -> None:
        """A soft halo made of stacked translucent ellipses."""
        for i in range(steps):
            k = 1 - i / steps
            self.circle(x, y, r * k, rgba(color, strength / steps), None if ry is None else ry * k)


# --- landscape -----------------------------------------------------------------------


def hills(c: Canvas, base: float, amp: float, color: Color, bumps: float = 3.0,
          bottom: float = 1.0) -> None:
    p1, p2 = c.rng.uniform(0, 6.3), c.rng.uniform(0, 6.3)
    pts: list[Point] = [(0.0, bottom)]
    for i in range(81):
        x = i / 80
        v = 0.5 + 0.32 * math.sin(x * bumps * math.pi + p1) + 0.18 * math.sin(x * bumps * 2.7 + p2)
        pts.append((x, base - amp * v))
    c.poly([*pts, (1.0, bottom)], color)


def cloud(c: Canvas, x: float, y: float, s: float, color: Fill) -> None:
    for dx, dy, r in ((-0.75, 0.05, 0.42), (-0.25, -0.22, 0.58), (0.35, -0.12, 0.5),
                      (0.85, 0.08, 0.36)):
        c.circle(x + dx * s * c.ax, y + dy * s, r * s, color)
    c.rect(x - 1.05 * s * c.ax, y, x + 1.15 * s * c.ax, y + 0.44 * s, color, radius=0.2 * s)


def clouds(c: Canvas, n: int, y0: float, y1: float, color: Fill, size: float = 0.05) -> None:
    for i in range(n):
        x = (i + c.rng.uniform(0.1, 0.9)) / n
        cloud(c, x, c.rng.uniform(y0, y1), size * c.rng.uniform(0.7, 1.3), color)


def sun(c: Canvas, x: float, y: float, r: float, color: Color, glow: float = 0.45) -> None:
    c.glow(x, y, r * 3.2, color, glow, steps=14)
    c.circle(x, y, r, color)


def water(c: Canvas, y0: float, stops: Stops, glint: Color, n: int = 60,
          y1: float = 1.0, alpha: float = 0.35) -> None:
    c.gradient(stops, y0, y1)
    glints(c, y0, y1, glint, n, alpha)


def glints(c: Canvas, y0: float, y1: float, color: Color, n: int, alpha: float = 0.35,
           x0: float = 0.0, x1: float = 1.0) -> None:
    """Short horizontal highlight strokes, longer and thicker towards the viewer."""
    for _ in range(n):
        t = c.rng.random() ** 1.6
        y = y0 + (y1 - y0) * t
        x = c.rng.uniform(x0, x1)
        half = (0.01 + 0.05 * t) * c.rng.uniform(0.5, 1.2)
        c.line([(x - half, y), (x + half, y)], rgba(color, alpha), 0.0015 + 0.003 * t)


def reflect(c: Canvas, waterline: float, strength: float = 0.4, depth: float = 1.0,
            ripple: float = 0.004) -> None:
    """Mirror what lies above the waterline onto the water, fading with depth."""
    wl = round(waterline * c.h)
    dh = min(wl, c.h - wl, round(depth * c.h))
    if dh < 2:
        return
    src = c.img.crop((0, wl - dh, c.w, wl)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    dst = c.img.crop((0, wl, c.w, wl + dh))
    fade = Image.linear_gradient("L").resize((c.w, dh))
    mask = fade.point(lambda v: round((255 - v) * strength))
    merged = Image.composite(src, dst, mask)
    band = max(2, dh // 90)
    for top in range(0, dh, band):
        dx = round(c.rng.uniform(-1, 1) * ripple * c.w * (0.3 + top / dh))
        c.img.paste(merged.crop((0, top, c.w, min(dh, top + band))), (dx, wl + top))


def birds(c: Canvas, n: int, x0: float, x1: float, y0: float, y1: float, color: Fill) -> None:
    for _ in range(n):
        x, y, s = c.rng.uniform(x0, x1), c.rng.uniform(y0, y1), c.rng.uniform(0.008, 0.014)
        c.line([(x - s * c.ax * 1.2, y - s * 0.5), (x, y), (x + s * c.ax * 1.2, y - s * 0.6)],
               color, 0.0025)


def stars(c: Canvas, n: int, y1: float) -> None:
    for _ in range(n):
        r = c.rng.choice((0.0012, 0.0016, 0.0022, 0.003))
        c.circle(c.rng.random(), c.rng.random() ** 1.4 * y1, r,
                 rgba(rgb("#fff6d8"), c.rng.uniform(0.4, 1.0)))


# --- vegetation and people -------------------------------------------------------------


def tree(c: Canvas, x: float, base: float, s: float, canopy: Color,
         trunk: Color = TRUNK, shadow: bool = True) -> None:
    if shadow:
        c.circle(x, base, 0.5 * s, rgba(BLACK, 0.13), ry=0.07 * s)
    c.poly([(x - 0.05 * s * c.ax, base), (x - 0.03 * s * c.ax, base - 0.7 * s),
            (x + 0.03 * s * c.ax, base - 0.7 * s), (x + 0.05 * s * c.ax, base)], trunk)
    cy = base - 0.95 * s
    c.circle(x + 0.04 * s * c.ax, cy + 0.03 * s, 0.46 * s, shade(canopy, 0.22))
    c.circle(x - 0.03 * s * c.ax, cy - 0.02 * s, 0.42 * s, canopy)
    c.circle(x - 0.15 * s * c.ax, cy - 0.15 * s, 0.16 * s, tint(canopy, 0.18))


def cypress(c: Canvas, x: float, base: float, s: float, color: Color) -> None:
    c.circle(x, base - 0.5 * s, 0.16 * s, shade(color, 0.15), ry=0.52 * s)
    c.circle(x - 0.03 * s * c.ax, base - 0.52 * s, 0.11 * s, color, ry=0.46 * s)


def flame_tree(c: Canvas, x: float, base: float, s: float) -> None:
    """Flamboyant tree (phuong do): dark trunk and a wide umbrella of red blossom."""
    a, rng = c.ax, c.rng
    cy = base - 0.72 * s
    c.poly([(x - 0.04 * s * a, base), (x - 0.02 * s * a, cy), (x + 0.02 * s * a, cy),
            (x + 0.04 * s * a, base)], TRUNK)
    for dx in (-0.45, -0.2, 0.25, 0.5):
        c.line([(x, base - 0.5 * s), (x + dx * s * a, cy - 0.05 * s)], TRUNK, 0.02 * s)
    c.circle(x, cy - 0.06 * s, 0.78 * s, shade(REDS[0], 0.25), ry=0.22 * s)
    for _ in range(55):
        ang = rng.uniform(math.pi, 2 * math.pi)
        rad = rng.random() ** 0.6
        px = x + math.cos(ang) * rad * 0.72 * s * a
        py = cy - 0.04 * s + math.sin(ang) * rad * 0.28 * s
        color = rng.choice(REDS) if rng.random() > 0.12 else rgb("#4f8a3c")
        c.circle(px, py, rng.uniform(0.08, 0.15) * s, color)
    for _ in range(14):
        px = x + rng.uniform(-0.55, 0.45) * s * a
        c.circle(px, cy - rng.uniform(0.1, 0.25) * s, 0.05 * s, rgb("#ff9a76"))


def person(c: Canvas, x: float, base: float, h: float, color: Fill, stride: float = 0.0,
           body: Fill | None = None) -> None:
    a = c.ax
    for side in (-1, 1):
        c.line([(x + side * 0.04 * h * a, base - 0.45 * h), (x + side * stride * h * a, base)],
               color, 0.08 * h)
    c.rect(x - 0.13 * h * a, base - 0.8 * h, x + 0.13 * h * a, base - 0.4 * h, body or color,
           radius=0.07 * h)
    c.circle(x, base - 0.9 * h, 0.1 * h, color)


def bust(c: Canvas, x: float, base: float, s: float, color: Fill, hair: Fill | None = None) -> None:
    """Head and shoulders seen from behind (crowds, audiences, pupils)."""
    c.rect(x - 0.32 * s * c.ax, base - 0.42 * s, x + 0.32 * s * c.ax, base + 0.4 * s, color,
           radius=0.16 * s)
    c.circle(x, base - 0.58 * s, 0.2 * s, hair or color, ry=0.22 * s)


def cyclist(c: Canvas, x: float, base: float, h: float, color: Fill, facing: int = 1) -> None:
    a, f, r = c.ax, facing, 0.2 * h

    def p(dx: float, dy: float) -> Point:
        return (x + f * dx * h * a, base - dy * h)

    for dx in (-0.3, 0.32):
        c.ring(*p(dx, 0.2), r, color, 0.025 * h)
    c.line([p(-0.3, 0.2), p(0.0, 0.22), p(0.32, 0.2)], color, 0.025 * h)
    c.line([p(-0.1, 0.52), p(0.0, 0.22), p(0.22, 0.55), p(0.32, 0.2)], color, 0.025 * h)
    c.line([p(-0.08, 0.56), p(0.02, 0.95)], color, 0.13 * h)
    c.line([p(0.02, 0.9), p(0.22, 0.58)], color, 0.05 * h)
    c.line([p(-0.06, 0.56), p(0.1, 0.4), p(0.04, 0.2)], color, 0.07 * h)
    c.circle(*p(0.07, 1.06), 0.085 * h, color)


def leaf(c: Canvas, x: float, y: float, length: float, angle: float, width: float,
         color: Fill) -> None:
    dx, dy = math.cos(angle), -math.sin(angle)
    nx, ny = -dy, dx
    pts: list[Point] = []
    for i in range(9):
        t = i / 8
        w = math.sin(math.pi * t) * width
        pts.append((x + (dx * t * length + nx * w) * c.ax, y + dy * t * length + ny * w))
    for i in range(8, -1, -1):
        t = i / 8
        w = math.sin(math.pi * t) * width
        pts.append((x + (dx * t * length - nx * w) * c.ax, y + dy * t * length - ny * w))
    c.poly(pts, color)


def potted_plant(c: Canvas, x: float, base: float, s: float, green: Color) -> None:
    for i in range(9):
        ang = math.pi * (0.15 + 0.7 * i / 8)
        leaf(c, x, base - 0.3 * s, s * (0.75 + 0.2 * (i % 3)), ang, 0.09 * s,
             shade(green, 0.15 * (i % 2)))
    c.poly([(x - 0.2 * s * c.ax, base - 0.35 * s), (x + 0.2 * s * c.ax, base - 0.35 * s),
            (x + 0.15 * s * c.ax, base), (x - 0.15 * s * c.ax, base)], rgb("#c8764a"))


# --- port and transport -----------------------------------------------------------------


def container(c: Canvas, x: float, y: float, w: float, h: float, color: Color) -> None:
    gx, gy = 0.05 * h * c.ax, 0.05 * h
    c.rect(x, y, x + w, y + h, shade(color, 0.45))
    c.rect(x + gx, y + gy, x + w - gx, y + h - gy, color)
    c.rect(x + gx, y + gy, x + w - gx, y + 0.2 * h, tint(color, 0.2))
    for i in range(1, 6):
        rx = x + w * i / 6
        c.line([(rx, y + 0.25 * h), (rx, y + h - 2 * gy)], rgba(shade(color, 0.3), 0.7), 0.06 * h)


def container_stacks(c: Canvas, x0: float, x1: float, base: float, rows: int, ch: float,
                     dim: float = 0.0, palette: Sequence[Color] = CONTAINERS) -> None:
    cw = ch * 2.4 * c.ax
    x = x0
    while x + cw <= x1:
        height = rows - (c.rng.randint(1, rows - 1) if c.rng.random() < 0.3 else 0)
        for row in range(height):
            color = shade(c.rng.choice(palette), dim)
            container(c, x, base - (row + 1) * ch, cw, ch, color)
        x += cw + (0.6 * cw if c.rng.random() < 0.12 else 0.0)


def sts_crane(c: Canvas, x: float, base: float, h: float, leg: Color, boom: Color,
              lights: Color | None = None) -> list[Point]:
    """Ship-to-shore gantry crane in profile, boom reaching left; returns light positions."""
    a = c.ax
    span, girder, top = 0.34 * h * a, base - 0.6 * h, base - h
    tip, back = x - 0.62 * h * a, x + span + 0.24 * h * a
    apex = (x + span * 0.4, top)
    for lx in (x, x + span):
        c.rect(lx - 0.012 * h * a, girder, lx + 0.012 * h * a, base, leg)
        c.rect(lx - 0.022 * h * a, base - 0.02 * h, lx + 0.022 * h * a, base, shade(leg, 0.3))
    c.rect(x, base - 0.34 * h, x + span, base - 0.31 * h, leg)
    c.line([(x, base - 0.31 * h), (x + span, girder)], leg, 0.012 * h)
    c.line([(x, girder), apex, (x + span, girder)], leg, 0.018 * h)
    for end in (tip, x - 0.2 * h * a, back):
        c.line([apex, (end, girder - 0.03 * h)], shade(boom, 0.35), 0.005 * h)
    c.rect(tip, girder - 0.035 * h, back, girder, boom)
    c.rect(tip, girder - 0.012 * h, back, girder, shade(boom, 0.12))
    c.rect(x + span * 0.5, girder - 0.1 * h, back - 0.04 * h * a, girder - 0.035 * h, boom)
    c.rect(x + span * 0.5, girder - 0.07 * h, back - 0.04 * h * a, girder - 0.06 * h, leg)
    tx = x - 0.34 * h * a
    c.rect(tx - 0.03 * h * a, girder, tx + 0.03 * h * a, girder + 0.045 * h, shade(boom, 0.2))
    for dx in (-0.015, 0.015):
        c.line([(tx + dx * h * a, girder + 0.04 * h), (tx + dx * h * a, girder + 0.22 * h)],
               shade(leg, 0.4), 0.003 * h)
    c.rect(tx - 0.05 * h * a, girder + 0.22 * h, tx + 0.05 * h * a, girder + 0.24 * h, leg)
    spots = [apex, (tip, girder - 0.03 * h), (tx, girder + 0.05 * h), (back, girder - 0.03 * h),
             (x + span * 0.5, girder - 0.1 * h)]
    if lights:
        for sx, sy in spots:
            c.glow(sx, sy, 0.045 * h, lights, 0.5)
            c.circle(sx, sy, 0.006 * h, tint(lights, 0.5))
    return spots


def container_ship(c: Canvas, x0: float, x1: float, wl: float, hh: float, hull: Color) -> None:
    """Container ship in profile with its bow to the left."""
    a, length = c.ax, x1 - x0
    c.poly([(x0 + 0.03 * length, wl + 0.004), (x1, wl + 0.004), (x1 - 0.02, wl + 0.07),
            (x0 + 0.1 * length, wl + 0.07)], rgba(shade(hull, 0.3), 0.3))
    deck = wl - hh
    c.poly([(x0, deck - 0.02), (x0 + 0.05 * length, deck), (x1, deck), (x1, wl - 0.25 * hh),
            (x1 - 0.01, wl), (x0 + 0.045 * length, wl)], hull)
    c.poly([(x0 + 0.03 * length, wl - 0.25 * hh), (x1, wl - 0.25 * hh), (x1 - 0.01, wl),
            (x0 + 0.045 * length, wl)], rgb("#b8373c"))
    c.line([(x0, deck - 0.02), (x0 + 0.05 * length, deck), (x1, deck)], tint(hull, 0.5), 0.004)
    bridge_x = x1 - 0.14 * length
    ch = hh * 0.42
    x = x0 + 0.08 * length
    while x < bridge_x - 0.03:
        bay = 2.2 * ch * a
        rows = c.rng.randint(3, 5)
        for row in range(rows):
            container(c, x, deck - (row + 1) * ch, bay, ch, c.rng.choice(CONTAINERS))
        x += bay + (0.006 if c.rng.random() < 0.5 else 0.0)
    c.rect(bridge_x, deck - 6.5 * ch, bridge_x + 0.07 * length, deck, rgb("#f4f4f0"))
    c.rect(bridge_x - 0.012, deck - 6.5 * ch, bridge_x + 0.07 * length, deck - 5.9 * ch,
           rgb("#f4f4f0"))
    c.rect(bridge_x - 0.01, deck - 6.3 * ch, bridge_x + 0.068 * length, deck - 6.0 * ch,
           rgb("#28394a"))
    for row in range(1, 5):
        c.rect(bridge_x + 0.006, deck - (5.6 - row * 1.1) * ch, bridge_x + 0.065 * length,
               deck - (5.3 - row * 1.1) * ch, rgb("#9fb3c2"))
    c.rect(bridge_x + 0.075 * length, deck - 5 * ch, bridge_x + 0.11 * length, deck,
           rgb("#e7e5de"))
    c.rect(bridge_x + 0.08 * length, deck - 5.2 * ch, bridge_x + 0.1 * length, deck - 4.4 * ch,
           rgb("#2f6f8f"))


def tug(c: Canvas, x: float, wl: float, s: float, color: Color) -> None:
    a = c.ax
    c.poly([(x - 0.5 * s * a, wl - 0.16 * s), (x + 0.55 * s * a, wl - 0.22 * s),
            (x + 0.45 * s * a, wl + 0.02 * s), (x - 0.42 * s * a, wl + 0.02 * s)], color)
    c.rect(x - 0.5 * s * a, wl - 0.18 * s, x + 0.55 * s * a, wl - 0.13 * s, rgb("#2a2a35"),
           radius=0.02 * s)
    c.rect(x - 0.22 * s * a, wl - 0.38 * s, x + 0.18 * s * a, wl - 0.17 * s, rgb("#f5f3ee"))
    c.rect(x - 0.12 * s * a, wl - 0.52 * s, x + 0.1 * s * a, wl - 0.37 * s, rgb("#f5f3ee"))
    c.rect(x - 0.1 * s * a, wl - 0.49 * s, x + 0.08 * s * a, wl - 0.43 * s, rgb("#28394a"))
    c.rect(x - 0.32 * s * a, wl - 0.45 * s, x - 0.24 * s * a, wl - 0.17 * s, color)
    c.circle(x + 0.5 * s * a, wl - 0.02 * s, 0.3 * s, rgba(WHITE, 0.45), ry=0.04 * s)


def boat(c: Canvas, x: float, wl: float, s: float, hull: Color, trim: Color,
         cabin: Color | None = None, mirror: bool = True) -> None:
    """Wooden fishing boat with up-swept bow and stern, painted trim, optional cabin."""
    a = c.ax
    top = [(x + (t - 0.5) * s * a, wl - s * (0.2 + 0.18 * (2 * t - 1) ** 2 + 0.08 * t))
           for t in (i / 12 for i in range(13))]
    bottom = [(x + 0.42 * s * a, wl + 0.04 * s), (x - 0.38 * s * a, wl + 0.04 * s)]
    if mirror:
        c.poly([(px, 2 * wl - py) for px, py in top] + bottom, rgba(shade(hull, 0.2), 0.35))
    if cabin:
        c.rect(x - 0.25 * s * a, wl - 0.42 * s, x + 0.08 * s * a, wl - 0.18 * s, cabin)
        c.poly([(x - 0.3 * s * a, wl - 0.42 * s), (x + 0.13 * s * a, wl - 0.42 * s),
                (x + 0.08 * s * a, wl - 0.47 * s), (x - 0.25 * s * a, wl - 0.47 * s)],
               shade(cabin, 0.35))
        c.rect(x - 0.2 * s * a, wl - 0.37 * s, x + 0.03 * s * a, wl - 0.3 * s, rgb("#33414f"))
        c.line([(x + 0.2 * s * a, wl - 0.2 * s), (x + 0.2 * s * a, wl - 0.85 * s)],
               rgb("#4a3a30"), 0.012 * s)
    c.poly(top + bottom, hull)
    c.poly(top + [(px, py + 0.06 * s) for px, py in reversed(top)], trim)
    c.line([(px, py + 0.12 * s) for px, py in top[1:-1]], tint(hull, 0.3), 0.012 * s)


def car(c: Canvas, x: float, base: float, s: float, color: Color, facing: int = 1) -> None:
    a, f = c.ax, facing
    c.rect(x - 0.5 * s * a, base - 0.32 * s, x + 0.5 * s * a, base - 0.08 * s, color,
           radius=0.08 * s)
    c.poly([(x - f * 0.32 * s * a, base - 0.3 * s), (x - f * 0.22 * s * a, base - 0.5 * s),
            (x + f * 0.12 * s * a, base - 0.5 * s), (x + f * 0.28 * s * a, base - 0.3 * s)],
           color)
    c.poly([(x - f * 0.26 * s * a, base - 0.31 * s), (x - f * 0.19 * s * a, base - 0.45 * s),
            (x + f * 0.1 * s * a, base - 0.45 * s), (x + f * 0.22 * s * a, base - 0.31 * s)],
           rgb("#bcd8e8"))
    for dx in (-0.3, 0.3):
        c.circle(x + dx * s * a, base - 0.08 * s, 0.09 * s, rgb("#23252b"))


def truck(c: Canvas, x: float, base: float, s: float, box: Color, cab: Color) -> None:
    a = c.ax
    c.rect(x - 0.6 * s * a, base - 0.5 * s, x + 0.25 * s * a, base - 0.1 * s, box)
    c.rect(x + 0.28 * s * a, base - 0.42 * s, x + 0.55 * s * a, base - 0.1 * s, cab,
           radius=0.05 * s)
    c.rect(x + 0.42 * s * a, base - 0.38 * s, x + 0.53 * s * a, base - 0.26 * s, rgb("#bcd8e8"))
    for dx in (-0.45, -0.3, 0.4):
        c.circle(x + dx * s * a, base - 0.08 * s, 0.08 * s, rgb("#23252b"))


def wind_turbine(c: Canvas, x: float, base: float, h: float, angle: float,
                 color: Color) -> None:
    a = c.ax
    hub = (x, base - h)
    c.poly([(x - 0.018 * h * a, base), (x - 0.008 * h * a, hub[1]), (x + 0.008 * h * a, hub[1]),
            (x + 0.018 * h * a, base)], color)
    for k in range(3):
        ang = angle + k * 2 * math.pi / 3
        dx, dy = math.cos(ang), math.sin(ang)
        tip = (x + dx * 0.46 * h * a, hub[1] + dy * 0.46 * h)
        side = (x + (dx * 0.1 - dy * 0.035) * h * a, hub[1] + (dy * 0.1 + dx * 0.035) * h)
        c.poly([hub, side, tip], color)
    c.circle(*hub, 0.02 * h, shade(color, 0.1))


def lantern(c: Canvas, x: float, y: float, r: float, color: Color) -> None:
    c.glow(x, y, r * 3.2, color, 0.4, steps=8)
    c.line([(x, y - 1.4 * r), (x, y)], rgb("#3a2a20"), 0.08 * r)
    c.circle(x, y, r, color, ry=0.85 * r)
    c.circle(x, y, 0.45 * r, shade(color, 0.12), ry=0.85 * r)
    c.circle(x - 0.35 * r * c.ax, y - 0.25 * r, 0.18 * r, rgba(tint(color, 0.6), 0.7),
             ry=0.35 * r)
    gold = rgb("#e8b64c")
    c.rect(x - 0.4 * r * c.ax, y - 0.95 * r, x + 0.4 * r * c.ax, y - 0.78 * r, gold)
    c.rect(x - 0.4 * r * c.ax, y + 0.78 * r, x + 0.4 * r * c.ax, y + 0.95 * r, gold)
    c.line([(x, y + 0.95 * r), (x, y + 1.6 * r)], gold, 0.1 * r)


def catenary(p0: Point, p1: Point, sag: float, n: int = 24) -> list[Point]:
    return [(p0[0] + (p1[0] - p0[0]) * t, p0[1] + (p1[1] - p0[1]) * t + sag * 4 * t * (1 - t))
            for t in (i / n for i in range(n + 1))]


# --- buildings -----------------------------------------------------------------------------


def tower(c: Canvas, x0: float, x1: float, top: float, base: float, color: Color,
          style: int = 0, lit: float = 0.0) -> None:
    """A facade with a lit and shaded side; style 0 = window grid, 1 = glass bands."""
    c.rect(x0, top, x1, base, color)
    c.rect(x1 - (x1 - x0) * 0.28, top, x1, base, shade(color, 0.12))
    glass = mix(color, rgb("#2d5d86"), 0.45)
    if style == 1:
        y = top + 0.012
        while y < base - 0.01:
            c.rect(x0, y, x1, y + 0.008, rgba(glass, 0.8))
            y += 0.02
        return
    cols = max(2, round((x1 - x0) / 0.012))
    y = top + 0.015
    while y < base - 0.02:
        for i in range(cols):
            wx = x0 + (x1 - x0) * (i + 0.25) / cols
            win = rgb("#ffd77a") if c.rng.random() < lit else glass
            c.rect(wx, y, wx + (x1 - x0) * 0.5 / cols, y + 0.011, win)
        y += 0.025


def box3d(c: Canvas, x0: float, x1: float, base: float, height: float, dx: float, dy: float,
          front: Color, side: Color, top: Color, panels: Color | None = None) -> None:
    """Oblique box: front face, right side face and a roof, optionally tiled with panels."""
    roof = base - height
    c.rect(x0, roof, x1, base, front)
    c.poly([(x1, base), (x1, roof), (x1 + dx, roof - dy), (x1 + dx, base - dy)], side)
    c.poly([(x0, roof), (x1, roof), (x1 + dx, roof - dy), (x0 + dx, roof - dy)], top)
    if not panels:
        return

    def at(u: float, v: float) -> Point:
        return (x0 + (x1 - x0) * u + dx * v, roof - dy * v)

    cols, rows = max(3, round((x1 - x0) / 0.025)), 4
    for i in range(cols):
        for j in range(rows):
            u0, u1 = (i + 0.08) / cols, (i + 0.92) / cols
            v0, v1 = (j + 0.12) / rows, (j + 0.88) / rows
            c.poly([at(u0, v0), at(u1, v0), at(u1, v1), at(u0, v1)], panels)
            c.poly([at(u0, v1), at(u1, v1), at(u1, v1 - 0.06), at(u0, v1 - 0.06)],
                   tint(panels, 0.35))


def shophouse(c: Canvas, x0: float, x1: float, base: float, floor_h: float, wall: Color,
              shutter: Color, roof: Color) -> None:
    """Two-storey French-era shophouse: shop front, shuttered balcony, tiled roof."""
    top = base - 2 * floor_h
    w = x1 - x0
    c.rect(x0, top, x1, base, wall)
    c.rect(x0, top, x0 + 0.06 * w, base, shade(wall, 0.08))
    c.poly([(x0 - 0.04 * w, top), (x1 + 0.04 * w, top), (x1 - 0.08 * w, top - 0.07),
            (x0 + 0.08 * w, top - 0.07)], roof)
    for i in range(1, 5):
        y = top - 0.07 * i / 5
        c.line([(x0 + 0.01, y), (x1 - 0.01, y)], shade(roof, 0.2), 0.002)
    c.rect(x0 - 0.01 * w, top, x1 + 0.01 * w, top + 0.012, tint(wall, 0.45))
    mid = base - floor_h
    c.rect(x0 - 0.03 * w, mid - 0.008, x1 + 0.03 * w, mid + 0.006, tint(wall, 0.4))
    c.rect(x0 + 0.15 * w, base - 0.78 * floor_h, x1 - 0.15 * w, base, rgb("#4a3b35"))
    c.rect(x0 + 0.15 * w, base - 0.78 * floor_h, x1 - 0.15 * w, base - 0.66 * floor_h,
           rgb("#7b5f4b"))
    c.rect(x0 + 0.1 * w, base - 0.93 * floor_h, x1 - 0.1 * w, base - 0.78 * floor_h, shutter)
    for i in range(2):
        wx = x0 + w * (0.22 + 0.36 * i)
        ww = w * 0.2
        c.rect(wx, mid - 0.72 * floor_h, wx + ww, mid - 0.05 * floor_h, rgb("#3a3f3a"))
        for sx in (wx - 0.45 * ww, wx + ww):
            c.rect(sx, mid - 0.72 * floor_h, sx + 0.45 * ww, mid - 0.05 * floor_h, shutter)
            for k in range(1, 7):
                sy = mid - 0.72 * floor_h + k * 0.095 * floor_h
                c.line([(sx, sy), (sx + 0.45 * ww, sy)], shade(shutter, 0.3), 0.0012)
    by = mid - 0.05 * floor_h
    c.rect(x0 + 0.08 * w, by - 0.004, x1 - 0.08 * w, by + 0.006, tint(wall, 0.3))
    c.rect(x0 + 0.08 * w, by - 0.3 * floor_h, x1 - 0.08 * w, by - 0.28 * floor_h,
           rgb("#2f3a33"))
    for k in range(15):
        rx = x0 + 0.08 * w + (0.84 * w) * k / 14
        c.line([(rx, by - 0.29 * floor_h), (rx, by)], rgb("#2f3a33"), 0.0018)


def sky(c: Canvas, stops: Stops, horizon: float) -> None:
    c.gradient(stops, 0.0, horizon)


# --- scenes -----------------------------------------------------------------------------

Scene = Callable[[Canvas], None]
SCENES: dict[str, Scene] = {}


def scene(key: str) -> Callable[[Scene], Scene]:
    def register(fn: Scene) -> Scene:
        SCENES[key] = fn
        return fn

    return register


def _port(c: Canvas, night: bool) -> None:
    quay, wl = 0.665, 0.705
    if night:
        sky(c, [(0, rgb("#050b24")), (0.7, rgb("#142b5c")), (1, rgb("#2e4d80"))], quay)
        stars(c, 150, 0.5)
        c.glow(0.82, 0.14, 0.12, rgb("#dfe8ff"), 0.35)
        c.circle(0.82, 0.14, 0.035, rgb("#f4f1e0"))
        hills(c, quay, 0.05, rgb("#1d2d4f"), 2.5)
        for _ in range(70):
            c.circle(c.rng.random(), quay - c.rng.uniform(0.0, 0.02), 0.0018,
                     rgba(rgb("#ffd27a"), 0.8))
        leg, boom, lights, dim = rgb("#24466e"), rgb("#9fb2c8"), rgb("#ffd27a"), 0.55
    else:
        sky(c, [(0, rgb("#a5d2ec")), (0.75, rgb("#e9f3f1")), (1, rgb("#fbe9d3"))], quay)
        sun(c, 0.16, 0.44, 0.05, rgb("#fff1d0"))
        clouds(c, 3, 0.1, 0.3, rgba(WHITE, 0.75), 0.045)
        hills(c, quay - 0.02, 0.08, rgb("#bcd5d1"), 2.2)
        hills(c, quay, 0.05, rgb("#9cc2b5"), 3.1)
        leg, boom, lights, dim = rgb("#2b6cb0"), rgb("#f3f5f6"), None, 0.0
    container_stacks(c, -0.02, 1.02, quay, 4, 0.028, dim)
    glows: list[Point] = []
    for i, x in enumerate((0.1, 0.34, 0.58, 0.82)):
        glows += sts_crane(c, x, quay, 0.54 - 0.02 * (i % 2), leg, boom, lights)
    if night:
        for x in (0.05, 0.48, 0.95):
            c.line([(x, quay), (x, 0.42)], rgb("#2a3550"), 0.004)
            c.poly([(x - 0.004, 0.42), (x + 0.004, 0.42), (x + 0.08, quay), (x - 0.08, quay)],
                   rgba(rgb("#ffe6a0"), 0.12))
            c.glow(x, 0.42, 0.05, rgb("#fff0c0"), 0.6)
            glows.append((x, 0.42))
    face = rgb("#1f2a3d") if night else rgb("#7c8a92")
    c.rect(0, quay, 1, wl, face)
    c.rect(0, quay, 1, quay + 0.006, tint(face, 0.35))
    for i in range(24):
        c.rect(i / 24 + 0.01, quay + 0.012, i / 24 + 0.02, wl, shade(face, 0.35))
    if night:
        water(c, wl, [(0, rgb("#10224a")), (1, rgb("#050d22"))], rgb("#ffd27a"), 0)
        reflect(c, wl, 0.55, ripple=0.006)
        for gx, gy in glows:
            mx = gx + c.rng.uniform(-0.004, 0.004)
            for k in range(10):
                y = 2 * wl - gy + c.rng.uniform(-0.02, 0.02) + k * 0.012
                if wl < y < 1:
                    half = 0.006 + 0.012 * c.rng.random()
                    c.line([(mx - half, y), (mx + half, y)], rgba(rgb("#ffd27a"), 0.5), 0.003)
        glints(c, wl, 1, rgb("#9fb8e8"), 50, 0.25)
    else:
        water(c, wl, [(0, rgb("#5aa6b8")), (1, rgb("#1f6f88"))], WHITE, 0)
        reflect(c, wl, 0.42)
        glints(c, wl, 1, WHITE, 70, 0.4)
        tug(c, 0.7, 0.9, 0.16, rgb("#d0463b"))


@scene("port-cranes")
def port_cranes(c: Canvas) -> None:
    _port(c, night=False)


@scene("container-ship")
def container_ship_scene(c: Canvas) -> None:
    horizon = 0.56
    sky(c, [(0, rgb("#84c3e6")), (1, rgb("#e6f4f3"))], horizon)
    clouds(c, 4, 0.08, 0.3, rgba(WHITE, 0.85), 0.05)
    hills(c, horizon, 0.09, rgb("#a9cbc5"), 2.0)
    hills(c, horizon, 0.045, rgb("#7fb0a2"), 3.5)
    water(c, horizon, [(0, rgb("#4aa9b4")), (1, rgb("#125f79"))], WHITE, 90, alpha=0.35)
    birds(c, 5, 0.55, 0.9, 0.12, 0.26, rgba(rgb("#3d5566"), 0.8))
    container_ship(c, 0.06, 0.86, 0.74, 0.085, rgb("#203a55"))
    for k in range(4):
        c.line(catenary((0.08 - 0.02 * k, 0.745 + 0.02 * k), (0.3 + 0.05 * k, 0.76 + 0.03 * k),
                        0.0), rgba(WHITE, 0.55 - 0.1 * k), 0.004)
    tug(c, 0.22, 0.88, 0.17, rgb("#d0463b"))


@scene("sea-bridge")
def sea_bridge(c: Canvas) -> None:
    horizon = 0.62
    sky(c, [(0, rgb("#2f356e")), (0.4, rgb("#9b4f7e")), (0.78, rgb("#f2894a")),
            (1, rgb("#ffc872"))], horizon)
    sun(c, 0.5, 0.58, 0.085, rgb("#ffe2a0"), 0.55)
    hills(c, horizon, 0.035, rgb("#6a3f63"), 2.0)
    water(c, horizon, [(0, rgb("#f2a05e")), (1, rgb("#3b2f5e"))], rgb("#ffd9a0"), 0)
    dark, deck = rgb("#2a1f3d"), 0.5
    for x in [i * 0.05 for i in range(21)]:
        if not 0.23 < x < 0.77:
            c.rect(x - 0.004, deck, x + 0.004, horizon + 0.01, dark)
    for px in (0.28, 0.72):
        c.poly([(px - 0.012, horizon + 0.01), (px - 0.006, 0.13), (px + 0.006, 0.13),
                (px + 0.012, horizon + 0.01)], dark)
        for k in range(1, 13):
            y = 0.15 + k * 0.006
            for side in (-1, 1):
                c.line([(px, y), (px + side * k * 0.018, deck)], rgba(dark, 0.85), 0.0025)
    c.rect(-0.01, deck, 1.01, deck + 0.018, dark)
    c.rect(-0.01, deck - 0.004, 1.01, deck, rgb("#4a3558"))
    for i in range(16):
        x = (i + c.rng.uniform(0.1, 0.8)) / 16
        color = c.rng.choice([rgb("#ffd36b"), rgb("#ff6b5b"), rgb("#f4f0e8"), rgb("#7fd1d8")])
        c.rect(x, deck - 0.012, x + 0.016, deck - 0.004, color, radius=0.004)
    reflect(c, horizon, 0.5, ripple=0.005)
    glints(c, horizon, 1, rgb("#ffe0a8"), 60, 0.5, 0.35, 0.65)
    glints(c, horizon, 1, rgb("#ffb98a"), 40, 0.25)
    birds(c, 6, 0.55, 0.85, 0.2, 0.35, rgba(dark, 0.9))
    boat(c, 0.16, 0.86, 0.16, dark, dark, dark)


@scene("poinciana")
def poinciana(c: Canvas) -> None:
    walk, road = 0.7, 0.75
    sky(c, [(0, rgb("#74bde6")), (1, rgb("#dbeff5"))], walk)
    walls = [rgb(x) for x in ("#f3d9a4", "#f6e7c8", "#e9b7a0", "#cfe0d6", "#f1cf8e", "#f4c7b8")]
    x = -0.02
    while x < 1:
        w = c.rng.uniform(0.09, 0.14)
        top = walk - c.rng.uniform(0.26, 0.38)
        wall = c.rng.choice(walls)
        c.rect(x, top, x + w, walk, wall)
        c.rect(x, top - 0.012, x + w, top, shade(wall, 0.15))
        for row in range(3):
            y = top + 0.03 + row * 0.075
            if y < walk - 0.1:
                for k in range(2):
                    wx = x + w * (0.18 + 0.4 * k)
                    c.rect(wx, y, wx + w * 0.24, y + 0.045, rgb("#3e8069"))
        c.rect(x + 0.1 * w, walk - 0.08, x + 0.9 * w, walk, rgb("#5a4a44"))
        c.rect(x + 0.05 * w, walk - 0.095, x + 0.95 * w, walk - 0.075,
               c.rng.choice([rgb("#e05d4f"), rgb("#2f8f83"), rgb("#f2b441")]))
        x += w
    c.rect(0, walk, 1, road, rgb("#d8cbbb"))
    c.rect(0, road - 0.008, 1, road, rgb("#b3a596"))
    c.gradient([(0, rgb("#72767e")), (1, rgb("#5d6169"))], road, 1)
    for i in range(8):
        c.rect(i / 8 + 0.02, 0.875, i / 8 + 0.09, 0.882, rgba(WHITE, 0.8))
    for _ in range(160):
        y = c.rng.uniform(walk, 1)
        c.circle(c.rng.random(), y, 0.003 + 0.003 * (y - walk) / 0.3, c.rng.choice(REDS))
    for x in (0.08, 0.36, 0.64, 0.92):
        c.circle(x, road - 0.004, 0.16, rgba(BLACK, 0.12), ry=0.02)
        flame_tree(c, x, road - 0.005, 0.5 + c.rng.uniform(-0.03, 0.03))
    for x, f in ((0.27, 1), (0.55, -1), (0.8, 1)):
        cyclist(c, x, 0.94 if f > 0 else 0.85, 0.16, rgba(rgb("#2d2b3a"), 1.0), f)


@scene("city-skyline")
def city_skyline(c: Canvas) -> None:
    bank, shore = 0.6, 0.8
    sky(c, [(0, rgb("#4ea5e0")), (1, rgb("#d5ecf6"))], bank)
    clouds(c, 4, 0.08, 0.28, rgba(WHITE, 0.9), 0.055)
    x = -0.01
    while x < 1:
        w = c.rng.uniform(0.04, 0.07)
        c.rect(x, bank - c.rng.uniform(0.15, 0.3), x + w, bank, rgb("#b4cde0"))
        x += w + 0.005
    palette = [rgb(x) for x in ("#7fa7c9", "#e6ebee", "#5c86ad", "#9fc4cf", "#f0e2c8")]
    x = 0.0
    while x < 1:
        w = c.rng.uniform(0.05, 0.09)
        h = c.rng.uniform(0.16, 0.42) if abs(x - 0.45) > 0.06 else 0.5
        if abs(x - 0.45) <= 0.06:
            c.poly([(x + w * 0.45, bank - h - 0.08), (x + w * 0.55, bank - h - 0.08),
                    (x + w * 0.6, bank - h), (x + w * 0.4, bank - h)], rgb("#d8e2ea"))
        tower(c, x, bank - h, x + w, bank, c.rng.choice(palette), c.rng.randint(0, 1))
        x += w + c.rng.uniform(0.0, 0.03)
    c.rect(0, bank - 0.012, 1, bank + 0.004, rgb("#6fae6a"))
    for i in range(26):
        tree(c, i / 25, bank + 0.004, 0.035, rgb("#4f9a5e"), shadow=False)
    c.rect(0, bank + 0.004, 1, bank + 0.01, rgb("#8c9aa0"))
    water(c, bank + 0.01, [(0, rgb("#5fa9cc")), (1, rgb("#2f7fa8"))], WHITE, 0, y1=shore)
    reflect(c, bank + 0.01, 0.4, depth=shore - bank - 0.01)
    glints(c, bank + 0.01, shore, WHITE, 60, 0.45)
    c.gradient([(0, rgb("#8fd06f")), (1, rgb("#5fae55"))], shore, 1)
    c.rect(0, shore, 1, shore + 0.012, rgb("#c9c2b0"))
    c.poly([(0, 0.93), (1, 0.86), (1, 0.9), (0, 0.98)], rgb("#eadfc6"))
    for x in (0.04, 0.2, 0.7, 0.94):
        tree(c, x, 0.9 if x < 0.5 else 0.87, 0.16, rgb("#3f8f4f"))
    for x, f in ((0.33, 0.02), (0.42, -0.02), (0.57, 0.02)):
        person(c, x, 0.93 - 0.07 * x, 0.07, rgb("#34394a"), f, rgb(c.rng.choice(
            ("#e0614f", "#f2b441", "#3c7fbf"))))
    for x in (0.12, 0.5, 0.85):
        c.line([(x, shore + 0.012), (x, shore - 0.06)], rgb("#3b4a55"), 0.004)
        c.circle(x, shore - 0.062, 0.008, rgb("#fff3c4"))


@scene("opera-house")
def opera_house(c: Canvas) -> None:
    ground = 0.68
    sky(c, [(0, rgb("#324c88")), (0.65, rgb("#e4977a")), (1, rgb("#f8c98e"))], ground)
    stars(c, 25, 0.2)
    cream, recess, light = rgb("#f2e3c2"), rgb("#c9ae84"), rgb("#ffd98a")
    c.poly([(0.17, 0.37), (0.83, 0.37), (0.79, 0.31), (0.21, 0.31)], rgb("#8c8ea6"))
    for x0, x1 in ((0.15, 0.37), (0.63, 0.85)):
        c.rect(x0, 0.37, x1, ground, cream)
        c.rect(x0 - 0.005, 0.355, x1 + 0.005, 0.375, tint(cream, 0.5))
        for k in range(3):
            wx = x0 + (x1 - x0) * (0.18 + 0.3 * k)
            for wy in (0.44, 0.56):
                c.rect(wx - 0.016, wy, wx + 0.016, wy + 0.07, light)
                c.circle(wx, wy, 0.016 * 1 / c.ax * c.ax, light)
                c.rect(wx - 0.02, wy + 0.07, wx + 0.02, wy + 0.076, tint(cream, 0.4))
    c.rect(0.36, 0.24, 0.64, ground, cream)
    c.poly([(0.34, 0.24), (0.66, 0.24), (0.5, 0.13)], tint(cream, 0.4))
    c.poly([(0.37, 0.232), (0.63, 0.232), (0.5, 0.15)], shade(cream, 0.08))
    c.circle(0.5, 0.205, 0.02, tint(cream, 0.5))
    c.rect(0.34, 0.24, 0.66, 0.265, tint(cream, 0.45))
    c.rect(0.38, 0.3, 0.62, ground, recess)
    for k in range(3):
        c.rect(0.405 + k * 0.08, 0.38, 0.435 + k * 0.08, 0.62, light)
    c.glow(0.5, 0.5, 0.25, light, 0.35)
    for k in range(8):
        x = 0.375 + k * (0.245 / 7)
        c.rect(x, 0.29, x + 0.016, ground, tint(cream, 0.3))
        c.rect(x + 0.011, 0.29, x + 0.016, ground, shade(cream, 0.1))
        c.rect(x - 0.004, 0.282, x + 0.02, 0.292, tint(cream, 0.5))
    c.rect(0.365, 0.265, 0.635, 0.285, cream)
    for i in range(4):
        c.rect(0.36 - i * 0.015, ground + i * 0.012, 0.64 + i * 0.015, ground + (i + 1) * 0.012,
               mix(rgb("#e6d7bd"), rgb("#c9b59a"), i / 4))
    c.gradient([(0, rgb("#c8b19b")), (1, rgb("#8f7e78"))], ground + 0.048, 1)
    c.rect(0, ground, 0.36, ground + 0.048, rgb("#cdb8a0"))
    c.rect(0.64, ground, 1, ground + 0.048, rgb("#cdb8a0"))
    for i in range(6):
        y = ground + 0.06 + i ** 1.5 * 0.018
        c.line([(0, y), (1, y)], rgba(rgb("#7a6a66"), 0.35), 0.002)
    for x in (0.05, 0.16, 0.84, 0.95):
        tree(c, x, 0.9, 0.3, rgb("#2f6b4a"))
    for x in (0.27, 0.73):
        c.line([(x, 0.86), (x, 0.7)], rgb("#2a2a35"), 0.006)
        c.glow(x, 0.7, 0.07, light, 0.7)
        c.circle(x, 0.7, 0.012, tint(light, 0.5))
    for _ in range(9):
        x = c.rng.uniform(0.22, 0.78)
        person(c, x, c.rng.uniform(0.82, 0.95), 0.075, rgb("#2b2838"), c.rng.uniform(-0.03, 0.03))


def karst(c: Canvas, x0: float, x1: float, base: float, h: float, green: Color,
          rock: Color, mirror: Color | None = None) -> None:
    """Steep limestone island: near-vertical sides, bumpy rounded top, notch at the waterline."""
    p1, p2, k = c.rng.uniform(0, 6), c.rng.uniform(0, 6), c.rng.uniform(9, 15)
    profile = []
    for i in range(41):
        t = i / 40
        env = math.sin(math.pi * t) ** 0.3
        bump = 1 + 0.07 * math.sin(t * k + p1) + 0.05 * math.sin(t * 23 + p2)
        profile.append((x0 + (x1 - x0) * t, base - h * env * bump))
    if mirror:
        c.poly([(x, 2 * base - y) for x, y in profile], rgba(mirror, 0.4))
    c.poly(profile, green)
    split = 26 + c.rng.randint(0, 6)
    c.poly([*profile[split:], (profile[split][0], base)], shade(green, 0.2))
    for _ in range(int((x1 - x0) * 50)):
        i = c.rng.randint(3, 37)
        x, y = profile[i]
        c.poly([(x - 0.003, y + 0.01), (x + 0.004, y + 0.01),
                (x + 0.001, y + h * c.rng.uniform(0.15, 0.5))], rgba(rock, 0.8))
    c.rect(x0 + 0.004, base - 0.025 * h - 0.003, x1 - 0.004, base, rgba(shade(rock, 0.4), 0.8))


@scene("lan-ha-bay")
def lan_ha_bay(c: Canvas) -> None:
    horizon = 0.52
    sky(c, [(0, rgb("#6bbde8")), (1, rgb("#e3f5f7"))], horizon)
    clouds(c, 4, 0.08, 0.25, rgba(WHITE, 0.9), 0.05)
    water(c, horizon, [(0, rgb("#8fdcd4")), (0.5, rgb("#2fb0b0")), (1, rgb("#148694"))],
          WHITE, 0)
    for x0, w, h in ((0.02, 0.1, 0.1), (0.35, 0.08, 0.12), (0.5, 0.12, 0.09), (0.86, 0.1, 0.1)):
        karst(c, x0, x0 + w, horizon + 0.005, h, rgb("#a9cfc0"), rgb("#c6d6d0"))
    karst(c, 0.12, 0.3, 0.6, 0.26, rgb("#6aa582"), rgb("#a7b3ab"), rgb("#4e8a70"))
    karst(c, 0.66, 0.8, 0.58, 0.2, rgb("#6aa582"), rgb("#a7b3ab"), rgb("#4e8a70"))
    karst(c, 0.55, 0.98, 0.74, 0.5, rgb("#3f8a55"), rgb("#9aa59a"), rgb("#1f6b5a"))
    c.circle(0.66, 0.742, 0.11, rgb("#f6ecd0"), ry=0.022)
    c.circle(0.66, 0.752, 0.13, rgba(WHITE, 0.35), ry=0.012)
    for x in (0.61, 0.7):
        for j in range(5):
            leaf(c, x, 0.72 - 0.06, 0.035, math.pi * (0.1 + 0.2 * j), 0.008, rgb("#2f7a43"))
        c.line([(x, 0.735), (x + 0.005, 0.66)], TRUNK, 0.004)
    glints(c, horizon, 1, WHITE, 80, 0.45)
    for x, wl, s, canopy in ((0.42, 0.7, 0.1, rgb("#e05d4f")), (0.3, 0.83, 0.14,
                                                                   rgb("#2f8fb3"))):
        boat(c, x, wl, s, rgb("#f4f1ea"), canopy, rgb("#f4f1ea"))
    for x, y, color in ((0.12, 0.86, rgb("#f29b30")), (0.2, 0.93, rgb("#f2c94c")),
                        (0.52, 0.9, rgb("#e2483d"))):
        c.circle(x, y, 0.05, color, ry=0.007)
        person(c, x, y - 0.002, 0.04, rgb("#2c3e50"))
        c.line([(x - 0.03, y - 0.03), (x + 0.03, y + 0.004)], rgb("#2c3e50"), 0.003)


@scene("industrial-park")
def industrial_park(c: Canvas) -> None:
    horizon = 0.42
    sky(c, [(0, rgb("#78bde6")), (1, rgb("#e0f1f5"))], horizon)
    clouds(c, 3, 0.08, 0.22, rgba(WHITE, 0.9), 0.045)
    hills(c, horizon, 0.07, rgb("#a7c9b6"), 2.0)
    c.gradient([(0, rgb("#a6d47f")), (1, rgb("#6fb159"))], horizon, 1)
    panels = rgb("#2b4f86")
    for x0, x1, base, h in ((0.05, 0.3, 0.52, 0.08), (0.38, 0.7, 0.51, 0.07),
                            (0.76, 0.95, 0.53, 0.09)):
        box3d(c, x0, x1, base, h, 0.03, 0.035, rgb("#dfe3e6"), rgb("#b8c0c7"),
              rgb("#c9d0d5"), panels)
    for i in range(30):
        tree(c, i / 29, 0.57, 0.04, rgb("#4f9a57"), shadow=False)
    for x0, x1, h, front in ((0.02, 0.46, 0.15, rgb("#f1f3f4")), (0.54, 0.9, 0.13,
                                                                  rgb("#d5dadf"))):
        box3d(c, x0, x1, 0.79, h, 0.06, 0.07, front, shade(front, 0.2), rgb("#bfc6cc"), panels)
        c.rect(x0, 0.79 - h * 0.62, x1, 0.79 - h * 0.5, rgb("#2f9c8f"))
        for k in range(4):
            dx = x0 + (x1 - x0) * (0.1 + 0.22 * k)
            c.rect(dx, 0.79 - h * 0.38, dx + 0.05, 0.79, rgb("#9aa5ae"))
            for j in range(1, 6):
                c.line([(dx, 0.79 - h * 0.38 * j / 6), (dx + 0.05, 0.79 - h * 0.38 * j / 6)],
                       rgb("#85909a"), 0.0015)
    c.rect(0.47, 0.53, 0.52, 0.79, rgb("#7c8288"))
    c.poly([(0, 0.84), (1, 0.84), (1, 0.95), (0, 0.95)], rgb("#62676e"))
    for i in range(12):
        c.rect(i / 12 + 0.01, 0.893, i / 12 + 0.05, 0.898, rgba(WHITE, 0.85))
    truck(c, 0.25, 0.88, 0.09, rgb("#eef0f2"), rgb("#2f7fb8"))
    truck(c, 0.68, 0.94, 0.1, rgb("#f0a030"), rgb("#d9534f"))
    for i in range(9):
        tree(c, 0.04 + i * 0.115, 0.835, 0.06, rgb("#3f8a4a"))


@scene("conference-hall")
def conference_hall(c: Canvas) -> None:
    bx0, bx1, by0, by1 = 0.15, 0.85, 0.1, 0.6
    c.poly([(0, 0), (1, 0), (bx1, by0), (bx0, by0)], rgb("#ece7df"))
    c.poly([(0, 0), (bx0, by0), (bx0, by1), (0, 0.86)], rgb("#c9a57c"))
    c.poly([(1, 0), (bx1, by0), (bx1, by1), (1, 0.86)], rgb("#b8946c"))
    c.poly([(bx0, by1), (bx1, by1), (1, 0.86), (1, 1), (0, 1), (0, 0.86)], rgb("#4e6688"))
    c.rect(bx0, by0, bx1, by1, rgb("#efe6d6"))
    for i in range(29):
        x = bx0 + (bx1 - bx0) * i / 28
        c.line([(x, by0), (x, by1)], rgba(rgb("#c8a77e"), 0.45), 0.003)
    for k in range(3):
        y = 0.03 + k * 0.025
        for i in range(5):
            x = 0.5 + (i - 2) * (0.16 - k * 0.02)
            c.glow(x, y, 0.03, rgb("#fff6dc"), 0.5)
            c.circle(x, y, 0.012, rgb("#fffaf0"), ry=0.004)
    c.rect(0.32, 0.15, 0.68, 0.4, rgb("#2b3f5c"))
    c.gradient([(0, rgb("#9ad2ea")), (1, rgb("#3f8fc0"))], 0.165, 0.385, 0.33, 0.67)
    c.poly([(0.33, 0.33), (0.42, 0.27), (0.5, 0.31), (0.6, 0.24), (0.67, 0.28), (0.67, 0.385),
            (0.33, 0.385)], rgb("#2f9c8f"))
    c.circle(0.58, 0.21, 0.022, rgb("#ffe08a"))
    for x in (0.2, 0.8):
        potted_plant(c, x, by1 + 0.02, 0.14, rgb("#3f8f4f"))
    for i in range(9):
        x = 0.27 + i * 0.058
        c.rect(x - 0.018, 0.45, x + 0.018, 0.55, rgb("#2f3a4a"), radius=0.01)
    c.poly([(0.24, 0.54), (0.76, 0.54), (0.8, 0.58), (0.2, 0.58)], rgb("#f7f7f3"))
    c.rect(0.2, 0.58, 0.8, 0.65, rgb("#2e5e8c"))
    for i in range(13):
        c.line([(0.2 + i * 0.05, 0.585), (0.2 + i * 0.05, 0.65)], rgba(WHITE, 0.15), 0.003)
    flags = [rgb(x) for x in ("#2fa4a0", "#f29b30", "#8e5ea2", "#5aa9e6", "#e0608a", "#d9b13c")]
    for i in range(8):
        x = 0.28 + i * 0.063
        c.rect(x - 0.012, 0.555, x + 0.012, 0.568, rgb("#fdfdfb"))
        c.line([(x + 0.018, 0.565), (x + 0.018, 0.515)], rgb("#8a8f96"), 0.002)
        c.rect(x + 0.019, 0.515, x + 0.036, 0.532, flags[i % len(flags)])
    for row, (y, s, n) in enumerate(((0.8, 0.11, 7), (0.97, 0.16, 5))):
        for i in range(n):
            x = 0.5 + (i - (n - 1) / 2) * (0.14 if row == 0 else 0.2)
            c.rect(x - 0.3 * s * c.ax, y - 0.5 * s, x + 0.3 * s * c.ax, y + 0.1 * s,
                   rgb("#2c3e55"), radius=0.08 * s)
            if c.rng.random() < 0.6:
                bust(c, x, y - 0.5 * s, 0.35 * s, rgb("#1f2633"), rgb("#14181f"))
            c.rect(x - 0.26 * s * c.ax, y - 0.46 * s, x + 0.26 * s * c.ax, y - 0.4 * s,
                   rgb("#3a5272"), radius=0.02 * s)


@scene("festival-lanterns")
def festival_lanterns(c: Canvas) -> None:
    sky(c, [(0, rgb("#0c1436")), (0.6, rgb("#2c1f4f")), (1, rgb("#6b2f52"))], 0.75)
    stars(c, 60, 0.3)
    c.glow(0.5, 0.66, 0.5, rgb("#ff9e4a"), 0.8, steps=16, ry=0.3)
    for x0, x1, top in ((0, 0.16, 0.2), (0.16, 0.3, 0.32), (0.7, 0.84, 0.3), (0.84, 1, 0.18)):
        c.rect(x0, top, x1, 0.8, rgb("#1c1533"))
        for wy in range(int((0.7 - top) / 0.07)):
            for k in range(2):
                wx = x0 + (x1 - x0) * (0.2 + 0.4 * k)
                if c.rng.random() < 0.6:
                    c.rect(wx, top + 0.04 + wy * 0.07, wx + (x1 - x0) * 0.2,
                           top + 0.08 + wy * 0.07, rgba(rgb("#ffc46b"), 0.85))
    c.rect(0.32, 0.56, 0.68, 0.68, rgb("#3b1e34"))
    c.rect(0.32, 0.55, 0.68, 0.56, rgb("#ffd08a"))
    for k in range(5):
        x = 0.36 + k * 0.07
        c.poly([(x, 0.56), (x + 0.006, 0.56), (x + 0.12 * (k - 2), 0.0), (x - 0.05 + 0.12 * (k - 2),
                0.0)], rgba(rgb("#ffe3a8"), 0.08))
    for x in (0.42, 0.5, 0.58):
        person(c, x, 0.555, 0.09, rgb("#2a1426"))
    for row, (y0, y1, sag, r) in enumerate(((0.12, 0.18, 0.12, 0.022), (0.3, 0.26, 0.1, 0.017),
                                            (0.42, 0.44, 0.06, 0.012))):
        pts = catenary((0.0, y0), (1.0, y1), sag, 40)
        c.line(pts, rgb("#3a2a20"), 0.002)
        for i in range(2, 40, 2 if row < 2 else 3):
            color = rgb("#e8362f") if (i // 2) % 2 else rgb("#f7b731")
            lantern(c, pts[i][0], pts[i][1] + 1.5 * r, r, color)
    for i in range(34):
        x = (i + c.rng.uniform(0, 0.6)) / 33
        bust(c, x, 0.86 + c.rng.uniform(-0.02, 0.02), 0.09, rgb("#3c2440"))
    for i in range(24):
        x = (i + c.rng.uniform(0, 0.6)) / 23
        s = c.rng.uniform(0.13, 0.16)
        if c.rng.random() < 0.2:
            c.line([(x + 0.02, 0.96 - 0.3 * s), (x + 0.035, 0.96 - 1.05 * s)], rgb("#140c1c"),
                   0.1 * s)
        bust(c, x, 0.97 + c.rng.uniform(-0.02, 0.02), s, rgb("#140c1c"))


def airliner(c: Canvas, x: float, y: float, length: float, livery: Color) -> None:
    """Passenger jet in profile, nose to the left; y is the fuselage centre line."""
    a, L = c.ax, length
    r = 0.055 * L / a
    c.circle(x + 0.5 * L, y + 2.4 * r, 0.45 * L / a, rgba(BLACK, 0.18), ry=0.2 * r)
    c.poly([(x + 0.72 * L, y - r), (x + 0.84 * L, y - 4.6 * r), (x + 0.92 * L, y - 4.6 * r),
            (x + 0.95 * L, y - 0.6 * r)], livery)
    c.poly([(x + 0.4 * L, y + 0.3 * r), (x + 0.62 * L, y + 0.5 * r), (x + 0.64 * L, y + 0.9 * r),
            (x + 0.45 * L, y + 0.9 * r)], rgb("#aab4be"))
    c.rect(x + 0.08 * L, y - r, x + 0.86 * L, y + r, rgb("#f6f7f8"), radius=r)
    c.circle(x + 0.08 * L, y + 0.05 * r, r, rgb("#f6f7f8"), ry=0.95 * r)
    c.poly([(x + 0.8 * L, y - r), (x + 1.0 * L, y - 0.45 * r), (x + 0.99 * L, y - 0.1 * r),
            (x + 0.8 * L, y + r)], rgb("#f6f7f8"))
    c.poly([(x + 0.1 * L, y + 0.3 * r), (x + 0.85 * L, y + 0.3 * r),
            (x + 0.85 * L, y + 0.55 * r), (x + 0.1 * L, y + 0.55 * r)], livery)
    c.poly([(x + 0.02 * L, y + 0.6 * r), (x + 0.1 * L, y + 0.6 * r), (x + 0.1 * L, y + 0.95 * r),
            (x + 0.05 * L, y + 0.9 * r)], rgb("#d9dde1"))
    c.poly([(x + 0.02 * L, y - 0.35 * r), (x + 0.06 * L, y - 0.55 * r),
            (x + 0.08 * L, y - 0.3 * r)], rgb("#2a3d52"))
    for i in range(28):
        c.circle(x + (0.14 + i * 0.024) * L, y - 0.3 * r, 0.12 * r, rgb("#5b7a96"))
    c.poly([(x + 0.8 * L, y - 0.4 * r), (x + 0.98 * L, y - 0.6 * r), (x + 0.96 * L, y - 0.2 * r),
            (x + 0.84 * L, y - 0.1 * r)], shade(livery, 0.1))
    c.rect(x + 0.34 * L, y + 0.6 * r, x + 0.5 * L, y + 1.7 * r, rgb("#dfe3e7"), radius=0.5 * r)
    c.rect(x + 0.33 * L, y + 0.65 * r, x + 0.36 * L, y + 1.65 * r, rgb("#4a5663"),
           radius=0.3 * r)
    for gx in (0.12, 0.5, 0.55):
        c.line([(x + gx * L, y + r), (x + gx * L, y + 2.1 * r)], rgb("#5b636b"), 0.15 * r)
        c.circle(x + gx * L, y + 2.1 * r, 0.3 * r, rgb("#23252b"))


@scene("airport")
def airport(c: Canvas) -> None:
    apron = 0.6
    sky(c, [(0, rgb("#4a9fdf")), (1, rgb("#d6eef8"))], apron)
    clouds(c, 3, 0.08, 0.2, rgba(WHITE, 0.9), 0.05)
    hills(c, apron, 0.06, rgb("#b6d3d6"), 2.0)
    c.rect(0.86, 0.14, 0.9, apron, rgb("#e7ebee"))
    c.rect(0.885, 0.14, 0.9, apron, rgb("#c7cfd6"))
    c.poly([(0.84, 0.11), (0.92, 0.11), (0.905, 0.16), (0.855, 0.16)], rgb("#2f4f6b"))
    c.rect(0.845, 0.095, 0.915, 0.11, rgb("#eef1f3"))
    c.line([(0.88, 0.095), (0.88, 0.05)], rgb("#8a949c"), 0.003)
    x0, x1 = 0.05, 0.83

    def roof_y(t: float, lift: float) -> float:
        return 0.47 - lift * math.sin(math.pi * t) - 0.05 * t

    n = 60
    under = [(x0 + (x1 - x0) * i / n, roof_y(i / n, 0.09)) for i in range(n + 1)]
    c.poly([*under, (x1, apron), (x0, apron)], rgb("#5d9cc9"))
    for i in range(0, n + 1, 2):
        x, y = under[i]
        c.line([(x, y), (x, apron)], rgba(rgb("#d7e7f2"), 0.7), 0.002)
    for y in (0.52, 0.56):
        c.line([(x0, y), (x1, y)], rgba(rgb("#d7e7f2"), 0.7), 0.002)
    c.poly([(0.2, apron), (0.32, 0.4), (0.36, 0.4), (0.24, apron)], rgba(WHITE, 0.15))
    top = [(x0 - 0.02 + (x1 - x0 + 0.04) * i / n, roof_y(i / n, 0.11) - 0.015)
           for i in range(n + 1)]
    c.poly([*top, *reversed(under)], rgb("#f3f5f7"))
    c.poly([*under, *[(x, y - 0.012) for x, y in reversed(under)]], rgb("#c3ced8"))
    c.gradient([(0, rgb("#a3abb1")), (1, rgb("#7f878d"))], apron, 1)
    c.rect(0, apron, 1, apron + 0.02, rgb("#8fbf6f"))
    c.line(catenary((-0.1, 0.98), (1.1, 0.72), -0.08, 30), rgb("#f2c94c"), 0.006)
    for i in range(14):
        c.circle(i / 13, 0.66, 0.004, rgb("#3b7dd8"))
    c.rect(0.06, 0.69, 0.14, 0.72, rgb("#f2b441"), radius=0.006)
    c.rect(0.145, 0.695, 0.2, 0.72, rgb("#e8e4da"), radius=0.004)
    airliner(c, 0.16, 0.77, 0.7, rgb("#1f8a8a"))


@scene("fishing-boats")
def fishing_boats(c: Canvas) -> None:
    wl = 0.62
    sky(c, [(0, rgb("#7b82c4")), (0.55, rgb("#f2a9a0")), (1, rgb("#ffd7a3"))], wl)
    sun(c, 0.74, 0.52, 0.045, rgb("#fff0c8"), 0.6)
    hills(c, wl - 0.02, 0.16, rgb("#a593bb"), 1.6)
    hills(c, wl, 0.1, rgb("#7d7ea8"), 2.6)
    hills(c, wl, 0.05, rgb("#5d7f80"), 3.6)
    water(c, wl, [(0, rgb("#e3b0a6")), (1, rgb("#4b6f99"))], WHITE, 0)
    for i, x in enumerate((0.06, 0.17, 0.3, 0.48, 0.6)):
        wall = [rgb("#4f86c6"), rgb("#f2c94c"), rgb("#e8e4da"), rgb("#3aa17e"),
                rgb("#e07a5f")][i]
        c.rect(x - 0.01, wl - 0.006, x + 0.075, wl + 0.008, rgb("#3b4b6b"))
        c.rect(x, wl - 0.05, x + 0.065, wl - 0.006, wall)
        c.rect(x + 0.02, wl - 0.035, x + 0.036, wl - 0.006, shade(wall, 0.5))
        c.poly([(x - 0.008, wl - 0.05), (x + 0.073, wl - 0.05), (x + 0.055, wl - 0.075),
                (x + 0.01, wl - 0.075)], rgb("#8a4b3c"))
    reflect(c, wl + 0.008, 0.45)
    glints(c, wl, 1, rgb("#ffe6c8"), 70, 0.4)
    for x, y in ((0.12, 0.7), (0.16, 0.71), (0.2, 0.715), (0.24, 0.712), (0.28, 0.705)):
        c.circle(x, y, 0.005, rgb("#f28c38"))
    hulls = [(0.72, 0.7, 0.2, rgb("#2f6fb0"), rgb("#d94a3d"), rgb("#f2c94c")),
             (0.38, 0.79, 0.3, rgb("#2e9c7a"), rgb("#f2c94c"), rgb("#e8e4da")),
             (0.84, 0.86, 0.32, rgb("#d94a3d"), rgb("#2f6fb0"), rgb("#f4f1ea")),
             (0.16, 0.95, 0.36, rgb("#3a5ca8"), rgb("#e8e4da"), rgb("#e07a5f"))]
    for x, y, s, hull, trim, cabin in hulls:
        boat(c, x, y, s, hull, trim, cabin)
        c.circle(x - 0.1 * s, y - 0.22 * s, 0.1 * s, rgb("#3f6b4f"), ry=0.04 * s)
        for k in range(6):
            nx = x - 0.16 * s + k * 0.04 * s
            c.line([(nx, y - 0.2 * s), (nx + 0.02 * s, y - 0.26 * s)], rgb("#2c4a38"),
                   0.004 * s)
    c.line([(0.58, 0.76), (0.58, 0.52)], rgb("#4a3a30"), 0.004)
    for k in range(8):
        c.line([(0.58, 0.53), (0.53 + k * 0.005, 0.66)], rgba(rgb("#2c4a38"), 0.8), 0.002)
    birds(c, 5, 0.3, 0.7, 0.1, 0.3, rgba(rgb("#4b3b5c"), 0.8))


@scene("old-town-street")
def old_town_street(c: Canvas) -> None:
    walk, road = 0.74, 0.79
    sky(c, [(0, rgb("#79c0e6")), (1, rgb("#e2f2f4"))], walk)
    clouds(c, 3, 0.06, 0.16, rgba(WHITE, 0.85), 0.04)
    walls = [rgb("#f2c14e"), rgb("#f5cf6b"), rgb("#e9b949"), rgb("#f0c65a")]
    x = -0.03
    for i in range(7):
        w = 0.15 + c.rng.uniform(-0.01, 0.02)
        shophouse(c, x, x + w, walk, 0.2 + 0.015 * (i % 2), walls[i % 4], rgb("#2e7d5b"),
                  rgb("#b5543a"))
        x += w
    c.line(catenary((0, 0.24), (1, 0.22), 0.05), rgb("#3a3a3a"), 0.002)
    c.line(catenary((0, 0.27), (1, 0.26), 0.04), rgb("#3a3a3a"), 0.002)
    c.rect(0, walk, 1, road, rgb("#d9cbb3"))
    c.rect(0, road - 0.008, 1, road, rgb("#b5a58e"))
    c.gradient([(0, rgb("#8b8680")), (1, rgb("#6f6a66"))], road, 1)
    for x in (0.12, 0.82):
        tree(c, x, walk + 0.02, 0.34, rgb("#3f8f4f"))
    for x in (0.33, 0.62):
        potted_plant(c, x, walk + 0.01, 0.06, rgb("#3f8f4f"))
    col = rgb("#2d2b3a")
    cx, base = 0.52, 0.94
    for wx in (0.44, 0.6):
        c.ring(wx, base - 0.035, 0.035, col, 0.006)
    c.poly([(0.42, base - 0.07), (0.49, base - 0.07), (0.5, base - 0.13), (0.43, base - 0.14),
            (0.41, base - 0.11)], col)
    c.rect(0.425, base - 0.17, 0.49, base - 0.16, col)
    c.line([(0.49, base - 0.07), (0.6, base - 0.035), (0.57, base - 0.12)], col, 0.006)
    person(c, 0.465, base - 0.12, 0.09, col)
    person(c, 0.575, base - 0.09, 0.12, col, 0.02)
    _ = cx


@scene("green-park")
def green_park(c: Canvas) -> None:
    horizon = 0.44
    sky(c, [(0, rgb("#86cbee")), (1, rgb("#e5f6f5"))], horizon)
    clouds(c, 3, 0.06, 0.2, rgba(WHITE, 0.9), 0.05)
    x = 0.0
    while x < 1:
        w = c.rng.uniform(0.03, 0.06)
        c.rect(x, horizon - c.rng.uniform(0.06, 0.16), x + w, horizon, rgb("#c6dbe6"))
        x += w + c.rng.uniform(0.01, 0.05)
    c.gradient([(0, rgb("#a4d67c")), (1, rgb("#68b653"))], horizon, 1)
    for i in range(36):
        tree(c, i / 35, horizon + 0.02, 0.05 + 0.01 * (i % 3), rgb("#5a9d5e"), shadow=False)
    lake = [(0.62 + 0.3 * math.cos(t) + 0.02 * math.sin(3 * t),
             0.6 + 0.08 * math.sin(t) + 0.01 * math.cos(5 * t))
            for t in (i * math.pi / 30 for i in range(60))]
    c.poly([(x, y + 0.01) for x, y in lake], rgb("#d8cfa8"))
    c.poly(lake, rgb("#5bb3d3"))
    glints(c, 0.54, 0.66, WHITE, 25, 0.5, 0.4, 0.85)
    px, pb = 0.82, 0.57
    c.rect(px - 0.06, pb - 0.005, px + 0.06, pb + 0.012, rgb("#b89b7a"))
    for k in range(4):
        c.rect(px - 0.045 + k * 0.03, pb - 0.08, px - 0.04 + k * 0.03, pb, rgb("#b8372f"))
    for dy, w in ((0.0, 0.075), (-0.035, 0.045)):
        c.poly([(px - w - 0.01, pb - 0.075 + dy), (px - w + 0.02, pb - 0.09 + dy),
                (px + w - 0.02, pb - 0.09 + dy), (px + w + 0.01, pb - 0.075 + dy),
                (px + w - 0.015, pb - 0.105 + dy), (px - w + 0.015, pb - 0.105 + dy)],
               rgb("#3d5a4f"))
    c.circle(0.5, 0.61, 0.006, WHITE, ry=0.004)
    c.circle(0.53, 0.63, 0.006, WHITE, ry=0.004)

    def path_x(t: float) -> float:
        return 0.1 + 0.25 * t + 0.08 * math.sin(t * 3)

    left = [(path_x(i / 20) - 0.1 * (1 - i / 20) - 0.01, 1 - 0.48 * i / 20) for i in range(21)]
    right = [(path_x(i / 20) + 0.1 * (1 - i / 20) + 0.01, 1 - 0.48 * i / 20) for i in range(21)]
    c.poly(left + right[::-1], rgb("#ecdfc0"))
    for x, b, s in ((0.06, 0.62, 0.22), (0.6, 0.82, 0.26), (0.8, 0.9, 0.3), (0.95, 0.75, 0.24)):
        tree(c, x, b, s, rgb("#3f8f4f"))
    cypress(c, 0.5, 0.7, 0.14, rgb("#2f7a45"))
    for t, stride in ((0.25, 0.03), (0.45, -0.03), (0.6, 0.02), (0.75, -0.02)):
        y = 1 - 0.48 * t
        h = 0.12 * (1 - t) + 0.03
        body = c.rng.choice([rgb("#e0614f"), rgb("#3c7fbf"), rgb("#f2b441"), rgb("#8e5ea2")])
        person(c, path_x(t) + 0.02, y - 0.01, h, rgb("#333344"), stride, body)
    c.rect(0.4, 0.8, 0.48, 0.81, rgb("#7a5a40"))
    c.rect(0.4, 0.78, 0.48, 0.788, rgb("#7a5a40"))


@scene("night-port")
def night_port(c: Canvas) -> None:
    _port(c, night=True)


@scene("classroom")
def classroom(c: Canvas) -> None:
    fx0, fx1, fy0, fy1 = 0.14, 0.86, 0.08, 0.6
    c.poly([(0, 0), (1, 0), (fx1, fy0), (fx0, fy0)], rgb("#f4f1ea"))
    c.poly([(0, 0), (fx0, fy0), (fx0, fy1), (0, 0.8)], rgb("#e4efe0"))
    c.poly([(1, 0), (fx1, fy0), (fx1, fy1), (1, 0.8)], rgb("#dde9da"))
    c.poly([(fx0, fy1), (fx1, fy1), (1, 0.8), (1, 1), (0, 1), (0, 0.8)], rgb("#d9b98f"))
    c.rect(fx0, fy0, fx1, fy1, rgb("#f5ecd8"))
    for k in range(2):
        u0, u1 = 0.15 + 0.42 * k, 0.5 + 0.42 * k

        def wp(u: float, v: float) -> Point:
            x = fx0 * u
            top, bottom = fy0 * u + 0.12 * (1 - u), fy1 * u + 0.62 * (1 - u)
            return (x, top + (bottom - top) * v)

        frame = [wp(u0, 0.05), wp(u1, 0.05), wp(u1, 0.55), wp(u0, 0.55)]
        c.poly(frame, rgb("#ffffff"))
        inner = [wp(u0 + 0.03, 0.08), wp(u1 - 0.03, 0.08), wp(u1 - 0.03, 0.52),
                 wp(u0 + 0.03, 0.52)]
        c.poly(inner, rgb("#a9dcf2"))
        canopy = [wp(u0 + 0.03 + (u1 - u0 - 0.06) * i / 10,
                     0.3 + 0.05 * math.sin(i * 1.7 + k)) for i in range(11)]
        c.poly([*canopy, wp(u1 - 0.03, 0.52), wp(u0 + 0.03, 0.52)], rgb("#5fae5a"))
        c.line([wp((u0 + u1) / 2, 0.08), wp((u0 + u1) / 2, 0.52)], WHITE, 0.006)
        c.line([wp(u0, 0.3), wp(u1, 0.3)], WHITE, 0.005)
        c.poly([(0.05 + 0.25 * k, 0.85), (0.2 + 0.25 * k, 0.85), (0.3 + 0.22 * k, 0.72),
                (0.18 + 0.22 * k, 0.72)], rgba(WHITE, 0.2))
    for i in range(5):
        c.poly([(0.92, 0.18 + i * 0.055), (0.96, 0.16 + i * 0.06), (0.96, 0.2 + i * 0.06),
                (0.92, 0.215 + i * 0.055)],
               [rgb("#f2b441"), rgb("#e0614f"), rgb("#5aa9e6"), rgb("#8fd06f"),
                rgb("#e0608a")][i])
    c.rect(0.27, 0.16, 0.73, 0.44, rgb("#8b5a2b"))
    c.rect(0.285, 0.175, 0.715, 0.425, rgb("#2f5d4a"))
    c.circle(0.42, 0.27, 0.06, rgba(WHITE, 0.05), ry=0.03)
    c.circle(0.6, 0.33, 0.08, rgba(WHITE, 0.04), ry=0.03)
    c.rect(0.27, 0.44, 0.73, 0.452, rgb("#7a4e25"))
    c.circle(0.5, 0.11, 0.025, WHITE)
    c.ring(0.5, 0.11, 0.025, rgb("#5a5a5a"), 0.004)
    c.line([(0.5, 0.11), (0.5, 0.093)], rgb("#333333"), 0.003)
    c.line([(0.5, 0.11), (0.51, 0.115)], rgb("#333333"), 0.003)
    c.rect(0.6, 0.5, 0.8, 0.6, rgb("#a26b3c"))
    c.rect(0.59, 0.49, 0.81, 0.505, rgb("#c08552"))
    c.line(catenary((0.7, 0.49), (0.7, 0.42), 0.0, 4), rgb("#6a6a6a"), 0.004)
    c.ring(0.7, 0.44, 0.038, rgb("#b08d57"), 0.004)
    c.circle(0.7, 0.44, 0.032, rgb("#3f8fd2"))
    c.poly([(0.69, 0.42), (0.705, 0.415), (0.712, 0.43), (0.7, 0.45), (0.69, 0.44)],
           rgb("#6fbf5a"))
    c.poly([(0.714, 0.445), (0.722, 0.44), (0.72, 0.46)], rgb("#6fbf5a"))
    c.rect(0.685, 0.482, 0.715, 0.49, rgb("#b08d57"))
    vp = (0.5, 0.3)
    for y, cols in ((0.68, (0.22, 0.4, 0.6, 0.78)), (0.8, (0.14, 0.37, 0.63, 0.86)),
                    (0.95, (0.04, 0.33, 0.67, 0.96))):
        s = (y - vp[1]) / (1 - vp[1])
        for x in cols:
            w = 0.085 * s
            c.poly([(x - w, y - 0.06 * s), (x + w, y - 0.06 * s), (x + w * 1.08, y),
                    (x - w * 1.08, y)], rgb("#d6a36a"))
            c.rect(x - w * 1.08, y, x + w * 1.08, y + 0.02 * s, rgb("#a9763f"))
            for side in (-0.5, 0.5):
                bust(c, x + side * w, y + 0.03 * s, 0.16 * s, rgb("#f4f6f8"), rgb("#2b2622"))


@scene("coastal-road")
def coastal_road(c: Canvas) -> None:
    horizon, vp = 0.44, (0.6, 0.44)
    sky(c, [(0, rgb("#68b2e4")), (1, rgb("#e0f2f6"))], horizon)
    clouds(c, 3, 0.06, 0.22, rgba(WHITE, 0.9), 0.05)
    hills(c, horizon, 0.05, rgb("#9fc6a6"), 2.5)
    water(c, horizon, [(0, rgb("#7cc3cf")), (1, rgb("#2a8aa0"))], WHITE, 0)
    glints(c, horizon, 1, WHITE, 60, 0.4, 0.0, 0.4)
    for i in range(7):
        x = 0.04 + i * 0.075
        wind_turbine(c, x, horizon + 0.004 + 0.006 * (i % 2), 0.2 - 0.012 * i, 0.4 + i,
                     rgb("#f4f6f7"))

    def edge(bottom_x: float, s: float) -> Point:
        return lerp(vp, (bottom_x, 1.0), s)

    c.poly([vp, (1.2, 1.0), (1.0, 0.44)], rgb("#86c06a"))
    c.poly([vp, (1.3, 1.0), (1.2, 1.0)], rgb("#6fae57"))
    for k in range(10):
        s = 0.15 + 0.09 * k
        tree(c, *edge(1.4, s), 0.1 * s + 0.02, rgb("#4f9a57"))
    c.poly([vp, edge(0.05, 1.0), edge(0.36, 1.0)], rgb("#b9bfb8"))
    for k in range(1, 8):
        c.line([vp, edge(0.05 + k * 0.04, 1.0)], rgba(rgb("#8f968e"), 0.6), 0.002)
    for k in range(1, 16):
        s = 1 / (1 + k * 0.35)
        c.line([edge(0.05, s), edge(0.36, s)], rgba(rgb("#8f968e"), 0.6), 0.0015)
    c.poly([vp, edge(0.36, 1.0), edge(1.2, 1.0)], rgb("#5b6068"))
    c.poly([vp, edge(0.36, 1.0), edge(0.39, 1.0)], rgb("#e9ecef"))
    for k in range(16):
        s0 = 1 / (1 + k * 0.5)
        s1 = 1 / (1 + (k + 0.45) * 0.5)
        c.poly([edge(0.76, s0), edge(0.79, s0), edge(0.79, s1), edge(0.76, s1)],
               rgba(WHITE, 0.9))
    for s, off, color in ((0.85, 0.55, rgb("#e0614f")), (0.42, 0.95, rgb("#f4f1ea")),
                          (0.25, 0.6, rgb("#3c7fbf")), (0.6, 1.0, rgb("#f2b441"))):
        x, y = edge(off, s)
        w, h = 0.09 * s, 0.13 * s
        c.rect(x - w, y - h * 0.9, x + w, y - h * 0.05, color, radius=0.03 * s)
        c.rect(x - w * 0.75, y - h * 1.35, x + w * 0.75, y - h * 0.8, shade(color, 0.15),
               radius=0.03 * s)
        c.rect(x - w * 0.62, y - h * 1.25, x + w * 0.62, y - h * 0.9, rgb("#2b3b4c"))
        for side in (-1, 1):
            c.rect(x + side * w * 0.85, y - h * 0.65, x + side * w * 0.6, y - h * 0.5,
                   rgb("#ff4a3a"))
            c.rect(x + side * w * 0.9, y - h * 0.08, x + side * w * 0.55, y + h * 0.05,
                   rgb("#23252b"))
    for k in range(12):
        s = 0.12 + 0.08 * k
        x, y = edge(0.02, s)
        for j in range(3):
            c.circle(x - (0.03 + 0.03 * j) * s, y - 0.05 * s - 0.02 * s * (j % 2), 0.06 * s,
                     shade(rgb("#3f7f4a"), 0.08 * j))
        for j in range(4):
            rx = x - (0.02 + j * 0.025) * s
            c.line([(rx, y - 0.04 * s), (rx - 0.015 * s, y + 0.01 * s)], rgb("#5b4636"),
                   0.004 * s)


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
