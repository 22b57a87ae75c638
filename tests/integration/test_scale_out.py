"""Three ingest processes share one consumer group; one dies mid-stream; the survivors take over its work.

Asserted on the outcome of the rebalance, never on how long it took: the group settles on the two
survivors, between them they own every partition exactly once (the dead member's included), events
sent to the dead member's partitions after the kill are indexed, and the index ends with every id
once, at its newest version.
"""

from __future__ import annotations

import json
import threading
import time

from kafka.admin import KafkaAdminClient

from factories import provider_event
from ingest.topics import ENTITY_TOPICS
from integration.conftest import wait_consumed, wait_for
from integration.test_ingest_faults import assert_index_matches, produce_stream

Partition = tuple[str, int]


def stable_assignment(admin: KafkaAdminClient, group: str, members: int) -> dict[str, set[Partition]]:
    """member id → its partitions, once the group is Stable with `members` members; else {}."""
    [description] = admin.describe_consumer_groups([group])
    if description.state != "Stable" or len(description.members) != members:
        return {}
    return {
        member.member_id: {
            (topic, p) for topic, partitions in member.member_assignment.assignment for p in partitions
        }
        for member in description.members
    }


def test_three_consumers_one_killed_mid_stream_the_survivors_take_over(
    make_ingest, isolated_settings, producer, engine
):
    s = isolated_settings
    group = f"{s.topic_prefix}ingest"
    topic = s.topic("providers")
    every_partition = {(s.topic(t), p) for t in ENTITY_TOPICS.values() for p in range(6)}
    workers = [make_ingest(s, BATCH_SIZE="200", CONSUMER_SESSION_TIMEOUT_MS="6000").start() for _ in range(3)]
    admin = KafkaAdminClient(**s.kafka_client_options())
    before = wait_for(
        lambda: stable_assignment(admin, group, 3), timeout=60, what="three members sharing the partitions"
    )
    assert all(before.values()), "each of three members owns partitions"
    result: dict[str, dict[str, int]] = {}
    sender = threading.Thread(target=lambda: result.update(latest=produce_stream(producer, topic, 6000)))
    sender.start()
    time.sleep(1.0)
    workers[0].kill()
    after = wait_for(
        lambda: stable_assignment(admin, group, 2), timeout=90, what="the group to settle on the survivors"
    )
    sender.join()

    # The rebalance: the survivors are members from before, and one member — the dead one — is gone.
    assert set(after) < set(before)
    [dead] = set(before) - set(after)
    owned = [partition for partitions in after.values() for partition in partitions]
    assert len(owned) == len(set(owned)), "no partition owned twice"
    assert set(owned) == every_partition, "no partition left without an owner"
    assert before[dead] <= set(owned), "the dead member's partitions went to the survivors"

    # Work arriving on the dead member's partitions now is done by the survivors.
    latest = result["latest"]
    landed = set()
    for i in range(0, 6000, 10):
        id = f"flt-{i}"
        event = provider_event(id, 3, name={"bn": "তৃতীয় সংস্করণ"})
        sent = producer.send(topic, key=id.encode(), value=json.dumps(event, ensure_ascii=False).encode())
        landed.add((topic, sent.get(timeout=30).partition))
        latest[id] = 3
    assert landed & before[dead], "some of the newest events went to the dead member's partitions"
    wait_consumed(s, group, timeout=120)
    assert_index_matches(engine, s, latest)
    admin.close()
    for worker in workers[1:]:
        worker.stop()
