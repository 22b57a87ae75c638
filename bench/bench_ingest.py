"""Ingest benchmark: Kafka → indexed throughput against a raw bulk load, freshness, CSV import.

    make bench-ingest                       # N=200000 provider events
    python bench/bench_ingest.py --events 20000 --freshness-seconds 5 --csv-rows 5000 --keep
    python bench/bench_ingest.py --imports-only --csv-rows 30000   # CSV and XLSX imports alone

Everything runs beside the demo data under its own names (indices `bench_ingest_*`, topics
`bench_ingest_<run>_*`, a fresh consumer group per measurement) and is removed at the end unless
`--keep`. The ingest-service runs as a real process (`python -m ingest.main`), as `make run` starts it.

Measured in one run, so the comparisons share the machine's conditions:
1. producer: N scaled provider events onto the bench `providers` topic (reported on its own);
2. ours: one ingest-service process per BATCH_SIZE variant, from the moment its consumer loop runs
   (/readyz) until the group has committed the log end and the live count is N;
3. raw: the same documents (to_document over validate, built before the clock starts) bulk-loaded
   with opensearch-py into a fresh index from schemas/indices/providers.json, sequential and parallel;
4. freshness: events paced at --rate for --freshness-seconds, each timed from send to first
   visibility in search (a poller asks every 100 ms for the ids still pending);
5. imports: --csv-rows provider rows uploaded as a CSV (UTF-8 with BOM) and as an .xlsx with typed
   cells (openpyxl), each to POST /v1/imports/providers. The upload answers 202 once the file's shape
   is checked; GET /v1/imports/{id} is then polled every 100 ms until `status: published` (every row
   validated and on Kafka) and until `searchable` (every row indexed and visible), both timed from
   the start of the upload; with the service's peak RSS over the whole import.
   `--imports-only` measures just this step (a fresh consumer group, nothing else produced).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient
from opensearchpy import OpenSearch, helpers

import benchkit
from benchkit import format_table, latency_summary, log, ratio, steady_rate
from chaos_scenarios import delete_indices as delete_run
from demo_data import scaled_provider_events
from harness.service_process import ServiceProcess, service_env
from ingest.engine import INDEX_NAMES, physical_index
from ingest.events import ChangeEvent
from ingest.to_document import to_document
from ingest.topics import ensure_topics, topic_for
from ingest.validate import validate
from portal.clock import now_dhaka
from portal.contracts import index_definition
from portal.geography import configured_geography
from portal.settings import PortalSettings

PREFIX = "bench_ingest_"
RAW_INDEX = f"{PREFIX}raw_providers"
IMPORT_KEY = "bench-import-key"
POLL_S = 0.1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = benchkit.command_line(__doc__)
    parser.add_argument("--events", type=int, default=200_000, help="provider events for the throughput runs")
    parser.add_argument("--rate", type=int, default=1000, help="events/s during the freshness run")
    parser.add_argument("--freshness-seconds", type=float, default=20)
    parser.add_argument(
        "--csv-rows", type=int, default=100_000, help="rows of the CSV and the XLSX import (0 skips them)"
    )
    parser.add_argument(
        "--imports-only", action="store_true", help="measure only the CSV and XLSX imports (step 5)"
    )
    parser.add_argument(
        "--separate-consumer",
        action="store_true",
        help="with --imports-only: the upload goes to an ingest-service that does not consume "
        "(CONSUMER_ENABLED=false), and a second process indexes, as a deployment can split them",
    )
    parser.add_argument(
        "--batch-sizes", default="1000,5000", help="BATCH_SIZE of each ingest-service throughput run"
    )
    parser.add_argument(
        "--consumers",
        default="1,2,3",
        help="ingest-service processes in one consumer group (the first BATCH_SIZE only for more than 1)",
    )
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--keep", action="store_true", help="keep the bench indices and topics afterwards")
    return parser.parse_args(argv)


# ---------------------------------------------------------------- Kafka and engine housekeeping


def kafka_admin(settings: PortalSettings) -> KafkaAdminClient:
    return KafkaAdminClient(**settings.kafka_client_options(), client_id="bench-admin")


def delete_topics_with_prefix(settings: PortalSettings, prefix: str, timeout: float = 60) -> list[str]:
    """Delete this benchmark's topics (never anyone else's) and wait until the broker has let them go."""
    admin = kafka_admin(settings)
    try:
        mine = [t for t in admin.list_topics() if t.startswith(prefix)]
        if mine:
            admin.delete_topics(mine, timeout_ms=30_000)
        deadline = time.monotonic() + timeout
        while mine and time.monotonic() < deadline and any(t.startswith(prefix) for t in admin.list_topics()):
            time.sleep(0.5)
        return mine
    finally:
        admin.close()


def delete_groups(settings: PortalSettings, groups: list[str]) -> None:
    if not groups:
        return
    admin = kafka_admin(settings)
    try:
        admin.delete_consumer_groups(groups)
    except Exception as e:  # a group that never committed, or one still closing: harmless leftovers
        log(f"could not delete consumer groups {groups}: {e}")
    finally:
        admin.close()


def delete_index(client: OpenSearch, name: str) -> None:
    client.indices.delete(index=name, ignore_unavailable=True, expand_wildcards="all")


def live_count(client: OpenSearch, index: str, query: dict[str, Any] | None = None) -> int:
    if not client.indices.exists(index=index):
        return 0
    body = {"query": query or {"term": {"deleted": False}}}
    return client.count(index=index, body=body)["count"]


def create_from_definition(client: OpenSearch, index: str, name: str = "providers") -> None:
    definition = index_definition(name)
    client.indices.create(
        index=index, body={"settings": definition["settings"], "mappings": definition["mappings"]}
    )


# ---------------------------------------------------------------- 1. producer


def encode_events(events: list[dict[str, Any]]) -> list[tuple[bytes, bytes]]:
    return [(e["id"].encode(), json.dumps(e, ensure_ascii=False).encode("utf-8")) for e in events]


def produce_all(settings: PortalSettings, topic: str, messages: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    producer = KafkaProducer(
        acks="all",
        linger_ms=20,
        batch_size=256 * 1024,
        max_request_size=2_097_152,
        **settings.kafka_client_options(),
    )
    try:
        started = time.perf_counter()
        for key, value in messages:
            producer.send(topic, key=key, value=value)
        producer.flush()
        seconds = time.perf_counter() - started
    finally:
        producer.close()
    size = sum(len(v) for _, v in messages)
    return {
        "events": len(messages),
        "seconds": round(seconds, 3),
        "events_per_s": round(len(messages) / seconds, 1),
        "mb_per_s": round(size / seconds / 1e6, 2),
        "mean_event_bytes": round(size / len(messages)),
    }


# ---------------------------------------------------------------- 2. ours: Kafka → ingest-service → index


def partitions_of(settings: PortalSettings, topics: list[str]) -> dict[TopicPartition, int]:
    """End offset of every partition of `topics` (fixed once production is done)."""
    consumer = KafkaConsumer(**settings.kafka_client_options())
    try:
        partitions = [
            TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())
        ]
        return consumer.end_offsets(partitions)
    finally:
        consumer.close()


def committed(admin: KafkaAdminClient, group: str, ends: dict[TopicPartition, int]) -> int:
    """Records of `ends`' partitions the group has committed (topics start at offset 0)."""
    try:
        offsets = admin.list_consumer_group_offsets(group)
    except Exception:
        return 0
    return sum(max(offsets[tp].offset, 0) for tp in ends if tp in offsets)


