"""Two running search-services, the same requests in alternating blocks: each one's own CPU per request.

    python bench/compare_cpu.py NAME=PID@URL NAME=PID@URL [--prefix bench_] [--endpoints nearest,products]

On a machine whose load comes and goes, two runs of bench-search minutes apart differ by a third in CPU
per request; blocks that alternate between the services (who goes first alternates too) meet the same
load, so their ratio holds. Each block's CPU is read from /proc (the process and the workers it started,
every thread: the search log's producer too), unprofiled. The requests are bench-search's seeded
mixes against the prefix's bench indices, at concurrency 1; the services must read those indices.
Prints the median CPU per request over the blocks, per endpoint and service, and writes JSON.
"""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

import benchkit
from bench_search import ENDPOINTS, Call, Tally, make_calls, open_client, process_cpu_s, send_all
from benchkit import format_table
from portal.settings import PortalSettings


def target(spec: str) -> tuple[str, int, str]:
    name, _, where = spec.partition("=")
    pid, _, url = where.partition("@")
    return name, int(pid), url


async def alternate(
    services: list[tuple[str, int, str]], calls: list[Call], block: int
) -> dict[str, list[float]]:
    """CPU ms per request of each block, per service."""
    per_block: dict[str, list[float]] = {name: [] for name, _, _ in services}
    clients = {name: open_client(url, 1) for name, _, url in services}
    try:
        for name, _, _ in services:  # warm-up: caches, connections
            await send_all(clients[name], calls[: min(100, len(calls))], "service", 1, Tally())
        for b, start in enumerate(range(0, len(calls), block)):
            chunk = calls[start : start + block]
            for name, pid, _ in services if b % 2 == 0 else list(reversed(services)):
                before = sum(process_cpu_s(pid))
                await send_all(clients[name], chunk, "service", 1, Tally())
                per_block[name].append((sum(process_cpu_s(pid)) - before) * 1000 / len(chunk))
    finally:
        for client in clients.values():
            await client.aclose()
    return per_block


def main(argv: list[str] | None = None) -> int:
    parser = benchkit.command_line(__doc__)
    parser.add_argument("services", nargs="+", help="NAME=PID@URL, e.g. before=1234@http://127.0.0.1:18731")
    parser.add_argument("--prefix", default="bench_")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--endpoints", default=",".join(e for e in ENDPOINTS if e != "categories"))
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint")
    parser.add_argument("--block", type=int, default=200, help="requests per block")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args(argv)
    settings = PortalSettings(index_prefix=args.prefix, topic_prefix=args.prefix)
    services = [target(s) for s in args.services]
    results: dict[str, dict[str, Any]] = {}
    for endpoint in [e for e in args.endpoints.split(",") if e]:
        benchkit.log(f"{endpoint}: {args.requests} requests in blocks of {args.block}, alternating")
        calls = make_calls(endpoint, args.requests, args.seed, settings, args.docs)
        blocks = asyncio.run(alternate(services, calls, args.block))
        results[endpoint] = {
            name: {"median_cpu_ms": round(statistics.median(b), 3), "blocks_cpu_ms": [round(x, 3) for x in b]}
            for name, b in blocks.items()
        }
    report = {"benchmark": "compare-cpu", "machine": benchkit.machine(), "services": args.services}
    report |= {"requests_per_endpoint": args.requests, "block": args.block, "endpoints": results}
    path = benchkit.write_json("compare-cpu", report)
    names = [name for name, _, _ in services]
    rows = [
        [
            endpoint,
            *(r[n]["median_cpu_ms"] for n in names),
            benchkit.ratio(r[names[-1]]["median_cpu_ms"], r[names[0]]["median_cpu_ms"]),
        ]
        for endpoint, r in results.items()
    ]
    print(format_table(["endpoint", *(f"{n} CPU ms/req" for n in names), f"{names[-1]}/{names[0]}"], rows))
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
