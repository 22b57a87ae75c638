"""Distances on the Earth, as the engine measures them (`arc`: haversine on the mean radius)."""

from __future__ import annotations

import math

EARTH_MEAN_RADIUS_M = 6_371_008.7714


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_MEAN_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))