def ready(process: ServiceProcess) -> bool:
    """/readyz says 200 once the consumer loop is running (it then joins the group and fetches)."""
    try:
        return httpx.get(f"{process.url}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


STAGES = ("fetch", "decode", "validate", "to_document", "bulk_encode", "bulk", "commit")


def scrape_stages(process: ServiceProcess) -> dict[str, float]:
    """The entity pipe's stage counters (`ingest_stage_seconds_total`, metrics.stage) and the process's
    CPU seconds, from its own /metrics: `<stage>.cpu`, `<stage>.wall` and `process.cpu`."""
    try:
        text = httpx.get(f"{process.url}/metrics", timeout=5).text
    except httpx.HTTPError:
        return {}
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("process_cpu_seconds_total "):
            found["process.cpu"] = float(line.split()[-1])
        elif line.startswith("ingest_gc_seconds_total "):
            found["gc.cpu"] = float(line.split()[-1])
        elif line.startswith("ingest_stage_seconds_total{") and 'pipe="entities"' in line:
            labels = dict(
                part.split("=", 1) for part in line[line.index("{") + 1 : line.index("}")].split(",")
            )
            found[f"{labels['stage'].strip(chr(34))}.{labels['clock'].strip(chr(34))}"] = float(
                line.split()[-1]
            )
    return found


def stage_profile(
    before: list[dict[str, float]], after: list[dict[str, float]], events: int
) -> dict[str, Any]:
    """µs per event of each stage (CPU of the thread that ran it, and wall), summed over the processes
    between two scrapes; `other` is the processes' CPU outside the timed stages (kafka-python's
    heartbeat thread, the dead-letter and progress steps, the event loop); the garbage collector's time
    (`ingest_gc_seconds_total`) is counted apart, and also inside whichever stage it interrupted."""
    delta: dict[str, float] = {}
    for start, end in zip(before, after, strict=True):
        for key, value in end.items():
            delta[key] = delta.get(key, 0.0) + value - start.get(key, 0.0)

    def per_event(seconds: float) -> float:
        return round(seconds / events * 1e6, 1)

    stages = {
        name: {
            "cpu_us": per_event(delta.get(f"{name}.cpu", 0)),
            "wall_us": per_event(delta.get(f"{name}.wall", 0)),
        }
        for name in STAGES
    }
    timed = sum(delta.get(f"{name}.cpu", 0) for name in STAGES)
    process = delta.get("process.cpu", 0.0)
    return {
        "stages_us_per_event": stages,
        "engine_us_per_event": round(stages["bulk"]["wall_us"] - stages["bulk"]["cpu_us"], 1),
        "other_cpu_us_per_event": per_event(process - timed),
        "gc_us_per_event": per_event(delta.get("gc.cpu", 0)),
        "process_cpu_us_per_event": per_event(process),
        "process_cpu_s": round(process, 2),
        "how": "ingest_stage_seconds_total and process_cpu_seconds_total from each process's /metrics, "
        "from /readyz until caught up",
    }


def wait_group_stable(settings: PortalSettings, group: str, timeout: float = 30) -> bool:
    """Wait until the consumer group has its members and their partitions (state Stable)."""
    admin = kafka_admin(settings)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if any(g.state == "Stable" for g in admin.describe_consumer_groups([group])):
                    return True
            except Exception:
                pass
            time.sleep(0.2)
        return False
    finally:
        admin.close()


def ingest_process(name: str, settings: PortalSettings, group: str, **env: str) -> ServiceProcess:
    return ServiceProcess(
        name=name,
        module="ingest.main",
        log_path=benchkit.service_log(name),
        env=service_env(
            settings,
            CONSUMER_GROUP=group,
            IMPORT_API_KEYS=IMPORT_KEY,
            **env,
        ),
    )


def run_ours(
    settings: PortalSettings,
    client: OpenSearch,
    ends: dict[TopicPartition, int],
    expected: int,
    batch_size: int,
    groups: list[str],
    consumers: int = 1,
) -> dict[str, Any]:
    for name in INDEX_NAMES:  # a fresh index, or external versions would turn every write into a 409
        delete_index(client, physical_index(settings, name))
    group = f"bench-{uuid.uuid4().hex[:12]}"
    groups.append(group)
    total = sum(ends.values())
    alias = settings.index_alias("providers")
    processes = [
        ingest_process(
            f"ingest-batch{batch_size}-{i}of{consumers}", settings, group, BATCH_SIZE=str(batch_size)
        )
        for i in range(consumers)
    ]
    process = processes[0]
    admin = kafka_admin(settings)
    samples: list[tuple[float, int]] = []
    committed_at = done_at = ready_at = None
    at_ready: list[dict[str, float]] = []
    at_done: list[dict[str, float]] = []
    count = 0
    deadline = time.monotonic() + max(300, expected / 100)
    for each in processes:
        each.start(wait_ready=False)  # readiness is watched below, as the start of consumption
    try:
        while time.monotonic() < deadline:
            for each in processes:
                if each.process and each.process.poll() is not None:
                    raise RuntimeError(f"ingest-service exited:\n{each.log_tail()}")
            if ready_at is None and all(ready(each) for each in processes):
                ready_at = time.time()
                at_ready = [scrape_stages(each) for each in processes]
            now = time.time()
            done = committed(admin, group, ends)
            samples.append((now, done))
            if committed_at is None and done >= total:
                committed_at = now
            if committed_at is not None:
                count = live_count(client, alias)
                if count >= expected:
                    done_at = time.time()
                    at_done = [scrape_stages(each) for each in processes]
                    break
            time.sleep(POLL_S)
    finally:
        admin.close()
        for each in processes:
            each.stop()
    # Consumption starts when the consumer loop runs, which /readyz reports (kafka-python's own
    # assignment log line is no longer logged at INFO); fall back to the spawn if it was never seen.
    start = ready_at or process.started_at
    result: dict[str, Any] = {
        "batch_size": batch_size,
        "consumers": consumers,
        "consumer_group": group,
        "events": total,
        "live_docs": count,
        "startup_s": round(start - process.started_at, 2),
    }
    if done_at is None:
        result["error"] = f"not caught up in time: {samples[-1][1] if samples else 0}/{total} committed"
        return result
    assert committed_at is not None
    result |= {
        "seconds_to_committed": round(committed_at - start, 2),
        "seconds_to_searchable": round(done_at - start, 2),
        "events_per_s": round(expected / (done_at - start), 1),
        "steady_events_per_s": round(steady_rate([(t - start, d) for t, d in samples], total) or 0, 1),
    }
    if at_ready and at_done:
        result["profile"] = stage_profile(at_ready, at_done, total)
    return result


# ---------------------------------------------------------------- 3. raw: opensearch-py bulk of the same docs


def _documents(messages: list[tuple[bytes, bytes]]) -> list[tuple[ChangeEvent, dict[str, Any]]]:
    """validate → to_document, as the consumer does it: the documents ours writes, byte for byte."""
    indexed_at = now_dhaka()
    out = []
    for key, value in messages:
        event = validate(value, "provider", key=key)
        if not isinstance(event, ChangeEvent):
            raise ValueError(f"a generated event is invalid: {event.reason}: {event.message}")
        out.append((event, to_document(event, indexed_at=indexed_at)))
    return out


def build_documents(
    messages: list[tuple[bytes, bytes]],
) -> tuple[list[tuple[ChangeEvent, dict[str, Any]]], dict[str, Any]]:
    """Every document, built on both cores; and the one-core rate on a sample, which is what bounds ours."""
    sample = messages[:5000]
    started = time.perf_counter()
    _documents(sample)
    one_core = len(sample) / (time.perf_counter() - started)
    started = time.perf_counter()
    chunks = [messages[i : i + 5000] for i in range(0, len(messages), 5000)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        docs = [doc for chunk in pool.map(_documents, chunks) for doc in chunk]
    seconds = time.perf_counter() - started
    return docs, {
        "one_core_docs_per_s": round(one_core, 1),
        "sample": len(sample),
        "two_processes_seconds": round(seconds, 2),
    }


def raw_load(client: OpenSearch, docs: list[tuple[ChangeEvent, dict[str, Any]]], mode: str) -> dict[str, Any]:
    delete_index(client, RAW_INDEX)
    create_from_definition(client, RAW_INDEX)

    def actions():
        for event, doc in docs:
            yield {
                "_index": RAW_INDEX,
                "_id": event.id,
                "version": event.version,
                "version_type": "external",
                "_source": doc,
            }

    started = time.perf_counter()
    if mode == "bulk":
        _, errors = helpers.bulk(
            client, actions(), chunk_size=1000, request_timeout=120, raise_on_error=False
        )
        failed = len(errors) if isinstance(errors, list) else errors
    else:
        failed = 0
        for success, _ in helpers.parallel_bulk(
            client, actions(), thread_count=2, chunk_size=1000, request_timeout=120, raise_on_error=False
        ):
            failed += not success
    client.indices.refresh(index=RAW_INDEX)
    seconds = time.perf_counter() - started
    count = live_count(client, RAW_INDEX)
    delete_index(client, RAW_INDEX)
    label = (
        "helpers.bulk, 1 thread, 1000/request" if mode == "bulk" else "parallel_bulk, 2 threads, 1000/request"
    )
    return {
        "mode": mode,
        "how": label,
        "docs": len(docs),
        "failed": failed,
        "live_docs": count,
        "seconds": round(seconds, 2),
        "docs_per_s": round(len(docs) / seconds, 1),
    }


# ---------------------------------------------------------------- 4. freshness


def fresh_events(n: int, seed: int, run: str) -> list[dict[str, Any]]:
    events = list(scaled_provider_events(n, seed))
    for i, event in enumerate(events):
        event["id"] = f"fresh-{run}-{i}"
    return events


def measure_freshness(
    settings: PortalSettings, client: OpenSearch, topic: str, rate: int, seconds: float, seed: int, run: str
) -> dict[str, Any]:
    """Send events at a steady `rate`; a poller records when each first shows up in a search."""
    total = max(int(rate * seconds), 1)
    events = fresh_events(total, seed, run)
    alias = settings.index_alias("providers")
    pending: dict[str, float] = {}
    latencies_ms: list[float] = []
    lock = threading.Lock()
    sending = threading.Event()
    sending.set()
    polls = {"count": 0, "max_pending": 0}

    def poll() -> None:
        searcher = OpenSearch(hosts=[settings.opensearch_url], timeout=30)
        give_up = None
        try:
            while True:
                with lock:
                    batch = sorted(pending.items(), key=lambda kv: kv[1])[:5000]  # oldest first
                if not batch:
                    if not sending.is_set():
                        return
                else:
                    body = {
                        "size": len(batch),
                        "_source": False,
                        "query": {"ids": {"values": [i for i, _ in batch]}},
                    }
                    response = searcher.search(index=alias, body=body)
                    seen_at = time.time()
                    polls["count"] += 1
                    polls["max_pending"] = max(polls["max_pending"], len(batch))
                    with lock:
                        for hit in response["hits"]["hits"]:
                            sent = pending.pop(hit["_id"], None)
                            if sent is not None:
                                latencies_ms.append((seen_at - sent) * 1000)
                if not sending.is_set():
                    give_up = give_up or time.monotonic() + 60
                    if time.monotonic() > give_up:
                        return
                time.sleep(POLL_S)
        finally:
            searcher.close()

    poller = threading.Thread(target=poll, name="freshness-poller", daemon=True)
    producer = KafkaProducer(acks="all", linger_ms=5, **settings.kafka_client_options())
    poller.start()
    started = time.perf_counter()
    try:
        for i, event in enumerate(events):
            target = started + i / rate
            delay = target - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            sent_at = time.time()
            moment = now_dhaka().isoformat(timespec="milliseconds")
            event["occurred_at"] = event["data"]["updated_at"] = moment
            with lock:
                pending[event["id"]] = sent_at
            producer.send(
                topic,
                key=event["id"].encode(),
                value=json.dumps(event, ensure_ascii=False).encode("utf-8"),
                headers=[("bench_sent_at_ns", str(int(sent_at * 1e9)).encode())],
            )
        producer.flush()
        sent_seconds = time.perf_counter() - started
    finally:
        sending.clear()
        producer.close()
    poller.join(60)
    summary = latency_summary(latencies_ms)
    return {
        "events": total,
        "target_rate": rate,
        "achieved_send_rate": round(total / sent_seconds, 1),
        "seconds": round(sent_seconds, 2),
        "visible": len(latencies_ms),
        "never_seen": len(pending),
        "poll_interval_ms": int(POLL_S * 1000),
        "polls": polls["count"],
        "max_pending_per_poll": polls["max_pending"],
        "latency_ms": summary,
        "p95_target_ms": 2000,
        "p95_met": summary["p95"] is not None and summary["p95"] <= 2000 and not pending,
    }


# ---------------------------------------------------------------- 5. CSV import


def hours_cell(hours: list[dict[str, str]] | None) -> str:
    if hours is None:
        return ""  # blank: always open
    if not hours:
        return "closed"
    return "; ".join(f"{h['day']} {h['open']}-{h['close']}" for h in hours)


def csv_row(event: dict[str, Any]) -> dict[str, str]:
    data = event["data"]
    yes_no = {True: "yes", False: "no"}
    return {
        "id": event["id"],
        "name_bn": data["name"]["bn"],
        "name_en": data["name"].get("en", ""),
        "category": data["category"],
        "phone": data["phone"][3:],  # +8801712345678 → 01712345678, as clerks type it
        "phone_public": yes_no[data.get("phone_public", True)],
        "lat": str(data["location"]["lat"]),
        "lon": str(data["location"]["lon"]),
        "upazila": data["address"]["upazila"],
        "address_bn": data["address"].get("bn", ""),
        "address_en": data["address"].get("en", ""),
        "available": yes_no[data["available"]],
        "hours": hours_cell(data.get("hours")),
        "services": "; ".join(data.get("services", [])),
        "blood_group": data.get("blood_group", ""),
        "last_donation_date": data.get("last_donation_date", ""),
        "rating": str(data["rating"]) if "rating" in data else "",
    }


def filed_where_it_lies(row: dict[str, str]) -> dict[str, str]:
    """The row as a clerk files it: under the upazila its point lies in. The demo's points are discs
    around the towns, and a disc crosses borders; the importer judges a row by the polygons and refuses
    one filed under the wrong upazila, which would leave ~16 % of the file unpublished and the rows/s
    measured over less work than the rows say. A point outside the district moves to its upazila's centre."""
    geography = configured_geography()
    where = geography.locate(float(row["lat"]), float(row["lon"]))
    if where.upazila is not None:
        return row | {"upazila": where.upazila.slug}
    centre = geography.upazilas[row["upazila"]]
    return row | {"lat": str(centre.lat), "lon": str(centre.lon)}


def sheet_rows(columns: list[str], rows: int, seed: int, run: str, kind: str) -> Iterator[dict[str, str]]:
    for i, event in enumerate(scaled_provider_events(rows, seed)):
        event["id"] = f"{kind}-{run}-{i}"
        yield filed_where_it_lies(csv_row(event))


def csv_file(columns: list[str], rows: int, seed: int, run: str) -> bytes:
    """Excel's "CSV UTF-8 (Comma delimited)": a BOM, CRLF, quotes where needed."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(sheet_rows(columns, rows, seed, run, "csv"))
    return out.getvalue().encode("utf-8")


def xlsx_file(columns: list[str], rows: int, seed: int, run: str) -> bytes:
    """An .xlsx with typed cells as Excel stores them: coordinates, ratings and phones as numbers."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("providers")
    sheet.append(columns)
    numeric = {"lat", "lon", "rating", "phone"}
    for row in sheet_rows(columns, rows, seed, run, "xlsx"):
        sheet.append([float(row[c]) if c in numeric and row.get(c) else row.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class RssSampler:
    """The service's peak RSS over a measurement: VmHWM reset before it, and VmRSS sampled every 50 ms."""

    def __init__(self, process: ServiceProcess) -> None:
        self.process = process
        self.baseline = process.memory_kb().get("VmRSS", 0)
        self.peak_reset = process.reset_peak_rss()
        self.samples = [self.baseline]
        self.running = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> RssSampler:
        self.running.set()
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.running.clear()
        self.thread.join(5)

    def _sample(self) -> None:
        while self.running.is_set():
            try:
                self.samples.append(self.process.memory_kb().get("VmRSS", 0))
            except OSError:
                return
            time.sleep(0.05)

    def peak_mb(self) -> float:
        hwm = self.process.memory_kb().get("VmHWM", 0) if self.peak_reset else 0
        return round(max(max(self.samples), hwm) / 1024, 1)


def measure_import(process: ServiceProcess, file_kind: str, rows: int, seed: int, run: str) -> dict[str, Any]:
    """Upload a providers file, then follow GET /v1/imports/{id} until published and until searchable.

    The upload answers 202 once the file's shape is checked; validation and publishing go on in the
    background, so throughput is timed from the start of the upload to `status: published` (every
    row validated and on Kafka), and on to `searchable` (every row indexed and visible to search).
    """
    template = httpx.get(f"{process.url}/v1/imports/templates/providers.csv", timeout=10)
    if template.status_code != 200:
        return {"available": False, "reason": "GET /v1/imports/templates/providers.csv is missing"}
    columns = [c.strip() for c in next(csv.reader(io.StringIO(template.text.lstrip("\ufeff"))))]
    build = time.perf_counter()
    payload = (xlsx_file if file_kind == "xlsx" else csv_file)(columns, rows, seed, run)
    built_s = time.perf_counter() - build
    auth = {"Authorization": f"Bearer {IMPORT_KEY}"}
    name = f"bench-providers.{file_kind}"
    samples: list[tuple[float, int, int]] = []  # (seconds, rows checked, outcomes)
    with RssSampler(process) as rss:
        started = time.perf_counter()
        response = httpx.post(
            f"{process.url}/v1/imports/providers",
            files={"file": (name, payload, "application/octet-stream")},
            headers=auth,
            timeout=600,
        )
        answered_s = time.perf_counter() - started
        body = (
            response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        )
        result: dict[str, Any] = {
            "available": True,
            "file_kind": file_kind,
            "status": response.status_code,
            "rows": rows,
            "file_mb": round(len(payload) / 1e6, 1),
            "file_built_s": round(built_s, 1),
            "answered_s": round(answered_s, 2),
            "rss_before_mb": round(rss.baseline / 1024, 1),
        }
        if response.status_code != 202:
            result["error"] = body.get("message") or response.text[:500]
            return result
        status_url = f"{process.url}/v1/imports/{body['import_id']}"
        deadline = time.monotonic() + max(300, rows / 200)
        record: dict[str, Any] = {}
        while time.monotonic() < deadline:
            record = httpx.get(status_url, headers=auth, timeout=30).json()
            now = time.perf_counter() - started
            samples.append((round(now, 2), int(record.get("rows") or 0), int(record.get("outcomes") or 0)))
            if "published_s" not in result and record.get("status") in ("published", "failed"):
                result["published_s"] = round(now, 2)
            if record.get("searchable") or record.get("status") == "failed":
                result["searchable_s"] = round(now, 2)
                break
            time.sleep(POLL_S)
        result["peak_rss_mb"] = rss.peak_mb()
    result |= {
        "import_status": record.get("status"),
        "accepted": record.get("accepted"),
        "rejected": record.get("rejected"),
        "published": record.get("published"),
        "indexed": record.get("indexed"),
        "stale": record.get("stale"),
        "failed": record.get("failed"),
        "peak_from": "VmHWM reset before the upload, and VmRSS sampled every 50 ms"
        if rss.peak_reset
        else "VmRSS sampled every 50 ms",
        "progress_samples": samples[:: max(1, len(samples) // 40)],
    }
    if "published_s" in result:
        result["rows_per_s_published"] = round(rows / result["published_s"], 1)
    if "searchable_s" in result and record.get("searchable"):
        result["rows_per_s_searchable"] = round(rows / result["searchable_s"], 1)
    if record.get("errors"):
        result["first_errors"] = record["errors"][:3]
    return result


def measure_imports(process: ServiceProcess, rows: int, seed: int, run: str) -> list[dict[str, Any]]:
    if not (benchkit.REPO / "ingest-service" / "ingest" / "api" / "imports.py").exists():
        return [{"available": False, "reason": "ingest-service/ingest/api/imports.py does not exist"}]
    results = []
    for file_kind in ("csv", "xlsx"):
        log(f"import: {rows:,} rows as {file_kind}")
        results.append(measure_import(process, file_kind, rows, seed, run))
    return results


# ---------------------------------------------------------------- report


def print_report(report: dict[str, Any]) -> None:
    if "producer" in report:
        print_pipeline(report)
    print_imports(report.get("imports") or [])


def print_pipeline(report: dict[str, Any]) -> None:
    producer = report["producer"]
    print(
        format_table(
            ["stage", "events", "seconds", "events/s", "MB/s"],
            [
                [
                    "produce to Kafka",
                    producer["events"],
                    producer["seconds"],
                    producer["events_per_s"],
                    producer["mb_per_s"],
                ]
            ],
            title=f"\nIngest throughput — {report['events']:,} provider events ({report['machine']['note']})",
        )
    )
    rows: list[list[Any]] = []
    for run in report["ours"]:
        rows.append(
            [
                f"ours: {run.get('consumers', 1)} × ingest-service BATCH_SIZE={run['batch_size']}",
                run.get("seconds_to_searchable"),
                run.get("events_per_s"),
                run.get("steady_events_per_s"),
                run.get("error", ""),
            ]
        )
    for raw in report["raw"]:
        rows.append([f"raw: {raw['how']}", raw["seconds"], raw["docs_per_s"], None, ""])
    build = report["doc_build"]
    rows.append(["(validate + to_document alone, 1 core)", None, build["one_core_docs_per_s"], None, ""])
    print()
    print(format_table(["path", "seconds", "docs/s", "steady docs/s", "note"], rows))
    print()
    print(
        format_table(
            ["ours / raw", "raw sequential", "raw parallel", "target (× sequential)", "met"],
            [
                [
                    f"{r.get('consumers', 1)} × BATCH_SIZE={r['batch_size']}",
                    r["ratio_vs_bulk"],
                    r["ratio_vs_parallel_bulk"],
                    0.8,
                    r["ratio_met"],
                ]
                for r in report["ratios"]
            ],
        )
    )
    print_stages(report["ours"])
    fresh = report["freshness"]
    lat = fresh["latency_ms"]
    print()
    print(
        format_table(
            [
                "freshness",
                "events",
                "send rate",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "max ms",
                "never seen",
                "p95 ≤ 2 s",
            ],
            [
                [
                    f"{fresh['target_rate']}/s for {fresh['seconds']:.0f} s",
                    fresh["events"],
                    fresh["achieved_send_rate"],
                    lat["p50"],
                    lat["p95"],
                    lat["p99"],
                    lat["max"],
                    fresh["never_seen"],
                    fresh["p95_met"],
                ]
            ],
        )
    )


def print_stages(runs: list[dict[str, Any]]) -> None:
    """Where the ingest processes' time goes, µs per event: CPU of each stage, and its wall time."""
    profiled = [
        r["profile"] | {"label": f"{r.get('consumers', 1)}×{r['batch_size']}"} for r in runs if "profile" in r
    ]
    if not profiled:
        return
    headers = ["µs per event", *[f"{p['label']} {clock}" for p in profiled for clock in ("cpu", "wall")]]
    rows: list[list[Any]] = []
    for name in STAGES:
        rows.append(
            [name, *[p["stages_us_per_event"][name][k] for p in profiled for k in ("cpu_us", "wall_us")]]
        )
    for label, key, column in (
        ("engine (bulk wall - cpu)", "engine_us_per_event", 1),
        ("other (untimed CPU)", "other_cpu_us_per_event", 0),
        ("of all: garbage collection", "gc_us_per_event", 0),
        ("process CPU", "process_cpu_us_per_event", 0),
    ):
        rows.append([label, *[p.get(key) if i == column else None for p in profiled for i in (0, 1)]])
    print()
    print(format_table(headers, rows, title="Ingest stages, µs per event (sum over the group's processes)"))


def print_imports(imports: list[dict[str, Any]]) -> None:
    print()
    table = []
    for imp in imports:
        if not imp.get("available"):
            print(f"imports: not available ({imp.get('reason')})")
            continue
        if "error" in imp:
            print(f"{imp['file_kind']} import: failed with {imp['status']}: {imp['error']}")
            continue
        table.append(
            [
                f"POST /v1/imports/providers ({imp['file_kind']})",
                imp["rows"],
                imp["file_mb"],
                imp["answered_s"],
                imp.get("published_s"),
                imp.get("rows_per_s_published"),
                imp.get("searchable_s"),
                imp.get("rows_per_s_searchable"),
                imp["rejected"],
                imp["rss_before_mb"],
                imp["peak_rss_mb"],
            ]
        )
    if table:
        print(
            format_table(
                [
                    "import",
                    "rows",
                    "MB",
                    "202 after s",
                    "published after s",
                    "rows/s validated+published",
                    "searchable after s",
                    "rows/s to searchable",
                    "rejected",
                    "RSS before MB",
                    "peak RSS MB",
                ],
                table,
                title="Imports: upload → 202, then GET /v1/imports/{id} until published and until searchable "
                "(target ≥ 10,000 rows/s validated and published)",
            )
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run = uuid.uuid4().hex[:6]
    settings = PortalSettings(index_prefix=PREFIX, topic_prefix=f"{PREFIX}{run}_")
    client = OpenSearch(hosts=[settings.opensearch_url], timeout=120)
    report: dict[str, Any] = {
        **benchkit.report_opening("ingest"),
        "events": args.events,
        "index_prefix": settings.index_prefix,
        "topic_prefix": settings.topic_prefix,
    }
    groups: list[str] = []
    steady: ServiceProcess | None = None
    consumer: ServiceProcess | None = None
    limits = {  # the imports' size limits, raised to fit --csv-rows
        "IMPORT_MAX_ROWS": str(max(200_000, args.csv_rows)),
        "IMPORT_MAX_BYTES": str(max(64, args.csv_rows // 1000) * 1024 * 1024),
    }
    try:
        log("removing leftovers of earlier bench_ingest runs")
        delete_run(client, PREFIX)
        delete_topics_with_prefix(settings, PREFIX)
        ensure_topics(settings, partitions=6)
        topic = topic_for(settings, "provider")

        if args.imports_only:
            group = f"bench-{uuid.uuid4().hex[:12]}"
            # Assigned before started, so `finally` stops a process whose start-up times out.
            if args.separate_consumer:
                log("imports only: an import-only ingest-service, and another one consuming")
                consumer = ingest_process("ingest-consumer", settings, group)
                consumer.start()
                wait_group_stable(settings, group)
                steady = ingest_process("ingest-imports", settings, group, CONSUMER_ENABLED="false", **limits)
                steady.start()
            else:
                log("imports only: one ingest-service with the default settings")
                steady = ingest_process("ingest-imports", settings, group, **limits)
                steady.start()
                wait_group_stable(settings, group)
            report["imports"] = measure_imports(steady, args.csv_rows, args.seed + 2, run)
            report["separate_consumer"] = args.separate_consumer
        else:
            log(f"generating {args.events:,} provider events")
            messages = encode_events(list(scaled_provider_events(args.events, args.seed)))
            log("producing them to Kafka")
            report["producer"] = produce_all(settings, topic, messages)
            ends = partitions_of(settings, [topic, topic_for(settings, "product")])

            log("building the same documents for the raw load (validate → to_document)")
            docs, report["doc_build"] = build_documents(messages)

            report["raw"] = []
            for mode in ("bulk", "parallel_bulk"):
                log(f"raw load: {mode}")
                report["raw"].append(raw_load(client, docs, mode))
            del docs

            report["ours"] = []
            batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
            runs = [(b, 1) for b in batch_sizes]
            runs += [(batch_sizes[0], int(n)) for n in args.consumers.split(",") if n.strip() and int(n) > 1]
            for batch_size, consumers in runs:
                log(f"ours: {consumers} ingest-service process(es) with BATCH_SIZE={batch_size}")
                report["ours"].append(
                    run_ours(settings, client, ends, args.events, batch_size, groups, consumers)
                )
            raw_by_mode = {r["mode"]: r["docs_per_s"] for r in report["raw"]}
            report["ratios"] = [
                {
                    "batch_size": r["batch_size"],
                    "consumers": r.get("consumers", 1),
                    "ratio_vs_bulk": ratio(r.get("events_per_s"), raw_by_mode.get("bulk")),
                    "ratio_vs_parallel_bulk": ratio(r.get("events_per_s"), raw_by_mode.get("parallel_bulk")),
                    "target": 0.8,
                    "target_of": "raw sequential bulk",
                    # issue 26: one process ≥ 0.8 × the raw sequential bulk (parallel shown beside it)
                    "ratio_met": (ratio(r.get("events_per_s"), raw_by_mode.get("bulk")) or 0) >= 0.8,
                }
                for r in report["ours"]
            ]

            log("freshness and CSV import: one ingest-service with the default settings")
            steady = ingest_process(
                "ingest-steady",
                settings,
                groups[-1] if groups else f"bench-{uuid.uuid4().hex[:12]}",  # already at the log end
                **limits,
            )
            steady.start()
            wait_group_stable(settings, steady.env["CONSUMER_GROUP"])
            log(f"freshness: {args.rate}/s for {args.freshness_seconds:.0f} s")
            report["freshness"] = measure_freshness(
                settings, client, topic, args.rate, args.freshness_seconds, args.seed + 1, run
            )
            if args.csv_rows > 0:
                report["imports"] = measure_imports(steady, args.csv_rows, args.seed + 2, run)
            else:
                report["imports"] = [{"available": False, "reason": "skipped (--csv-rows 0)"}]
        report["ingest_log"] = str(steady.log_path)
    finally:
        if steady is not None:
            steady.stop()
        if consumer is not None:
            consumer.stop()
        if not args.keep:
            log("cleaning up bench indices, topics and consumer groups (--keep keeps them)")
            delete_run(client, PREFIX)
            delete_topics_with_prefix(settings, settings.topic_prefix)
            delete_groups(settings, groups)
        client.close()
    print_report(report)
    path = benchkit.write_json("ingest", report)
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
