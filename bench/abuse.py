"""Abuse: hostile and careless clients against private service processes, and what it costs everyone else.

    make abuse
    python bench/abuse.py --only flood,forged,poison --seconds 20

Rows (issue 13, "Measure"):
  flood   expensive free text at 5 req/s — 200 characters of short random words, well under the rate
          limit — for --seconds: the p50 of those searches and of ordinary searches beside them, and the
          p99 of /healthz meanwhile (target < 50 ms; a liveness probe with a 1 s timeout must never fail).
  forged  one client floods search with a fresh X-Forwarded-For / X-Real-IP / Forwarded on every
          request: the share of its over-limit requests that are limited (target 100 %), with the
          default configuration and behind a proxy named in TRUSTED_PROXIES (the client forges the left
          end of the header, the proxy appends the address it saw; an IPv6 client rotates within its /64).
  poison  a message near the topic's size limit, whose dead-letter copy cannot fit: seconds until the
          consumer group's lag is back to 0 (target: it gets there), and how it was dead-lettered.
  memory, crowd, addresses, synonyms, donors  (bench/abuse_search.py) 2,000 random queries against search's RSS; one
          client on 50 connections and 50 addresses flooding while another client searches and /healthz is
          probed; what a donor search gives away.
  scopes, searchlog  (bench/abuse_keys.py) a scoped key cannot do what its scope lacks; the search log
          holds no phone number typed into search, and one client cannot write into the report.
  bombs   (issue 21) a 2 KB .xlsx whose cells are A1 and XFD1048576, and a ~1 MB .xlsx holding 1 GB of
          XML, uploaded as a dry run and as an import: both refused, ingest's peak RSS below 300 MB.

Everything runs against service processes of its own (free ports, an `abuse_<run>_` prefix on the
shared Kafka and OpenSearch, removed afterwards), never the demo stack. Prints a table and writes
bench/results/abuse-<UTC>.json; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from kafka import KafkaConsumer, KafkaProducer
from opensearchpy import OpenSearch

import abuse_keys
import abuse_search
import benchkit
from benchkit import format_table, latency_summary, log
from chaos_scenarios import delete_indices, delete_topics, group_offsets, seed_providers
from harness.service_process import ServiceProcess, service_env
from one_sheet_xlsx import SHEET, add_workbook
from portal.settings import PortalSettings

SHARED_KAFKA = "127.0.0.1:9092"
SHARED_OPENSEARCH = "http://127.0.0.1:9200"
TOWN = {"lat": 24.4449, "lon": 90.7766}
HEALTHZ_P99_TARGET_MS = 50.0
#: What the dead-letter topics and our producers take (topics.DEAD_LETTER).
TOPIC_MAX_BYTES = 2_097_152


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = benchkit.command_line(__doc__)
    parser.add_argument(
        "--only",
        default="flood,forged,poison,bombs,scopes,searchlog,memory,crowd,addresses,synonyms,donors",
        help="comma-separated rows to measure",
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the expensive-query flood")
    parser.add_argument("--rate", type=float, default=5.0, help="expensive queries a second")
    parser.add_argument("--forged", type=int, default=300, help="requests of the forged-header flood")
    parser.add_argument("--seed", type=int, default=13, help="seed of the random words")
    return parser.parse_args(argv)


class Run:
    """One abuse run: its prefix on the shared servers and the service processes it started."""

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex[:6]
        self.prefix = f"abuse_{self.id}_"
        self.settings = PortalSettings(
            index_prefix=self.prefix,
            topic_prefix=self.prefix,
            opensearch_url=SHARED_OPENSEARCH,
            kafka_bootstrap_servers=SHARED_KAFKA,
        )
        self.services: list[ServiceProcess] = []
        self.engine = OpenSearch(hosts=[SHARED_OPENSEARCH], timeout=30)

    def service(self, module: str, label: str, **env: str) -> ServiceProcess:
        proc = ServiceProcess(
            name=f"abuse-{self.id}-{label}",
            module=module,
            log_path=benchkit.service_log(f"abuse-{self.id}-{label}"),
            env=service_env(
                self.settings,
                CONSUMER_GROUP=f"{self.prefix}ingest",
                LOG_LEVEL="WARNING",
                **env,
            ),
        )
        self.services.append(proc)
        return proc.start(timeout=120)

    def clean_up(self) -> None:
        for proc in self.services:
            proc.stop(timeout=40)
        try:
            delete_indices(self.engine, self.prefix)
            delete_topics(SHARED_KAFKA, self.prefix)
        except Exception as e:
            log(f"could not remove {self.prefix}* from the shared servers: {e}")
        self.engine.close()


# ---------------------------------------------------------------- flood: expensive free text


def expensive_q(rng: random.Random, chars: int = 200) -> str:
    """Short random words in both scripts, up to `chars`: the costliest text to understand per character."""
    alphabets = ["abcdefghijklmnopqrstuvwxyz", "অআইউএওকখগঘচছজঝটঠডঢতথদধনপফবভমযরলশসহ"]
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        alphabet = rng.choice(alphabets)
        words.append("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 4))))
    return " ".join(words)[:chars].strip()


def timed_get(client: httpx.Client, url: str, **params: Any) -> tuple[float, int | None]:
    started = time.perf_counter()
    try:
        status: int | None = client.get(url, params=params, timeout=30).status_code
    except httpx.HTTPError:
        status = None
    return (time.perf_counter() - started) * 1000, status


def probe_loop(stop: threading.Event, url: str, interval: float, params: dict[str, Any]) -> list[float]:
    """Sequential probes every `interval` seconds until `stop`: the latencies in ms of those answered 200."""
    latencies: list[float] = []
    with httpx.Client() as client:
        while not stop.is_set():
            started = time.monotonic()
            ms, status = timed_get(client, url, **params)
            if status == 200:
                latencies.append(ms)
            stop.wait(max(0.0, interval - (time.monotonic() - started)))
    return latencies


def watch(search: ServiceProcess, seconds: float, during: Any = None) -> dict[str, list[float]]:
    """/healthz every 100 ms and an ordinary search every 500 ms for `seconds`, while `during()` runs."""
    stop = threading.Event()
    ordinary = {**TOWN, "q": "ইলেকট্রিশিয়ান"}
    with ThreadPoolExecutor(max_workers=3) as pool:
        health = pool.submit(probe_loop, stop, f"{search.url}/healthz", 0.1, {})
        normal = pool.submit(probe_loop, stop, f"{search.url}/v1/providers/nearest", 0.5, ordinary)
        flood = pool.submit(during) if during else None
        if flood:
            flooded = flood.result()
        else:
            time.sleep(seconds)
            flooded = []
        stop.set()
        return {"healthz": health.result(), "ordinary": normal.result(), "expensive": flooded}


def expensive_flood(search: ServiceProcess, seconds: float, rate: float, seed: int) -> list[float]:
    """Open loop: request i leaves at start + i/rate whatever the earlier ones are doing."""
    rng = random.Random(seed)
    queries = [expensive_q(rng) for _ in range(int(seconds * rate))]
    latencies: list[float] = []
    lock = threading.Lock()
    client = httpx.Client(limits=httpx.Limits(max_connections=64))
    start = time.monotonic() + 0.2

    def one(i: int, q: str) -> None:
        time.sleep(max(0.0, start + i / rate - time.monotonic()))
        path = "/v1/products/search" if i % 2 else "/v1/providers/nearest"
        params = {"q": q} if i % 2 else {**TOWN, "q": q}
        ms, status = timed_get(client, f"{search.url}{path}", **params)
        if status == 200:
            with lock:
                latencies.append(ms)

    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(lambda args: one(*args), enumerate(queries)))
    client.close()
    return latencies


def measure_flood(run: Run, args: argparse.Namespace) -> dict[str, Any]:
    search = run.service("search.main", "search")
    log("baseline: /healthz and ordinary searches, no flood (5 s)")
    quiet = watch(search, 5.0)
    log(f"flood: {args.rate:g} expensive queries/s for {args.seconds:g} s")
    loud = watch(search, args.seconds, lambda: expensive_flood(search, args.seconds, args.rate, args.seed))
    healthz = latency_summary(loud["healthz"])
    return {
        "rate_per_s": args.rate,
        "seconds": args.seconds,
        "q_chars": 200,
        "baseline": {name: latency_summary(values) for name, values in quiet.items() if values},
        "during": {name: latency_summary(values) for name, values in loud.items()},
        "expensive_sent": int(args.seconds * args.rate),
        "healthz_p99_ms": healthz["p99"],
        "target_met": healthz["p99"] is not None and healthz["p99"] < HEALTHZ_P99_TARGET_MS,
    }


# ---------------------------------------------------------------- forged: the rate limit and headers


def forged_flood(search: ServiceProcess, per_minute: int, burst: int, headers: list[dict[str, str]]) -> dict:
    """Send every request as fast as one client can; what share of the over-limit ones was limited."""
    statuses: list[int] = []
    started = time.monotonic()
    with httpx.Client() as client:
        for h in headers:
            statuses.append(client.get(f"{search.url}/v1/categories", headers=h, timeout=30).status_code)
    seconds = time.monotonic() - started
    may_pass = burst + int(seconds * per_minute / 60) + 1  # the burst, what refilled meanwhile, rounding
    over_limit = max(len(headers) - may_pass, 1)
    limited = statuses.count(429)
    return {
        "requests": len(headers),
        "seconds": round(seconds, 2),
        "may_pass": may_pass,
        "allowed": statuses.count(200),
        "limited": limited,
        "over_limit": over_limit,
        "share_limited": round(min(limited / over_limit, 1.0), 4),
        "other_statuses": sorted({s for s in statuses if s not in (200, 429)}),
    }


def measure_forged(run: Run, args: argparse.Namespace) -> dict[str, Any]:
    per_minute, burst, n = 60, 20, args.forged
    limits = {"RATE_LIMIT_PER_MINUTE": str(per_minute), "RATE_LIMIT_BURST": str(burst)}
    rows: dict[str, Any] = {}
    direct = run.service("search.main", "search-limited", **limits)
    forged = [
        {
            "X-Forwarded-For": f"203.0.{i // 250}.{i % 250}",
            "X-Real-IP": f"198.51.{i // 250}.{i % 250}",
            "Forwarded": f"for=192.0.{i // 250}.{i % 250}",
        }
        for i in range(n)
    ]
    log(f"forged headers, direct client: {n} requests")
    rows["direct, forged X-Forwarded-For"] = forged_flood(direct, per_minute, burst, forged)
    proxied = run.service("search.main", "search-proxied", TRUSTED_PROXIES="127.0.0.1", **limits)
    behind_proxy = [{"X-Forwarded-For": f"203.0.{i // 250}.{i % 250}, 198.51.100.7"} for i in range(n)]
    log(f"forged headers behind a trusted proxy: {n} requests")
    rows["behind TRUSTED_PROXIES, forged left end"] = forged_flood(proxied, per_minute, burst, behind_proxy)
    rotating = [{"X-Forwarded-For": f"2001:db8:7:7::{i + 1:x}"} for i in range(n)]
    rows["behind TRUSTED_PROXIES, IPv6 rotating in a /64"] = forged_flood(
        proxied, per_minute, burst, rotating
    )
    # Another citizen behind the same proxy still gets in.
    other = httpx.get(f"{proxied.url}/v1/categories", headers={"X-Forwarded-For": "198.51.100.8"}, timeout=30)
    return {
        "per_minute": per_minute,
        "burst": burst,
        "rows": rows,
        "other_client_behind_proxy_status": other.status_code,
        "target_met": all(r["share_limited"] == 1.0 for r in rows.values()) and other.status_code == 200,
    }


# ---------------------------------------------------------------- poison: a message too large to copy


def measure_poison(run: Run, ingest: ServiceProcess) -> dict[str, Any]:
    s = run.settings
    topic = s.topic("providers")
    producer = KafkaProducer(acks="all", max_request_size=TOPIC_MAX_BYTES, **s.kafka_client_options())
    event = {"event_id": str(uuid.uuid4()), "type": "upsert", "entity": "provider", "id": "abuse-big"}
    head = json.dumps(event)[:-1].encode() + b', "padding": "'
    raw = head + b"x" * (TOPIC_MAX_BYTES - 150 - len(head) - 2) + b'"}'
    try:
        sent = producer.send(topic, key=b"abuse-big", value=raw).get(timeout=60)
    finally:
        producer.close()
    log(f"oversize poison of {len(raw):,} bytes at {topic}/{sent.partition}@{sent.offset}")
    started = time.monotonic()
    group = f"{s.topic_prefix}ingest"
    lag: int | None = None
    seconds: float | None = None
    while time.monotonic() - started < 120:
        offsets = group_offsets(s, group)
        if offsets is not None:
            lag = offsets[1] - offsets[0]
            if lag == 0:
                seconds = round(time.monotonic() - started, 2)
                break
        time.sleep(0.2)
    letter = dead_letter_at(s, topic, sent.partition, sent.offset)
    return {
        "bytes": len(raw),
        "lag_back_to_0_s": seconds,
        "lag_at_end": lag,
        "dead_letter": letter,
        "target_met": seconds is not None and letter == "by_reference",
    }


def dead_letter_at(settings: PortalSettings, topic: str, partition: int, offset: int) -> str | None:
    consumer = KafkaConsumer(
        f"{topic}.dlq",
        auto_offset_reset="earliest",
        consumer_timeout_ms=5000,
        max_partition_fetch_bytes=4_194_304,
        **settings.kafka_client_options(),
    )
    try:
        for m in consumer:
            headers = dict(m.headers)
            if (
                headers.get("source.partition") == str(partition).encode()
                and headers.get("source.offset") == str(offset).encode()
            ):
                return "by_reference" if headers.get("dead_letter.by_reference") == b"true" else "copy"
        return None
    finally:
        consumer.close()


# ---------------------------------------------------------------- bombs: workbooks that ask for everything

BOMB_RSS_TARGET_MB = 300.0


def xlsx_with(sheet_xml: Any, path: str) -> None:
    """A minimal .xlsx at `path` whose one sheet is `sheet_xml` (bytes, or chunks of bytes, streamed)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        add_workbook(z)
        with z.open(SHEET, "w", force_zip64=True) as out:
            for chunk in [sheet_xml] if isinstance(sheet_xml, bytes) else sheet_xml:
                out.write(chunk)


