"""The consumer runner on the real Kafka: each offset reaches the pipe once, rebalances included.

A rebalance puts every partition back at the group's last committed offset — also when it stays with
the same member. With a batch read ahead, the poll that rejoins runs while the previous batch is still
in delivery, before its commit, and used to hand that batch over a second time (a poison message was
dead-lettered twice). Here the rebalance is forced: while the first batch is in hand, a second member
joins the group (reading another topic, so no partition moves), the way a second ingest process
joins when the service scales out.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from kafka import ConsumerRebalanceListener, KafkaConsumer
from kafka.admin import KafkaAdminClient, NewTopic

from ingest.consumer_runner import ConsumerRunner, GroupMember
from ingest.retry import Backoff
from integration.conftest import produce, wait_for
from portal.settings import PortalSettings

RECORDS = 10
#: The read-ahead poll must outlast a heartbeat (a third of the session) to notice the rebalance in it.
SESSION_MS = 6000
POLL_MS = 8000


class RecordingPipe:
    """Records every (topic, partition, offset) it is handed; `during_first` runs while the first
    batch is in delivery, before the runner may commit it."""

    def __init__(self, during_first: Callable[[], None] = lambda: None) -> None:
        self.during_first = during_first
        self.handed: list[tuple[str, int, int]] = []
        self.deliveries = 0

    def prepare(self, records: list[Any]) -> list[tuple[str, int, int]]:
        return [(r.topic, r.partition, r.offset) for r in records]

    async def deliver(self, batch: list[tuple[str, int, int]], stop: asyncio.Event) -> bool:
        self.handed += batch
        self.deliveries += 1
        if self.deliveries == 1:
            await asyncio.get_running_loop().run_in_executor(None, self.during_first)
        return True


class Joined(ConsumerRebalanceListener):
    def __init__(self) -> None:
        self.event = threading.Event()

    def on_partitions_revoked(self, revoked: Any) -> None:
        pass

    def on_partitions_assigned(self, assigned: Any) -> None:
        self.event.set()


@pytest.fixture
def topics(settings: PortalSettings) -> Iterator[Callable[[int], str]]:
    """Makes topics of this session's prefix (the session deletes them at its end)."""
    admin = KafkaAdminClient(**settings.kafka_client_options())

    def make(partitions: int) -> str:
        name = f"{settings.topic_prefix}runner{uuid.uuid4().hex[:6]}"
        admin.create_topics([NewTopic(name, partitions, 1)])
        return name

    yield make
    admin.close()


def runner_for(
    settings: PortalSettings, group: str, topics: tuple[str, ...], pipe: RecordingPipe, poll_ms: int = POLL_MS
) -> ConsumerRunner[list[tuple[str, int, int]]]:
    member = GroupMember(
        group=group,
        client_id="runner-test",
        topics=topics,
        batch_size=100,
        poll_ms=poll_ms,
        session_timeout_ms=SESSION_MS,
    )
    return ConsumerRunner(settings, member, pipe, backoff=Backoff(0.2, 1.0), name=f"test-{group}")


def committed(settings: PortalSettings, group: str) -> dict[tuple[str, int], int]:
    admin = KafkaAdminClient(**settings.kafka_client_options())
    try:
        return {
            (tp.topic, tp.partition): o.offset for tp, o in admin.list_consumer_group_offsets(group).items()
        }
    finally:
        admin.close()


async def test_a_rebalance_while_a_batch_is_in_hand_hands_no_offset_over_twice(
    settings: PortalSettings, producer: Any, topics: Callable[[int], str]
) -> None:
    entities, other = topics(1), topics(1)
    group = f"{settings.topic_prefix}runner-{uuid.uuid4().hex[:6]}"
    for i in range(RECORDS):
        produce(producer, entities, {"id": f"r-{i}"})
    second_joined = Joined()

    def second_member_joins() -> None:
        """A second member joins the group and polls until the rebalance has assigned it (which takes
        the first member's rejoin too: it happens in the runner's read-ahead poll)."""
        second = KafkaConsumer(group_id=group, enable_auto_commit=False, **settings.kafka_client_options())
        second.subscribe([other], listener=second_joined)
        try:
            for _ in range(120):
                second.poll(timeout_ms=250)
                if second_joined.event.is_set():
                    return
        finally:
            second.close(autocommit=False)

    pipe = RecordingPipe(during_first=second_member_joins)
    runner = runner_for(settings, group, (entities,), pipe)
    stop = asyncio.Event()
    running = asyncio.ensure_future(runner.run(stop))
    try:
        await asyncio.get_running_loop().run_in_executor(
            None,
            lambda: wait_for(
                lambda: committed(settings, group).get((entities, 0)) == RECORDS and pipe.deliveries >= 1,
                timeout=90,
                what="the batch to be committed",
            ),
        )
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=60)

    assert second_joined.event.is_set(), "the second member never joined: no rebalance was forced"
    assert runner.assignments >= 2, "the runner was not part of a rebalance while the batch was in hand"
    offsets = [offset for _, _, offset in pipe.handed]
    assert sorted(offsets) == list(range(RECORDS)), f"each offset once, got {sorted(offsets)}"


async def test_a_new_member_of_fresh_topics_is_assigned_once(
    settings: PortalSettings, producer: Any, topics: Callable[[int], str]
) -> None:
    """A one-member group on topics created a moment ago: one join, no rebalance after it (kafka-python
    used to assign from a stale, empty metadata snapshot and rebalance at once, replaying the batch)."""
    fresh = (topics(6), topics(6), topics(6))
    group = f"{settings.topic_prefix}runner-{uuid.uuid4().hex[:6]}"
    pipe = RecordingPipe()
    runner = runner_for(settings, group, fresh, pipe, poll_ms=50)
    stop = asyncio.Event()
    running = asyncio.ensure_future(runner.run(stop))  # as ingest-service starts: right after creating them
    try:
        for topic in fresh:
            await asyncio.get_running_loop().run_in_executor(None, produce, producer, topic, {"id": "r-1"})
        await asyncio.get_running_loop().run_in_executor(
            None,
            lambda: wait_for(
                lambda: sum(committed(settings, group).values()) == len(fresh),
                timeout=60,
                what="the records to be committed",
            ),
        )
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=30)
    assert runner.assignments == 1
    assert len(pipe.handed) == len(fresh)
