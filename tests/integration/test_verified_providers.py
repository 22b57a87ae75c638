"""A provider's `verified` end to end, on the real stack: a clerk's CSV column and a Kafka event reach the
index (the mapping has the field, so nothing is dead-lettered), answers say it, and ?verified= filters.
"""

from __future__ import annotations

import codecs

import httpx
import pytest

from factories import provider_event
from integration.conftest import produce, wait_for

pytestmark = pytest.mark.integration

SPOT = (24.3700, 91.0200)  # a spot no other test module uses, in Nikli (its polygon: 1.4 km past Mithamain's)
KEY = {"Authorization": "Bearer test-key-1", "Content-Type": "text/csv; charset=utf-8"}
HEADER = "id,name_bn,category,phone,lat,lon,upazila,যাচাইকৃত"


@pytest.fixture(scope="module")
def listed(ingest, producer, settings, engine):
    rows = [
        f"vp-csv-checked,রহিম মিস্ত্রি,electrician,01712-345670,{SPOT[0]},{SPOT[1]},nikli,হ্যাঁ",
        f"vp-csv-blank,করিম মিস্ত্রি,electrician,01712-345671,{SPOT[0] + 0.001},{SPOT[1]},nikli,",
    ]
    csv = codecs.BOM_UTF8 + "\r\n".join([HEADER, *rows]).encode()
    response = httpx.post(f"{ingest.url}/v1/imports/providers", content=csv, headers=KEY, timeout=60)
    assert response.status_code in (200, 202), response.text
    topic = settings.topic("providers")
    produce(
        producer, topic, provider_event("vp-event-checked", lat=SPOT[0] + 0.002, lon=SPOT[1], verified=True)
    )
    produce(
        producer,
        topic,
        provider_event("vp-event-unchecked", lat=SPOT[0] + 0.003, lon=SPOT[1], verified=False),
    )
    ids = ["vp-csv-checked", "vp-csv-blank", "vp-event-checked", "vp-event-unchecked"]
    index = settings.index_alias("providers")

    def all_indexed():
        docs = engine.mget(index=index, body={"ids": ids})["docs"]
        return {d["_id"]: d["_source"] for d in docs} if all(d.get("found") for d in docs) else None

    found = wait_for(all_indexed, timeout=90, what="the verified providers to be indexed")
    engine.indices.refresh(index=index)  # mget reads in real time; a search sees a document once refreshed
    return found


async def answer(client, **params) -> dict:
    query = {"lat": SPOT[0], "lon": SPOT[1], "radius_km": 2, "available_now": "false", "limit": 20, **params}
    response = await client.get("/v1/providers/nearest", params=query)
    assert response.status_code == 200, response.text
    return {r["id"]: r for r in response.json()["results"] if r["id"].startswith("vp-")}


async def test_the_documents_carry_what_the_clerk_and_the_event_said(listed):
    assert listed["vp-csv-checked"]["verified"] is True and "verified" not in listed["vp-csv-blank"]
    assert (
        listed["vp-event-checked"]["verified"] is True and listed["vp-event-unchecked"]["verified"] is False
    )


async def test_answers_say_verified_and_the_filter_keeps_the_checked_or_the_rest(listed, search_client):
    every = await answer(search_client)
    assert {id: r["verified"] for id, r in every.items()} == {
        "vp-csv-checked": True,
        "vp-csv-blank": False,
        "vp-event-checked": True,
        "vp-event-unchecked": False,
    }
    assert set(await answer(search_client, verified="true")) == {"vp-csv-checked", "vp-event-checked"}
    assert set(await answer(search_client, verified="false")) == {"vp-csv-blank", "vp-event-unchecked"}
