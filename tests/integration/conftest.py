"""Integration fixtures: the real Kafka and OpenSearch from deploy/local, nothing faked.

Every test session works under its own index and topic prefix, so it never touches the demo data
and two runs never see each other's documents. `make test` starts the servers when they are down.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient
from opensearchpy import OpenSearch

from chaos_scenarios import delete_indices
from harness.service_process import ServiceProcess, free_port, service_env
from portal.settings import PortalSettings

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"


def _reachable(host: str, port: int | str) -> bool:
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def prefix() -> str:
    return f"t{uuid.uuid4().hex[:8]}_"


@pytest.fixture(scope="session")
def settings(prefix: str) -> Iterator[PortalSettings]:
    """This session's prefix for indices and topics; its indices, templates and topics go when the
    session ends (the services it starts create them, whichever fixtures the tests used)."""
    s = PortalSettings(index_prefix=prefix, topic_prefix=prefix)
    kafka = s.kafka_bootstrap_servers.split(",")[0]
    engine = urlsplit(s.opensearch_url.split(",")[0])
    if not _reachable(*kafka.rsplit(":", 1)) or not _reachable(engine.hostname or "", engine.port or 9200):
        pytest.fail(
            f"Kafka ({kafka}) and OpenSearch ({s.opensearch_url}) must be running: "
            "use `make test`, or start them with deploy/local/start.sh"
        )
    yield s
    client = OpenSearch(hosts=s.opensearch_hosts(), timeout=30)
    delete_indices(client, s.index_prefix)  # and the search log templates its services made
    client.close()
    admin = KafkaAdminClient(**s.kafka_client_options())
    mine = [t for t in admin.list_topics() if t.startswith(s.topic_prefix)]
    if mine:
        admin.delete_topics(mine)
    admin.close()


@pytest.fixture(scope="session")
def engine(settings: PortalSettings) -> Iterator[OpenSearch]:
    client = OpenSearch(hosts=settings.opensearch_hosts(), timeout=30)
    yield client
    client.close()


@pytest.fixture
def isolated_settings(settings: PortalSettings, engine: OpenSearch) -> Iterator[PortalSettings]:
    """A fresh prefix for one destructive test: its own topics, indices and consumer group."""
    s = settings.model_copy(update={"index_prefix": f"{settings.index_prefix}{uuid.uuid4().hex[:6]}_"})
    s = s.model_copy(update={"topic_prefix": s.index_prefix})
    yield s
    engine.indices.delete(index=f"{s.index_prefix}*", ignore_unavailable=True, expand_wildcards="all")


@pytest.fixture(scope="session")
def producer(settings: PortalSettings) -> Iterator[KafkaProducer]:
    p = KafkaProducer(acks="all", linger_ms=5, max_request_size=2_097_152, **settings.kafka_client_options())
    yield p
    p.close()


def wait_consumed(settings: PortalSettings, group: str, timeout: float = 60) -> None:
    """Barrier: block until `group` has committed the log end of the entity topics.

    Committed means every event up to there has a durable outcome, so the index can be inspected.
    """
    topics = [settings.topic("providers"), settings.topic("products"), settings.topic("sellers")]
    admin = KafkaAdminClient(**settings.kafka_client_options())
    consumer = KafkaConsumer(**settings.kafka_client_options())
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in (consumer.partitions_for_topic(t) or ())]
        ends = consumer.end_offsets(partitions)

        def caught_up() -> bool:
            committed = admin.list_consumer_group_offsets(group)
            return all(
                ends[tp] == 0 or (tp in committed and committed[tp].offset >= ends[tp]) for tp in partitions
            )

        wait_for(caught_up, timeout=timeout, interval=0.3, what=f"consumer group {group} to catch up")
    finally:
        consumer.close()
        admin.close()


@pytest.fixture(scope="session")
def make_ingest(settings: PortalSettings) -> Iterator[Callable[..., ServiceProcess]]:
    """Factory for real ingest-service processes.

    By default they share the session's prefix and consumer group; destructive tests pass their own
    `settings` (another prefix) so killing their processes never disturbs anyone else.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    started: list[ServiceProcess] = []

    def make(settings_: PortalSettings | None = None, group: str | None = None, **env: str) -> ServiceProcess:
        s = settings_ or settings
        name = f"ingest-{len(started)}"
        proc = ServiceProcess(
            name=name,
            module="ingest.main",
            env=service_env(
                s,
                **{
                    "CONSUMER_GROUP": group or f"{s.topic_prefix}ingest",
                    "IMPORT_API_KEYS": "test-key-1,test-key-2",
                    "LINGER_MS": "50",
                    **env,
                },
            ),
            port=free_port(),
            log_path=ARTIFACTS / f"{s.index_prefix}{name}.log",
        )
        started.append(proc)
        return proc

    yield make
    for proc in started:
        proc.stop(timeout=20)


@pytest.fixture(scope="session")
def ingest(make_ingest: Callable[..., ServiceProcess]) -> ServiceProcess:
    """One long-lived ingest-service for the session (tests that kill processes make their own)."""
    return make_ingest().start()


def dead_letter_reader(settings: PortalSettings, topic: str, idle_ms: int = 5000) -> KafkaConsumer:
    """A reader of `topic`'s dead letters from the start, that stops after `idle_ms` without one."""
    return KafkaConsumer(
        f"{topic}.dlq",
        auto_offset_reset="earliest",
        consumer_timeout_ms=idle_ms,
        max_partition_fetch_bytes=4_194_304,
        # several dead letters of ~1 MB can come in one fetch: let such a response through
        receive_message_max_bytes=64 * 1024 * 1024,
        **settings.kafka_client_options(),
    )


def produce(
    producer: KafkaProducer, topic: str, event: dict[str, Any] | bytes, key: str | None = None
) -> None:
    value = event if isinstance(event, bytes) else json.dumps(event, ensure_ascii=False).encode("utf-8")
    k = key if key is not None else (event.get("id") if isinstance(event, dict) else None)
    producer.send(topic, value=value, key=k.encode() if k else None).get(timeout=30)


def wait_for(
    predicate: Callable[[], Any], timeout: float = 30, interval: float = 0.25, what: str = "condition"
) -> Any:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last value: {last!r})")


@pytest.fixture
def fixed_clock() -> Callable[[datetime], Callable[[], datetime]]:
    def make(at: datetime) -> Callable[[], datetime]:
        return lambda: at

    return make


@pytest.fixture(scope="session")
async def search_app(settings: PortalSettings) -> AsyncIterator[Any]:
    """search-service in-process (real engine behind it); tests set `search_app.state.clock`."""
    from search.config import SearchSettings
    from search.main import create_app

    app = create_app(
        SearchSettings(
            index_prefix=settings.index_prefix, topic_prefix=settings.topic_prefix, rate_limit_per_minute=0
        )
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture(scope="session")
async def search_client(search_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=search_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://search.test") as client:
        yield client
