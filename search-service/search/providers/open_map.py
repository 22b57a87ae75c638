"""Who is open now, by category and map tile: what lets a nearest search foresee a short answer and ask,
in its first round trip, what a short answer needs. Pure; open_map_cache.py asks for it once a minute.

With `available_now`, an answer with fewer than `limit` providers brings the nearest closed ones and,
when empty, the nearest open one beyond the radius (run.py) — at night most searches, and each of them
used to wait for a second round trip. One aggregation a minute counts the providers available now per
category on a grid of map tiles (zoom 13, ~4.5 km here). The tiles a search's circle touches hold at
least everyone open within it, so when they hold fewer than `limit` the answer is short for sure, and
when they hold none it is empty: the first round trip then carries the closed-nearby (and open-beyond)
body too. It is a forecast only: the bodies asked are the very ones the second round trip would ask,
the answer body still decides, and a map that has gone stale (a provider switched on a moment ago) costs
at most the round trip it would have saved.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from portal.clock import to_dhaka
from portal.geo import EARTH_MEAN_RADIUS_M
from search.providers.bodies import Part, available_now_filters
from search.providers.request import NearestQuery
from search.queries.live import live_filters
from search.understanding.understanding import Understanding

#: Map tiles of this zoom: 360/2^13 degrees of longitude, ~4.5 km east–west at Kishoreganj's latitude.
ZOOM = 13
#: A map older than this foresees nothing: the hours it counted have moved on.
MAX_AGE = timedelta(minutes=2)
#: More than enough tile buckets per category for a district (Kishoreganj spans ~25 × 25 tiles).
TILES_PER_CATEGORY = 10_000
#: Slack on the circle's bounding box, so rounding never leaves out a tile the circle touches.
MARGIN = 1.02

Tile = tuple[int, int]


def the_minute(now: datetime) -> datetime:
    """The minute of `now` in Asia/Dhaka: what a map counts open at ("open now" is matched per minute)."""
    return to_dhaka(now).replace(second=0, microsecond=0)


def open_map_body(now: datetime, eligibility_days: int, categories: int) -> dict[str, Any]:
    """Live providers available now (bodies.available_now_filters: open, switched on, a donor past the
    waiting period, reachable when urgent), counted per category and map tile."""
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {
            "bool": {"filter": [*live_filters("provider"), *available_now_filters(now, eligibility_days)]}
        },
        "aggs": {
            "categories": {
                "terms": {"field": "category", "size": categories},
                "aggs": {
                    "tiles": {
                        "geotile_grid": {"field": "location", "precision": ZOOM, "size": TILES_PER_CATEGORY}
                    }
                },
            }
        },
    }


@dataclass(frozen=True)
class OpenMap:
    """How many providers of each category are available in each map tile at `minute`."""

    minute: datetime
    tiles: Mapping[str, Mapping[Tile, int]] = field(default_factory=dict)

    @classmethod
    def from_answer(cls, minute: datetime, answer: Mapping[str, Any]) -> OpenMap:
        tiles: dict[str, dict[Tile, int]] = {}
        for category in answer["aggregations"]["categories"]["buckets"]:
            counts = tiles[category["key"]] = {}
            for tile in category["tiles"]["buckets"]:
                _, x, y = tile["key"].split("/")
                counts[(int(x), int(y))] = tile["doc_count"]
        return cls(minute, tiles)

    def foresees(self, now: datetime) -> bool:
        """Whether the map is recent enough to foresee a search at `now` by."""
        return timedelta(0) <= the_minute(now) - self.minute <= MAX_AGE

    def open_within(self, categories: Iterable[str], centre: tuple[float, float], radius_km: float) -> int:
        """At least as many as are available now within `radius_km` of `centre`, of `categories`: those in
        the tiles the circle's bounding box touches."""
        xs, ys = _tile_span(centre, radius_km)
        total = 0
        for counts in (self.tiles.get(c, {}) for c in categories):
            if len(xs) * len(ys) <= len(counts):  # look up the circle's tiles, or go through the category's
                total += sum(counts.get((x, y), 0) for x in xs for y in ys)
            else:
                total += sum(n for (x, y), n in counts.items() if x in xs and y in ys)
        return total


def _tile_x(lon: float) -> int:
    return math.floor((lon + 180.0) / 360.0 * (1 << ZOOM))


def _tile_y(lat: float) -> int:
    phi = math.radians(lat)
    return math.floor((1.0 - math.asinh(math.tan(phi)) / math.pi) / 2.0 * (1 << ZOOM))


def _tile_span(centre: tuple[float, float], radius_km: float) -> tuple[range, range]:
    """The tile columns and rows of the bounding box of a circle on the sphere."""
    lat, lon = centre
    dlat = math.degrees(radius_km * 1000.0 / EARTH_MEAN_RADIUS_M) * MARGIN
    north, south = min(lat + dlat, 85.0), max(lat - dlat, -85.0)
    widest = math.cos(math.radians(max(abs(north), abs(south))))
    dlon = min(180.0, dlat / max(widest, 1e-6))
    return (
        range(_tile_x(lon - dlon), _tile_x(lon + dlon) + 1),
        range(_tile_y(north), _tile_y(south) + 1),
    )


def foreseen_parts(
    params: NearestQuery, understanding: Understanding | None, open_map: OpenMap | None, *, now: datetime
) -> tuple[Part, ...]:
    """What a short answer will need, foreseen from the map: the closed nearby when fewer than `limit`
    can be open within the radius, and the nearest open one beyond as well when none can. Nothing when
    the search is not for who is available now, names no category, or looks inside a named place (its
    area is not the radius's circle)."""
    if open_map is None or not params.available_now or not open_map.foresees(now):
        return ()
    if understanding is not None and understanding.place is not None:
        return ()
    asked = [params.category] if params.category else list(understanding.categories if understanding else ())
    if not asked:
        return ()
    can_be_open = open_map.open_within(asked, (params.lat, params.lon), params.radius_km)
    if can_be_open >= params.limit:
        return ()
    return ("closed_nearby", "open_beyond") if can_be_open == 0 else ("closed_nearby",)
