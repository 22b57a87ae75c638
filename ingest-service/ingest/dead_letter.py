"""dead_letter: events we cannot index go to `<topic>.dlq` with the original bytes and the reason.

Headers name the error and where the record came from, so an operator can fix the source and replay.
The send is flushed before the batch's offsets are committed: a dead letter is a durable outcome.
"""

from __future__ import annotations

from kafka import KafkaProducer

from ingest.events import Rejection

DLQ_SUFFIX = ".dlq"


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


class DeadLetterPublisher:
    def __init__(self, producer: KafkaProducer) -> None:
        self.producer = producer

    def publish(self, rejections: list[Rejection]) -> None:
        """Send and wait: returns only when every dead letter is acknowledged by the broker."""
        futures = []
        for rejection in rejections:
            if rejection.position is None:
                raise ValueError("only consumed records can be dead-lettered: this rejection has no source")
            futures.append(
                self.producer.send(
                    dlq_topic(rejection.position.topic),
                    value=rejection.raw,
                    key=rejection.key,
                    headers=dead_letter_headers(rejection),
                )
            )
        self.producer.flush()
        for future in futures:
            future.get(timeout=30)
