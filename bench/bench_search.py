"""Search benchmark: latency and throughput through search-service against the same query sent raw.

    make bench-search                         # N=100000 providers and 100000 products
    python bench/bench_search.py --docs 1000000 --keep     # the 1M run; --reload rebuilds the indices

For each endpoint (nearest providers, product search, suggest, categories) a seeded mix of realistic
requests (points inside Kishoreganj district, Bangla/Banglish/English words, filters, sorts) is sent
at each concurrency, once to search-service (`python -m search.main`, its own process and port) and
once straight to OpenSearch with the searches of the service's first round trip (nearest providers:
every relaxation tier, and the ambulances of a medical search; products: the relevance sort's broadest
tier counting the others, or every tier in one query, the strictest first; one `_msearch`, as the
service sends them; the other endpoints one `POST /<alias>/_search`) — made by the same pure builders the service uses — so the
ratio is the cost of the service itself. The service's further round trips (seller cards not known,
closed nearby for a short answer, product counts of storefronts) are its own cost.

The indices are `bench_providers` / `bench_products`, created from schemas/indices/*.json and filled
by a raw bulk load of `to_document` output (what ingest would write, without Kafka: quicker, and the
search side cannot tell). They are reused when they hold N documents, and kept with `--keep`.
When the service misses the p50 target, the service runs again under cProfile and the report says
where its time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pstats
import sys
import time
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import urlencode

import httpx
from opensearchpy import OpenSearch, helpers

import benchkit
from benchkit import format_table, latency_summary, log, ratio
from chaos_scenarios import delete_topics, kafka_security
from demo_data import scaled_product_events, scaled_provider_events
from demo_storefronts import seller_events
from harness.service_process import ServiceProcess, service_env
from ingest.engine import physical_index
from ingest.events import ChangeEvent
from ingest.to_document import to_document
from ingest.topics import ensure_topics
from ingest.validate import validate
from portal.clock import now_dhaka
from portal.contracts import index_definition, livestock, taxonomy
from portal.hidden_seller_list import HIDDEN_DOC_ID, HIDDEN_FIELD
from portal.settings import PortalSettings
from search.categories.bodies import category_counts_body
from search.config import SearchSettings
from search.products.bodies import first_page_bodies, product_search_body
from search.products.request import ProductQuery
from search.providers.first_trip import first_round_trip
from search.providers.open_map import OpenMap, open_map_body, the_minute
from search.providers.request import NearestQuery
from search.queries.live import live_filters
from search.queries.without_hidden_sellers import SELLER_FIELD, without_hidden_sellers
from search.relaxation.plan import STRICT, tiers
from search.sellers.bodies import nearest_sellers_body
from search.sellers.request import NearestSellersQuery
from search.suggest.bodies import product_suggest_body
from search.understanding.understanding import understand

PREFIX = "bench_"
ENDPOINTS = ("nearest", "products", "storefront", "livestock", "sellers", "suggest", "categories")
P50_RATIO_TARGET = 1.3
NEAREST_P99_TARGET_MS = 50.0
# Kishoreganj district, roughly: where citizens stand when they search.
LAT_RANGE, LON_RANGE = (24.0, 24.6), (90.6, 91.1)
PROVIDER_WORDS = [
    "kosai", "electrician", "ডাক্তার", "mistri", "কাঠমিস্ত্রি", "rokto", "ambulance", "নাপিত",
    "rajmistri", "driver", "উকিল", "parlour", "bua", "রং মিস্ত্রি", "rickshaw", "doctor",
]  # fmt: skip
PRODUCT_WORDS = [
    "গরু", "gorur dudh", "ilish", "চাল", "dim", "ছাগল", "saree", "আলু", "murgi", "honey", "মধু",
    "deshi murgi", "নকশী কাঁথা", "lungi", "doi", "mishti", "shorisar tel", "rui mach", "পিঠা", "begun",
]  # fmt: skip
SUGGEST_PREFIXES = [
    "ko", "kos", "ele", "ডা", "গ", "গরু", "mis", "rok", "dud", "ili", "চা", "mo", "sha", "মু", "na",
    "ha", "ম", "pi", "lu", "am", "দই", "ri", "sa", "বি",
]  # fmt: skip
BLOOD_GROUPS = ["A+", "B+", "O+", "AB+", "O-", "A-"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = benchkit.command_line(__doc__)
    parser.add_argument("--docs", type=int, default=100_000, help="providers, and as many products")
    parser.add_argument("--requests", type=int, default=2000, help="measured requests per cell")
    parser.add_argument("--concurrency", default="1,16", help="comma-separated concurrency levels")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured requests before each cell")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--prefix", default=PREFIX, help="index prefix: another one lets two runs on one engine not meet"
    )
    parser.add_argument("--reload", action="store_true", help="rebuild the bench indices even if present")
    parser.add_argument("--keep", action="store_true", help="keep the bench indices for the next run")
    parser.add_argument(
        "--profile",
        choices=("auto", "always", "never"),
        default="auto",
        help="profile the service when the p50 target is missed (auto), always, or never",
    )
    parser.add_argument(
        "--profile-requests", type=int, default=1000, help="requests per endpoint when profiling"
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of the measured service")
    parser.add_argument(
        "--server",
        choices=("configured", "asyncio-h11"),
        default="configured",
        help="the measured service as search.main serves it (uvloop, httptools), or on asyncio and h11",
    )
    return parser.parse_args(argv)


# ---------------------------------------------------------------- loading the bench indices


def _documents(events: list[dict[str, Any]], entity: str) -> list[tuple[str, int, dict[str, Any]]]:
    """validate → to_document for one chunk, in a worker process: what ingest would index."""
    indexed_at = now_dhaka()
    out = []
    for event in events:
        raw = json.dumps(event, ensure_ascii=False).encode("utf-8")
        result = validate(raw, entity, key=event["id"].encode())
        if not isinstance(result, ChangeEvent):
            raise ValueError(f"a generated {entity} event is invalid: {result.reason}: {result.message}")
        out.append((result.id, result.version, to_document(result, indexed_at=indexed_at)))
    return out


def _chunks(events: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for event in events:
        chunk.append(event)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def doc_count(client: OpenSearch, alias: str) -> int:
    if not client.indices.exists_alias(name=alias):
        return 0
    return client.count(index=alias)["count"]


#: Storefronts far larger than the demo's (three products a seller), so the cost of a seller's rename
#: can be measured where it would hurt a design that copies sellers into products: every tenth product
#: belongs to BIG_SELLER, every hundredth (from the second) to MID_SELLER.
BIG_SELLER, MID_SELLER = "sel-bench-big", "sel-bench-mid"
#: A share of storefronts closed (seller tombstones) so every products read pays the hidden-seller lookup.
CLOSED_SHARE = 0.01


def bench_products(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """The scaled products, with two large storefronts among their sellers."""
    for i, event in enumerate(scaled_product_events(n, seed)):
        if i % 10 == 0:
            event["data"]["seller_id"] = BIG_SELLER
        elif i % 100 == 1:
            event["data"]["seller_id"] = MID_SELLER
        yield event


def bench_sellers(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """A seller for every bench product's seller; CLOSED_SHARE of them closed (a version 2 tombstone)."""
    rng = Random(f"{seed}-closed")
    for event in seller_events(bench_products(n, seed), seed):
        if rng.random() < CLOSED_SHARE and event["id"] not in (BIG_SELLER, MID_SELLER):
            tombstone = {k: v for k, v in event.items() if k != "data"}
            yield tombstone | {
                "type": "delete",
                "version": 2,
                "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            }
        else:
            yield event


def _generator(name: str, n: int, seed: int) -> Iterator[dict[str, Any]]:
    if name == "providers":
        return scaled_provider_events(n, seed)
    if name == "products":
        return bench_products(n, seed)
    return bench_sellers(n, seed)


def load_index(client: OpenSearch, settings: PortalSettings, name: str, n: int, seed: int) -> dict[str, Any]:
    """Create `<prefix><name>` from its schema definition and bulk-load n generated documents into it
    (for sellers: the sellers of n products)."""
    alias = settings.index_alias(name)
    physical = physical_index(settings, name)
    entity = {"providers": "provider", "products": "product", "sellers": "seller"}[name]
    definition = index_definition(name)
    client.indices.delete(index=physical, ignore_unavailable=True)
    index_settings = json.loads(json.dumps(definition["settings"]))
    index_settings["index"]["refresh_interval"] = "-1"  # restored below: no refreshes while loading
    client.indices.create(
        index=physical,
        body={
            "settings": index_settings,
            "mappings": definition["mappings"],
            "aliases": {alias: {"is_write_index": True}},
        },
    )
    started = time.perf_counter()

    def actions() -> Iterator[dict[str, Any]]:
        # Documents are built in worker processes (validate + to_document dominate the load time).
        # At most a few chunks in flight, so a 1M-document load never holds all events in memory.
        with ProcessPoolExecutor(max_workers=2) as pool:
            in_flight: deque[Future[list[tuple[str, int, dict[str, Any]]]]] = deque()
            chunks = _chunks(_generator(name, n, seed), 2000)
            while True:
                while len(in_flight) < 4 and (chunk := next(chunks, None)) is not None:
                    in_flight.append(pool.submit(_documents, chunk, entity))
                if not in_flight:
                    return
                for doc_id, version, doc in in_flight.popleft().result():
                    yield {
                        "_index": physical,
                        "_id": doc_id,
                        "version": version,
                        "version_type": "external",
                        "_source": doc,
                    }

    failed = 0
    for ok, _ in helpers.parallel_bulk(
        client, actions(), thread_count=2, chunk_size=1000, request_timeout=300, raise_on_error=False
    ):
        failed += not ok
    refresh = definition["settings"]["index"].get("refresh_interval", "1s")
    client.indices.put_settings(index=physical, body={"index": {"refresh_interval": refresh}})
    client.indices.refresh(index=physical)
    if name == "sellers":  # what ingest/hide_deleted_sellers.py keeps: the closed sellers' ids
        closed = [
            hit["_id"]
            for hit in helpers.scan(
                client, index=physical, query={"query": {"term": {"deleted": True}}}, _source=False
            )
        ]
        client.index(index=physical, id=HIDDEN_DOC_ID, body={HIDDEN_FIELD: closed}, refresh=True)
    client.indices.forcemerge(index=physical, max_num_segments=5, request_timeout=600)
    seconds = time.perf_counter() - started
    loaded = {
        "index": physical,
        "alias": alias,
        "docs": doc_count(client, alias),
        "failed": failed,
        "seconds": round(seconds, 1),
    }
    if name == "sellers":
        loaded["closed"] = client.count(index=alias, body={"query": {"term": {"deleted": True}}})["count"]
    return loaded


def _reusable(client: OpenSearch, settings: PortalSettings, name: str, n: int) -> bool:
    """Whether the index holds what this version of the bench loads (products with large storefronts,
    and their sellers)."""
    alias = settings.index_alias(name)
    if name == "providers":
        return doc_count(client, alias) == n
    if name == "products":
        return doc_count(client, alias) == n and bool(
            client.count(index=alias, body={"query": {"term": {"seller_id": BIG_SELLER}}})["count"]
        )
    return doc_count(client, alias) > 0 and client.exists(index=alias, id=HIDDEN_DOC_ID)


def ensure_data(
    client: OpenSearch, settings: PortalSettings, n: int, seed: int, reload: bool
) -> dict[str, Any]:
    loaded: dict[str, Any] = {}
    reload_sellers = reload
    for i, name in enumerate(("providers", "products", "sellers")):
        alias = settings.index_alias(name)
        have = doc_count(client, alias)
        if _reusable(client, settings, name, n) and not (reload_sellers if name == "sellers" else reload):
            loaded[name] = {"alias": alias, "docs": have, "how": "reused (already held N documents)"}
            continue
        if name == "products":
            reload_sellers = True  # new products, new sellers
        seed_of = seed + 1 if name == "sellers" else seed + i  # sellers are those of the products
        what = f"the sellers of {n:,} products" if name == "sellers" else f"{n:,} {name}"
        log(f"loading {what} into {alias} (raw bulk of to_document output)")
        loaded[name] = load_index(client, settings, name, n, seed_of) | {
            "how": "raw bulk of validate → to_document output (not through Kafka)"
        }
    return loaded


# ---------------------------------------------------------------- the request mixes


@dataclass(frozen=True)
class Call:
    """One logical request, as the service gets it and as the engine gets it."""

    path: str  # service path with query string
    index: str  # engine alias
    body: bytes  # the engine body the service would build for `path`
    multi: bool = False  # `body` is an `_msearch` body (several searches in the service's one round trip)


def _point(rng: Random) -> tuple[float, float]:
    return round(rng.uniform(*LAT_RANGE), 5), round(rng.uniform(*LON_RANGE), 5)


def _engine_body(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _raw_body(settings: PortalSettings, name: str, body: dict[str, Any]) -> bytes:
    """The body as the service sends it: products and sellers reads leave out closed sellers (a terms
    lookup the engine does for both sides), so the ratio is the service's own cost, the join included."""
    if name in SELLER_FIELD:
        body = without_hidden_sellers(body, settings.index_alias("sellers"), SELLER_FIELD[name])
    return _engine_body(body)


def _msearch_body(alias: str, bodies: list[bytes]) -> bytes:
    """Searches of one index (bodies as `_raw_body` makes them) as one `_msearch` body, as the service
    sends its round trip."""
    header = _engine_body({"index": alias})
    return b"".join(header + b"\n" + body + b"\n" for body in bodies)


def open_map_now(settings: PortalSettings, eligibility_days: int) -> OpenMap:
    """Who is open now where, as the service's open map of this minute (providers/open_map_cache.py)
    counts it: the raw side's first round trip carries what the service's forecast makes it carry."""
    now = the_minute(now_dhaka())
    body = open_map_body(now, eligibility_days, len(taxonomy().provider_categories))
    alias = settings.index_alias("providers")
    with httpx.Client(base_url=settings.opensearch_url, timeout=60, trust_env=False) as client:
        answer = client.post(
            f"/{alias}/_search", content=_engine_body(body), headers={"content-type": "application/json"}
        ).json()
    return OpenMap.from_answer(now, answer)


def nearest_call(
    rng: Random, settings: PortalSettings, eligibility_days: int, open_map: OpenMap | None
) -> Call:
    lat, lon = _point(rng)
    roll = rng.random()
    params: dict[str, Any] = {"lat": lat, "lon": lon, "available_now": "true"}
    query = NearestQuery(lat=lat, lon=lon)
    if roll < 0.45:
        category = rng.choice(list(taxonomy().provider_categories))
        params["category"] = category
        query = NearestQuery(lat=lat, lon=lon, category=category)
    elif roll < 0.9:
        q = rng.choice(PROVIDER_WORDS)
        params["q"] = q
        query = NearestQuery(lat=lat, lon=lon, q=q)
    else:
        group = rng.choice(BLOOD_GROUPS)
        params |= {"category": "blood_donor", "blood_group": group}
        query = NearestQuery(lat=lat, lon=lon, category="blood_donor", blood_group=group)
    understanding = understand(query.q, "provider") if query.q else None
    first = first_round_trip(
        query,
        now=now_dhaka(),
        eligibility_days=eligibility_days,
        understanding=understanding,
        open_map=open_map,
    )
    alias = settings.index_alias("providers")
    return Call(
        f"/v1/providers/nearest?{urlencode(params)}",
        alias,
        _msearch_body(alias, [_raw_body(settings, "providers", body) for body in first.bodies]),
        multi=True,
    )


def products_call(rng: Random, settings: PortalSettings) -> Call:
    fields: dict[str, Any] = {}
    if rng.random() < 0.8:
        fields["q"] = rng.choice(PRODUCT_WORDS)
    if rng.random() < 0.5:  # with filters
        if rng.random() < 0.4:
            fields["category"] = rng.choice(list(taxonomy().product_categories))
        if rng.random() < 0.5:
            fields["min_price"] = float(rng.choice([0, 100, 500, 1000]))
            fields["max_price"] = float(rng.choice([2000, 10_000, 50_000, 200_000]))
        if rng.random() < 0.5:
            fields["lat"], fields["lon"] = _point(rng)
            fields["radius_km"] = float(rng.choice([5, 10, 20]))
        if rng.random() < 0.2:
            fields["in_stock"] = False
    sorts = ["relevance", "price_asc", "price_desc"] + (["distance"] if "lat" in fields else [])
    fields["sort"] = rng.choice(sorts)
    return _product_call(settings, fields)


def suggest_call(rng: Random, settings: PortalSettings) -> Call:
    q = rng.choice(SUGGEST_PREFIXES)
    body = product_suggest_body(q, limit=8)
    assert body is not None
    return Call(
        f"/v1/suggest?{urlencode({'q': q, 'limit': 8})}",
        settings.index_alias("products"),
        _raw_body(settings, "products", body),
    )


def categories_call(rng: Random, settings: PortalSettings) -> Call:
    # The service caches both counts for categories_cache_s, so it mostly answers from memory; the raw
    # side runs one of the two aggregations every time. Compare with that in mind.
    kind = rng.choice(["provider", "product"])
    name = "providers" if kind == "provider" else "products"
    return Call(
        "/v1/categories", settings.index_alias(name), _raw_body(settings, name, category_counts_body(kind))
    )


def _product_call(settings: PortalSettings, fields: dict[str, Any]) -> Call:
    """A product search with these parameters: the service's URL, and the products searches of its first
    round trip (products/bodies.py first_page_bodies: one tier's query; under the relevance sort the
    broadest tier, counting the stricter ones; sorted otherwise, every tier in one query, the strictest
    tier's products first), as one `_msearch`. The service's own reading of the sellers index's state,
    in the same round trip, is the join's cost and stays on the service's side."""
    query = ProductQuery(**fields)
    understanding = understand(query.q, "product") if query.q and query.q.strip() else None
    plan = tiers(understanding) if understanding else (STRICT,)
    alias = settings.index_alias("products")
    bodies = [_raw_body(settings, "products", body) for body in first_page_bodies(query, understanding, plan)]
    params = {k: ("false" if v is False else v) for k, v in fields.items()}
    return Call(f"/v1/products/search?{urlencode(params)}", alias, _msearch_body(alias, bodies), multi=True)


def storefront_call(rng: Random, settings: PortalSettings, docs: int) -> Call:
    """Search within one storefront: a large one now and then, mostly the usual three-product shops."""
    roll = rng.random()
    if roll < 0.1:
        seller = BIG_SELLER
    elif roll < 0.2:
        seller = MID_SELLER
    else:
        upazila = rng.choice(list(taxonomy().upazilas))
        category = rng.choice(list(taxonomy().product_categories))
        seller = f"sel-{upazila}-{category}-{rng.randint(1, max(1, docs // 400))}"
    fields: dict[str, Any] = {"seller": seller}
    if rng.random() < 0.4:
        fields["q"] = rng.choice(PRODUCT_WORDS)
    if rng.random() < 0.3:
        fields["max_price"] = float(rng.choice([500, 2000, 10_000, 100_000]))
    if rng.random() < 0.2:
        fields["in_stock"] = False
    fields["sort"] = rng.choice(["relevance", "price_asc", "price_desc", "newest"])
    return _product_call(settings, fields)


BREED_WORDS = ["শাহীওয়াল", "shahiwal", "ব্ল্যাক বেঙ্গল", "black bengal", "jamunapari", "friesian", "গাড়ল"]
LIVESTOCK_BREEDS = [
    "deshi",
    "black_bengal",
    "sahiwal_cross",
    "friesian_cross",
    "jamunapari",
    "red_chittagong",
]
WEIGHT_RANGES = [(None, 30.0), (15.0, 40.0), (150.0, 300.0), (250.0, 450.0), (400.0, None)]


def livestock_call(rng: Random, settings: PortalSettings) -> Call:
    """The cattle market: animals by kind, breed (as a filter or typed in q), weight, price per kg."""
    fields: dict[str, Any] = {"category": "livestock"}
    if rng.random() < 0.3:
        fields["q"] = rng.choice(BREED_WORDS)
    if rng.random() < 0.5:
        fields["animal"] = rng.choice(list(livestock().animals))
    elif rng.random() < 0.4:
        fields["breed"] = rng.choice(LIVESTOCK_BREEDS)
    if rng.random() < 0.4:
        low, high = rng.choice(WEIGHT_RANGES)
        fields |= {k: v for k, v in (("min_weight_kg", low), ("max_weight_kg", high)) if v is not None}
    if rng.random() < 0.3:
        fields["lat"], fields["lon"] = _point(rng)
        fields["radius_km"] = float(rng.choice([10, 20, 50]))
    fields["sort"] = rng.choice(["relevance", "price_asc", "price_per_kg_asc", "price_per_kg_desc"])
    return _product_call(settings, fields)


def sellers_call(rng: Random, settings: PortalSettings) -> Call:
    """Storefronts near the buyer. The service also asks the products index's state in the same
    `_msearch` (the request cache answers it), and a second search for the product counts of the
    page's sellers it does not know (sellers/counts.py); the raw side asks the storefronts alone."""
    lat, lon = _point(rng)
    params: dict[str, Any] = {"lat": lat, "lon": lon}
    if rng.random() < 0.6:
        params["category"] = rng.choice(list(taxonomy().product_categories))
    if rng.random() < 0.2:
        params["verified"] = "true"
    query = NearestSellersQuery(
        lat=lat, lon=lon, category=params.get("category"), verified=True if "verified" in params else None
    )
    return Call(
        f"/v1/sellers/nearest?{urlencode(params)}",
        settings.index_alias("sellers"),
        _raw_body(settings, "sellers", nearest_sellers_body(query)),
    )


def make_calls(endpoint: str, n: int, seed: int, settings: PortalSettings, docs: int = 100_000) -> list[Call]:
    rng = Random(f"{seed}-{endpoint}")
    eligibility = SearchSettings().blood_donation_eligibility_days
    open_map = open_map_now(settings, eligibility) if endpoint == "nearest" else None
    build: dict[str, Callable[[], Call]] = {
        "nearest": lambda: nearest_call(rng, settings, eligibility, open_map),
        "products": lambda: products_call(rng, settings),
        "storefront": lambda: storefront_call(rng, settings, docs),
        "livestock": lambda: livestock_call(rng, settings),
        "sellers": lambda: sellers_call(rng, settings),
        "suggest": lambda: suggest_call(rng, settings),
        "categories": lambda: categories_call(rng, settings),
    }
    return [build[endpoint]() for _ in range(n)]


# ---------------------------------------------------------------- the load loop


def process_cpu_s(pid: int) -> tuple[float, float]:
    """CPU seconds (user, system; every thread) used so far by a process and the processes it started
    (uvicorn's workers): what a request costs the machine, unprofiled, whatever the profiler says. The
    system part is the kernel's work for the process: its sockets, mostly (no profiler of Python sees it)."""
    user = system = 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        user, system = (
            int(fields[11]) / os.sysconf("SC_CLK_TCK"),
            int(fields[12]) / os.sysconf("SC_CLK_TCK"),
        )
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                child_user, child_system = process_cpu_s(int(child))
                user, system = user + child_user, system + child_system
    except (FileNotFoundError, ProcessLookupError):
        pass  # a process that ended in between
    return user, system


@dataclass
class Tally:
    """What one target's requests of a cell came back with, over every block."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    took: list[int] = field(default_factory=list)
    wall: float = 0.0
    cpu_s: float | None = None  # the service process's CPU while its requests ran (service side only)
    kernel_s: float = 0.0  # the system part of cpu_s

    def result(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "requests": len(self.latencies),
            "errors": sum(n for status, n in self.statuses.items() if status != 200),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "latency_ms": latency_summary(self.latencies),
            "throughput_rps": round(len(self.latencies) / self.wall, 1) if self.wall else None,
        }
        if self.took:
            result["engine_took_p50_ms"] = sorted(self.took)[len(self.took) // 2]
        if self.cpu_s is not None and self.latencies:
            result["process_cpu_ms_per_request"] = round(self.cpu_s * 1000 / len(self.latencies), 3)
            result["process_kernel_cpu_ms_per_request"] = round(self.kernel_s * 1000 / len(self.latencies), 3)
        return result


def open_client(base_url: str, concurrency: int, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    """Keep-alive HTTP/1.1 to a loopback address; no proxies from the environment. An idle connection
    is dropped after 2 s: uvicorn closes its side after 5 s, and while the other target's block runs a
    connection kept as long as that (httpx's default) could be reused just as the server closes it."""
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2.0
    )
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30, trust_env=False, headers=headers)


async def send_all(
    client: httpx.AsyncClient, calls: list[Call], target: str, concurrency: int, tally: Tally
) -> None:
    """Send every call once with `concurrency` workers; latency per request, including the body read."""
    position = 0

    async def worker() -> None:
        nonlocal position
        while position < len(calls):
            call = calls[position]
            position += 1
            if target == "service":
                request = client.build_request("GET", call.path)
            elif call.multi:
                request = client.build_request(
                    "POST", "/_msearch", content=call.body, headers={"content-type": "application/x-ndjson"}
                )
            else:
                request = client.build_request(
                    "POST",
                    f"/{call.index}/_search",
                    content=call.body,
                    headers={"content-type": "application/json"},
                )
            started = time.perf_counter()
            response = await client.send(request)
            tally.latencies.append((time.perf_counter() - started) * 1000)
            tally.statuses[response.status_code] = tally.statuses.get(response.status_code, 0) + 1
            if target == "raw" and response.status_code == 200 and len(tally.latencies) % 10 == 0:
                tally.took.append(response.json().get("took", 0))  # a sample: parsing costs client time

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    tally.wall += time.perf_counter() - started


async def send_counted(
    client: httpx.AsyncClient,
    calls: list[Call],
    target: str,
    concurrency: int,
    tally: Tally,
    pid: int | None = None,
) -> None:
    """send_all, adding the CPU process `pid` used meanwhile to the tally."""
    before = process_cpu_s(pid) if pid else (0.0, 0.0)
    await send_all(client, calls, target, concurrency, tally)
    if pid:
        user, system = process_cpu_s(pid)
        tally.cpu_s = (tally.cpu_s or 0.0) + user + system - sum(before)
        tally.kernel_s += system - before[1]


async def run_cell(
    base_url: str,
    calls: list[Call],
    target: str,
    concurrency: int,
    headers: dict[str, str] | None = None,
    pid: int | None = None,
) -> dict[str, Any]:
    """One target alone: every call once."""
    tally = Tally()
    async with open_client(base_url, concurrency, headers) as client:
        await send_counted(client, calls, target, concurrency, tally, pid)
    return tally.result()


async def measure_async(
    urls: dict[str, str],
    calls: list[Call],
    warmup: list[Call],
    concurrency: int,
    blocks: int,
    service_pid: int | None = None,
) -> dict[str, dict[str, Any]]:
    """Warm up both targets, then alternate blocks of the calls between them (which goes first alternates
    too), so a burst of background load on this shared machine hits both sides alike."""
    tallies = {target: Tally() for target in urls}
    clients = {target: open_client(url, concurrency) for target, url in urls.items()}
    try:
        for target, client in clients.items():
            await send_all(client, warmup, target, concurrency, Tally())
        size = -(-len(calls) // blocks)
        order = list(urls)
        for b in range(blocks):
            block = calls[b * size : (b + 1) * size]
            for target in order if b % 2 == 0 else reversed(order):
                pid = service_pid if target == "service" else None
                await send_counted(clients[target], block, target, concurrency, tallies[target], pid)
    finally:
        for client in clients.values():
            await client.aclose()
    return {target: tally.result() for target, tally in tallies.items()}


def measure(
    service_url: str,
    engine_url: str,
    endpoint: str,
    calls: list[Call],
    warmup: list[Call],
    concurrency: int,
    service_pid: int | None = None,
) -> dict[str, Any]:
    cell: dict[str, Any] = {"endpoint": endpoint, "concurrency": concurrency}
    urls = {"raw": engine_url, "service": service_url}
    cell |= asyncio.run(measure_async(urls, calls, warmup, concurrency, 8, service_pid))
    cell["p50_ratio"] = ratio(cell["service"]["latency_ms"]["p50"], cell["raw"]["latency_ms"]["p50"])
    cell["p50_ratio_met"] = cell["p50_ratio"] is not None and cell["p50_ratio"] <= P50_RATIO_TARGET
    return cell


# ---------------------------------------------------------------- storefronts: the cost of the design


def _timed(samples: int, call: Callable[[], Any]) -> dict[str, float | int | None]:
    latencies = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - started) * 1000)
    return latency_summary(latencies)


