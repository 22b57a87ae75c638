"""A message near the topic's size limit: dead-lettered by reference, and the consumer never stalls.

Its dead-letter copy, with our headers added, would be larger than the dead-letter topic and the
producer take; before, the batch holding it could never get a durable outcome and was redelivered
forever. Real Kafka, real OpenSearch, a real ingest-service process.
"""

from __future__ import annotations

import json

import pytest
from kafka import KafkaProducer

from factories import provider_event
from ingest.dead_letter import DLQ_MAX_MESSAGE_BYTES, PREFIX_BYTES
from integration.conftest import dead_letter_reader, produce, wait_consumed

pytestmark = pytest.mark.integration

#: Fits the entity topic (2 MiB) with its key; a copy with the dead-letter headers does not.
NEAR_LIMIT = DLQ_MAX_MESSAGE_BYTES - 150


def oversize_event(id: str) -> bytes:
    head = json.dumps(provider_event(id))[:-1].encode() + b', "padding": "'
    return head + b"x" * (NEAR_LIMIT - len(head) - 2) + b'"}'


def dead_letters(settings, topic: str) -> dict[tuple[int, int], tuple[dict[str, bytes], bytes, bytes | None]]:
    """Every dead letter of `topic`, by the source partition and offset it names."""
    consumer = dead_letter_reader(settings, topic)
    letters = {}
    for m in consumer:
        headers = dict(m.headers)
        letters[int(headers["source.partition"]), int(headers["source.offset"])] = (headers, m.value, m.key)
    consumer.close()
    return letters


def test_a_message_too_large_to_copy_is_dead_lettered_by_reference_and_nothing_stalls(
    make_ingest, isolated_settings, engine
):
    s = isolated_settings
    ingest = make_ingest(s, BATCH_SIZE="50").start()
    topic = s.topic("providers")
    producer = KafkaProducer(acks="all", max_request_size=DLQ_MAX_MESSAGE_BYTES, **s.kafka_client_options())
    big = oversize_event("big-1")
    fits = oversize_event("big-2")[: 1_500_000 - 2] + b'"}'  # too large to index, small enough to copy
    try:
        produce(producer, topic, provider_event("before-1"))
        sent = producer.send(topic, key=b"big-1", value=big).get(timeout=60)
        copied = producer.send(topic, key=b"big-2", value=fits).get(timeout=60)
        for i in range(12):  # good neighbours after it, on every partition
            produce(producer, topic, provider_event(f"after-{i}"))
    finally:
        producer.close()

    wait_consumed(
        s, f"{s.topic_prefix}ingest", timeout=90
    )  # before: never, the batch was redelivered forever

    for id in ["before-1", *(f"after-{i}" for i in range(12))]:
        assert engine.exists(index=s.index_alias("providers"), id=id), id
    letters = dead_letters(s, topic)
    headers, value, key = letters[sent.partition, sent.offset]
    assert headers["error.reason"] == b"too_large"
    assert headers["dead_letter.by_reference"] == b"true"
    assert int(headers["source.size"]) == len(big)
    assert key == b"big-1"
    reference = json.loads(value)
    assert reference["dead_letter"] == "by_reference"
    assert (reference["topic"], reference["partition"], reference["offset"]) == (
        topic,
        sent.partition,
        sent.offset,
    )
    assert reference["size"] == len(big)
    assert reference["prefix"].encode() == big[:PREFIX_BYTES]
    assert reference["reason"] == "too_large" and str(len(big)) in reference["message"]

    headers, value, key = letters[copied.partition, copied.offset]
    assert value == fits, "a message whose copy fits is copied whole, as before"
    assert "dead_letter.by_reference" not in headers
    ingest.stop()
