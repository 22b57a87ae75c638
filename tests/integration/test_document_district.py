"""Documents carry their district and their union, through the real Kafka and OpenSearch: the event's
own district, else the one the ingest-service process serves (DISTRICT, kishoreganj by default); the
union whose polygon holds the point. An upazila is judged within the event's district: a Kishoreganj
ingest refuses a Netrokona upazila in an event that does not say it is Netrokona's (dead letter
`unknown_upazila`, naming the district to set), and indexes it when the event says so."""

from __future__ import annotations

import uuid

from opensearchpy import NotFoundError

from factories import provider_event
from integration.conftest import dead_letter_reader, produce, wait_consumed, wait_for

#: In Paikura union (পাইকুড়া) of Kendua, Netrokona; Masua union (মসূয়া) of Katiadi, Kishoreganj.
PAIKURA = {"lat": 24.60305, "lon": 90.82505}
MASUA = {"lat": 24.26083, "lon": 90.74985}


def indexed(engine, settings, id: str) -> dict | None:
    try:
        return engine.get(index=settings.index_alias("providers"), id=id)["_source"]
    except NotFoundError:
        return None


def in_kendua(id: str, **data) -> dict:
    """A provider of Kendua, Netrokona, in Paikura union; `district` only when the caller says it."""
    lat, lon = PAIKURA["lat"], PAIKURA["lon"]
    return provider_event(id, lat=lat, lon=lon, address={"bn": "কেন্দুয়া", "upazila": "kendua"}, **data)


def test_the_default_district_and_an_events_own(ingest, settings, producer, engine):
    t = uuid.uuid4().hex[:8]
    produce(producer, settings.topic("providers"), provider_event(f"dst-{t}-1"))
    produce(producer, settings.topic("providers"), in_kendua(f"dst-{t}-2", district="netrokona"))
    first = wait_for(lambda: indexed(engine, settings, f"dst-{t}-1"), what="the first provider")
    second = wait_for(lambda: indexed(engine, settings, f"dst-{t}-2"), what="the second provider")
    assert (first["district"], first["union"]) == ("kishoreganj", "kishoreganj-paurashava")
    assert (second["district"], second["union"]) == ("netrokona", "paikura")

    def found(*filters: dict) -> list[str]:
        query = {"bool": {"filter": [*filters, {"prefix": {"id": f"dst-{t}"}}]}}
        hits = engine.search(index=settings.index_alias("providers"), body={"query": query})["hits"]["hits"]
        return [h["_source"]["id"] for h in hits]

    assert wait_for(lambda: found({"term": {"district": "netrokona"}}), what="a district filter") == [
        f"dst-{t}-2"
    ]
    assert found({"term": {"union": "paikura"}}) == [f"dst-{t}-2"]


def test_a_process_serving_netrokona_indexes_a_netrokona_provider_with_its_district_and_union(
    make_ingest, isolated_settings, producer, engine
):
    s = isolated_settings
    ingest = make_ingest(s, DISTRICT="netrokona").start()
    produce(producer, s.topic("providers"), in_kendua("dst-n-1"))  # no district: the served one
    wait_consumed(s, f"{s.topic_prefix}ingest")
    document = wait_for(lambda: indexed(engine, s, "dst-n-1"), what="the provider")
    assert (document["district"], document["upazila"], document["union"]) == (
        "netrokona",
        "kendua",
        "paikura",
    )
    ingest.stop()


def test_a_kishoreganj_ingest_refuses_a_netrokona_upazila_the_event_does_not_say_is_netrokonas(
    make_ingest, isolated_settings, producer, engine
):
    s = isolated_settings
    ingest = make_ingest(s).start()  # DISTRICT unset: kishoreganj
    produce(producer, s.topic("providers"), in_kendua("dst-k-1"))
    produce(producer, s.topic("providers"), in_kendua("dst-k-2", district="netrokona"))
    produce(producer, s.topic("providers"), provider_event("dst-k-3", lat=MASUA["lat"], lon=MASUA["lon"],
                                                           address={"bn": "কটিয়াদী", "upazila": "katiadi"}))  # fmt: skip
    wait_consumed(s, f"{s.topic_prefix}ingest")
    assert indexed(engine, s, "dst-k-1") is None
    said = wait_for(lambda: indexed(engine, s, "dst-k-2"), what="the provider that names its district")
    assert (said["district"], said["union"]) == ("netrokona", "paikura")
    own = wait_for(lambda: indexed(engine, s, "dst-k-3"), what="the Kishoreganj provider")
    assert (own["district"], own["union"]) == ("kishoreganj", "masua")
    dlq = dead_letter_reader(s, s.topic("providers"))
    letters = {m.key.decode(): dict(m.headers) for m in dlq}
    dlq.close()
    assert set(letters) == {"dst-k-1"}
    headers = letters["dst-k-1"]
    assert headers["error.reason"] == b"unknown_upazila"
    message = headers["error.message"].decode()
    assert "'kendua' is not in Kishoreganj" in message
    assert "kendua is in netrokona: set data.district to 'netrokona'" in message
    ingest.stop()