def rename_reaches_every_product(
    client: OpenSearch, service: httpx.Client, settings: PortalSettings, seller_id: str, round_: int
) -> dict[str, Any]:
    """Write a rename of one seller as ingest would (external version + 1), then ask search-service for
    the seller's products until every result on both ends of the list (cheapest and dearest 100) shows
    the new name. The clock runs from the moment the engine acknowledged the write."""
    alias = settings.index_alias("sellers")
    current = client.get(index=alias, id=seller_id)
    source = dict(current["_source"])
    new_name = f"নতুন নাম {round_} {seller_id}"
    source["name"] = {"bn": new_name, "en": f"Renamed {round_}"}
    client.index(
        index=alias, id=seller_id, body=source, version=current["_version"] + 1, version_type="external"
    )
    acknowledged = time.perf_counter()
    polls = 0
    while time.perf_counter() - acknowledged < 60:
        polls += 1
        pages = [
            service.get(
                "/v1/products/search", params={"seller": seller_id, "limit": 100, "sort": sort}
            ).json()
            for sort in ("price_asc", "price_desc")
        ]
        results = [r for page in pages for r in page["results"]]
        if results and all(r["seller"] and r["seller"]["name"]["bn"] == new_name for r in results):
            break
    else:
        raise RuntimeError(f"the rename of {seller_id} did not reach its products within 60 s")
    return {
        "ms": round((time.perf_counter() - acknowledged) * 1000, 1),
        "polls": polls,
        "products_of_seller": client.count(
            index=settings.index_alias("products"), body={"query": {"term": {"seller_id": seller_id}}}
        )["count"],
    }


