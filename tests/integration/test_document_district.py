"""Documents carry their district, through the real Kafka and OpenSearch: the event's own, else the
district the ingest-service process serves (DISTRICT, kishoreganj by default)."""

from __future__ import annotations

import uuid

from opensearchpy import NotFoundError

from factories import provider_event
from integration.conftest import produce, wait_consumed, wait_for


def indexed(engine, settings, id: str) -> dict | None:
    try:
        return engine.get(index=settings.index_alias("providers"), id=id)["_source"]
    except NotFoundError:
        return None


def test_the_default_district_and_an_events_own(ingest, settings, producer, engine):
    t = uuid.uuid4().hex[:8]
    produce(producer, settings.topic("providers"), provider_event(f"dst-{t}-1"))
    produce(producer, settings.topic("providers"), provider_event(f"dst-{t}-2", district="netrokona"))
    first = wait_for(lambda: indexed(engine, settings, f"dst-{t}-1"), what="the first provider")
    second = wait_for(lambda: indexed(engine, settings, f"dst-{t}-2"), what="the second provider")
    assert first["district"] == "kishoreganj"
    assert second["district"] == "netrokona"

    def in_netrokona() -> list[str]:
        hits = engine.search(
            index=settings.index_alias("providers"),
            body={
                "query": {
                    "bool": {"filter": [{"term": {"district": "netrokona"}}, {"prefix": {"id": f"dst-{t}"}}]}
                }
            },
        )["hits"]["hits"]
        return [h["_source"]["id"] for h in hits]

    assert wait_for(in_netrokona, what="a search filtered by district") == [f"dst-{t}-2"]


def test_a_process_serving_another_district_fills_in_that_one(
    make_ingest, isolated_settings, producer, engine
):
    s = isolated_settings
    ingest = make_ingest(s, DISTRICT="netrokona").start()
    produce(producer, s.topic("providers"), provider_event("dst-n-1"))
    wait_consumed(s, f"{s.topic_prefix}ingest")
    document = wait_for(lambda: indexed(engine, s, "dst-n-1"), what="the provider")
    assert document["district"] == "netrokona"
    ingest.stop()
