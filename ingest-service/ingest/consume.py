"""consume → validate → to_document → bulk_write → hide_deleted_sellers → dead_letter → record progress → commit.

At-least-once delivery with exactly-once effect: a batch's offsets are committed only after every one
of its events has an outcome that is durable (indexed, skipped as stale, or acknowledged on the
dead-letter topic) and the progress of the CSV imports among them is recorded. If the engine goes
away, the batch is retried with the pipe's one backoff (retry.py) and nothing is committed until it
is back; a crash at any point redelivers the batch, and external versions make the second write a
no-op. What the engine refuses for good — a document, the hidden-seller update, an import's counts —
is not retried for ever: its events go to the dead-letter topic with the engine's reason.

Kafka is the consumer runner's (consumer_runner.py): it polls, reads the next batch ahead while this
one is delivered (so Python's share of the work overlaps the engine's), commits each batch's offsets
exactly and in order, and hands every offset over once, rebalances included. This module is the pipe:
`prepare` (validate → to_document, on a thread of its own) and `deliver` (the rest, in order).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ingest import metrics
from ingest.bulk_write import BulkOutcome, BulkWriter, Document, FailedAttempts, latest_per_id
from ingest.config import IngestSettings
from ingest.consumer_runner import ConsumerRunner, GroupMember
from ingest.dead_letter import DeadLetterPublisher
from ingest.engine import EngineRefused, EngineUnavailable, IngestEngine, engine_call
from ingest.events import ChangeEvent, Rejection, SourcePosition
from ingest.hide_deleted_sellers import reconcile_hidden_sellers, touched_sellers
from ingest.import_progress import IMPORT_HEADER, ImportProgress
from ingest.retry import Backoff, until_done
from ingest.to_document import to_documents
from ingest.topics import entity_of_topic
from ingest.validate import Decoded, decode, judge
from portal.clock import now_dhaka

log = logging.getLogger("ingest.consume")
#: This pipe's name in logs and metrics (the consumer runner's too).
PIPE = "entities"
#: The garbage collector's thresholds while consuming (CPython's default: 700, 10, 10).
GC_THRESHOLDS = (50_000, 20, 10)


def _headers(record: Any) -> dict[str, str]:
    return {k: v.decode("utf-8", "replace") for k, v in (record.headers or []) if v is not None}


@dataclass
class Batch:
    """One poll, read and prepared: the documents to write and what is already decided."""

    documents: list[Document] = field(default_factory=list)
    stale: list[ChangeEvent] = field(default_factory=list)  # superseded by a newer version in the batch
    rejections: list[Rejection] = field(default_factory=list)  # invalid: dead letters
    #: valid, but no index document could be built: dead letters, and failed rows of their imports
    untransformable: list[tuple[ChangeEvent, str]] = field(default_factory=list)


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
        member = GroupMember(
            group=settings.consumer_group,
            client_id="ingest",
            topics=tuple(self.entity_of),
            batch_size=settings.batch_size,
            poll_ms=settings.linger_ms,
            session_timeout_ms=settings.consumer_session_timeout_ms,
        )
        self.runner = ConsumerRunner(settings, member, self, backoff=self.backoff, name=PIPE)

    @property
    def running(self) -> bool:
        return self.runner.running

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set. Returns after closing the consumer without an automatic commit."""
        # What exists now (the app, the schemas, the clients) lives as long as the process: frozen, the
        # garbage collector stops walking it again and again while batches come and go. And a batch
        # allocates ~100 objects an event, nearly all freed without cycles by reference counting: a
        # young collection every 50,000 allocations instead of every 700 finds the same few cycles.
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        metrics.time_garbage_collection()
        await self.runner.run(stop)

    # ------------------------------------------------------------------------------------ the pipe

    def prepare(self, records: list[Any]) -> Batch:
        """decode → validate → to_document, for one poll (on the runner's prepare thread)."""
        metrics.BATCH_SIZE.observe(len(records))
        batch = Batch()
        max_bytes = self.settings.max_event_bytes
        with metrics.stage(PIPE, "decode"):
            decoded = [decode(record.value, max_bytes=max_bytes) for record in records]
        events: list[ChangeEvent] = []
        with metrics.stage(PIPE, "validate"):
            for record, body in zip(records, decoded, strict=True):
                position = SourcePosition(record.topic, record.partition, record.offset)
                if isinstance(body, Decoded):
                    result = judge(
                        body,
                        record.value,
                        self.entity_of[record.topic],
                        position=position,
                        key=record.key,
                        headers=_headers(record),
                    )
                else:
                    reason, message = body
                    result = Rejection(
                        reason=reason,
                        message=message,
                        raw=record.value or b"",
                        position=position,
                        key=record.key,
                    )
                if isinstance(result, ChangeEvent):
                    events.append(result)
                else:
                    batch.rejections.append(result)
        with metrics.stage(PIPE, "to_document"):
            latest, batch.stale = latest_per_id(events)
            batch.documents, batch.untransformable = to_documents(latest, indexed_at=self.clock())
        return batch

    async def deliver(self, batch: Batch, stop: asyncio.Event) -> bool:
        """bulk_write → hide_deleted_sellers → dead_letter → record progress. False if stopped first."""
        outcome = await self._write(batch, stop)
        if outcome is None:
            return False
        sellers_refused = await self._hide_deleted_sellers(outcome, stop)
        if sellers_refused is None:
            return False
        rejections = (
            batch.rejections
            + [_refused(event, reason, "untransformable") for event, reason in batch.untransformable]
            + [_refused(event, reason, "engine_refused") for event, reason in outcome.rejected]
            + sellers_refused
        )
        await self._dead_letter(rejections)
        progress_refused = await self._record_progress(outcome, batch, stop)
        if progress_refused is None:
            return False
        await self._dead_letter(progress_refused)
        self._count(outcome, rejections + progress_refused)
        return True

    async def _write(self, batch: Batch, stop: asyncio.Event) -> BulkOutcome | None:
        """Every document to an outcome: resend what the engine could not take, with the pipe's backoff —
        for as long as it is busy or away, up to the ceiling for a document it fails on."""
        outcome = BulkOutcome(stale=list(batch.stale))
        pending = batch.documents
        failed = FailedAttempts()

        async def attempt() -> bool:
            nonlocal pending
            started = time.perf_counter()
            result = await self.writer.write(pending)
            metrics.BULK_SECONDS.observe(time.perf_counter() - started)
            outcome.absorb(result)
            again, given_up = failed.settle(result.failed, key=lambda d: (d[0].entity, d[0].id))
            outcome.rejected += [(event, reason) for (event, _), reason in given_up]
            pending = result.retry + again
            return not pending

        return outcome if await self._until_done(attempt, stop, "bulk write") else None

    async def _hide_deleted_sellers(
        self, outcome: BulkOutcome, stop: asyncio.Event
    ) -> list[Rejection] | None:
        """A deleted seller's products leave every answer: the `~hidden` list agrees with the sellers
        this batch touched (written or stale — a crash before this step is healed on redelivery).
        The dead letters of the sellers' events if the engine refuses the update for good; None if stopped."""
        touched = [e for e in outcome.indexed + outcome.stale if e.entity == "seller"]
        if not touched:
            return []
        sellers = touched_sellers(touched)

        async def attempt() -> bool:
            await reconcile_hidden_sellers(self.engine, self.writer.index_for["seller"], sellers)
            return True

        try:
            return [] if await self._until_done(attempt, stop, "hidden sellers") else None
        except EngineRefused as e:
            return self._refused_step("hidden sellers", touched, e)

    async def _record_progress(
        self, outcome: BulkOutcome, batch: Batch, stop: asyncio.Event
    ) -> list[Rejection] | None:
        """The imports' counts, before the commit. Dead letters of the imported events if the imports
        index refuses the counts for good; None if stopped."""

        async def attempt() -> bool:
            with engine_call("the imports index"):
                await self.progress.record(outcome, also_failed=batch.untransformable)
            return True

        try:
            return [] if await self._until_done(attempt, stop, "import progress", pauses=False) else None
        except EngineRefused as e:
            # Those rejected or untransformable are dead-lettered already.
            counted = [x for x in outcome.indexed + outcome.stale if IMPORT_HEADER in x.headers]
            return self._refused_step("import progress", counted, e)

    def _refused_step(self, step: str, events: list[ChangeEvent], error: EngineRefused) -> list[Rejection]:
        metrics.ENGINE_REFUSALS.labels(step).inc()
        log.error(
            "the engine refused the %s for good (%s); dead-lettering %d events", step, error, len(events)
        )
        return [_refused(event, f"{step}: {error}", "engine_refused") for event in events]

    async def _dead_letter(self, rejections: list[Rejection]) -> None:
        if rejections:
            await asyncio.get_running_loop().run_in_executor(None, self.dead_letters.publish, rejections)

    async def _until_done(
        self, attempt: Callable[[], Awaitable[bool]], stop: asyncio.Event, what: str, *, pauses: bool = True
    ) -> bool:
        """The pipe's retry loop (retry.until_done): while the engine is away or busy, back off and try
        again, for as long as it takes. False if stopped. EngineRefused passes: it is never retried.

        `pauses`: a failure pauses consumption as ops see it (/readyz 503, the paused gauge). Import
        progress does not: the engine is there and documents flow; only the imports index is refusing.
        """

        async def once() -> bool:
            done = await attempt()
            if pauses:  # every answer from the engine says it is up (the gauges ops read)
                self._engine_answered()
            return done

        def failed(error: Exception | None) -> None:
            metrics.BULK_RETRIES.inc()
            if error is None:
                return  # the engine answered; some documents wait for another round
            if not pauses:
                log.warning("%s not recorded (%s); retrying before the commit", what, error)
            elif not self.paused:
                log.warning("engine unavailable during %s (%s); pausing, nothing is committed", what, error)
                self._set_paused(True)

        return await until_done(once, self.backoff, stop, retry_on=(EngineUnavailable,), on_failure=failed)

    def _engine_answered(self) -> None:
        if self.paused:
            log.info("engine is back; consumption resumes")
        self._set_paused(False)

    def _set_paused(self, paused: bool) -> None:
        self.paused = paused
        metrics.CONSUMER_PAUSED.set(1 if paused else 0)
        metrics.ENGINE_UP.set(0 if paused else 1)

    # ------------------------------------------------------------------------------ observability

    def _count(self, outcome: BulkOutcome, rejections: list[Rejection]) -> None:
        """Each event once per outcome: records this process handled (the runner hands each offset over
        once, rebalances included), so `dead_lettered` is the number of dead letters it published."""
        for name, group in (("indexed", outcome.indexed), ("stale", outcome.stale)):
            for entity, n in Counter(e.entity for e in group).items():
                metrics.EVENTS.labels(entity, name).inc(n)
        for rejection in rejections:
            entity = (
                self.entity_of.get(rejection.position.topic, "unknown") if rejection.position else "unknown"
            )
            metrics.EVENTS.labels(entity, "dead_lettered").inc()


def _refused(event: ChangeEvent, message: str, reason: str) -> Rejection:
    return Rejection(reason=reason, message=message, raw=event.raw, position=event.position, key=event.key)
