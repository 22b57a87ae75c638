"""Crashes and outages with real processes: nothing lost, nothing duplicated, recovery without a human."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from kafka import KafkaProducer
from opensearchpy import OpenSearch

from factories import provider_event
from integration.conftest import REPO, wait_consumed, wait_for
from portal.settings import PortalSettings


def produce_stream(
    producer: KafkaProducer, topic: str, n: int, *, updates_every: int = 7, pause_every: int = 500
) -> dict[str, int]:
    """Send n providers (every `updates_every`-th id also gets a second, newer version); return id → latest version."""
    latest: dict[str, int] = {}
    for i in range(n):
        id = f"flt-{i}"
        producer.send(topic, key=id.encode(), value=_json(provider_event(id, 1)))
        latest[id] = 1
        if i % updates_every == 0:
            producer.send(topic, key=id.encode(), value=_json(provider_event(id, 2, name={"bn": "নতুন নাম"})))
            latest[id] = 2
        if i % pause_every == 0:
            producer.flush()
            time.sleep(0.05)  # a stream, not one burst: the kills land mid-way
    producer.flush()
    return latest


def _json(event: dict) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode()


def assert_index_matches(client: OpenSearch, settings: PortalSettings, latest: dict[str, int]) -> None:
    alias = settings.index_alias("providers")
    client.indices.refresh(index=alias)
    assert client.count(index=alias)["count"] == len(latest), (
        "every id exactly once: nothing lost, nothing duplicated"
    )
    seen: dict[str, int] = {}
    body = {"size": 5000, "_source": ["id", "version"], "sort": ["_doc"]}
    page = client.search(index=alias, body=body, scroll="1m")
    while page["hits"]["hits"]:
        for hit in page["hits"]["hits"]:
            seen[hit["_id"]] = hit["_source"]["version"]
        page = client.scroll(scroll_id=page["_scroll_id"], scroll="1m")
    assert seen == latest


def test_sigkill_mid_stream_loses_nothing(make_ingest, isolated_settings, producer, engine):
    s = isolated_settings
    group = f"{s.topic_prefix}ingest"
    ingest = make_ingest(s, BATCH_SIZE="200").start()
    result: dict[str, dict[str, int]] = {}
    sender = threading.Thread(
        target=lambda: result.update(latest=produce_stream(producer, s.topic("providers"), 6000))
    )
    sender.start()
    for _ in range(3):  # several kills in a row, each mid-batch
        time.sleep(1.0)
        ingest.kill()
        ingest = make_ingest(s, BATCH_SIZE="200").start()
    sender.join()
    wait_consumed(s, group, timeout=120)
    assert_index_matches(engine, s, result["latest"])
    ingest.stop()


@pytest.fixture
def private_opensearch(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A second OpenSearch node of our own, so the outage test can kill it without disturbing anyone."""
    port = "9250"
    env = {
        **os.environ,
        "LOCAL_STATE_DIR": str(tmp_path / "state"),
        "LOCAL_OPENSEARCH_PORT": port,
        "LOCAL_OPENSEARCH_HEAP": "512m",
    }
    start = [str(REPO / "deploy/local/start.sh"), "opensearch"]
    subprocess.run(start, env=env, check=True)
    pidfile = tmp_path / "state/opensearch/opensearch.pid"
    yield {"url": f"http://127.0.0.1:{port}", "pidfile": str(pidfile), "env": env, "start": start}
    subprocess.run([str(REPO / "deploy/local/stop.sh"), "opensearch"], env=env, check=False)
    # and the node's home, which lives outside tmp_path (deploy/local/lib.sh)
    subprocess.run([str(REPO / "deploy/local/clean.sh")], env=env, check=False)


def test_opensearch_outage_mid_stream_loses_nothing(
    make_ingest, isolated_settings, producer, private_opensearch
):
    s = isolated_settings.model_copy(update={"opensearch_url": private_opensearch["url"]})
    client = OpenSearch(hosts=[s.opensearch_url], timeout=30)
    ingest = make_ingest(s, OPENSEARCH_URL=s.opensearch_url, BATCH_SIZE="200").start()
    result: dict[str, dict[str, int]] = {}
    sender = threading.Thread(
        target=lambda: result.update(latest=produce_stream(producer, s.topic("providers"), 4000))
    )
    sender.start()
    time.sleep(1.0)
    pid = int(Path(private_opensearch["pidfile"]).read_text())
    os.kill(pid, signal.SIGKILL)  # the engine dies without warning, mid-stream

    def not_ready() -> bool:
        return httpx.get(f"{ingest.url}/readyz", timeout=5).status_code == 503

    wait_for(not_ready, timeout=30, what="ingest /readyz to answer 503 while the engine is away")
    time.sleep(2)  # consumption stays paused meanwhile
    subprocess.run(private_opensearch["start"], env=private_opensearch["env"], check=True)
    sender.join()
    wait_consumed(s, f"{s.topic_prefix}ingest", timeout=120)
    ingest.wait_ready(timeout=60)  # recovered by itself
    assert_index_matches(client, s, result["latest"])
    ingest.stop()
    client.close()
