"""Each offset reaches the pipe once: what a rebalance hands over again is dropped, nothing else is."""

from __future__ import annotations

from typing import NamedTuple

from kafka import TopicPartition

from ingest.consumer_runner import HandedOut


class Record(NamedTuple):
    topic: str
    partition: int
    offset: int


def records(partition: int, offsets: range, topic: str = "providers") -> list[Record]:
    return [Record(topic, partition, offset) for offset in offsets]


def test_a_poll_is_handed_over_whole_with_the_offsets_its_commit_records():
    handed = HandedOut()
    polled = handed.take(records(0, range(0, 5)) + records(3, range(7, 9)))
    assert [r.offset for r in polled.records] == [0, 1, 2, 3, 4, 7, 8]
    assert polled.offsets == {TopicPartition("providers", 0): 5, TopicPartition("providers", 3): 9}
    assert polled.replayed == 0


def test_after_a_rebalance_the_records_already_in_hand_are_dropped_and_the_new_ones_kept():
    handed = HandedOut()
    handed.take(records(0, range(0, 10)))  # the batch in delivery
    # the rejoin put partition 0 back at its last commit (0): the read-ahead fetches 0-14 again
    polled = handed.take(records(0, range(0, 15)) + records(1, range(0, 2)))
    assert [(r.partition, r.offset) for r in polled.records] == [
        (0, 10),
        (0, 11),
        (0, 12),
        (0, 13),
        (0, 14),
        (1, 0),
        (1, 1),
    ]
    assert polled.replayed == 10
    assert polled.offsets == {TopicPartition("providers", 0): 15, TopicPartition("providers", 1): 2}


def test_a_poll_of_nothing_but_replays_commits_nothing():
    """A commit of a lower offset would move the group backwards; the batch holding them commits them."""
    handed = HandedOut()
    handed.take(records(0, range(0, 10)))
    polled = handed.take(records(0, range(0, 4)))
    assert polled.records == [] and polled.offsets == {} and polled.replayed == 4


def test_the_same_offset_in_another_topic_or_partition_is_another_record():
    handed = HandedOut()
    handed.take(records(0, range(0, 3)))
    polled = handed.take(records(0, range(0, 3), topic="products") + records(2, range(0, 3)))
    assert len(polled.records) == 6 and polled.replayed == 0


def test_a_new_consumer_forgets_and_starts_again_from_the_committed_offsets():
    handed = HandedOut()
    handed.take(records(0, range(0, 10)))
    handed.forget()  # the delivery failed: the consumer was closed, nothing after the commit is done
    assert len(handed.take(records(0, range(0, 10))).records) == 10
