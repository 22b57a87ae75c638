"""search's engine connection (portal/engine_connection.py) against the real engine: answers, errors,
timeouts and its pool behave as opensearch-py's aiohttp connection does."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from opensearchpy import AsyncOpenSearch, NotFoundError, OpenSearch, RequestError
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import ConnectionTimeout

from portal.engine_connection import KeptAliveConnection
from portal.opensearch_client import make_client
from portal.settings import PortalSettings


@pytest.fixture
async def client(settings: PortalSettings) -> AsyncIterator[AsyncOpenSearch]:
    made = make_client(settings, maxsize=4, connection_class=KeptAliveConnection)
    yield made
    await made.close()


@pytest.fixture(scope="module")
def index(settings: PortalSettings, engine: OpenSearch) -> str:
    name = settings.index_alias(f"connection_{uuid.uuid4().hex[:6]}")
    engine.indices.create(index=name, body={"mappings": {"properties": {"word": {"type": "keyword"}}}})
    for i in range(30):
        engine.index(index=name, id=f"d{i}", body={"word": f"শব্দ-{i}"})
    engine.indices.refresh(index=name)
    return name


def _connection(client: AsyncOpenSearch) -> KeptAliveConnection:
    connection = client.transport.get_connection()
    assert isinstance(connection, KeptAliveConnection)
    return connection


async def test_searches_gets_and_heads_answer_as_with_the_default_connection(
    client: AsyncOpenSearch, index: str
) -> None:
    assert await client.ping()
    assert await client.indices.exists(index=index)
    assert not await client.indices.exists(index=f"{index}-absent")
    found = await client.search(index=index, body={"query": {"term": {"word": "শব্দ-7"}}})
    assert [hit["_source"]["word"] for hit in found["hits"]["hits"]] == ["শব্দ-7"]  # Bangla, both ways
    many = await client.msearch(body=[{"index": index}, {"size": 30}, {"index": index}, {"size": 0}])
    assert [len(r["hits"]["hits"]) for r in many["responses"]] == [30, 0]
    got = await client.mget(index=index, body={"ids": ["d1", "nobody"]})
    assert [doc["found"] for doc in got["docs"]] == [True, False]


async def test_engine_errors_are_opensearch_pys_exceptions_and_the_socket_stays_usable(
    client: AsyncOpenSearch, index: str
) -> None:
    with pytest.raises(NotFoundError):
        await client.get(index=index, id="nobody")
    with pytest.raises(RequestError) as refused:
        await client.search(index=index, body={"query": {"no_such_query": {}}})
    assert refused.value.status_code == 400
    assert isinstance(refused.value.info, dict) and refused.value.info["error"]["root_cause"]
    assert (await client.count(index=index))["count"] == 30


async def test_a_round_trip_past_its_timeout_raises_and_its_socket_is_not_reused(
    client: AsyncOpenSearch, index: str
) -> None:
    await client.count(index=index)  # a socket in the pool
    with pytest.raises(ConnectionTimeout):
        await client.search(index=index, body={"size": 30}, request_timeout=0.000001)
    assert (await client.count(index=index))["count"] == 30  # its late answer is not read as this one


async def test_concurrent_requests_share_at_most_maxsize_sockets(client: AsyncOpenSearch, index: str) -> None:
    answers = await asyncio.gather(
        *(client.search(index=index, body={"query": {"term": {"word": f"শব্দ-{i % 30}"}}}) for i in range(60))
    )
    assert [a["hits"]["hits"][0]["_id"] for a in answers] == [f"d{i % 30}" for i in range(60)]
    assert len(_connection(client)._idle) <= 4


async def test_a_socket_closed_while_idle_is_replaced(client: AsyncOpenSearch, index: str) -> None:
    await client.count(index=index)
    connection = _connection(client)
    for sock in connection._idle:
        assert sock.transport is not None
        sock.transport.close()
    await asyncio.sleep(0.05)
    assert (await client.count(index=index))["count"] == 30


async def test_an_engine_nobody_listens_on_is_a_connection_error(settings: PortalSettings) -> None:
    nowhere = settings.model_copy(update={"opensearch_url": "http://127.0.0.1:9"})
    client = make_client(nowhere, connection_class=KeptAliveConnection)
    client.transport.max_retries = 0
    try:
        with pytest.raises(EngineConnectionError):
            await client.search(index="anything", body={})
    finally:
        await client.close()
