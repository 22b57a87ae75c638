"""consume → validate → to_document → bulk_write → (hidden_sellers) → commit, with the dead-letter path.

At-least-once delivery with exactly-once effect: offsets are committed only after every event of the
polled batch has an outcome that is durable (indexed, skipped as stale, or acknowledged on the
dead-letter topic). If the engine goes away, the batch is retried with backoff and nothing is polled or
committed until it is back; a crash at any point redelivers the batch, and external versions make the
second write a no-op.

kafka-python is blocking and not thread-safe, so every consumer call runs on one dedicated thread.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from kafka import KafkaConsumer
from kafka.errors import CommitFailedError, KafkaError, RebalanceInProgressError

from ingest import metrics
from ingest.bulk_write import BulkOutcome, BulkWriter
from ingest.config import IngestSettings
from ingest.dead_letter import DeadLetterPublisher
from ingest.engine import EngineUnavailable, IngestEngine
from ingest.events import ChangeEvent, Rejection, SourcePosition
from ingest.hidden_sellers import reconcile_hidden_sellers, touched_sellers
from ingest.topics import entity_of_topic
from ingest.validate import validate
from portal.clock import now_dhaka

log = logging.getLogger("ingest.consume")

IMPORT_HEADER = "import_id"


def _headers(record: Any) -> dict[str, str]:
    return {k: v.decode("utf-8", "replace") for k, v in (record.headers or []) if v is not None}


class IngestConsumer:
    def __init__(
        self,
        settings: IngestSettings,
        engine: IngestEngine,
        writer: BulkWriter,
        dead_letters: DeadLetterPublisher,
        *,
        clock: Callable[[], datetime] = now_dhaka,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.writer = writer
        self.dead_letters = dead_letters
        self.clock = clock
        self.entity_of = entity_of_topic(settings)
        self.paused = False
        self.running = False
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kafka-consumer")
        self._consumer: KafkaConsumer | None = None
        self._last_lag_check = 0.0

    async def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._thread, lambda: fn(*args, **kwargs))

    def _open(self) -> KafkaConsumer:
        consumer = KafkaConsumer(
            group_id=self.settings.consumer_group,
            client_id="ingest",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.settings.batch_size,
            max_poll_interval_ms=300_000,
            session_timeout_ms=self.settings.consumer_session_timeout_ms,
            heartbeat_interval_ms=self.settings.consumer_session_timeout_ms // 3,
            fetch_max_wait_ms=max(self.settings.linger_ms, 1),
            # One fetch may carry max_partition_fetch_bytes from each of 12 partitions: let such a
            # response through instead of dropping the connection as an oversized frame.
            receive_message_max_bytes=64 * 1024 * 1024,
            fetch_max_bytes=32 * 1024 * 1024,
            **self.settings.kafka_client_options(),
        )
        # Know the partitions before joining the group: subscribing to topics whose metadata has not
        # arrived yet makes the first assignment empty and forces an extra rebalance right away.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(
            consumer.partitions_for_topic(t) for t in self.entity_of
        ):
            time.sleep(0.2)
        consumer.subscribe(topics=list(self.entity_of))
        return consumer

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set. Returns after closing the consumer without an automatic commit."""
        self.running = True
        try:
            while not stop.is_set():
                if self._consumer is None:
                    try:
                        self._consumer = await self._call(self._open)
                    except KafkaError as e:
                        log.warning("kafka not reachable yet (%s); retrying", e)
                        await sleep_or_stop(stop, 2.0)
                        continue
                try:
                    await self._cycle(stop)
                except Exception:
                    # The polled batch has no durable outcome, but the consumer's position is past it:
                    # committing later would skip it. Rejoin, which starts again from the last commit.
                    log.exception("consumer cycle failed; rejoining from the last committed offsets")
                    await self._close()
                    await sleep_or_stop(stop, 1.0)
        finally:
            self.running = False
            await self._close()
            self._thread.shutdown(wait=False)

    async def _close(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            try:
                await self._call(consumer.close, autocommit=False)
            except Exception:
                log.exception("closing the consumer failed")

    async def _cycle(self, stop: asyncio.Event) -> None:
        consumer = self._consumer
        assert consumer is not None
        polled = await self._call(
            consumer.poll, timeout_ms=self.settings.linger_ms, max_records=self.settings.batch_size
        )
        await self._report_lag(consumer)
        records = [record for batch in polled.values() for record in batch]
        if not records:
            return
        metrics.BATCH_SIZE.observe(len(records))
        events, rejections = self._validate(records)
        outcome = await self._write_until_done(events, stop)
        if outcome is None:
            return  # stopping while the engine is away: commit nothing, the batch will be redelivered
        rejections += [_refused(event, reason) for event, reason in outcome.rejected]
        if rejections:
            await asyncio.get_running_loop().run_in_executor(None, self.dead_letters.publish, rejections)
        await self._count_imports(outcome, rejections)
        self._count(outcome, rejections)
        try:
            await self._call(consumer.commit, timeout_ms=30_000)
        except (CommitFailedError, RebalanceInProgressError) as e:
            # The group rebalanced while we worked; the new owner re-reads the batch and finds it stale.
            log.warning("offset commit failed after a rebalance (%s); the batch will be redelivered", e)

    def _validate(self, records: list[Any]) -> tuple[list[ChangeEvent], list[Rejection]]:
        events: list[ChangeEvent] = []
        rejections: list[Rejection] = []
        for record in records:
            position = SourcePosition(record.topic, record.partition, record.offset)
            result = validate(
                record.value,
                self.entity_of[record.topic],
                position=position,
                key=record.key,
                headers=_headers(record),
                max_bytes=self.settings.max_event_bytes,
            )
            (events if isinstance(result, ChangeEvent) else rejections).append(result)
        return events, rejections

    async def _write_until_done(self, events: list[ChangeEvent], stop: asyncio.Event) -> BulkOutcome | None:
        delay = self.settings.bulk_retry_initial_s
        while True:
            try:
                started = time.perf_counter()
                outcome = await self.writer.write(events, now=self.clock())
                metrics.BULK_SECONDS.observe(time.perf_counter() - started)
                if sellers := touched_sellers(outcome.indexed + outcome.stale):
                    await reconcile_hidden_sellers(self.engine, self.writer.index_for["seller"], sellers)
                if self.paused:
                    log.info("engine is back; consumption resumes")
                self.paused = False
                metrics.CONSUMER_PAUSED.set(0)
                metrics.ENGINE_UP.set(1)
                return outcome
            except EngineUnavailable as e:
                if not self.paused:
                    log.warning("engine unavailable (%s); pausing consumption, nothing is committed", e)
                self.paused = True
                metrics.CONSUMER_PAUSED.set(1)
                metrics.ENGINE_UP.set(0)
                if await sleep_or_stop(stop, delay):
                    return None
                delay = min(delay * 2, self.settings.bulk_retry_max_s)

    async def _count_imports(self, outcome: BulkOutcome, rejections: list[Rejection]) -> None:
        per_import: dict[str, Counter[str]] = {}
        for name, group in (("indexed", outcome.indexed), ("stale", outcome.stale)):
            for event in group:
                if IMPORT_HEADER in event.headers:
                    per_import.setdefault(event.headers[IMPORT_HEADER], Counter())[name] += 1
        for event, _ in outcome.rejected:
            if IMPORT_HEADER in event.headers:
                per_import.setdefault(event.headers[IMPORT_HEADER], Counter())["failed"] += 1
        for import_id, counts in per_import.items():
            try:
                await self.engine.add_import_progress(import_id, dict(counts))
            except EngineUnavailable as e:
                log.warning("could not record progress of import %s: %s", import_id, e)

    def _count(self, outcome: BulkOutcome, rejections: list[Rejection]) -> None:
        for name, group in (("indexed", outcome.indexed), ("stale", outcome.stale)):
            for entity, n in Counter(e.entity for e in group).items():
                metrics.EVENTS.labels(entity, name).inc(n)
        for rejection in rejections:
            entity = (
                self.entity_of.get(rejection.position.topic, "unknown") if rejection.position else "unknown"
            )
            metrics.EVENTS.labels(entity, "dead_lettered").inc()

    async def _report_lag(self, consumer: KafkaConsumer) -> None:
        if time.monotonic() - self._last_lag_check < 5:
            return
        self._last_lag_check = time.monotonic()
        await self._call(self._record_lag, consumer)

    @staticmethod
    def _record_lag(consumer: KafkaConsumer) -> None:
        """Lag from what the last fetches told us: no extra requests, never blocks the loop."""
        for tp in consumer.assignment():
            try:
                end, position = consumer.highwater(tp), consumer.position(tp, timeout_ms=0)
            except KafkaError:
                continue
            if end is not None and position is not None:
                metrics.CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(max(end - position, 0))


def _refused(event: ChangeEvent, reason: str) -> Rejection:
    return Rejection(
        reason="engine_refused", message=reason, raw=event.raw, position=event.position, key=event.key
    )


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep, waking early if asked to stop. True if stopping."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
        return True
    except TimeoutError:
        return False
