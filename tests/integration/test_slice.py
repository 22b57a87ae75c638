"""The vertical slice: an event on Kafka becomes a provider that /v1/providers/nearest returns."""

from __future__ import annotations

from factories import provider_event
from geodesy import haversine_m
from integration.conftest import produce, wait_for


async def test_provider_event_becomes_searchable_with_its_distance(
    ingest, producer, settings, engine, search_client
):
    event = provider_event("slice-1", lat=24.4400, lon=90.7850)
    produce(producer, settings.topic("providers"), event)

    def indexed():
        return engine.exists(index=settings.index_alias("providers"), id="slice-1")

    wait_for(indexed, what="the provider to be indexed")
    engine.indices.refresh(index=settings.index_alias("providers"))

    response = await search_client.get(
        "/v1/providers/nearest", params={"lat": 24.4330, "lon": 90.7800, "available_now": "false"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    found = [r for r in body["results"] if r["id"] == "slice-1"]
    assert found, body
    expected = haversine_m(24.4330, 90.7800, 24.4400, 90.7850)
    assert abs(found[0]["distance_m"] - expected) < 0.005 * expected
    assert found[0]["name"]["bn"] == "মোঃ রফিকুল ইসলাম"
    assert found[0]["category"]["slug"] == "electrician"