def measure_storefront_design(
    client: OpenSearch, service_url: str, settings: PortalSettings, seed: int, samples: int = 300
) -> dict[str, Any]:
    """What joining sellers at query time costs, and what copying them into products would cost instead."""
    products, sellers = settings.index_alias("products"), settings.index_alias("sellers")
    rng = Random(f"{seed}-design")
    out: dict[str, Any] = {}
    with httpx.Client(base_url=service_url, timeout=30, trust_env=False) as service:
        # A small storefront the search lists: one of its products on sale and in stock, the seller open
        # (a storefront whose products are all hidden or sold out never shows a rename).
        open_sellers = client.search(
            index=sellers,
            body={
                "size": 50,
                "_source": False,
                "query": {
                    "bool": {
                        "filter": [
                            {"prefix": {"id": "sel-kishoreganj-sadar-dairy"}},
                            {"term": {"deleted": False}},
                        ]
                    }
                },
            },
        )["hits"]["hits"]
        small = client.search(
            index=products,
            body={
                "size": 1,
                "query": {
                    "bool": {
                        "filter": [
                            *live_filters("product"),
                            {"term": {"in_stock": True}},
                            {"terms": {"seller_id": [h["_id"] for h in open_sellers]}},
                        ]
                    }
                },
            },
        )["hits"]["hits"][0]["_source"]["seller_id"]
        out["rename"] = {
            seller: [rename_reaches_every_product(client, service, settings, seller, r) for r in range(3)]
            for seller in (BIG_SELLER, MID_SELLER, small)
        }
    # The alternative, measured rather than built: a design that copies the seller into each product
    # must rewrite every product of theirs on a rename (an update-by-query; indexed_at stands in for the
    # copied fields), and cannot keep external product versions (the rewrite bumps them).
    out["copy_into_products"] = {}
    for seller in (BIG_SELLER, MID_SELLER):
        started = time.perf_counter()
        # As a task, polled: held open as one request, a big rewrite's answer came back with more
        # headers than Python's HTTP client reads (at 1M products).
        task = client.update_by_query(
            index=products,
            body={
                "query": {"term": {"seller_id": seller}},
                "script": {
                    "source": "ctx._source.indexed_at = params.now",
                    "params": {"now": now_dhaka().isoformat()},
                },
            },
            refresh=True,
            conflicts="proceed",
            wait_for_completion=False,
        )["task"]
        while not (status := client.tasks.get(task_id=task))["completed"]:
            time.sleep(0.05)
        answer = status["response"]
        with warnings.catch_warnings():  # the engine warns of touching a system index; this is ours
            warnings.simplefilter("ignore")
            client.delete(index=".tasks", id=task, ignore=404)  # the engine keeps a finished task's result
        out["copy_into_products"][seller] = {
            "products_rewritten": answer["updated"],
            "seconds": round(time.perf_counter() - started, 2),
        }
    # Per search: the page's sellers by one realtime mget, and the hidden-seller lookup on every products read.
    ids = [
        h["_id"]
        for h in client.search(
            index=sellers, body={"size": 2000, "_source": False, "query": {"term": {"deleted": False}}}
        )["hits"]["hits"]
    ]
    out["join_mget_20_sellers"] = _timed(
        samples, lambda: client.mget(index=sellers, body={"ids": rng.sample(ids, 20)})
    )
    body = product_search_body(
        ProductQuery(q="ilish", limit=20), understanding=understand("ilish", "product")
    )
    hidden = without_hidden_sellers(body, sellers)
    plain_ms: list[float] = []
    hidden_ms: list[float] = []
    for i in range(samples):  # alternate, so background load hits both alike
        for which, target in (
            ((body, plain_ms), (hidden, hidden_ms)) if i % 2 else ((hidden, hidden_ms), (body, plain_ms))
        ):
            started = time.perf_counter()
            client.search(index=products, body=which)
            target.append((time.perf_counter() - started) * 1000)
    out["products_search_plain"] = latency_summary(plain_ms)
    out["products_search_with_hidden_lookup"] = latency_summary(hidden_ms)
    out["hidden_sellers_listed"] = len(client.get(index=sellers, id=HIDDEN_DOC_ID)["_source"][HIDDEN_FIELD])
    return out


