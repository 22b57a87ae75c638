"""`make reindex`: a new index is built while the old one serves, the alias swaps, nobody notices."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading

import httpx
import pytest

from factories import provider_event
from harness.service_process import service_env
from integration.conftest import REPO, wait_consumed
from portal.settings import PortalSettings
from search.config import SearchSettings
from search.main import create_app


def send(producer, topic: str, start: int, n: int) -> None:
    for i in range(start, start + n):
        event = provider_event(f"rx-{i}", 1, category="mason", lat=24.30 + (i % 100) * 0.0005, lon=90.70)
        producer.send(topic, key=event["id"].encode(), value=json.dumps(event).encode())
    producer.flush()


@pytest.mark.parametrize("source", ["index", "kafka"])
async def test_reindex_swaps_without_failed_searches_or_lost_documents(
    make_ingest, isolated_settings: PortalSettings, producer, engine, source
):
    s = isolated_settings
    ingest = make_ingest(s).start()
    topic = s.topic("providers")
    send(producer, topic, 0, 3000)
    wait_consumed(s, f"{s.topic_prefix}ingest", timeout=120)
    engine.indices.refresh(index=s.index_alias("providers"))

    app = create_app(
        SearchSettings(index_prefix=s.index_prefix, topic_prefix=s.topic_prefix, rate_limit_per_minute=0)
    )
    failures: list[str] = []
    done = asyncio.Event()
    requests = 0

    async def keep_searching(client: httpx.AsyncClient) -> None:
        nonlocal requests
        while not done.is_set():
            r = await client.get(
                "/v1/providers/nearest",
                params={
                    "lat": 24.3,
                    "lon": 90.7,
                    "radius_km": 50,
                    "available_now": "false",
                    "category": "mason",
                },
            )
            requests += 1
            if r.status_code != 200 or r.json()["total"] < 3000:
                failures.append(f"{r.status_code} {r.text[:200]}")
            await asyncio.sleep(0.01)

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://search.test") as client:
            searcher = asyncio.create_task(keep_searching(client))
            writer = threading.Thread(
                target=send, args=(producer, topic, 3000, 1000)
            )  # live writes during the swap
            writer.start()
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "ingest.reindex", "providers", "--source", source,
                env=service_env(s), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            )  # fmt: skip
            output, _ = await proc.communicate()
            writer.join()
            await asyncio.get_running_loop().run_in_executor(
                None, lambda: wait_consumed(s, f"{s.topic_prefix}ingest", timeout=120)
            )
            await asyncio.sleep(1.5)  # one refresh interval for the last writes
            done.set()
            await searcher
    assert proc.returncode == 0, output.decode()
    assert requests > 20
    assert failures == [], output.decode()
    alias = s.index_alias("providers")
    assert list(engine.indices.get_alias(name=alias)) == [f"{alias}_v2"]
    engine.indices.refresh(index=alias)
    assert engine.count(index=alias)["count"] == 4000
    ingest.stop()
