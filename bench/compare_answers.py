"""Two search-services, the same requests: are their answers the same, byte for byte?

    python bench/compare_answers.py http://127.0.0.1:A http://127.0.0.1:B [--prefix bench_] [--docs N]

What a speed-up of search-service must keep: every status, content type and body of the API as it was.
Both services must read the same indices (the same INDEX_PREFIX). The requests: bench-search's mixes of
every endpoint (its seeded generator, against the prefix's bench indices), every query of the eval
files (bench/queries, /work/shared/eval or --queries) as score.py sends them and with the default
parameters, later pages of product answers (their cursors), a storefront page and nearest storefronts
for sellers the answers name, suggestions, and requests each endpoint refuses. Each pair is sent at
the same moment; "open now" is decided by the minute, so the `at` field (the moment itself) is left out
of the comparison, and a pair that straddles a minute is asked again.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from bench_search import make_calls
from portal.settings import PortalSettings

AT = re.compile(rb'"at":"[^"]*"')
ENDPOINTS = ("nearest", "products", "storefront", "livestock", "sellers", "suggest", "categories")
REFUSED = [
    "/v1/providers/nearest?lat=91&lon=90",
    "/v1/providers/nearest?lat=24.4&lon=90.7&limit=0",
    "/v1/providers/nearest?lat=24.4&lon=90.7&category=nonsense",
    "/v1/providers/nearest?lat=24.4&lon=90.7&blood_group=Q%2B",
    "/v1/providers/nearest?lon=90.7",
    "/v1/products/search?min_price=500&max_price=100",
    "/v1/products/search?cursor=bm9wZQ",
    "/v1/products/search?sort=distance",
    "/v1/products/search?q=" + "ক" * 300,
    "/v1/suggest?q=",
    "/v1/suggest?limit=100&q=go",
    "/v1/sellers/nearest?lat=24.4",
    "/v1/sellers/nobody-has-this-slug",
    "/v1/nothing-here",
]


def eval_paths(files: list[Path]) -> list[str]:
    """Every eval query as score.py asks it, and again with the endpoint's defaults."""
    paths = []
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            q = json.loads(line)
            if q["endpoint"] == "providers":
                point = {"lat": q["lat"], "lon": q["lon"], "q": q["q"]}
                scored = point | {"radius_km": q.get("radius_km", 50), "available_now": "false", "limit": 5}
                paths += [
                    f"/v1/providers/nearest?{urlencode(scored)}",
                    f"/v1/providers/nearest?{urlencode(point)}",
                ]
            else:
                paths += [
                    f"/v1/products/search?{urlencode({'q': q['q'], 'limit': 5})}",
                    f"/v1/products/search?{urlencode({'q': q['q']})}",
                    f"/v1/suggest?{urlencode({'q': q['q'][:3]})}",
                ]
    return paths


def comparable(body: bytes) -> bytes:
    return AT.sub(b'"at":"-"', body)


async def ask(client: httpx.AsyncClient, url: str, path: str) -> tuple[int, str, bytes]:
    for attempt in range(3):
        try:
            response = await client.get(url + path, headers={"accept-encoding": "identity"})
            return response.status_code, response.headers.get("content-type", ""), response.content
        except httpx.TransportError as e:  # a busy machine refuses a connection now and then
            if attempt == 2:
                return 0, type(e).__name__, str(e).encode()
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")


async def compare(a: str, b: str, paths: list[str], concurrency: int) -> tuple[int, list[str], list[str]]:
    """(pairs compared, differences, later paths found in the answers: cursors, sellers)."""
    differences: list[str] = []
    follow: list[str] = []
    queue = list(dict.fromkeys(paths))
    position = 0
    limits = httpx.Limits(max_connections=2 * concurrency)
    async with httpx.AsyncClient(timeout=30, trust_env=False, limits=limits) as client:

        async def worker() -> None:
            nonlocal position
            while position < len(queue):
                path = queue[position]
                position += 1
                for _attempt in range(3):
                    left, right = await asyncio.gather(ask(client, a, path), ask(client, b, path))
                    if (
                        left[0] != right[0]
                        or left[1] != right[1]
                        or comparable(left[2]) != comparable(right[2])
                    ):
                        continue  # perhaps a minute turned between the two: ask again
                    break
                else:
                    differences.append(
                        f"{path}\n  A {left[0]} {left[1]} {left[2][:1500]!r}\n  B {right[0]} {right[1]} {right[2][:1500]!r}"
                    )
                    continue
                follow.extend(later(path, left[0], left[2]))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(queue), differences, follow


def later(path: str, status: int, body: bytes) -> list[str]:
    """The next page of a product answer, and a storefront and nearest storefronts for its first seller."""
    if status != 200 or not path.startswith("/v1/products/search"):
        return []
    answer: dict[str, Any] = json.loads(body)
    out = []
    if answer.get("next_cursor"):
        out.append(f"{path}&{urlencode({'cursor': answer['next_cursor']})}")
    seller = next((r["seller"] for r in answer.get("results", []) if r.get("seller")), None)
    if seller:
        out += [f"/v1/sellers/{seller['id']}", f"/v1/sellers/{seller['slug']}"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument(
        "--prefix", default=None, help="bench indices' prefix: add bench-search's request mixes"
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="per endpoint, from bench-search's mixes")
    parser.add_argument("--queries", nargs="*", type=Path, default=None)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[1]
    files = args.queries
    if files is None:
        files = sorted((root / "bench" / "queries").glob("*.jsonl")) + sorted(
            Path("/work/shared/eval").glob("*.jsonl")
        )
    paths = eval_paths(files) + REFUSED + ["/v1/categories", "/openapi.json", "/healthz"]
    if args.prefix is not None:
        settings = PortalSettings(index_prefix=args.prefix, topic_prefix=args.prefix)
        for endpoint in ENDPOINTS:
            paths += [c.path for c in make_calls(endpoint, args.requests, 4242, settings, args.docs)]
    total, differences, follow = asyncio.run(compare(args.a, args.b, paths, args.concurrency))
    while follow:
        more, diff, follow = asyncio.run(compare(args.a, args.b, follow, args.concurrency))
        total += more
        differences += diff
        follow = [p for p in follow if p.count("cursor=") <= 2]  # three pages deep is enough
    for difference in differences:
        print(difference)
    print(f"{total} requests compared, {len(differences)} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