# ---------------------------------------------------------------- profiling the service

PROFILED_SERVICE = """
import cProfile, signal, sys, time
import search.main
# uvicorn re-raises the SIGTERM it handled once it has shut down; with this no-op handler that
# re-raise returns, so the profile below is written instead of the process dying first.
signal.signal(signal.SIGTERM, lambda *_: None)
profiler = cProfile.Profile(time.thread_time)  # CPU time: waiting for the engine is not cost
app = search.main.app
profiling = False


async def profiled(scope, receive, send):
    # From the first request that is not a readiness poll: start-up (the lexicon, the app) is paid once
    # a process, not per request, and would otherwise weigh on every figure of a short run.
    global profiling
    if not profiling and scope["type"] == "http" and scope["path"] not in ("/readyz", "/healthz"):
        profiling = True
        profiler.enable()
    await app(scope, receive, send)


profiled.state = app.state  # what search.main.main() reads its settings from
search.main.app = profiled  # what uvicorn imports ("search.main:app")
try:
    search.main.main()  # exactly what `python -m search.main` runs (one worker: in this process)
finally:
    profiler.disable()
    profiler.dump_stats(sys.argv[1])
"""

#: (bucket, substrings of the file path or function name), first match wins.
BUCKETS: list[tuple[str, tuple[str, ...]]] = [
    ("idle: waiting in epoll", ("select.epoll", "method 'poll' of")),
    ("gzip (search/http/compression.py, Starlette's for streamed files)", ("gzip", "zlib", "compress")),
    (
        "response JSON encoding (jsonable_encoder, json.dumps)",
        ("fastapi/encoders", "json/encoder", "__init__.py:dumps", "_json.Encoder", "encode_basestring"),
    ),
    (
        "engine JSON decoding (json.loads)",
        ("json/decoder", "__init__.py:loads", "_json.Scanner", "scanstring"),
    ),
    ("engine JSON (orjson in portal/opensearch_client)", ("portal/opensearch_client",)),
    ("pydantic (parameter and response validation)", ("pydantic",)),
    ("FastAPI routing and dependencies", ("fastapi/",)),
    ("Starlette (routing, middleware, responses)", ("starlette/",)),
    ("uvicorn + h11 (HTTP/1.1 in pure Python)", ("uvicorn/", "h11/")),
    ("logging", ("logging/",)),
    ("opensearch-py client", ("opensearchpy/",)),
    (
        "engine connection (aiohttp before, portal/engine_connection on httptools now)",
        ("aiohttp/", "yarl/", "multidict/", "aiosignal", "frozenlist", "portal/engine_connection"),
    ),
    ("our code: query understanding", ("search/understanding/", "portal/bangla")),
    ("our code: query builders", ("search/queries/", "/bodies.py", "search/relaxation/")),
    ("our middleware: rate limit, request observability", ("search/http/", "portal/observability")),
    ("our code: results shaping, hours, taxonomy", ("search/", "portal/")),
    ("asyncio event loop", ("asyncio/", "selectors", "socket", "ssl")),
    ("prometheus_client", ("prometheus_client",)),
]


