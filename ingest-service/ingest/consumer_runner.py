"""consumer_runner: one member of a Kafka consumer group, run for a pipe — poll, hand over, commit.

Both of ingest's pipes run on it: the entity pipe (consume.py) and the search log (search_log_sink.py).
A pipe says how to prepare a polled batch (on a thread of its own: pure work) and how to deliver it
(durable outcomes for every record, retrying as long as it must); the runner does everything Kafka:
joining the group, polling, reading the next batch ahead while this one is delivered, committing a
batch's offsets exactly and only after its delivery, and rejoining from the last commit, with the one
backoff (retry.py), when a cycle fails.

Each offset reaches the pipe once. Whenever its group rebalances, kafka-python puts every assigned
partition back at the group's last *committed* offset — also when the partitions stay with this very
member. With a batch read ahead, the poll that rejoins runs while the previous batch is still being
delivered, before its commit: without a guard that poll hands the same records over again, and the
pipe dead-letters a poison message twice. So the runner remembers, per partition, the next offset it
has handed over (HandedOut) and drops what lies below: records in hand are delivered and committed
by the batch that holds them, or, if that delivery fails, the consumer is closed and everything after
the last commit is read again from scratch.

kafka-python is blocking and not thread-safe, so every consumer call runs on one dedicated thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.errors import CommitFailedError, KafkaError, RebalanceInProgressError
from kafka.structs import OffsetAndMetadata

from ingest import metrics
from ingest.retry import Backoff, sleep_or_stop
from portal.settings import PortalSettings

log = logging.getLogger("ingest.consumer")

B = TypeVar("B")
#: How long opening a consumer waits for its topics' partitions to be known (topics just created).
PARTITIONS_WAIT_S = 30


class BatchPipe(Protocol[B]):
    """What a runner hands its records to."""

    def prepare(self, records: list[Any]) -> B:
        """Turn polled records into a batch: pure work, run on the pipe's own thread."""
        ...

    async def deliver(self, batch: B, stop: asyncio.Event) -> bool:
        """Give every record of the batch a durable outcome. False if stopped first (nothing commits)."""
        ...


@dataclass(frozen=True)
class GroupMember:
    """Who a runner is to Kafka: its group and client id, the topics it reads, how much at a time."""

    group: str
    client_id: str
    topics: tuple[str, ...]
    batch_size: int
    poll_ms: int
    session_timeout_ms: int = 10_000


@dataclass
class Polled:
    """The records of one poll that the pipe has not had yet, and the offsets committing them records."""

    records: list[Any] = field(default_factory=list)
    offsets: dict[TopicPartition, int] = field(default_factory=dict)  # next offset per partition
    replayed: int = 0  # records of this poll the pipe already had: dropped


class HandedOut:
    """Per partition, the next offset this member has already handed to its pipe (see the module doc)."""

    def __init__(self) -> None:
        self._next: dict[TopicPartition, int] = {}

    def take(self, records: Iterable[Any]) -> Polled:
        """The records not handed over before (in their order), marking them handed over now."""
        polled = Polled()
        for record in records:
            tp = TopicPartition(record.topic, record.partition)
            if record.offset < self._next.get(tp, 0):
                polled.replayed += 1
                continue
            polled.records.append(record)
            self._next[tp] = polled.offsets[tp] = record.offset + 1
        return polled

    def forget(self) -> None:
        """A new consumer starts from the committed offsets, which are the truth again."""
        self._next.clear()


@dataclass
class _Ready(Generic[B]):
    batch: B
    offsets: dict[TopicPartition, int]


class _Assignments(ConsumerRebalanceListener):
    """Counts the partition assignments a member receives: one per join, more when the group rebalances."""

    def __init__(self, runner: ConsumerRunner[Any]) -> None:
        self.runner = runner

    def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        if self.runner.assignments:
            log.info("%s: the group rebalances; %d partitions revoked", self.runner.name, len(revoked))

    def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.runner.assignments += 1
        metrics.CONSUMER_ASSIGNMENTS.labels(self.runner.name).inc()
        log.info("%s: %d partitions assigned", self.runner.name, len(assigned))


