"""Every search goes to the search log (portal/search_log.py) without ever slowing or failing it.

Requests only put the event on a bounded in-memory queue; a daemon thread sends to Kafka. When the
broker is away or the queue is full, events are dropped and counted (`search_log_dropped_total`):
the log is for learning what people search for, not a ledger worth a citizen's wait.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from datetime import datetime
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError
from prometheus_client import Counter

from portal.search_log import SEARCH_LOG_TOPIC, search_log_event
from portal.settings import PortalSettings
from search.answers.products import ProductsPage
from search.answers.providers import NearestProviders
from search.queries.products import ProductQuery
from search.queries.providers import NearestQuery

log = logging.getLogger("search.query_log")

PUBLISHED = Counter("search_log_published_total", "Searches sent to the search log topic")
DROPPED = Counter("search_log_dropped_total", "Searches not logged (queue full or Kafka away)")
_STOP = object()


class QueryLog:
    def __init__(self, settings: PortalSettings, *, capacity: int = 10_000, enabled: bool = True) -> None:
        self.settings = settings
        self.topic = settings.topic(SEARCH_LOG_TOPIC)
        self.enabled = enabled
        self._queue: queue.Queue[Any] = queue.Queue(capacity)
        self._thread = threading.Thread(target=self._run, name="query-log", daemon=True)

    def start(self) -> QueryLog:
        if self.enabled:
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread.is_alive():
            try:
                self._queue.put(_STOP, timeout=timeout)
            except queue.Full:
                return
            self._thread.join(timeout)

    def searched(
        self,
        endpoint: str,
        params: NearestQuery | ProductQuery,
        answer: NearestProviders | ProductsPage,
        *,
        at: datetime,
        started: float,
    ) -> None:
        """Log one answered search (`started`: its perf_counter at arrival) for the search report."""
        if not self.enabled:  # building the event is a share of a request's CPU: skip it when unlogged
            return
        self.record(
            search_log_event(
                endpoint=endpoint,
                q=params.q,
                category=params.category,
                understood=answer.query.model_dump(),
                results=answer.total,
                returned=len(answer.results),
                closed_nearby=len(answer.closed_nearby) if isinstance(answer, NearestProviders) else 0,
                at=at,
                point=(params.lat, params.lon),
                latency_ms=(time.perf_counter() - started) * 1000,
                available_now=params.available_now if isinstance(params, NearestQuery) else None,
            )
        )

    def record(self, event: dict[str, Any]) -> None:
        """Never blocks: a full queue drops the event."""
        if not self.enabled:
            return
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            DROPPED.inc()

    def _producer(self) -> KafkaProducer:
        return KafkaProducer(
            acks=1,
            linger_ms=200,
            retries=3,
            max_block_ms=5000,
            client_id="search-query-log",
            **self.settings.kafka_client_options(),
        )

    def _run(self) -> None:
        producer: KafkaProducer | None = None
        next_attempt = 0.0
        while True:
            event = self._queue.get()
            if event is _STOP:
                break
            if producer is None and time.monotonic() >= next_attempt:
                try:
                    producer = self._producer()
                except KafkaError as e:
                    log.warning("search log: Kafka not reachable (%s); dropping searches for a while", e)
                    next_attempt = time.monotonic() + 5
            if producer is None:
                DROPPED.inc()
                continue
            try:
                value = json.dumps(event, ensure_ascii=False).encode("utf-8")
                producer.send(self.topic, value=value).add_callback(lambda _: PUBLISHED.inc()).add_errback(
                    lambda _: DROPPED.inc()
                )
            except KafkaError as e:
                DROPPED.inc()
                log.warning("search log: send failed (%s)", e)
        if producer is not None:
            producer.flush(timeout=5)
            producer.close(timeout=5)
