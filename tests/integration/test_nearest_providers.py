"""GET /v1/providers/nearest on the real stack: distances, order, and who counts as available when."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from factories import provider_event
from geodesy import haversine_m
from integration.conftest import produce, wait_consumed
from portal.clock import DHAKA

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
