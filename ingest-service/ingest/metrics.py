"""ingest-service's Prometheus metrics: what ops watch to know the pipe is flowing."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator

from prometheus_client import Counter, Gauge, Histogram

EVENTS = Counter(
    "ingest_events_total",
    "Consumed events by entity and outcome (indexed, stale, dead_lettered)",
    ["entity", "outcome"],
)
BULK_SECONDS = Histogram(
    "ingest_bulk_seconds",
    "Duration of one _bulk round trip",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
BULK_RETRIES = Counter(
    "ingest_bulk_retries_total",
    "Retries of the pipe's writes (documents, import progress) after 429/5xx/timeouts",
)
BATCH_SIZE = Histogram(
    "ingest_batch_events", "Events per consumed batch", buckets=(1, 10, 50, 100, 250, 500, 1000, 2500)
)
CONSUMER_LAG = Gauge(
    "ingest_consumer_lag", "Records behind the log end, per assigned partition", ["topic", "partition"]
)
ENGINE_UP = Gauge("ingest_engine_up", "1 when OpenSearch answered the last check")
KAFKA_UP = Gauge("ingest_kafka_up", "1 when the Kafka broker answered the last check")
CONSUMER_ASSIGNMENTS = Counter(
    "ingest_consumer_assignments_total",
    "Partition assignments received, by pipe: one per join of its group; more mean the group rebalanced",
    ["pipe"],
)
REPLAYS_SKIPPED = Counter(
    "ingest_consumer_replays_skipped_total",
    "Records a rebalance handed over again while this process already had them in hand, skipped (each "
    "offset reaches the pipe once), by pipe",
    ["pipe"],
)
ENGINE_REFUSALS = Counter(
    "ingest_engine_refusals_total",
    "Requests the engine refused for good (never sent again; their events are dead-lettered), by step",
    ["step"],
)
CONSUMER_PAUSED = Gauge("ingest_consumer_paused", "1 while consumption is paused because the engine is away")
IMPORT_ROWS = Counter(
    "ingest_import_rows_total", "CSV rows by entity and outcome (accepted, rejected)", ["entity", "outcome"]
)
STAGE_SECONDS = Counter(
    "ingest_stage_seconds_total",
    "Time a consumer pipe spent in each of its stages (fetch, decode, validate, to_document, bulk_encode, "
    "bulk, commit), by clock: `cpu` is the CPU time of the thread that ran the stage, `wall` the time "
    "that passed; the engine's share of a bulk is its wall time less its cpu",
    ["pipe", "stage", "clock"],
)


@contextlib.contextmanager
def stage(pipe: str, name: str) -> Iterator[None]:
    """Time one stage of one batch on both clocks (per batch, not per event: a few µs per thousand)."""
    cpu, wall = time.thread_time(), time.perf_counter()
    try:
        yield
    finally:
        STAGE_SECONDS.labels(pipe, name, "cpu").inc(time.thread_time() - cpu)
        STAGE_SECONDS.labels(pipe, name, "wall").inc(time.perf_counter() - wall)


GC_SECONDS = Counter(
    "ingest_gc_seconds_total",
    "Time the garbage collector ran, all threads (it holds the interpreter while it runs)",
)


def time_garbage_collection() -> None:
    """Count the collector's time in GC_SECONDS from now on (once per process)."""
    if _gc_timer not in gc.callbacks:
        gc.callbacks.append(_gc_timer)


_gc_started = [0.0]


def _gc_timer(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _gc_started[0] = time.perf_counter()
    else:
        GC_SECONDS.inc(time.perf_counter() - _gc_started[0])
