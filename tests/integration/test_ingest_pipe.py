"""The ingest pipe on the real Kafka and OpenSearch: ordering, idempotency, replay and dead letters."""

from __future__ import annotations

import json

import httpx
from opensearchpy import OpenSearch

from factories import product_event, provider_event
from integration.conftest import dead_letter_reader, produce, wait_consumed
from portal.settings import PortalSettings


def source(engine: OpenSearch, settings: PortalSettings, entity_index: str, id: str) -> dict:
    return engine.get(index=settings.index_alias(entity_index), id=id)


def snapshot(engine: OpenSearch, settings: PortalSettings) -> dict[str, tuple[int, dict]]:
    alias = settings.index_alias("providers")
    engine.indices.refresh(index=alias)
    hits = engine.search(index=alias, body={"size": 10000, "version": True, "query": {"match_all": {}}})
    return {h["_id"]: (h["_version"], h["_source"]) for h in hits["hits"]["hits"]}


def test_duplicates_and_out_of_order_versions_end_in_the_newest_state(
    make_ingest, isolated_settings, producer, engine
):
    s = isolated_settings
    ingest = make_ingest(s).start()
    topic = s.topic("providers")
    for version, name in [(2, "দুই"), (1, "এক"), (2, "দুই"), (4, "চার"), (3, "তিন"), (4, "চার")]:
        produce(producer, topic, provider_event("ord-1", version, name={"bn": name}))
    # delete at 5, then a late upsert at 3: the provider stays deleted
    produce(producer, topic, provider_event("ord-2", 2, name={"bn": "আছে"}))
    produce(producer, topic, provider_event("ord-2", 5, type="delete"))
    produce(producer, topic, provider_event("ord-2", 3, name={"bn": "ফিরে এলাম"}))
    wait_consumed(s, f"{s.topic_prefix}ingest")

    newest = source(engine, s, "providers", "ord-1")
    assert newest["_version"] == 4
    assert newest["_source"]["name"]["bn"] == "চার"
    deleted = source(engine, s, "providers", "ord-2")
    assert deleted["_version"] == 5
    assert deleted["_source"]["deleted"] is True
    assert "name" not in deleted["_source"]

    # A full replay from offset 0 by a new consumer group changes nothing at all.
    before = snapshot(engine, s)
    replayer = make_ingest(s, group=f"{s.topic_prefix}replay").start()
    wait_consumed(s, f"{s.topic_prefix}replay")
    assert snapshot(engine, s) == before
    replayer.stop()
    ingest.stop()


def test_poison_messages_are_dead_lettered_and_good_neighbours_indexed(
    make_ingest, isolated_settings, producer, engine
):
    s = isolated_settings
    ingest = make_ingest(s).start()
    topic = s.topic("providers")
    nested: dict = {}
    cursor = nested
    for _ in range(200):
        cursor["x"] = {}
        cursor = cursor["x"]
    # Each keyed as the portal keys events, by the id inside, so each is refused for its own reason
    # and not for a key that differs from the id (that case is one of its own: key_mismatch).
    poison = {
        "invalid_json": ("bad-json", b'{"type": "upsert", '),
        "schema": ("bad-schema", json.dumps(provider_event("bad-schema", phone="not a phone")).encode()),
        "unknown_category": (
            "bad-cat",
            json.dumps(provider_event("bad-cat", category="astrologer")).encode(),
        ),
        "nan": ("bad-nan", json.dumps(provider_event("bad-nan", lat=float("nan"))).encode()),
        "too_large": (
            "bad-big",
            json.dumps(provider_event("bad-big", services=["x" * 1000] * 1100)).encode(),
        ),
        "too_deep": ("bad-deep", json.dumps(provider_event("bad-deep") | {"extra": nested}).encode()),
        "long_string": (
            "bad-long",
            json.dumps(provider_event("bad-long", name={"bn": "ক" * 100_000})).encode(),
        ),
        "wrong_type": ("bad-type", json.dumps(provider_event("bad-type") | {"version": "seven"}).encode()),
        "out_of_range": ("bad-range", json.dumps(provider_event("bad-range", lat=91.0)).encode()),
        "key_mismatch": ("someone-else", json.dumps(provider_event("bad-key")).encode()),
    }
    good_ids = []
    for i, (key, raw) in enumerate(poison.values()):
        produce(producer, topic, provider_event(f"good-{i}"))
        good_ids.append(f"good-{i}")
        produce(producer, topic, raw, key=key)
    produce(producer, s.topic("products"), product_event("good-product"))
    wait_consumed(s, f"{s.topic_prefix}ingest")

    for id in good_ids:
        assert engine.exists(index=s.index_alias("providers"), id=id)
    assert engine.exists(index=s.index_alias("products"), id="good-product")
    for id in ("bad-schema", "bad-cat", "bad-key", "bad-range"):
        assert not engine.exists(index=s.index_alias("providers"), id=id)

    dlq = dead_letter_reader(s, topic)
    letters = {m.key.decode(): (dict(m.headers), m.value) for m in dlq}
    dlq.close()
    assert set(letters) == {key for key, _ in poison.values()}
    for key, raw in poison.values():
        headers, value = letters[key]
        assert value == raw, "the dead letter carries the original bytes"
        assert headers["error.message"], key
        assert headers["source.topic"].decode() == topic
        assert int(headers["source.offset"]) >= 0
        assert int(headers["source.partition"]) >= 0
    metrics = httpx.get(f"{ingest.url}/metrics", timeout=10).text
    assert 'ingest_events_total{entity="provider",outcome="indexed"}' in metrics
    assert f'ingest_events_total{{entity="provider",outcome="dead_lettered"}} {len(poison)}.0' in metrics
    assert "ingest_bulk_seconds_count" in metrics
    reasons = {key: headers["error.reason"].decode() for key, (headers, _) in letters.items()}
    assert {reason: reasons[key] for reason, (key, _) in poison.items()} == {
        "invalid_json": "invalid_json",
        "schema": "schema",
        "unknown_category": "unknown_category",
        "nan": "invalid_json",
        "too_large": "too_large",
        "too_deep": "too_deep",
        "long_string": "schema",
        "wrong_type": "schema",
        "out_of_range": "schema",
        "key_mismatch": "key_mismatch",
    }
    assert "phone" in letters["bad-schema"][0]["error.message"].decode()
    ingest.stop()
