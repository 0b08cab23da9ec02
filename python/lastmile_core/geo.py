"""Geodesy and planar geometry shared by the Python modules: one Earth radius, one haversine, one
local projection, one convex hull.

The independent checker (:mod:`lastmile_core.check`) keeps its own copy on purpose: it shares no
code with what it checks. The C++ core has the same constants in ``cpp/core/units.h``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088
#: Kilometres per degree of latitude (and of longitude at the equator) on that sphere.
KM_PER_DEG = EARTH_RADIUS_KM * math.pi / 180.0

FloatArray = npt.NDArray[np.float64]


def haversine_km(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> FloatArray:
    """Great-circle distance in km between (lon1, lat1) and (lon2, lat2), degrees, broadcast."""
    p1 = np.radians(np.asarray(lat1, dtype=float))
    p2 = np.radians(np.asarray(lat2, dtype=float))
    dl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=float)


def local_xy_km(lon: Any, lat: Any, lon0: float, lat0: float) -> FloatArray:
    """Equirectangular projection around (lon0, lat0): an (n, 2) array of km east and north."""
    kx = KM_PER_DEG * math.cos(math.radians(lat0))
    lon_a, lat_a = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return np.column_stack([(lon_a - lon0) * kx, (lat_a - lat0) * KM_PER_DEG])


def hull_area(xy: Any) -> float:
    """Area of the convex hull of (n, 2) points (Andrew's monotone chain); 0 below 3 distinct
    points or when they are collinear."""
    pts = np.unique(np.asarray(xy, dtype=float).reshape(-1, 2), axis=0)
    if len(pts) < 3:
        return 0.0
    pts = pts[np.lexsort((pts[:, 1], pts[:, 0]))]

    def chain(points: FloatArray) -> list[FloatArray]:
        out: list[FloatArray] = []
        for p in points:
            while len(out) >= 2:
                o, a = out[-2], out[-1]
                if (a[0] - o[0]) * (p[1] - o[1]) - (a[1] - o[1]) * (p[0] - o[0]) > 0:
                    break
                out.pop()
            out.append(p)
        return out

    ring = chain(pts)[:-1] + chain(pts[::-1])[:-1]
    if len(ring) < 3:
        return 0.0
    hull = np.array(ring)
    x, y = hull[:, 0], hull[:, 1]
    return float(0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


__all__ = ["EARTH_RADIUS_KM", "KM_PER_DEG", "haversine_km", "hull_area", "local_xy_km"]
