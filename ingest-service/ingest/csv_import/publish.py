"""Accepted rows → upsert events on the entity topic, sent asynchronously and counted as the broker acks.

Sends are fire-and-count: every future reports back through one callback, so no future is kept and
memory does not grow with the file. The first failure stops the import; `close` flushes and waits so
that the `published` count is what the broker acknowledged, the number a clerk can rely on.
Every record carries the `import_id` header the consumer counts progress by (see consume.py), and
`import_row`, its row in the file, by which a resumed import finds what already reached Kafka.
Sends are grouped in steps (`next_step`); `settled_steps` says how many leading steps have every
send acknowledged — the import's checkpoint may then move past them.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import orjson
from kafka import KafkaProducer
from kafka.errors import KafkaError

from ingest.import_progress import IMPORT_HEADER

ROW_HEADER = "import_row"


class PublishFailed(Exception):
    """Kafka stopped taking events; `published` were acknowledged before that."""

    def __init__(self, published: int, cause: BaseException | str) -> None:
        super().__init__(f"Kafka stopped accepting events after {published} were published: {cause}")
        self.published = published
        self.cause = cause


class ImportPublisher:
    """Sends one import's events; used from a single worker thread (callbacks come from Kafka's)."""

    def __init__(
        self, producer: KafkaProducer, topic: str, import_id: str, *, flush_timeout_s: float = 30.0
    ) -> None:
        self.producer = producer
        self.topic = topic
        self.headers = [(IMPORT_HEADER, import_id.encode())]
        self.flush_timeout_s = flush_timeout_s
        self.sent = 0
        self.acked = 0
        self.failed = 0
        self.failure: BaseException | None = None
        self.lock = threading.Lock()
        self.step = 0
        self.pending: dict[int, int] = {0: 0}  # step → sends not acknowledged yet

    def _done(self, step: int, result: Any) -> None:
        # Runs on the producer's I/O thread.
        with self.lock:
            self.pending[step] -= 1
            if isinstance(result, BaseException):
                self.failed += 1
                self.failure = self.failure or result
            else:
                self.acked += 1

    def already_published(self, count: int = 1) -> None:
        """Count rows a resumed import found on Kafka already: published, not sent again."""
        with self.lock:
            self.acked += count
            self.sent += count

    def next_step(self) -> int:
        """Start a new step of sends; returns the step that just ended."""
        with self.lock:
            ended = self.step
            self.step += 1
            self.pending[self.step] = 0
            return ended

    def settled_steps(self) -> int:
        """How many leading steps have every send acknowledged (none failed)."""
        with self.lock:
            if self.failure is not None:
                return 0
            settled = 0
            while settled < self.step and self.pending.get(settled, 0) == 0:
                settled += 1
            return settled

    def send(self, event: dict[str, Any], row: int | None = None) -> None:
        """Queue one event (key = id); raises PublishFailed once Kafka has refused anything."""
        if self.failure is not None:
            raise PublishFailed(self.acked, self.failure)
        value = orjson.dumps(event)  # compact UTF-8 JSON, as the pipe's own producers write it
        headers = self.headers if row is None else [*self.headers, (ROW_HEADER, str(row).encode())]
        try:
            future = self.producer.send(self.topic, value=value, key=event["id"].encode(), headers=headers)
        except KafkaError as e:  # no metadata or no buffer space within max_block_ms, or closed
            raise PublishFailed(self.acked, e) from e
        step = self.step
        with self.lock:
            self.sent += 1
            self.pending[step] += 1
        future.add_both(lambda result: self._done(step, result))

    def close(self) -> int:
        """Flush and wait for every ack; returns how many were published or raises PublishFailed."""
        try:
            self.producer.flush(timeout=self.flush_timeout_s)
        except KafkaError as e:
            raise PublishFailed(self.acked, e) from e
        deadline = time.monotonic() + 5
        while self.acked + self.failed < self.sent and time.monotonic() < deadline:
            time.sleep(0.005)  # flush returned; the last callbacks may still be running
        if self.failure is not None or self.acked < self.sent:
            raise PublishFailed(self.acked, self.failure or "acknowledgements did not arrive in time")
        return self.acked
