"""Polygons made small enough to ship and exact enough to judge a border: simplify, measure, round.

Upazilas are simplified together as a coverage (shapely.coverage_simplify), so neighbours keep one
shared border and a point is never in two upazilas or in none. The tolerance is chosen by measuring:
the largest one whose borders move at most `max_shift_m` (measured both ways: every original vertex
to the simplified border, and the simplified border, sampled every 10 m, to the original).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from portal.geography import LocalFrame

#: Decimal places of degrees in the files: 5 is 1.1 m, far below the border tolerance.
DECIMALS = 5
SAMPLE_M = 10.0


def _segments(geometry: BaseGeometry) -> NDArray[np.object_]:
    """A boundary as its straight segments, for an STRtree."""
    out: list[NDArray[np.object_]] = []
    for line in np.atleast_1d(shapely.get_parts(geometry.boundary)):
        coords = shapely.get_coordinates(line)
        out.append(
            cast(NDArray[np.object_], shapely.linestrings(np.stack([coords[:-1], coords[1:]], axis=1)))
        )
    return np.concatenate(out)


def _farthest(points: NDArray[np.object_], segments: NDArray[np.object_]) -> float:
    """The largest distance from any of the points to the nearest of the segments."""
    tree = shapely.STRtree(segments)
    _, distances = tree.query_nearest(points, return_distance=True, all_matches=False)
    return float(distances.max()) if len(distances) else 0.0


def border_shift_m(original: BaseGeometry, simplified: BaseGeometry) -> float:
    """How far the simplified border strays from the original at worst, either way (metres): every
    original vertex to the simplified border, and the simplified border sampled every SAMPLE_M."""
    vertices = cast(NDArray[np.object_], shapely.points(shapely.get_coordinates(original.boundary)))
    samples = cast(
        NDArray[np.object_],
        shapely.points(shapely.get_coordinates(shapely.segmentize(simplified.boundary, SAMPLE_M))),
    )
    return max(_farthest(vertices, _segments(simplified)), _farthest(samples, _segments(original)))


@dataclass(frozen=True)
class Simplified:
    shapes: list[BaseGeometry]
    tolerance_m: float
    max_shift_m: float


def _largest_within(
    shapes: Sequence[BaseGeometry],
    simplify: Callable[[float], list[BaseGeometry]],
    max_shift_m: float,
    high: float,
) -> Simplified:
    """Bisect (to 1 m) for the largest tolerance up to `high` whose measured shift stays within bound."""
    best = Simplified(list(shapes), 0.0, 0.0)
    low = 0.0
    while high - low > 1:
        tolerance = round((low + high) / 2)
        simplified = simplify(tolerance)
        shift = max(border_shift_m(a, b) for a, b in zip(shapes, simplified, strict=True))
        if shift <= max_shift_m:
            best, low = Simplified(simplified, tolerance, shift), tolerance
        else:
            high = tolerance
    return best


def simplify_coverage(shapes: Sequence[BaseGeometry], max_shift_m: float) -> Simplified:
    """The coverage simplified together (shared borders stay shared) with the largest tolerance
    whose measured border shift stays within `max_shift_m`."""

    def simplify(tolerance: float) -> list[BaseGeometry]:
        return [polygonal(g) for g in shapely.coverage_simplify(list(shapes), tolerance)]

    return _largest_within(shapes, simplify, max_shift_m, 3 * max_shift_m)


def simplify_each(shapes: Sequence[BaseGeometry], max_shift_m: float) -> Simplified:
    """Each shape simplified on its own (Douglas-Peucker), with the same measured bound."""

    def simplify(tolerance: float) -> list[BaseGeometry]:
        return [polygonal(g.simplify(tolerance)) for g in shapes]

    return _largest_within(shapes, simplify, max_shift_m, 2 * max_shift_m)


def polygonal(geometry: BaseGeometry, min_part_m2: float = 0.0) -> BaseGeometry:
    """Only the polygons of a geometry (an intersection can leave lines and points), valid, without
    parts smaller than `min_part_m2`."""
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    parts = [
        p
        for g in getattr(geometry, "geoms", [geometry])
        for p in getattr(g, "geoms", [g])
        if p.geom_type == "Polygon" and p.area > min_part_m2
    ]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def centre(geometry: BaseGeometry) -> shapely.Point:
    """The centroid when it lies inside, else a point surely inside (a crescent's centroid is not)."""
    centroid = geometry.centroid
    return centroid if geometry.contains(centroid) else geometry.point_on_surface()


def to_geojson(geometry: BaseGeometry, frame: LocalFrame) -> dict[str, Any]:
    """A metric geometry as GeoJSON in degrees (lon, lat), rounded to DECIMALS, still valid."""
    degrees = frame.to_degrees(geometry)
    rounded = shapely.set_precision(degrees, 10**-DECIMALS)
    if rounded.is_empty or not rounded.is_valid:
        rounded = degrees
    rounded = polygonal(rounded)
    out: dict[str, Any] = mapping(rounded)
    return {"type": out["type"], "coordinates": _round(out["coordinates"])}


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DECIMALS)
    return [_round(v) for v in value]


def latlon(point: shapely.Point, frame: LocalFrame) -> dict[str, float]:
    lat, lon = frame.latlon(point.x, point.y)
    return {"lat": round(lat, DECIMALS), "lon": round(lon, DECIMALS)}


def area_km2(geometry: BaseGeometry) -> float:
    return round(float(geometry.area) / 1e6, 2)


def vertices(geometries: Sequence[BaseGeometry]) -> int:
    return int(np.sum(shapely.get_num_coordinates(list(geometries))))
