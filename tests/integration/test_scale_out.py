"""Three ingest processes share one consumer group; one dies mid-stream; nothing is lost."""

from __future__ import annotations

import threading
import time

from kafka.admin import KafkaAdminClient

from integration.conftest import wait_consumed, wait_for
from integration.test_ingest_faults import assert_index_matches, produce_stream


def members(admin: KafkaAdminClient, group: str) -> int:
    [description] = admin.describe_consumer_groups([group])
    return len(description.members)


def test_three_consumers_one_killed_mid_stream_loses_nothing(
    make_ingest, isolated_settings, producer, engine
):
    s = isolated_settings
    group = f"{s.topic_prefix}ingest"
    workers = [make_ingest(s, BATCH_SIZE="200", CONSUMER_SESSION_TIMEOUT_MS="6000").start() for _ in range(3)]
    admin = KafkaAdminClient(**s.kafka_client_options())
    wait_for(lambda: members(admin, group) == 3, timeout=60, what="three members in the group")
    result: dict[str, dict[str, int]] = {}
    sender = threading.Thread(
        target=lambda: result.update(latest=produce_stream(producer, s.topic("providers"), 6000))
    )
    sender.start()
    time.sleep(1.0)
    workers[0].kill()
    killed_at = time.monotonic()
    wait_for(lambda: members(admin, group) == 2, timeout=60, what="the group to notice the dead member")
    rebalance_s = time.monotonic() - killed_at
    sender.join()
    wait_consumed(s, group, timeout=120)
    assert_index_matches(engine, s, result["latest"])
    print(f"\nrebalance after SIGKILL of one of three consumers: {rebalance_s:.1f} s")
    admin.close()
    for worker in workers[1:]:
        worker.stop()