def measure_bombs(run: Run) -> dict[str, Any]:
    """Both bombs, as a dry run and as an import, against an ingest of their own; its peak RSS."""
    import tempfile

    key = "abuse-import-key"
    ingest = run.service("ingest.main", "ingest-bombs", IMPORT_API_KEYS=key, CONSUMER_ENABLED="false")
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    far = head + (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="1048576">'
        b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )

    def gigabyte() -> Any:
        yield head + b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
        for _ in range(1024):
            yield b" " * (1 << 20)
        yield b"</sheetData></worksheet>"

    rows: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        bombs = {
            "workbook bomb (A1 + XFD1048576)": f"{tmp}/far.xlsx",
            "zip bomb (1 GB of XML)": f"{tmp}/zip.xlsx",
        }
        xlsx_with(far, bombs["workbook bomb (A1 + XFD1048576)"])
        xlsx_with(gigabyte(), bombs["zip bomb (1 GB of XML)"])
        for name, path in bombs.items():
            with open(path, "rb") as f:
                body = f.read()
            before = ingest.memory_kb().get("VmRSS", 0) / 1024
            ingest.reset_peak_rss()
            answers = []
            for dry in ("true", "false"):
                response = httpx.post(
                    f"{ingest.url}/v1/imports/providers",
                    params={"dry_run": dry},
                    files={"file": ("list.xlsx", body, "application/octet-stream")},
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=120,
                )
                answers.append((response.status_code, response.json().get("error")))
            memory = ingest.memory_kb()
            peak = max(memory.get("VmHWM", 0), memory.get("VmRSS", 0)) / 1024
            log(f"{name}: {len(body):,} bytes → {answers}, peak RSS {peak:.0f} MB")
            rows[name] = {
                "bytes": len(body),
                "answers": [{"status": status, "error": error} for status, error in answers],
                "refused": all(status in (413, 415, 422) for status, _ in answers),
                "rss_before_mb": round(before, 1),
                "peak_rss_mb": round(peak, 1),
            }
    alive = ingest.running
    return {
        "rows": rows,
        "rss_target_mb": BOMB_RSS_TARGET_MB,
        "ingest_alive": alive,
        "target_met": alive
        and all(r["refused"] and r["peak_rss_mb"] < BOMB_RSS_TARGET_MB for r in rows.values()),
    }


