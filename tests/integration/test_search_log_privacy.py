"""The search log on the real stack: what is stored of a search, and who can write into the report
(issue 21, items 3 and 4).

search-service (in process) publishes to the session's `search_log` topic, the session's ingest-service
indexes it, and the stored documents and the report are read back: a phone number typed into search is
nowhere, the time is the hour, no area, no address; a query one client repeats twenty times stays out of
the report, one that three clients searched is in it.
"""

from __future__ import annotations

import json
import random
import string
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from opensearchpy import OpenSearch

from integration.conftest import dead_letter_reader, produce, wait_for
from portal.clock import DHAKA
from portal.search_log import SEARCH_LOG_TOPIC, search_log_event
from portal.settings import PortalSettings

pytestmark = pytest.mark.integration

KEY = {"authorization": "Bearer test-key-1"}
TOWN = {"lat": 24.4449, "lon": 90.7766}
AT = datetime(2026, 11, 29, 15, 23, 41, 512000, tzinfo=DHAKA)
WINDOW = {"since": (AT - timedelta(hours=2)).isoformat(), "until": (AT + timedelta(hours=2)).isoformat()}


def letters() -> str:
    """A marker without digits (a run of four would be redacted like any number)."""
    return "".join(random.choices(string.ascii_lowercase, k=8))


async def search_from(app: Any, client: str, q: str, path: str = "/v1/providers/nearest") -> None:
    transport = httpx.ASGITransport(app=app, client=(client, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://search.test") as http:
        params = {**TOWN, "q": q} if "providers" in path else {"q": q}
        answer = await http.get(path, params=params)
        assert answer.status_code == 200, answer.text


def stored(engine: OpenSearch, settings: PortalSettings, marker: str) -> list[dict]:
    index = f"{settings.index_alias('search_log')}-*"
    engine.indices.refresh(index=index, ignore_unavailable=True, allow_no_indices=True)
    answer = engine.search(
        index=index,
        body={"query": {"match": {"q": marker}}, "size": 50},
        ignore_unavailable=True,
        allow_no_indices=True,
    )
    return [hit["_source"] for hit in answer["hits"]["hits"]]


async def test_a_phone_number_typed_into_search_is_not_stored_and_the_time_is_the_hour(
    ingest, search_app, engine, settings
):
    marker = f"qqphone{letters()}"
    search_app.state.clock = lambda: AT
    await search_from(search_app, "198.51.100.20", f"{marker} 01712345678")
    await search_from(search_app, "198.51.100.20", f"{marker} ০১৮১২-৩৪৫৬৭৮ blood", "/v1/products/search")
    docs = wait_for(
        lambda: len(stored(engine, settings, marker)) == 2 and stored(engine, settings, marker),
        timeout=60,
        what="the two searches in the log",
    )
    text = repr(docs)
    for digits in ("01712345678", "1712345678", "০১৮১২", "৩৪৫৬৭৮", "345678"):
        assert digits not in text, f"{digits} is stored: {text}"
    assert {d["q"] for d in docs} == {f"{marker} #", f"{marker} # blood"}
    for doc in docs:
        assert doc["at"] == "2026-11-29T15:00:00+06:00", "the hour, never the millisecond"
        assert "area" not in doc and "indexed_at" not in doc, "nothing to place or time one search by"
        assert len(doc["client_token"]) == 16 and "198.51" not in doc["client_token"]
    assert docs[0]["client_token"] != docs[1]["client_token"], "two queries of one client are not linked"


async def test_one_client_repeating_a_query_stays_out_of_the_report_three_clients_are_in(
    ingest, search_app, engine, settings
):
    search_app.state.clock = lambda: AT
    alone, shared = f"qqalone{letters()}", f"qqshared{letters()}"
    for _ in range(20):
        await search_from(search_app, "203.0.113.66", f"free blood call {alone} bkash")
    for client in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        await search_from(search_app, client, shared)
    wait_for(
        lambda: len(stored(engine, settings, alone)) == 20 and len(stored(engine, settings, shared)) == 3,
        timeout=60,
        what="all 23 searches in the log",
    )
    answer = httpx.get(f"{ingest.url}/v1/reports/searches", headers=KEY, params=WINDOW, timeout=30)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["min_clients"] == 3
    listed = [
        row for name in ("top_queries", "zero_result_queries", "relaxed_queries") for row in report[name]
    ]
    assert not any(alone in row["q"] for row in listed), "twenty searches of one client are one client"
    assert alone not in {w["word"] for w in report["ignored_words"]}
    [row] = [row for row in report["zero_result_queries"] if row["q"] == shared]
    assert row["count"] == 3 and row["clients"] == 3
    assert report["searches"] >= 23, "every search still counts in the totals"


async def test_a_gathering_of_searches_is_one_record_and_its_bad_event_is_dead_lettered_alone(
    ingest, engine, settings, producer
):
    """search-service sends each gathering of searches (0.1 s) as one record, a JSON array: the sink
    stores every good event of it and dead-letters a bad one by itself."""
    marker = f"qqgather{letters()}"
    events = [
        search_log_event(
            endpoint="products", q=f"{marker} {i}", category=None,
            understood={"categories": [], "ignored_words": [], "relaxed": False},
            results=1, returned=1, latency_ms=2, at=AT,
        )
        for i in ("one", "two", "three")
    ]  # fmt: skip
    events[1]["endpoint"] = "sellers"  # not an endpoint the log knows
    topic = settings.topic(SEARCH_LOG_TOPIC)
    produce(producer, topic, json.dumps(events, ensure_ascii=False).encode())
    docs = wait_for(
        lambda: len(stored(engine, settings, marker)) == 2 and stored(engine, settings, marker),
        timeout=60,
        what="the gathering's two good searches in the log",
    )
    assert {d["q"] for d in docs} == {f"{marker} one", f"{marker} three"}
    dlq = dead_letter_reader(settings, topic, idle_ms=2000)
    try:
        letter = wait_for(
            lambda: next((m for m in dlq if marker.encode() in (m.value or b"")), None),
            timeout=60,
            what="the bad search's dead letter",
        )
    finally:
        dlq.close()
    assert json.loads(letter.value) == events[1], "the bad event alone, not the whole gathering"
    assert dict(letter.headers)["error.message"].decode().startswith("event 2 of 3: endpoint")
