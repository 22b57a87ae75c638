"""dead_letter: events we cannot index go to `<topic>.dlq` with the original bytes and the reason.

Headers name the error and where the record came from, so an operator can fix the source and replay.
The send is flushed before the batch's offsets are committed: a dead letter is a durable outcome.

A message near the topic's size limit cannot be copied: with our headers added, the copy is larger
than the producer or the dead-letter topic takes, and a batch whose dead letter is refused forever
would never be committed — the consumer would stall on it. Such a message is dead-lettered *by
reference* instead: where it is (topic, partition, offset), how large it is, and its first bytes, which
is enough to find it (the entity topics are compacted, not expired) and to see what it was.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from kafka import KafkaProducer
from kafka.errors import MessageSizeTooLargeError, RecordListTooLargeError

from ingest.events import Rejection

log = logging.getLogger("ingest.dead_letter")

DLQ_SUFFIX = ".dlq"
#: What the project's topics take (max.message.bytes of the entity and dead-letter topics, topics.py)
#: and what its producer sends: a dead letter's full copy of an event fits, or it goes by reference.
DLQ_MAX_MESSAGE_BYTES = 2_097_152
#: Room for the record batch's own framing around one record (61 bytes of header, varints).
BATCH_OVERHEAD = 512
PREFIX_BYTES = 1024
MAX_REFERENCE_KEY_BYTES = 256
TOO_LARGE = (MessageSizeTooLargeError, RecordListTooLargeError)


def dlq_topic(topic: str) -> str:
    return f"{topic}{DLQ_SUFFIX}"


def dead_letter_headers(rejection: Rejection) -> list[tuple[str, bytes]]:
    headers = [
        ("error.reason", rejection.reason.encode()),
        ("error.message", rejection.message[:2000].encode("utf-8", "replace")),
    ]
    if rejection.position:
        headers += [
            ("source.topic", rejection.position.topic.encode()),
            ("source.partition", str(rejection.position.partition).encode()),
            ("source.offset", str(rejection.position.offset).encode()),
        ]
    return headers


@dataclass(frozen=True)
class DeadLetter:
    """One record for the dead-letter topic."""

    topic: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]

    @property
    def size(self) -> int:
        """An upper bound of the record's size on the wire, framing included."""
        headers = sum(len(name.encode()) + len(value) + 10 for name, value in self.headers)
        return len(self.key or b"") + len(self.value) + headers + BATCH_OVERHEAD


def copy_of(rejection: Rejection) -> DeadLetter:
    """The original bytes and key, with the reason and the source in headers."""
    assert rejection.position is not None
    return DeadLetter(
        dlq_topic(rejection.position.topic), rejection.key, rejection.raw, dead_letter_headers(rejection)
    )


def reference_to(rejection: Rejection) -> DeadLetter:
    """Where the original is, its size and its first bytes: a dead letter that always fits."""
    assert rejection.position is not None
    position = rejection.position
    body: dict[str, Any] = {
        "dead_letter": "by_reference",
        "reason": rejection.reason,
        "message": rejection.message[:2000],
        "topic": position.topic,
        "partition": position.partition,
        "offset": position.offset,
        "size": len(rejection.raw),
        "prefix": rejection.raw[:PREFIX_BYTES].decode("utf-8", "replace"),
        "prefix_bytes": min(PREFIX_BYTES, len(rejection.raw)),
    }
    headers = [
        *dead_letter_headers(rejection),
        ("source.size", str(len(rejection.raw)).encode()),
        ("dead_letter.by_reference", b"true"),
    ]
    key = rejection.key[:MAX_REFERENCE_KEY_BYTES] if rejection.key else rejection.key
    value = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return DeadLetter(dlq_topic(position.topic), key, value, headers)


class DeadLetterPublisher:
    def __init__(self, producer: KafkaProducer) -> None:
        self.producer = producer
        # The smaller of what our producer sends and what the dead-letter topic takes.
        self.max_bytes = min(producer.config["max_request_size"], DLQ_MAX_MESSAGE_BYTES)

    def letter_for(self, rejection: Rejection) -> DeadLetter:
        """The full copy when it fits the producer and the dead-letter topic, else a reference."""
        if rejection.position is None:
            raise ValueError("only consumed records can be dead-lettered: this rejection has no source")
        copy = copy_of(rejection)
        if copy.size <= self.max_bytes:
            return copy
        log.warning(
            "dead-lettering %s by reference: a copy of its %d bytes would not fit in %d",
            rejection.position,
            len(rejection.raw),
            self.max_bytes,
        )
        return reference_to(rejection)

    def publish(self, rejections: list[Rejection]) -> None:
        """Send and wait: returns only when every dead letter is acknowledged by the broker.

        A copy the broker refuses as too large (its limit lower than ours) is sent again by reference.
        """
        sent = [(rejection, self._send(self.letter_for(rejection))) for rejection in rejections]
        self.producer.flush()
        refused = []
        for rejection, future in sent:
            try:
                future.get(timeout=30)
            except TOO_LARGE as e:
                refused.append(rejection)
                log.warning("dead letter refused as too large (%s); sending it by reference", e)
        retried = [self._send(reference_to(rejection)) for rejection in refused]
        if retried:
            self.producer.flush()
        for future in retried:
            future.get(timeout=30)

    def _send(self, letter: DeadLetter) -> Any:
        return self.producer.send(letter.topic, value=letter.value, key=letter.key, headers=letter.headers)