class ConsumerRunner(Generic[B]):
    def __init__(
        self,
        settings: PortalSettings,
        member: GroupMember,
        pipe: BatchPipe[B],
        *,
        backoff: Backoff,
        name: str,
    ) -> None:
        self.settings, self.member, self.pipe = settings, member, pipe
        self.backoff = backoff  # between attempts to join, and after a failed cycle
        self.name = name  # in logs and the pipe label of the metrics
        self.running = False
        #: Partition assignments received: 1 after the first join, more if the group rebalanced.
        self.assignments = 0
        self._kafka = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{name}-kafka")
        self._prepare = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{name}-prepare")
        self._consumer: KafkaConsumer | None = None
        self._handed = HandedOut()
        self._last_lag_check = 0.0

    async def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._kafka, lambda: fn(*args, **kwargs))

    def _open(self) -> KafkaConsumer:
        member = self.member
        consumer = KafkaConsumer(
            group_id=member.group,
            client_id=member.client_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=member.batch_size,
            max_poll_interval_ms=300_000,
            session_timeout_ms=member.session_timeout_ms,
            heartbeat_interval_ms=member.session_timeout_ms // 3,
            fetch_max_wait_ms=max(member.poll_ms, 1),
            # One fetch may carry max_partition_fetch_bytes from each of 12 partitions: let such a
            # response through instead of dropping the connection as an oversized frame.
            receive_message_max_bytes=64 * 1024 * 1024,
            fetch_max_bytes=32 * 1024 * 1024,
            **self.settings.kafka_client_options(),
        )
        consumer.subscribe(topics=list(member.topics), listener=_Assignments(self))
        # Subscribe first, then refresh the metadata until every topic's partitions are known. The
        # group coordinator keeps its own snapshot of the subscribed topics' partitions, updated only
        # by metadata answers that arrive after the subscription; if the first join completes before
        # such an answer, the assignment is made from an empty snapshot, and the next answer "changes"
        # the metadata and forces a second rebalance right away (seen in 6 of 10 fresh starts).
        deadline = time.monotonic() + PARTITIONS_WAIT_S
        while True:
            consumer.topics()  # blocking: a metadata answer the coordinator sees
            if all(consumer.partitions_for_topic(t) for t in member.topics) or time.monotonic() > deadline:
                return consumer
            time.sleep(0.2)

    # ------------------------------------------------------------------------------------ the loop

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set. Returns after closing the consumer without an automatic commit."""
        self.running = True
        ahead: asyncio.Future[_Ready[B] | None] | None = None
        waits = self.backoff.delays()
        try:
            while not stop.is_set():
                if self._consumer is None:
                    try:
                        self._consumer = await self._call(self._open)
                    except KafkaError as e:
                        log.warning("%s: kafka not reachable yet (%s); retrying", self.name, e)
                        await sleep_or_stop(stop, next(waits))
                        continue
                try:
                    ready = await (ahead or self._next())
                    ahead = None
                    if ready is None:
                        continue
                    ahead = asyncio.ensure_future(self._next())  # the next batch, while this one is delivered
                    if not await self.pipe.deliver(ready.batch, stop):
                        break  # stopping before every record had an outcome: nothing committed
                    await self._commit(ready.offsets)
                    waits = self.backoff.delays()  # the next trouble starts from the first delay
                except Exception as e:
                    # A polled batch has no durable outcome, but the consumer's position is past it:
                    # committing later would skip it. Rejoin, which starts again from the last commit.
                    if isinstance(e, KafkaError):
                        log.warning(
                            "%s: consumer cycle failed (%s); rejoining from the last commit", self.name, e
                        )
                    else:
                        log.exception("%s: consumer cycle failed; rejoining from the last commit", self.name)
                    await _discard(ahead)
                    ahead = None
                    await self._close()
                    await sleep_or_stop(stop, next(waits))
        finally:
            self.running = False
            await _discard(ahead)
            await self._close()
            self._kafka.shutdown(wait=False)
            self._prepare.shutdown(wait=False)

    async def _next(self) -> _Ready[B] | None:
        """One poll, minus what the pipe already had, prepared; None when nothing new arrived."""
        consumer = self._consumer
        assert consumer is not None
        polled = await self._call(self._poll, consumer)
        await self._report_lag(consumer)
        if not polled.records:
            return None
        loop = asyncio.get_running_loop()
        batch = await loop.run_in_executor(self._prepare, self.pipe.prepare, polled.records)
        return _Ready(batch, polled.offsets)

    def _poll(self, consumer: KafkaConsumer) -> Polled:
        with metrics.stage(self.name, "fetch"):
            answer = consumer.poll(timeout_ms=self.member.poll_ms, max_records=self.member.batch_size)
        polled = self._handed.take(record for records in answer.values() for record in records)
        if polled.replayed:
            metrics.REPLAYS_SKIPPED.labels(self.name).inc(polled.replayed)
            log.info(
                "%s: %d records handed over again after a rebalance were already in hand; skipped",
                self.name,
                polled.replayed,
            )
        return polled

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        """These offsets exactly — never the read-ahead's, which has no outcome yet."""
        consumer = self._consumer
        assert consumer is not None
        commit = {tp: OffsetAndMetadata(offset, "", -1) for tp, offset in offsets.items()}
        try:
            await self._call(self._commit_now, consumer, commit)
        except (CommitFailedError, RebalanceInProgressError) as e:
            # The partitions moved to another member while we worked; it re-reads the batch from the
            # last commit (stale for it: external versions) — at least once, never lost.
            log.warning(
                "%s: offset commit failed after a rebalance (%s); redelivered elsewhere", self.name, e
            )

    def _commit_now(self, consumer: KafkaConsumer, offsets: dict[TopicPartition, OffsetAndMetadata]) -> None:
        with metrics.stage(self.name, "commit"):
            consumer.commit(offsets, timeout_ms=30_000)

    async def _close(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            self._handed.forget()
            try:
                await self._call(consumer.close, autocommit=False)
            except Exception:
                log.exception("%s: closing the consumer failed", self.name)

    # ------------------------------------------------------------------------------ observability

    async def _report_lag(self, consumer: KafkaConsumer) -> None:
        if time.monotonic() - self._last_lag_check < 5:
            return
        self._last_lag_check = time.monotonic()
        await self._call(_record_lag, consumer)


def _record_lag(consumer: KafkaConsumer) -> None:
    """Lag from what the last fetches told us: no extra requests, never blocks the loop."""
    for tp in consumer.assignment():
        try:
            end, position = consumer.highwater(tp), consumer.position(tp, timeout_ms=0)
        except KafkaError:
            continue
        if end is not None and position is not None:
            metrics.CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(max(end - position, 0))


async def _discard(ahead: asyncio.Future[Any] | None) -> None:
    """Let a read-ahead finish (its records are simply read again after a rejoin) and drop it."""
    if ahead is not None:
        with contextlib.suppress(Exception):
            await ahead