#: Stages of a request whose cumulative (inclusive) time is worth reading on its own.
CUMULATIVE: dict[str, tuple[str, str]] = {
    "whole ASGI app (middleware, routing, endpoint)": ("fastapi/applications", "__call__"),
    "query understanding: understand()": ("search/understanding/query_reader", "understand"),
    "FastAPI parameter parsing: solve_dependencies()": ("fastapi/dependencies/utils", "solve_dependencies"),
    "engine round trip CPU: SearchEngine.msearch_of()": ("search/engine", "msearch_of"),
    "FastAPI response serialization: serialize_response()": ("fastapi/routing", "serialize_response"),
    "results shaping: standing()": ("search/providers/results", "standing"),
    "results shaping: card()": ("search/providers/results", "card"),
    "results shaping: product_card()": ("search/products/results", "product_card"),
}


def bucket_of(filename: str, function: str) -> str:
    where = f"{filename}:{function}"
    for name, needles in BUCKETS:
        if any(needle in where for needle in needles):
            return name
    return "other"


def profile_buckets(stats_path: Path, requests: int) -> dict[str, Any]:
    """CPU self time per bucket, in ms per request, from a cProfile dump made with a CPU-time timer.

    A built-in (json's C encoder, min, str methods, socket calls) has no file of its own, so its time
    goes to the buckets of its callers, in proportion to what each caller spent in it.
    """
    stats = pstats.Stats(str(stats_path))
    totals: dict[str, float] = {}
    by_function: list[tuple[float, str]] = []
    for (filename, line, function), (_, _, tottime, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        bucket = bucket_of(filename, function)
        if bucket == "other" and filename == "~" and callers:
            for (c_file, _, c_function), caller_stats in callers.items():
                caller_bucket = bucket_of(c_file, c_function)
                totals[caller_bucket] = totals.get(caller_bucket, 0.0) + caller_stats[2]
        else:
            totals[bucket] = totals.get(bucket, 0.0) + tottime
        if not bucket.startswith("idle"):
            by_function.append((tottime, f"{Path(filename).name}:{line}({function})"))
    busy = sum(t for b, t in totals.items() if not b.startswith("idle"))
    cumulative = {
        label: round(
            sum(
                stat[3]
                for (filename, _, function), stat in stats.stats.items()  # type: ignore[attr-defined]
                if function == name and where in filename
            )
            * 1000
            / requests,
            3,
        )
        for label, (where, name) in CUMULATIVE.items()
    }
    ranked = sorted(((b, t) for b, t in totals.items() if not b.startswith("idle")), key=lambda kv: -kv[1])
    return {
        "requests": requests,
        "timer": "CPU time of the event-loop thread (time.thread_time)",
        "busy_cpu_ms_per_request": round(busy * 1000 / requests, 3),
        "ms_per_request_by_bucket": {b: round(t * 1000 / requests, 3) for b, t in ranked},
        "share_by_bucket": {b: round(t / busy, 3) for b, t in ranked} if busy else {},
        "cumulative_ms_per_request": cumulative,
        "top_functions_ms_per_request": [
            (name, round(t * 1000 / requests, 3)) for t, name in sorted(by_function, reverse=True)[:15]
        ],
    }


def run_profile(settings: PortalSettings, engine_url: str, seed: int, requests: int) -> dict[str, Any]:
    """Where the service's time goes: cProfile inside the process, and three cheap A/B measurements."""
    findings: dict[str, Any] = {}
    plain = search_process("search-profile-ab", settings).start(wait_ready=False)
    try:
        plain.wait_ready()
        nearest = make_calls("nearest", requests, seed + 7, settings)
        products = make_calls("products", requests, seed + 8, settings)
        asyncio.run(run_cell(plain.url, nearest[:100], "service", 1))
        health = [Call("/healthz", "", b"")] * requests
        findings["healthz_floor_c1"] = asyncio.run(run_cell(plain.url, health, "service", 1))["latency_ms"]
        for name, calls in (("nearest", nearest), ("products", products)):
            gz = asyncio.run(run_cell(plain.url, calls, "service", 1, pid=plain.pid))
            ident = asyncio.run(
                run_cell(plain.url, calls, "service", 1, headers={"accept-encoding": "identity"})
            )
            raw = asyncio.run(run_cell(engine_url, calls, "raw", 1))
            findings[f"{name}_c1"] = {
                "service_gzip_p50_ms": gz["latency_ms"]["p50"],
                "service_identity_p50_ms": ident["latency_ms"]["p50"],
                "raw_p50_ms": raw["latency_ms"]["p50"],
                "engine_took_p50_ms": raw.get("engine_took_p50_ms"),
                "service_process_cpu_ms_per_request": gz.get("process_cpu_ms_per_request"),
                "service_process_kernel_cpu_ms_per_request": gz.get("process_kernel_cpu_ms_per_request"),
            }
    finally:
        plain.stop()
    stats_path = benchkit.RESULTS_DIR / "logs" / "search-profile.prof"
    stats_path.parent.mkdir(parents=True, exist_ok=True)
    stats_path.unlink(missing_ok=True)
    profiled = search_process(
        "search-profile", settings, argv=[sys.executable, "-c", PROFILED_SERVICE, str(stats_path)]
    ).start(wait_ready=False)
    try:
        profiled.wait_ready()
        calls = make_calls("nearest", requests, seed + 9, settings) + make_calls(
            "products", requests, seed + 10, settings
        )
        asyncio.run(run_cell(profiled.url, calls, "service", 1))
    finally:
        profiled.stop()
    if stats_path.exists():
        findings["cprofile"] = profile_buckets(stats_path, len(calls))
        findings["cprofile"]["dump"] = str(stats_path)
        findings["cprofile"]["note"] = (
            "CPU self time under cProfile from the first measured request on (start-up and readiness "
            "polls left out), which inflates Python-heavy code (many small calls); read the shares, "
            "not the absolute ms."
        )
    return findings


# ---------------------------------------------------------------- report


#: The service under plain uvicorn on asyncio's event loop and h11 (pure-Python HTTP/1.1), for
#: `--server asyncio-h11`: what search.main's serve() (uvloop, httptools) is measured against.
ASYNCIO_H11_SERVICE = """
import uvicorn
import search.main
from portal.observability import configure_logging, uvicorn_log_config
settings = search.main.app.state.settings
configure_logging(settings.log_level, json_logs=settings.log_json)
uvicorn.run(search.main.app, host=settings.host, port=settings.port, loop="asyncio", http="h11",
            log_config=uvicorn_log_config(), access_log=False, proxy_headers=False)
"""


def search_process(
    name: str, settings: PortalSettings, argv: list[str] | None = None, workers: int = 1
) -> ServiceProcess:
    return ServiceProcess(
        name=name,
        module="search.main",
        argv=argv,
        log_path=benchkit.service_log(name),
        env=service_env(
            settings,
            # one client address sends everything: the rate limit and admission are not what is measured
            RATE_LIMIT_PER_MINUTE="0",
            ADMISSION_SLOTS="0",
            WORKERS=str(workers),
        ),
    )


def print_report(report: dict[str, Any]) -> None:
    data = report["data"]
    print(f"\nSearch latency — service vs raw engine ({report['machine']['note']})")
    for info in data.values():
        print(f"  {info['alias']}: {info['docs']:,} docs, {info['how']}")
    footprint = report.get("footprint")
    if footprint:
        print(
            format_table(
                ["index", "docs", "MB (primary, 1 segment)", "bytes/doc", "deleted kept"],
                [
                    [
                        name,
                        f"{i['docs']:,}",
                        round(i["bytes"] / 2**20, 1),
                        i["bytes_per_doc"],
                        f"{i.get('deleted_docs_kept', 0):,}",
                    ]
                    for name, i in sorted(footprint["indices"].items())
                ],
                title="engine footprint",
            )
        )
        for node in footprint["nodes"]:
            print(
                f"  heap used {node['heap_used_mb']} MB of {node['heap_max_mb']} MB; segments {node['segments_memory_mb']} MB"
            )
    rows = []
    for cell in report["cells"]:
        for target in ("raw", "service"):
            r = cell[target]
            lat = r["latency_ms"]
            rows.append(
                [
                    cell["endpoint"],
                    cell["concurrency"],
                    target,
                    r["requests"],
                    r["errors"],
                    lat["p50"],
                    lat["p95"],
                    lat["p99"],
                    r["throughput_rps"],
                    r.get("process_cpu_ms_per_request"),
                    r.get("process_kernel_cpu_ms_per_request"),
                ]
            )
    print()
    print(
        format_table(
            [
                "endpoint",
                "conc",
                "target",
                "requests",
                "errors",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "req/s",
                "service CPU ms/req",
                "of it kernel",
            ],
            rows,
        )
    )
    print()
    summary = [
        [
            c["endpoint"],
            c["concurrency"],
            c["p50_ratio"],
            P50_RATIO_TARGET,
            c["p50_ratio_met"],
            ratio(c["service"]["throughput_rps"], c["raw"]["throughput_rps"]),
        ]
        for c in report["cells"]
    ]
    print(
        format_table(["endpoint", "conc", "service/raw p50", "target", "met", "service/raw req/s"], summary)
    )
    check = report.get("nearest_p99_c1")
    if check:
        print(
            f"\nnearest p99 at concurrency 1: {check['p99_ms']} ms (target ≤ {NEAREST_P99_TARGET_MS:.0f} ms): "
            f"{'met' if check['met'] else 'missed'}"
        )
    if "categories" in {c["endpoint"] for c in report["cells"]}:
        print("note: /v1/categories answers from a 60 s in-process cache; its raw side runs the aggregation.")
    design = report.get("storefront_design")
    if design and "error" in design:
        print(f"storefront design: not measured ({design['error']})")
    elif design:
        print_storefront_design(design)
    profile = report.get("profile")
    if profile:
        print("\nWhere the service's time goes")
        floor = profile.get("healthz_floor_c1")
        if floor:
            print(f"  /healthz (HTTP + middleware floor, no engine) p50 {floor['p50']} ms at concurrency 1")
        for name in ("nearest", "products"):
            ab = profile.get(f"{name}_c1")
            if ab:
                print(
                    f"  {name}: service p50 {ab['service_gzip_p50_ms']} ms (gzip) / {ab['service_identity_p50_ms']} ms "
                    f"(identity), raw p50 {ab['raw_p50_ms']} ms, engine took p50 {ab['engine_took_p50_ms']} ms; "
                    f"service process CPU {ab.get('service_process_cpu_ms_per_request')} ms a request (unprofiled), "
                    f"{ab.get('service_process_kernel_cpu_ms_per_request')} of it in the kernel"
                )
        cp = profile.get("cprofile")
        if cp:
            print(f"  cProfile: {cp['busy_cpu_ms_per_request']} ms of service CPU per request (profiled)")
            print(
                format_table(
                    ["stage (inclusive CPU, profiled)", "ms/request"],
                    list(cp.get("cumulative_ms_per_request", {}).items()),
                )
            )
            print()
            print(
                format_table(
                    ["bucket", "ms/request", "share"],
                    [
                        [b, ms, f"{cp['share_by_bucket'][b]:.0%}"]
                        for b, ms in cp["ms_per_request_by_bucket"].items()
                    ],
                )
            )


def print_storefront_design(design: dict[str, Any]) -> None:
    print("\nStorefronts: sellers joined at query time (what this service does) vs copied into products")
    rows = []
    for seller, rounds in design["rename"].items():
        ms = sorted(r["ms"] for r in rounds)
        copy = design["copy_into_products"].get(seller)
        rows.append(
            [
                seller,
                rounds[0]["products_of_seller"],
                ms[len(ms) // 2],
                ms[-1],
                max(r["polls"] for r in rounds),
                copy["seconds"] if copy else "-",
            ]
        )
    print(
        format_table(
            [
                "seller",
                "products",
                "join: renamed in results after ms",
                "max ms",
                "polls",
                "copy: update_by_query s",
            ],
            rows,
        )
    )
    print(
        "join: from the engine's acknowledgement of the rename to search-service answering with it on every\n"
        "product (two searches of 100 results each; polls = 1 means the very first answer had it).\n"
        "copy: rewriting every product of the seller (update_by_query + refresh), before any answer has it."
    )
    mget, plain, hidden = (
        design["join_mget_20_sellers"],
        design["products_search_plain"],
        design["products_search_with_hidden_lookup"],
    )
    print(
        format_table(
            ["per search (raw engine, concurrency 1)", "p50 ms", "p95 ms"],
            [
                ["join: mget of a page's 20 sellers", mget["p50"], mget["p95"]],
                ["products search", plain["p50"], plain["p95"]],
                [
                    f"  + hidden-seller lookup ({design['hidden_sellers_listed']} closed)",
                    hidden["p50"],
                    hidden["p95"],
                ],
            ],
        )
    )


def engine_footprint(client: OpenSearch, settings: PortalSettings) -> dict[str, Any]:
    """What the bench indices cost the engine: store bytes per document, and the node's heap.

    Sized from the searchable primary segments after the merge: the index's store size also counts
    the merged-away segments until the next refresh releases them (a 1M run once read double)."""
    pattern = f"{settings.index_prefix}*"
    client.indices.forcemerge(index=pattern, max_num_segments=1, request_timeout=1800)
    client.indices.refresh(index=pattern)
    sizes: dict[str, int] = {}
    deleted: dict[str, int] = {}  # kept for the soft-delete retention lease (a reused index's rewrites)
    for seg in client.cat.segments(index=pattern, format="json", bytes="b"):
        if seg["prirep"] == "p" and seg["searchable"] == "true":
            sizes[seg["index"]] = sizes.get(seg["index"], 0) + int(seg["size"] or 0)
            deleted[seg["index"]] = deleted.get(seg["index"], 0) + int(seg["docs.deleted"] or 0)
    indices = {}
    for row in client.cat.indices(index=pattern, format="json"):
        docs = int(row["docs.count"] or 0)
        size = sizes.get(row["index"], 0)
        indices[row["index"]] = {
            "docs": docs,
            "bytes": size,
            "bytes_per_doc": round(size / docs, 1) if docs else None,
            "deleted_docs_kept": deleted.get(row["index"], 0),
        }
    nodes = client.nodes.stats(metric="jvm,indices")["nodes"].values()
    heap = [
        {
            "heap_used_mb": round(n["jvm"]["mem"]["heap_used_in_bytes"] / 2**20),
            "heap_max_mb": round(n["jvm"]["mem"]["heap_max_in_bytes"] / 2**20),
            "segments_memory_mb": round(n["indices"]["segments"].get("memory_in_bytes", 0) / 2**20, 1),
        }
        for n in nodes
    ]
    return {"indices": indices, "nodes": heap}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = PortalSettings(index_prefix=args.prefix, topic_prefix=args.prefix)
    engine_url = settings.opensearch_url
    client = OpenSearch(hosts=[engine_url], timeout=120)
    endpoints = [e for e in args.endpoints.split(",") if e]
    concurrencies = [int(c) for c in args.concurrency.split(",") if c.strip()]
    report: dict[str, Any] = {
        **benchkit.report_opening("search"),
        "docs": args.docs,
        "requests_per_cell": args.requests,
        "warmup_per_cell": args.warmup,
        "client": "httpx.AsyncClient, HTTP/1.1 keep-alive, Accept-Encoding gzip (httpx default), loopback",
        "service": {"workers": args.workers, "server": args.server},
    }
    service: ServiceProcess | None = None
    topics: list[str] = []
    try:
        report["data"] = ensure_data(client, settings, args.docs, args.seed, args.reload)
        # The service's search log goes to Kafka as in production (without its topic, the producer
        # would only ask the broker for it, a cost of another kind); made under the bench's prefix.
        topics = ensure_topics(settings)
        log("engine footprint: merge to one segment, then size per document and heap")
        report["footprint"] = engine_footprint(client, settings)
        argv = [sys.executable, "-c", ASYNCIO_H11_SERVICE] if args.server == "asyncio-h11" else None
        service = search_process("search-bench", settings, argv, args.workers).start(wait_ready=False)
        report["service_ready_s"] = round(service.wait_ready(), 2)
        cells = []
        for endpoint in endpoints:
            calls = make_calls(endpoint, args.requests, args.seed, settings, args.docs)
            warmup = make_calls(endpoint, args.warmup, args.seed + 1, settings, args.docs)
            for concurrency in concurrencies:
                log(f"{endpoint} at concurrency {concurrency}: raw and service, alternating blocks")
                cells.append(
                    measure(service.url, engine_url, endpoint, calls, warmup, concurrency, service.pid)
                )
        report["cells"] = cells
        nearest_c1 = next((c for c in cells if c["endpoint"] == "nearest" and c["concurrency"] == 1), None)
        if nearest_c1:
            p99 = nearest_c1["service"]["latency_ms"]["p99"]
            report["nearest_p99_c1"] = {
                "p99_ms": p99,
                "target_ms": NEAREST_P99_TARGET_MS,
                "met": p99 <= NEAREST_P99_TARGET_MS,
            }
        if "storefront" in endpoints:
            log("storefront design: rename propagation, the copy-into-products alternative, join cost")
            try:
                report["storefront_design"] = measure_storefront_design(
                    client, service.url, settings, args.seed
                )
            except Exception as e:  # one side measurement must not lose the whole run's figures
                log(f"storefront design not measured: {type(e).__name__}: {e}")
                report["storefront_design"] = {"error": f"{type(e).__name__}: {e}"}
        service.stop()
        service = None
        missed = any(not c["p50_ratio_met"] for c in cells if c["endpoint"] != "categories")
        if args.profile == "always" or (args.profile == "auto" and missed):
            log(
                "profiling search-service (the p50 target was missed)"
                if missed
                else "profiling search-service"
            )
            report["profile"] = run_profile(settings, engine_url, args.seed, args.profile_requests)
    finally:
        if service is not None:
            service.stop()
        if not args.keep:
            log("removing the bench indices (--keep keeps them for the next run)")
            for name in ("providers", "products", "sellers"):
                client.indices.delete(index=physical_index(settings, name), ignore_unavailable=True)
            if topics:  # made by this run: the bench's prefix's topics and consumer groups go
                delete_topics(settings.kafka_bootstrap_servers, args.prefix, kafka_security(settings))
        client.close()
    path = benchkit.write_json("search", report)  # first: a report that fails to print is still kept
    print_report(report)
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
