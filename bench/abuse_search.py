"""Abuse rows for search (issue 21): what hostile searches cost the process and everyone else, and what
a donor search gives away.

  memory     2,000 distinct random 20-word queries, one after another: search-service's RSS after them
             minus before (target: within 150 MB).
  crowd      one client on 50 connections sending random 20-word queries at 16 a second, while another
             client searches ordinarily every 200 ms and /healthz is probed every 100 ms (targets: the
             other client's p99 < 100 ms, /healthz p99 < 50 ms).
  addresses  the same from 50 client addresses (behind a proxy named in TRUSTED_PROXIES, as a real one
             would be: loopback only here), each as fast as it is answered.
  synonyms   a search process's lexicon rebuilt with 500 synonym sets (bench/synonym_sets.py: realistic,
             and at the most words the limits allow): seconds and memory (target: realistic < 2 s).
  donors     blood donors searched with the widest radius and page: every returned point must be the centre
             of its 0.01° cell, every distance a multiple of 500 m, and a phone only where the donor made it
             public (target: all three, for every donor).

Run by bench/abuse.py (`make abuse`, `--only memory,crowd,addresses,donors`) on service processes and a
prefix of its own.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import httpx
from kafka import KafkaProducer
from opensearchpy import OpenSearch

from benchkit import latency_summary, log
from portal.geography import configured_geography
from portal.settings import PortalSettings

Params = dict[str, Any]

TOWN: Params = {"lat": 24.4449, "lon": 90.7766}
ORDINARY: Params = {**TOWN, "q": "ইলেকট্রিশিয়ান"}
MEMORY_TARGET_MB = 150.0
ORDINARY_P99_TARGET_MS = 100.0
HEALTHZ_P99_TARGET_MS = 50.0
CELL_DEG = 0.01


class Run(Protocol):
    settings: PortalSettings
    engine: OpenSearch

    def service(self, module: str, label: str, **env: str) -> Any: ...


def random_query(rng: random.Random, words: int = 20) -> str:
    """Twenty short random words in both scripts: the costliest text to read, all of it new."""
    alphabets = ["abcdefghijklmnopqrstuvwxyz", "অআইউএওকখগঘচছজঝটঠডঢতথদধনপফবভমযরলশসহ"]
    out = []
    for _ in range(words):
        alphabet = rng.choice(alphabets)
        out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(3, 8))))
    return " ".join(out)[:200]


def rss_mb(search: Any) -> float:
    return float(search.memory_kb()["VmRSS"]) / 1024


def measure_memory(run: Run, queries: int = 2_000, seed: int = 21) -> dict[str, Any]:
    search = run.service("search.main", "search-memory", RATE_LIMIT_PER_MINUTE="0", ADMISSION_SLOTS="0")
    rng = random.Random(seed)
    with httpx.Client(timeout=30) as client:
        for _ in range(20):  # warm the code paths, so the growth measured is the queries' own
            client.get(f"{search.url}/v1/providers/nearest", params=ORDINARY)
        before = rss_mb(search)
        statuses: dict[int, int] = {}
        started = time.monotonic()
        for i in range(queries):
            path = "/v1/products/search" if i % 2 else "/v1/providers/nearest"
            params: Params = {"q": random_query(rng)} if i % 2 else {**TOWN, "q": random_query(rng)}
            status = client.get(f"{search.url}{path}", params=params).status_code
            statuses[status] = statuses.get(status, 0) + 1
        seconds = time.monotonic() - started
    after = rss_mb(search)
    grown = after - before
    return {
        "queries": queries,
        "seconds": round(seconds, 1),
        "statuses": statuses,
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "grown_mb": round(grown, 1),
        "target_mb": MEMORY_TARGET_MB,
        "target_met": grown < MEMORY_TARGET_MB,
    }


def _probe(
    stop: threading.Event, url: str, every_s: float, headers: dict[str, str], params: dict[str, Any]
) -> dict:
    """Sequential requests until `stop`: latencies of those answered 200, and every status."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    with httpx.Client(timeout=30, headers=headers) as client:
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = str(client.get(url, params=params).status_code)
            except httpx.HTTPError as e:
                status = type(e).__name__
            if status == "200":
                latencies.append((time.monotonic() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            stop.wait(max(0.0, every_s - (time.monotonic() - started)))
    return {"latencies": latencies, "statuses": statuses}


def _beside(
    search: Any, seconds: float, flood: Callable[[threading.Event], dict[str, int]]
) -> dict[str, Any]:
    """Run `flood` for `seconds` while an ordinary client (its own address) and /healthz are measured."""
    stop = threading.Event()
    quiet = {"x-forwarded-for": "10.99.0.1"}
    with ThreadPoolExecutor(max_workers=3) as pool:
        health = pool.submit(_probe, stop, f"{search.url}/healthz", 0.1, {}, {})
        ordinary = pool.submit(_probe, stop, f"{search.url}/v1/providers/nearest", 0.2, quiet, ORDINARY)
        flooded = pool.submit(flood, stop)
        time.sleep(seconds)
        stop.set()
        h, o, f = health.result(), ordinary.result(), flooded.result()
    return {
        "healthz": latency_summary(h["latencies"]) | {"statuses": h["statuses"]},
        "ordinary": latency_summary(o["latencies"]) | {"statuses": o["statuses"]},
        "flood_statuses": f,
    }


def _flooder(url: str, client_of: Callable[[int], str], connections: int, rate: float | None, seed: int):
    """`connections` concurrent senders of random queries, each as `client_of(sender)`: at `rate` a second
    in all (open loop), or each as fast as it is answered (rate None). One asyncio loop in one thread, so
    the flood costs the shared cores little of its own."""

    def flood(stop: threading.Event) -> dict[str, int]:
        statuses: dict[str, int] = {}

        async def sender(n: int, client: httpx.AsyncClient) -> None:
            rng = random.Random(seed + n)
            interval = connections / rate if rate else 0.0
            next_at = time.monotonic() + interval * n / connections
            headers = {"x-forwarded-for": client_of(n)}
            while not stop.is_set():
                if interval:
                    await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                    next_at += interval
                try:
                    response = await client.get(url, params={**TOWN, "q": random_query(rng)}, headers=headers)
                    status = str(response.status_code)
                except httpx.HTTPError as e:
                    status = type(e).__name__
                statuses[status] = statuses.get(status, 0) + 1

        async def all_senders() -> None:
            limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
            async with httpx.AsyncClient(timeout=30, limits=limits) as client:
                await asyncio.gather(*(sender(n, client) for n in range(connections)))

        asyncio.run(all_senders())
        return statuses

    return flood


def _crowd_row(
    run: Run, label: str, seconds: float, client_of: Callable[[int], str], rate: float | None
) -> dict:
    search = run.service("search.main", label, TRUSTED_PROXIES="127.0.0.1")
    url = f"{search.url}/v1/providers/nearest"
    measured = _beside(search, seconds, _flooder(url, client_of, 50, rate, seed=5))
    ordinary_p99, healthz_p99 = measured["ordinary"]["p99"], measured["healthz"]["p99"]
    return measured | {
        "seconds": seconds,
        "target_met": ordinary_p99 is not None
        and ordinary_p99 < ORDINARY_P99_TARGET_MS
        and healthz_p99 is not None
        and healthz_p99 < HEALTHZ_P99_TARGET_MS
        and set(measured["ordinary"]["statuses"]) == {"200"},
    }


def measure_crowd(run: Run, seconds: float = 20.0) -> dict[str, Any]:
    log(f"crowd: one client, 50 connections, random 20-word queries at 16/s for {seconds:g} s")
    return _crowd_row(run, "search-crowd", seconds, lambda n: "10.1.0.1", rate=16.0)


def measure_addresses(run: Run, seconds: float = 20.0) -> dict[str, Any]:
    log(f"addresses: 50 client addresses, each as fast as it is answered, for {seconds:g} s")
    return _crowd_row(run, "search-addresses", seconds, lambda n: f"10.2.0.{n + 1}", rate=None)


def measure_donors(run: Run, donors: int = 40) -> dict[str, Any]:
    """Donors published with homes to the metre, half with public phones: what a search gives away."""
    settings = run.settings
    run.service("ingest.main", "ingest-donors")
    search = run.service("search.main", "search-donors", RATE_LIMIT_PER_MINUTE="0")
    producer = KafkaProducer(**settings.kafka_client_options())
    rng = random.Random(9)
    district = configured_geography()
    public: dict[str, bool] = {}
    for i in range(donors):
        id = f"{settings.topic_prefix}donor-{i}"
        public[id] = i % 2 == 0
        while True:  # homes anywhere in the district, each in the upazila that holds it (ingest checks)
            lat, lon = TOWN["lat"] + rng.uniform(-0.2, 0.2), TOWN["lon"] + rng.uniform(-0.2, 0.2)
            home = district.locate(lat, lon)
            if home.upazila is not None:
                break
        data: dict[str, Any] = {
            "name": {"bn": "রক্তদাতা", "en": "Donor"},
            "category": "blood_donor",
            "phone": "+88017" + f"{rng.randrange(10**8):08d}",
            "location": {"lat": lat, "lon": lon},
            "address": {"bn": "বাড়ি", "upazila": home.upazila.slug},
            "available": True,
            "blood_group": "O+",
            "updated_at": "2026-11-28T10:00:00+06:00",
        }
        if public[id]:
            data["phone_public"] = True  # the others were imported without saying: not public
        event = {"event_id": str(uuid.uuid4()), "type": "upsert", "entity": "provider", "id": id, "version": 1,
                 "occurred_at": "2026-11-28T10:00:00+06:00", "data": data}  # fmt: skip
        producer.send(settings.topic("providers"), json.dumps(event).encode(), key=id.encode())
    producer.flush()
    producer.close()
    alias = settings.index_alias("providers")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.engine.indices.refresh(index=alias, ignore_unavailable=True)
        indexed = run.engine.count(
            index=alias, body={"query": {"ids": {"values": list(public)}}}, ignore_unavailable=True
        )
        if indexed.get("count", 0) >= donors:
            break
        time.sleep(0.5)
    params: Params = {
        **TOWN,
        "category": "blood_donor",
        "radius_km": 100,
        "limit": 100,
        "available_now": "false",
    }
    results = httpx.get(f"{search.url}/v1/providers/nearest", params=params, timeout=30).json()["results"]
    mine = [r for r in results if r["id"] in public]

    def on_a_cell_centre(value: float) -> bool:
        cells = value / CELL_DEG
        return abs(cells - round(cells - 0.5) - 0.5) < 1e-6

    coarse = all(
        on_a_cell_centre(r["location"]["lat"]) and on_a_cell_centre(r["location"]["lon"]) for r in mine
    )
    rounded = all(r["distance_m"] % 500 == 0 for r in mine)
    phones = all((r["phone"] is not None) == public[r["id"]] for r in mine)
    return {
        "donors": donors,
        "returned": len(mine),
        "points_on_cell_centres": coarse,
        "distances_to_500_m": rounded,
        "phones_only_where_public": phones,
        "phones_shown": sum(1 for r in mine if r["phone"]),
        "target_met": bool(mine) and coarse and rounded and phones,
    }


def measure_synonyms(run: Run, sets: int = 500) -> dict[str, Any]:
    """The lexicon a search process builds when synonyms change, timed in this process (median of 3)."""
    from search.understanding.lexicon import Lexicon
    from synonym_sets import realistic_synonym_sets

    Lexicon()  # the contracts' index, built once per process whatever the synonyms
    rows = {}
    for label, fill in (("realistic", None), ("most the limits allow", 20)):
        chosen = realistic_synonym_sets(sets) if fill is None else realistic_synonym_sets(sets, fill=fill)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            Lexicon(chosen)
            times.append(time.perf_counter() - started)
        rows[label] = {"sets": len(chosen), "words": sum(len(s.words) for s in chosen),
                       "seconds": round(sorted(times)[1], 2)}  # fmt: skip
    return {"rows": rows, "target_s": 2.0, "target_met": rows["realistic"]["seconds"] < 2.0}


def table_rows(results: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    if "memory" in results:
        m = results["memory"]
        rows.append([f"{m['queries']:,} distinct random queries", "search RSS growth", f"{m['grown_mb']:.0f} MB",
                     f"{m['rss_before_mb']:.0f} → {m['rss_after_mb']:.0f} MB; target < {m['target_mb']:.0f} MB: "
                     f"{'met' if m['target_met'] else 'MISSED'}"])  # fmt: skip
    for name, label in (
        ("crowd", "one client, 50 connections, 16/s"),
        ("addresses", "50 addresses, closed loop"),
    ):
        if name in results:
            r = results[name]
            rows.append([label, "another client's search p50 / p99", f"{r['ordinary']['p50']} / {r['ordinary']['p99']} ms",
                         f"statuses {r['ordinary']['statuses']}; /healthz p99 {r['healthz']['p99']} ms; "
                         f"flood {r['flood_statuses']}; target: {'met' if r['target_met'] else 'MISSED'}"])  # fmt: skip
    if "synonyms" in results:
        for label, r in results["synonyms"]["rows"].items():
            rows.append([f"{r['sets']} synonym sets ({label}, {r['words']:,} words)", "lexicon rebuild",
                         f"{r['seconds']} s", f"target < 2 s for realistic sets: "
                         f"{'met' if results['synonyms']['target_met'] else 'MISSED'}"])  # fmt: skip
    if "donors" in results:
        d = results["donors"]
        rows.append(["donor search, 100 km, limit 100", "returned donors", str(d["returned"]),
                     f"cell centres {d['points_on_cell_centres']}, 500 m distances {d['distances_to_500_m']}, "
                     f"phones only if public {d['phones_only_where_public']} ({d['phones_shown']} shown); "
                     f"target: {'met' if d['target_met'] else 'MISSED'}"])  # fmt: skip
    return rows