# ---------------------------------------------------------------- the table


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f} ms"


def table(results: dict[str, Any]) -> str:
    rows: list[list[Any]] = []
    if "flood" in results:
        f = results["flood"]
        during, base = f["during"], f["baseline"]
        rows.append(
            [
                f"expensive-query flood, {f['rate_per_s']:g}/s × {f['seconds']:g} s",
                "expensive search p50",
                ms(during["expensive"]["p50"]),
                f"{during['expensive']['n']} of {f['expensive_sent']} answered 200; "
                f"quiet: ordinary p50 {ms(base.get('ordinary', {}).get('p50'))}",
            ]
        )
        rows.append(["", "ordinary search p50 beside it", ms(during["ordinary"]["p50"]), ""])
        rows.append(
            [
                "",
                "/healthz p99 during it",
                ms(f["healthz_p99_ms"]),
                f"target < {HEALTHZ_P99_TARGET_MS:g} ms: {'met' if f['target_met'] else 'MISSED'}",
            ]
        )
    if "forged" in results:
        f = results["forged"]
        for i, (name, r) in enumerate(f["rows"].items()):
            rows.append(
                [
                    "forged-header flood" if i == 0 else "",
                    f"{name}: over-limit requests limited",
                    f"{r['share_limited']:.0%}",
                    f"{r['allowed']} of {r['requests']} passed, at most {r['may_pass']} may "
                    f"({f['per_minute']}/min, burst {f['burst']})",
                ]
            )
        rows.append(["", "another client behind the proxy", str(f["other_client_behind_proxy_status"]), ""])
    if "poison" in results:
        p = results["poison"]
        back = p["lag_back_to_0_s"]
        rows.append(
            [
                f"oversize poison, {p['bytes']:,} bytes",
                "consumer lag back to 0",
                "never (stalled)" if back is None else f"{back:.1f} s",
                f"dead letter: {p['dead_letter'] or 'none'}; target: {'met' if p['target_met'] else 'MISSED'}",
            ]
        )
    if "bombs" in results:
        b = results["bombs"]
        for name, r in b["rows"].items():
            said = ", ".join(f"{a['status']} {a['error']}" for a in r["answers"])
            rows.append(
                [
                    f"{name}, {r['bytes']:,} bytes",
                    "ingest peak RSS (dry run + import)",
                    f"{r['peak_rss_mb']:.0f} MB",
                    f"answers {said}; "
                    f"target refused and < {b['rss_target_mb']:g} MB: "
                    f"{'met' if r['refused'] and r['peak_rss_mb'] < b['rss_target_mb'] else 'MISSED'}",
                ]
            )
    rows += abuse_keys.table_rows(results)
    rows += abuse_search.table_rows(results)
    return format_table(["abuse", "measured", "value", "notes"], rows, title="Abuse (issues 13, 21)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = {o.strip() for o in args.only.split(",") if o.strip()}
    run = Run()
    results: dict[str, Any] = {}
    log(f"abuse run {run.id}: prefix {run.prefix} on {SHARED_KAFKA} and {SHARED_OPENSEARCH}")
    try:
        ingest = run.service("ingest.main", "ingest", BATCH_SIZE="200", LINGER_MS="50")
        seed_providers(run.settings, run.engine)
        if "flood" in only:
            results["flood"] = measure_flood(run, args)
        if "forged" in only:
            results["forged"] = measure_forged(run, args)
        if "poison" in only:
            results["poison"] = measure_poison(run, ingest)
        if "scopes" in only:
            results["scopes"] = abuse_keys.measure_scopes(run)
        if "searchlog" in only:
            results["searchlog"] = abuse_keys.measure_search_log(run)
        for name, measure in (
            ("memory", abuse_search.measure_memory),
            ("crowd", abuse_search.measure_crowd),
            ("addresses", abuse_search.measure_addresses),
            ("synonyms", abuse_search.measure_synonyms),
            ("donors", abuse_search.measure_donors),
        ):
            if name in only:
                results[name] = measure(run)
        if "bombs" in only:
            results["bombs"] = measure_bombs(run)
    finally:
        run.clean_up()
    print(table(results))
    path = benchkit.write_json("abuse", {"machine": benchkit.machine(), "run": run.id, **results})
    print(f"\nwritten to {path.relative_to(benchkit.REPO)}")
    return 0 if all(r.get("target_met") for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
