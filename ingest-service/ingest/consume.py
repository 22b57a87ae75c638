"""consume → validate → to_document → bulk_write → hide_deleted_sellers → dead_letter → record progress → commit.

At-least-once delivery with exactly-once effect: a batch's offsets are committed only after every one
of its events has an outcome that is durable (indexed, skipped as stale, or acknowledged on the
dead-letter topic) and the progress of the CSV imports among them is recorded. If the engine goes
away, the batch is retried with the pipe's one backoff (retry.py) and nothing is committed until it
is back; a crash at any point redelivers the batch, and external versions make the second write a
no-op.

Read-ahead: while one batch is being written, the next is already polled, validated and turned into
documents on a thread of its own, so Python's share of the work overlaps the engine's. Offsets are
committed per batch, explicitly and in order, so reading ahead never commits what is not written.

kafka-python is blocking and not thread-safe, so every consumer call runs on one dedicated thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import CommitFailedError, KafkaError, RebalanceInProgressError
from kafka.structs import OffsetAndMetadata

from ingest import metrics
from ingest.bulk_write import BulkOutcome, BulkWriter, Document, latest_per_id
from ingest.config import IngestSettings
from ingest.dead_letter import DeadLetterPublisher
from ingest.engine import EngineUnavailable, IngestEngine
from ingest.events import ChangeEvent, Rejection, SourcePosition
from ingest.hide_deleted_sellers import reconcile_hidden_sellers, touched_sellers
from ingest.import_progress import ImportProgress
from ingest.retry import Backoff, sleep_or_stop
from ingest.to_document import to_documents
from ingest.topics import entity_of_topic
from ingest.validate import validate
from portal.clock import now_dhaka

log = logging.getLogger("ingest.consume")


def _headers(record: Any) -> dict[str, str]:
    return {k: v.decode("utf-8", "replace") for k, v in (record.headers or []) if v is not None}


@dataclass
class Batch:
    """One poll, read and prepared: the documents to write, what is already decided, what to commit."""

    documents: list[Document] = field(default_factory=list)
    stale: list[ChangeEvent] = field(default_factory=list)  # superseded by a newer version in the batch
    rejections: list[Rejection] = field(default_factory=list)  # invalid: dead letters
    #: valid, but no index document could be built: dead letters, and failed rows of their imports
    untransformable: list[tuple[ChangeEvent, str]] = field(default_factory=list)
    offsets: dict[TopicPartition, int] = field(default_factory=dict)  # next offset per partition


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
        self.progress = ImportProgress(engine, settings)
        self.backoff = Backoff(settings.bulk_retry_initial_s, settings.bulk_retry_max_s)
        self.clock = clock
        self.entity_of = entity_of_topic(settings)
        self.paused = False
        self.running = False
        self._kafka = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kafka-consumer")
        self._prepare = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare-batch")
        self._consumer: KafkaConsumer | None = None
        self._last_lag_check = 0.0

    async def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._kafka, lambda: fn(*args, **kwargs))

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

    # ------------------------------------------------------------------------------------ the pipe

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set. Returns after closing the consumer without an automatic commit."""
        self.running = True
        ahead: asyncio.Future[Batch | None] | None = None
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
                    batch = await (ahead or self._consume())
                    ahead = None
                    if batch is None:
                        continue
                    ahead = asyncio.ensure_future(
                        self._consume()
                    )  # the next batch, while this one is written
                    if not await self._deliver(batch, stop):
                        break  # stopping while the engine is away: nothing committed, all redelivered
                except Exception:
                    # A polled batch has no durable outcome, but the consumer's position is past it:
                    # committing later would skip it. Rejoin, which starts again from the last commit.
                    log.exception("consumer cycle failed; rejoining from the last committed offsets")
                    await _discard(ahead)
                    ahead = None
                    await self._close()
                    await sleep_or_stop(stop, 1.0)
        finally:
            self.running = False
            await _discard(ahead)
            await self._close()
            self._kafka.shutdown(wait=False)
            self._prepare.shutdown(wait=False)

    async def _consume(self) -> Batch | None:
        """consume → validate → to_document, for one poll; None when nothing arrived."""
        consumer = self._consumer
        assert consumer is not None
        polled = await self._call(
            consumer.poll, timeout_ms=self.settings.linger_ms, max_records=self.settings.batch_size
        )
        await self._report_lag(consumer)
        records = [record for batch in polled.values() for record in batch]
        if not records:
            return None
        metrics.BATCH_SIZE.observe(len(records))
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._prepare, self._prepared, records, self.clock())

    def _prepared(self, records: list[Any], now: datetime) -> Batch:
        batch = Batch()
        events: list[ChangeEvent] = []
        for record in records:
            tp = TopicPartition(record.topic, record.partition)
            batch.offsets[tp] = max(batch.offsets.get(tp, 0), record.offset + 1)
            result = validate(
                record.value,
                self.entity_of[record.topic],
                position=SourcePosition(record.topic, record.partition, record.offset),
                key=record.key,
                headers=_headers(record),
                max_bytes=self.settings.max_event_bytes,
            )
            if isinstance(result, ChangeEvent):
                events.append(result)
            else:
                batch.rejections.append(result)
        latest, batch.stale = latest_per_id(events)
        batch.documents, batch.untransformable = to_documents(latest, indexed_at=now)
        return batch

    async def _deliver(self, batch: Batch, stop: asyncio.Event) -> bool:
        """bulk_write → hide_deleted_sellers → dead_letter → record progress → commit. False if stopped first."""
        outcome = await self._write(batch, stop)
        if outcome is None:
            return False
        if not await self._until_done(lambda: self._hide_deleted_sellers(outcome), stop, "hidden sellers"):
            return False
        rejections = (
            batch.rejections
            + [_refused(event, reason, "untransformable") for event, reason in batch.untransformable]
            + [_refused(event, reason, "engine_refused") for event, reason in outcome.rejected]
        )
        if rejections:
            await asyncio.get_running_loop().run_in_executor(None, self.dead_letters.publish, rejections)
        if not await self._until_done(
            lambda: self.progress.record(outcome, also_failed=batch.untransformable),
            stop,
            "import progress",
            pauses=False,
        ):
            return False
        self._count(outcome, rejections)
        await self._commit(batch)
        return True

    async def _write(self, batch: Batch, stop: asyncio.Event) -> BulkOutcome | None:
        """Every document to an outcome: resend what the engine could not take, with the pipe's backoff."""
        outcome = BulkOutcome(stale=list(batch.stale))
        pending = batch.documents

        async def attempt() -> bool:
            nonlocal pending
            started = time.perf_counter()
            result = await self.writer.write(pending)
            metrics.BULK_SECONDS.observe(time.perf_counter() - started)
            outcome.absorb(result)
            pending = result.retry
            return not pending

        return outcome if await self._until_done(attempt, stop, "bulk write") else None

    async def _hide_deleted_sellers(self, outcome: BulkOutcome) -> None:
        """A deleted seller's products leave every answer: the `~hidden` list agrees with the sellers
        this batch touched (written or stale — a crash before this step is healed on redelivery)."""
        if sellers := touched_sellers(outcome.indexed + outcome.stale):
            await reconcile_hidden_sellers(self.engine, self.writer.index_for["seller"], sellers)

    async def _until_done(
        self, attempt: Callable[[], Any], stop: asyncio.Event, what: str, *, pauses: bool = True
    ) -> bool:
        """The one retry loop: try, back off while the engine is away or busy. False if stopped.

        `pauses`: a failure pauses consumption as ops see it (/readyz 503, the paused gauge). Import
        progress does not: the engine is there and documents flow; only the imports index is refusing.
        """
        for delay in self.backoff.delays():
            try:
                # The bulk attempt answers whether everything is written; the others are done by returning.
                done = await attempt() is not False
            except EngineUnavailable as e:
                done = False
                if not pauses:
                    log.warning("%s not recorded (%s); retrying before the commit", what, e)
                else:
                    if not self.paused:
                        log.warning(
                            "engine unavailable during %s (%s); pausing, nothing is committed", what, e
                        )
                    self._set_paused(True)
            else:
                if pauses:  # every answer from the engine says it is up (the gauges ops read)
                    if self.paused:
                        log.info("engine is back; consumption resumes")
                    self._set_paused(False)
            if done:
                return True
            metrics.BULK_RETRIES.inc()
            if await sleep_or_stop(stop, delay):
                return False
        raise AssertionError("unreachable: the backoff never ends")

    def _set_paused(self, paused: bool) -> None:
        self.paused = paused
        metrics.CONSUMER_PAUSED.set(1 if paused else 0)
        metrics.ENGINE_UP.set(0 if paused else 1)

    async def _commit(self, batch: Batch) -> None:
        """This batch's offsets exactly — never the read-ahead's, which has no outcome yet."""
        consumer = self._consumer
        assert consumer is not None
        offsets = {tp: OffsetAndMetadata(offset, "", -1) for tp, offset in batch.offsets.items()}
        try:
            await self._call(consumer.commit, offsets, timeout_ms=30_000)
        except (CommitFailedError, RebalanceInProgressError) as e:
            # The group rebalanced while we worked; the new owner re-reads the batch and finds it stale.
            log.warning("offset commit failed after a rebalance (%s); the batch will be redelivered", e)

    async def _close(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            try:
                await self._call(consumer.close, autocommit=False)
            except Exception:
                log.exception("closing the consumer failed")

    # ------------------------------------------------------------------------------ observability

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


def _refused(event: ChangeEvent, message: str, reason: str) -> Rejection:
    return Rejection(reason=reason, message=message, raw=event.raw, position=event.position, key=event.key)


async def _discard(ahead: asyncio.Future[Batch | None] | None) -> None:
    """Let a read-ahead finish (its records are simply read again after a rejoin) and drop it."""
    if ahead is not None:
        with contextlib.suppress(Exception):
            await ahead
    return None
