"""CPU per engine round trip, by HTTP client: which connection search-service talks to the engine with.

    python bench/bench_engine_client.py [--prefix bench_] [--requests 400]

Sends the same nearest-provider search (a real body from search.providers.bodies, against the prefix's
providers index, e.g. bench-search's kept `bench_providers`) sequentially through each client on a
uvloop, as the service runs, and prints the client process's CPU and the wall time per round trip:
opensearch-py on its default aiohttp connection, on portal.engine_connection's KeptAliveConnection
(what search uses), aiohttp and httpx with pooled keep-alive on their own, and orjson reading the
answer alone (a part of every line). Each client runs twice, interleaved, so a burst of load on this
shared machine does not favour one.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import httpx
import orjson
import uvloop
from opensearchpy import AsyncOpenSearch

import benchkit
from benchkit import format_table
from portal.clock import now_dhaka
from portal.engine_connection import KeptAliveConnection
from portal.opensearch_client import make_client
from portal.settings import PortalSettings
from search.providers.bodies import nearest_providers_body
from search.providers.request import NearestQuery

RoundTrip = Callable[[], Awaitable[Any]]


async def per_round_trip(round_trip: RoundTrip, requests: int) -> tuple[float, float]:
    """(CPU ms, wall ms) per round trip, after a short warm-up."""
    for _ in range(30):
        await round_trip()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        await round_trip()
    return (time.process_time() - cpu) * 1000 / requests, (time.perf_counter() - wall) * 1000 / requests


async def compare(settings: PortalSettings, requests: int) -> dict[str, dict[str, float]]:
    index = settings.index_alias("providers")
    query = NearestQuery(lat=24.43, lon=90.78, category="doctor")
    body = nearest_providers_body(query, now=now_dhaka(), eligibility_days=120)
    payload = orjson.dumps(body)
    url = f"{settings.opensearch_hosts()[0]}/{index}/_search"
    json_header = {"content-type": "application/json"}
    default = make_client(settings, maxsize=16)
    kept = make_client(settings, maxsize=16, connection_class=KeptAliveConnection)
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=16))
    pooled = httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=16), trust_env=False)
    answer = orjson.dumps(await default.search(index=index, body=body))

    def through(client: AsyncOpenSearch) -> RoundTrip:
        async def round_trip() -> Any:
            return await client.search(index=index, body=body)

        return round_trip

    async def with_aiohttp() -> Any:
        async with session.post(url, data=payload, headers=json_header) as response:
            return orjson.loads(await response.read())

    async def with_httpx() -> Any:
        return orjson.loads((await pooled.post(url, content=payload, headers=json_header)).content)

    async def only_json() -> Any:
        return orjson.loads(answer)

    clients: dict[str, RoundTrip] = {
        "opensearch-py, aiohttp connection (before)": through(default),
        "opensearch-py, KeptAliveConnection (search now)": through(kept),
        "aiohttp ClientSession, keep-alive pool": with_aiohttp,
        "httpx AsyncClient, keep-alive pool": with_httpx,
        "orjson.loads of the answer alone": only_json,
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in clients}
    try:
        for _ in range(2):
            for name, round_trip in clients.items():
                samples[name].append(await per_round_trip(round_trip, requests))
    finally:
        await default.close()
        await kept.close()
        await session.close()
        await pooled.aclose()
    return {
        name: {
            "cpu_ms": round(min(cpu for cpu, _ in runs), 3),
            "wall_ms": round(min(wall for _, wall in runs), 3),
        }
        for name, runs in samples.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = benchkit.command_line(__doc__)
    parser.add_argument("--prefix", default="bench_", help="whose providers index to search")
    parser.add_argument("--requests", type=int, default=400, help="round trips per client and run")
    args: argparse.Namespace = parser.parse_args(argv)
    settings = PortalSettings(index_prefix=args.prefix, topic_prefix=args.prefix)
    results = uvloop.run(compare(settings, args.requests))
    report = {"benchmark": "engine-client", "machine": benchkit.machine(), "requests": args.requests}
    report["clients"] = results
    path = benchkit.write_json("engine-client", report)
    rows = [[name, r["cpu_ms"], r["wall_ms"]] for name, r in results.items()]
    print(format_table(["client (best of two runs)", "CPU ms/round trip", "wall ms"], rows))
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
