"""The open map foresees a short nearest answer (search/providers/open_map.py): its tiles hold everyone
within a search's circle, and it asks for the closed nearby (and open beyond) only when the answer
cannot be full."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

import pytest

from geodesy import haversine_m
from portal.clock import DHAKA
from search.providers.open_map import (
    ZOOM,
    OpenMap,
    _tile_span,
    _tile_x,
    _tile_y,
    foreseen_parts,
    open_map_body,
    the_minute,
)
from search.providers.request import NearestQuery
from search.understanding.understanding import understand

NOW = datetime(2026, 12, 4, 23, 10, 42, tzinfo=DHAKA)  # a Friday night
BAZAR = (24.4449, 90.7766)


def tile_of(lat: float, lon: float) -> tuple[int, int]:
    return _tile_x(lon), _tile_y(lat)


def a_map(*open_at: tuple[str, float, float]) -> OpenMap:
    """A map as the engine's aggregation answers it, with one provider open at each (category, lat, lon)."""
    counts: dict[str, dict[str, int]] = {}
    for category, lat, lon in open_at:
        x, y = tile_of(lat, lon)
        key = f"{ZOOM}/{x}/{y}"
        counts.setdefault(category, {})[key] = counts.get(category, {}).get(key, 0) + 1
    answer = {
        "aggregations": {
            "categories": {
                "buckets": [
                    {"key": c, "tiles": {"buckets": [{"key": k, "doc_count": n} for k, n in tiles.items()]}}
                    for c, tiles in counts.items()
                ]
            }
        }
    }
    return OpenMap.from_answer(the_minute(NOW), answer)


def point_at(centre: tuple[float, float], metres: float, bearing: float) -> tuple[float, float]:
    """The point `metres` from `centre` along `bearing` (radians) on the sphere."""
    r = 6_371_008.7714
    lat1, lon1 = math.radians(centre[0]), math.radians(centre[1])
    d = metres / r
    lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(bearing))
    lon2 = lon1 + math.atan2(
        math.sin(bearing) * math.sin(d) * math.cos(lat1), math.cos(d) - math.sin(lat1) * math.sin(lat2)
    )
    return math.degrees(lat2), math.degrees(lon2)


@pytest.mark.parametrize("radius_km", [0.5, 3, 10, 50, 100])
def test_every_point_within_the_radius_is_in_a_tile_the_circle_touches(radius_km):
    rng = random.Random(radius_km)
    for _ in range(300):
        centre = (rng.uniform(20.5, 26.5), rng.uniform(88.0, 92.7))  # Bangladesh and its edges
        xs, ys = _tile_span(centre, radius_km)
        for _ in range(10):
            lat, lon = point_at(
                centre, rng.uniform(0.999, 1.0) * radius_km * 1000, rng.uniform(0, 2 * math.pi)
            )
            assert haversine_m(*centre, lat, lon) <= radius_km * 1000 + 1e-6
            x, y = tile_of(lat, lon)
            assert x in xs and y in ys, (centre, radius_km, (lat, lon))


def test_counts_the_open_ones_of_the_asked_categories_near_the_circle_only():
    far = point_at(BAZAR, 40_000, 0.0)
    open_map = a_map(
        ("electrician", *BAZAR),
        ("electrician", *point_at(BAZAR, 2_000, 1.0)),
        ("electrician", *far),
        ("barber", *BAZAR),
    )
    assert open_map.open_within(["electrician"], BAZAR, 5) == 2
    assert open_map.open_within(["electrician", "barber"], BAZAR, 5) == 3
    assert open_map.open_within(["electrician"], BAZAR, 50) == 3
    assert open_map.open_within(["plumber_not_a_category"], BAZAR, 50) == 0


def params(**extra) -> NearestQuery:
    return NearestQuery(lat=BAZAR[0], lon=BAZAR[1], **extra)


def test_none_open_within_the_radius_foresees_closed_nearby_and_the_nearest_open_beyond():
    open_map = a_map(("electrician", *point_at(BAZAR, 40_000, 0.0)))
    assert foreseen_parts(params(category="electrician"), None, open_map, now=NOW) == (
        "closed_nearby",
        "open_beyond",
    )


def test_fewer_than_limit_open_foresees_the_closed_nearby_only():
    open_map = a_map(("electrician", *BAZAR), ("electrician", *BAZAR))
    assert foreseen_parts(params(category="electrician"), None, open_map, now=NOW) == ("closed_nearby",)
    assert foreseen_parts(params(category="electrician", limit=2), None, open_map, now=NOW) == ()


def test_the_categories_the_words_name_are_counted():
    open_map = a_map(("barber", *BAZAR))
    reading = understand("napit", "provider")
    assert reading is not None and reading.categories == ("barber",)
    assert foreseen_parts(params(q="napit"), reading, open_map, now=NOW) == ("closed_nearby",)


@pytest.mark.parametrize(
    "why, query, reading, now",
    [
        ("not asked for who is open now", {"category": "electrician", "available_now": False}, None, NOW),
        ("no category to count", {}, None, NOW),
        ("words that name no category", {"q": "রহিম"}, understand("রহিম", "provider"), NOW),
        (
            "inside a named place",
            {"q": "bhairab electrician"},
            understand("bhairab electrician", "provider"),
            NOW,
        ),
        ("a map minutes old", {"category": "electrician"}, None, NOW + timedelta(minutes=3)),
        ("a map of a later minute", {"category": "electrician"}, None, NOW - timedelta(minutes=1)),
    ],
)
def test_nothing_is_foreseen(why, query, reading, now):
    if reading is not None and "bhairab" in query.get("q", ""):
        assert reading.place is not None
    assert foreseen_parts(params(**query), reading, a_map(), now=now) == (), why


def test_nothing_is_foreseen_without_a_map():
    assert foreseen_parts(params(category="electrician"), None, None, now=NOW) == ()


def test_a_map_foresees_its_minute_and_the_two_after():
    open_map = a_map()
    assert open_map.minute == datetime(2026, 12, 4, 23, 10, tzinfo=DHAKA)
    assert open_map.foresees(NOW)
    assert open_map.foresees(NOW + timedelta(minutes=1, seconds=17))
    assert not open_map.foresees(NOW + timedelta(minutes=3))


def test_the_body_counts_the_live_providers_available_at_the_minute():
    body = open_map_body(the_minute(NOW), 120, 30)
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"deleted": False}} in filters
    assert {"term": {"available": True}} in filters
    assert {"term": {"open_minutes": 6 * 1440 + 23 * 60 + 10}} in filters  # Friday 23:10
    assert body["size"] == 0
    assert body["aggs"]["categories"]["terms"] == {"field": "category", "size": 30}
    assert body["aggs"]["categories"]["aggs"]["tiles"]["geotile_grid"]["precision"] == ZOOM


def test_a_crowded_map_and_a_sparse_one_are_counted_alike():
    """The circle's tiles are looked up when they are fewer than the category's, else the category's
    tiles are gone through: either way the same count."""
    rng = random.Random(7)
    points = [
        ("barber", *point_at(BAZAR, rng.uniform(0, 60_000), rng.uniform(0, 2 * math.pi))) for _ in range(3000)
    ]
    crowded = a_map(*points)
    assert len(crowded.tiles["barber"]) > 100
    for radius_km in (1, 5, 10, 30, 60):
        xs, ys = _tile_span(BAZAR, radius_km)
        expected = sum(1 for _, lat, lon in points if _tile_x(lon) in xs and _tile_y(lat) in ys)
        assert crowded.open_within(["barber"], BAZAR, radius_km) == expected
