"""What the engine refuses for good goes to the dead-letter topic with its reason, and the pipe moves on.

Retrying is for an engine that is away or busy; a request it answers with "never" (400, 413) is sent
again to no end. Before, the hidden-seller update counted every engine error, a 400 too, as "engine
unavailable": the consumer paused and retried the same update for ever, committing nothing after it.
"""

from __future__ import annotations

import json
import uuid

import httpx
from opensearchpy import OpenSearch

from factories import provider_event, seller_event
from ingest.bulk_write import item_outcome, item_reason, send_bulk
from ingest.engine import IngestEngine
from ingest.import_progress import IMPORT_HEADER
from integration.conftest import dead_letter_reader, produce, wait_consumed
from portal.hidden_seller_list import HIDDEN_DOC_ID, HIDDEN_FIELD
from portal.settings import PortalSettings


def test_a_hidden_seller_update_the_engine_refuses_dead_letters_the_seller_and_the_pipe_moves_on(
    make_ingest, isolated_settings, producer, engine: OpenSearch
):
    s = isolated_settings
    ingest = make_ingest(s).start()
    # A hidden-seller list the reconcile script cannot work on (a string, not a list): every update of it
    # is refused with a 400 script error, whatever the engine's state.
    engine.index(index=s.index_alias("sellers"), id=HIDDEN_DOC_ID, body={HIDDEN_FIELD: "not-a-list"})
    produce(producer, s.topic("sellers"), seller_event("sel-gone", 2, type="delete"))
    produce(producer, s.topic("providers"), provider_event("after-the-refusal"))

    wait_consumed(s, f"{s.topic_prefix}ingest", timeout=60)  # committed: not retried for ever

    assert engine.exists(index=s.index_alias("providers"), id="after-the-refusal")
    assert engine.get(index=s.index_alias("sellers"), id="sel-gone")["_source"]["deleted"] is True
    dlq = dead_letter_reader(s, s.topic("sellers"), idle_ms=3000)
    letters = [m for m in dlq]
    dlq.close()
    assert [m.key for m in letters] == [b"sel-gone"]
    headers = {k: v.decode() for k, v in letters[0].headers}
    assert headers["error.reason"] == "engine_refused"
    assert headers["error.message"].startswith("hidden sellers: ")
    assert "(400)" in headers["error.message"]
    metrics = httpx.get(f"{ingest.url}/metrics", timeout=10).text
    assert 'ingest_engine_refusals_total{step="hidden sellers"} 1.0' in metrics
    assert 'ingest_events_total{entity="seller",outcome="dead_lettered"} 1.0' in metrics
    health = httpx.get(f"{ingest.url}/readyz", timeout=10)
    assert health.status_code == 200, health.text  # refused is not away: consumption never paused
    ingest.stop()


def test_import_counts_the_engine_refuses_dead_letter_the_imported_events_and_the_pipe_moves_on(
    make_ingest, isolated_settings, producer, engine: OpenSearch
):
    s = isolated_settings
    ingest = make_ingest(s).start()
    # An import record whose per-partition progress the counting script cannot read: refused (400).
    engine.index(index=s.index_alias("imports"), id="imp-broken", body={"id": "imp-broken", "progress": "x"})
    topic = s.topic("providers")
    imported = json.dumps(provider_event("imported-1")).encode()
    producer.send(topic, value=imported, key=b"imported-1", headers=[(IMPORT_HEADER, b"imp-broken")]).get(30)
    produce(producer, topic, provider_event("not-imported"))

    wait_consumed(s, f"{s.topic_prefix}ingest", timeout=60)  # committed: not retried for ever

    for id in ("imported-1", "not-imported"):
        assert engine.exists(index=s.index_alias("providers"), id=id)
    dlq = dead_letter_reader(s, topic, idle_ms=3000)
    letters = [m for m in dlq]
    dlq.close()
    assert [m.key for m in letters] == [b"imported-1"]
    headers = {k: v.decode() for k, v in letters[0].headers}
    assert headers["error.reason"] == "engine_refused"
    assert headers["error.message"].startswith("import progress: ")
    assert letters[0].value == imported
    metrics = httpx.get(f"{ingest.url}/metrics", timeout=10).text
    assert 'ingest_engine_refusals_total{step="import progress"} 1.0' in metrics
    ingest.stop()


async def test_a_bulk_request_refused_whole_is_split_down_to_the_one_item_the_engine_cannot_take(
    settings: PortalSettings,
):
    engine = IngestEngine(settings)
    index = f"{settings.index_prefix}split{uuid.uuid4().hex[:6]}"
    items = [{"index": {"_index": index, "_id": f"ok-{i}"}} for i in range(6)]
    items.insert(4, {"index": {"_index": index, "_id": "bad", "no_such_parameter": 1}})
    try:
        answers = await send_bulk(engine, items, lambda action: [action, {"n": 1}])
    finally:
        await engine.close()
    outcomes = {action["index"]["_id"]: item_outcome(result) for action, result in answers}
    assert outcomes == {**{f"ok-{i}": "indexed" for i in range(6)}, "bad": "rejected"}
    bad = next(result for action, result in answers if action["index"]["_id"] == "bad")
    assert "no_such_parameter" in item_reason(bad)
