"""GET /v1/providers/nearest on the real stack: distances, order, and who counts as available when."""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY

from factories import provider_event
from geodesy import haversine_m
from integration.conftest import produce, wait_consumed
from portal.clock import DHAKA
from search.providers.open_map import OpenMap, the_minute
from search.providers.open_map_cache import OpenMapCache
from search.providers.request import NearestQuery
from search.providers.run import nearest_providers

CENTRE = (24.2000, 90.9000)  # a spot no other test module uses, so results are ours alone
RADIUS = {"radius_km": 8}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in Asia/Dhaka in the week of Sat 2026-11-28 (day 0 = Saturday, 6 = Friday)."""
    return datetime(2026, 11, 28, hour, minute, tzinfo=DHAKA) + timedelta(days=day)


SCATTERED = []
rng = random.Random(42)
for i in range(25):
    SCATTERED.append(
        (f"np-geo-{i}", CENTRE[0] + rng.uniform(-0.05, 0.05), CENTRE[1] + rng.uniform(-0.05, 0.05))
    )

SCHEDULED = {
    # id: (data overrides)
    "np-day": {"category": "carpenter", "hours": [{"day": "sat", "open": "09:00", "close": "18:00"}]},
    "np-night": {"category": "carpenter", "hours": [{"day": "thu", "open": "20:00", "close": "02:00"}]},
    "np-friday-night": {
        "category": "carpenter",
        "hours": [{"day": "fri", "open": "22:00", "close": "03:00"}],
    },
    "np-off": {"category": "carpenter", "available": False},
    "np-always": {"category": "carpenter"},
    "np-donor-recent": {"category": "blood_donor", "blood_group": "B+", "last_donation_date": "2026-10-01"},
    "np-donor-eligible": {"category": "blood_donor", "blood_group": "B+", "last_donation_date": "2026-07-01"},
    "np-donor-never": {"category": "blood_donor", "blood_group": "O+"},
    "np-private": {"category": "cobbler", "phone_public": False},
    "np-mason-day": {"category": "mason", "hours": [{"day": "sat", "open": "09:00", "close": "18:00"}]},
}


@pytest.fixture(scope="module")
def indexed(ingest, producer, settings, engine):
    topic = settings.topic("providers")
    for id, lat, lon in SCATTERED:
        produce(producer, topic, provider_event(id, lat=lat, lon=lon, category="painter"))
    for i, (id, data) in enumerate(SCHEDULED.items()):
        produce(producer, topic, provider_event(id, lat=CENTRE[0] + 0.001 * i, lon=CENTRE[1], **data))
    wait_consumed(settings, f"{settings.topic_prefix}ingest")
    engine.indices.refresh(index=settings.index_alias("providers"))
    return True


async def nearest(client, app, now: datetime | None = None, **params):
    if now is not None:
        app.state.clock = lambda: now
    query = {"lat": CENTRE[0], "lon": CENTRE[1], **RADIUS, **params}
    return await client.get("/v1/providers/nearest", params=query)


async def ids(client, app, now: datetime, **params) -> set[str]:
    response = await nearest(client, app, now, limit=100, **params)
    assert response.status_code == 200, response.text
    return {r["id"] for r in response.json()["results"]}


async def test_results_are_nearest_first_with_correct_distances(indexed, search_client, search_app):
    response = await nearest(search_client, search_app, at(0, 12), category="painter", limit=100)
    body = response.json()
    results = body["results"]
    assert body["total"] == len(SCATTERED) == len(results)
    expected = {id: haversine_m(*CENTRE, lat, lon) for id, lat, lon in SCATTERED}
    distances = [r["distance_m"] for r in results]
    assert distances == sorted(distances)
    for r in results:
        assert abs(r["distance_m"] - expected[r["id"]]) <= max(1.0, 0.002 * expected[r["id"]])
    assert [r["id"] for r in results] == sorted(expected, key=expected.get)


async def test_limit_and_radius(indexed, search_client, search_app):
    response = await nearest(search_client, search_app, at(0, 12), category="painter", limit=3)
    body = response.json()
    assert len(body["results"]) == 3 and body["total"] == len(SCATTERED)
    inside = [id for id, lat, lon in SCATTERED if haversine_m(*CENTRE, lat, lon) <= 3000]
    response = await nearest(search_client, search_app, at(0, 12), category="painter", radius_km=3, limit=100)
    assert {r["id"] for r in response.json()["results"]} == set(inside)


@pytest.mark.parametrize(
    ("now", "open_ids"),
    [
        (at(0, 12), {"np-day", "np-always"}),  # Saturday noon
        (at(0, 9, 0), {"np-day", "np-always"}),  # opens at exactly 09:00
        (at(0, 18, 0), {"np-always"}),  # closed at exactly 18:00
        (at(5, 23, 30), {"np-night", "np-always"}),  # Thursday 23:30
        (at(6, 1, 30), {"np-night", "np-always"}),  # Friday 01:30, still Thursday night's shift
        (at(6, 2, 0), {"np-always"}),  # Friday 02:00: that shift is over
        (at(6, 23, 0), {"np-friday-night", "np-always"}),  # Friday 23:00
        (at(7, 2, 30), {"np-friday-night", "np-always"}),  # Saturday 02:30 of the next week: wraps the week
    ],
)
async def test_open_now_at_fixed_clocks(indexed, search_client, search_app, now, open_ids):
    assert await ids(search_client, search_app, now, category="carpenter") == open_ids


async def test_without_available_now_everyone_is_listed_with_next_open(indexed, search_client, search_app):
    response = await nearest(
        search_client, search_app, at(0, 12), category="carpenter", available_now="false", limit=100
    )
    results = {r["id"]: r for r in response.json()["results"]}
    assert set(results) == {"np-day", "np-night", "np-friday-night", "np-off", "np-always"}
    assert results["np-day"]["open_now"] is True
    assert results["np-night"]["open_now"] is False
    assert results["np-night"]["next_open"].startswith("2026-12-03T20:00")  # Thursday 20:00
    assert results["np-off"]["open_now"] is False


async def test_blood_donors_eligibility_window(indexed, search_client, search_app):
    assert await ids(search_client, search_app, at(0, 12), category="blood_donor") == {
        "np-donor-eligible",
        "np-donor-never",
    }
    # 120 days after the recent donation it counts again
    assert "np-donor-recent" in await ids(
        search_client, search_app, datetime(2027, 1, 29, 12, tzinfo=DHAKA), category="blood_donor"
    )
    assert await ids(search_client, search_app, at(0, 12), category="blood_donor", blood_group="B+") == {
        "np-donor-eligible"
    }


async def test_private_phone_never_leaves_the_service(indexed, search_client, search_app):
    response = await nearest(search_client, search_app, at(0, 12), category="cobbler", limit=100)
    [private] = [r for r in response.json()["results"] if r["id"] == "np-private"]
    assert private["phone"] is None
    assert "+8801712345678" not in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"lat": 91},
        {"lat": "north"},
        {"lon": -181},
        {"radius_km": 0},
        {"radius_km": 101},
        {"limit": 0},
        {"limit": 101},
        {"category": "astrologer"},
        {"blood_group": "C+"},
        {"sort": "random"},
        {"q": "x" * 201},
        {"available_now": "maybe"},
    ],
)
async def test_bad_parameters_get_422_with_a_message(search_client, search_app, params):
    response = await nearest(search_client, search_app, **params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_parameters"
    assert body["message"]


async def test_missing_location_gets_422(search_client):
    response = await search_client.get("/v1/providers/nearest")
    assert response.status_code == 422
    assert "lat" in response.json()["message"]


class RoundTrips:
    """The real engine, counting the round trips a search makes."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.count = engine, 0

    async def msearch(self, name: str, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.count += 1
        return await self.engine.msearch(name, bodies)


async def answered(app, now: datetime, open_map: OpenMap | None, **params) -> tuple[dict[str, Any], int]:
    """The nearest answer for `params` around CENTRE at `now`, and how many round trips it took."""
    engine = RoundTrips(app.state.engine)
    query = NearestQuery(lat=CENTRE[0], lon=CENTRE[1], **RADIUS, **params)
    answer = await nearest_providers(
        engine, app.state.query_reader, query, now=now, eligibility_days=120, open_map=open_map
    )
    return answer, engine.count


def short_answers(asked: str) -> float:
    return REGISTRY.get_sample_value("search_nearest_short_answers_total", {"asked": asked}) or 0.0


NOBODY_OPEN = OpenMap(the_minute(at(0, 20)), {})


async def test_an_empty_answer_foreseen_takes_one_round_trip_and_answers_the_same(indexed, search_app):
    now = at(0, 20)  # Saturday 20:00: the mason's day is over
    counted = {asked: short_answers(asked) for asked in ("first_round_trip", "second_round_trip")}
    unforeseen, trips = await answered(search_app, now, None, category="mason")
    foreseen, one = await answered(search_app, now, NOBODY_OPEN, category="mason")
    assert (trips, one) == (2, 1)
    assert {asked: short_answers(asked) - n for asked, n in counted.items()} == {
        "first_round_trip": 1,
        "second_round_trip": 1,
    }  # what ops read on /metrics
    assert foreseen == unforeseen
    assert foreseen["results"] == []
    assert [c["id"] for c in foreseen["closed_nearby"]] == ["np-mason-day"]
    assert foreseen["closed_nearby"][0]["next_open"].startswith("2026-12-05T09:00")


async def test_a_forecast_gone_stale_still_answers_right(indexed, search_app):
    """The map says nobody is open, but a carpenter is: the answer body decides, and the closed
    nearby asked along with it are those of the short page."""
    now = at(0, 20)
    stale = OpenMap(the_minute(now), {})
    unforeseen, trips = await answered(search_app, now, None, category="carpenter")
    foreseen, one = await answered(search_app, now, stale, category="carpenter")
    assert (trips, one) == (2, 1)
    assert foreseen == unforeseen
    assert {r["id"] for r in foreseen["results"]} == {"np-always"}
    assert foreseen["nearest_open_beyond"] is None


async def test_a_map_of_many_open_foresees_nothing_and_the_answer_asks_again(indexed, search_app):
    now = at(0, 20)
    tiles = {(x, y): 100 for x in range(6000, 6200) for y in range(3500, 3600)}
    crowded = OpenMap(the_minute(now), {"mason": tiles})
    unforeseen, _ = await answered(search_app, now, None, category="mason")
    answer, trips = await answered(search_app, now, crowded, category="mason")
    assert trips == 2
    assert answer == unforeseen


async def test_the_map_of_the_minute_counts_who_is_open_where(indexed, search_app):
    cache = OpenMapCache(search_app.state.engine, 120)
    now = at(0, 12)
    try:
        assert cache.at(now) is None  # asked in the background: the first search does not wait
        for _ in range(100):
            if (open_map := cache.at(now)) is not None:
                break
            await asyncio.sleep(0.05)
        assert open_map is not None and open_map.minute == the_minute(now)
        assert open_map.open_within(["painter"], CENTRE, 8) >= len(SCATTERED)
        assert open_map.open_within(["mason"], CENTRE, 8) >= 1  # the mason's day
        evening = at(0, 20)
        assert cache.at(evening) is open_map  # the noon map, while the evening's is asked
        assert not open_map.foresees(evening)
    finally:
        await cache.close()
