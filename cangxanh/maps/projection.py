"""The Equal Earth projection (Šavrič, Patterson and Jenny, 2018) onto the map's frame.

Equal Earth keeps areas true (a small country is not blown up like on Mercator) and
its curved sides read as a globe. The formulas are the published ones
(https://doi.org/10.1080/13658816.2018.1504949); nothing here depends on a library.

The frame is the map's own coordinate system, shared by the shipped outlines
(``data/world.json``) and everything drawn on top of them: x grows eastwards from 0
at 180°W to ``WIDTH`` at 180°E, y grows southwards from 0 at the North Pole to
``HEIGHT`` at ``SOUTH``° (Antarctica is left out: no partner lives there, and it
would take a fifth of the height).
"""

from __future__ import annotations

import math

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2

WIDTH = 10000  # frame units from 180°W to 180°E
SOUTH = -60.0  # the frame's lower edge, in degrees of latitude


def equal_earth(lat: float, lon: float) -> tuple[float, float]:
    """Equal Earth on the unit sphere: degrees in, (x east, y north) out."""
    lam = math.radians(lon)
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


_X_EDGE = equal_earth(0, 180)[0]
_Y_TOP = equal_earth(90, 0)[1]
SCALE = WIDTH / (2 * _X_EDGE)
HEIGHT = round((_Y_TOP - equal_earth(SOUTH, 0)[1]) * SCALE)


def project(lat: float, lon: float) -> tuple[float, float]:
    """Where a place (degrees, north and east positive) lies in the map's frame."""
    x, y = equal_earth(lat, lon)
    return (x + _X_EDGE) * SCALE, (_Y_TOP - y) * SCALE
