"""bulk_write: documents → one `_bulk` request with external versions → an outcome for every event.

External versioning makes the engine the judge of order: a document is written only if its version is
higher than the stored one, so duplicates and late, older events come back as 409 and are skipped as
stale. Tombstones carry versions too, which is why a delete is an index of `deleted: true`, not an
engine delete (whose version record is forgotten after the GC window).

Outcomes per event: indexed, stale, rejected (the document itself is bad: dead-letter it) — or the whole
batch is retried with backoff when the engine is overloaded or away.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ingest.engine import EngineUnavailable, IngestEngine
from ingest.events import ChangeEvent
from ingest.to_document import to_document

RETRYABLE_STATUS = {429, 500, 502, 503, 504}


@dataclass
class BulkOutcome:
    indexed: list[ChangeEvent] = field(default_factory=list)
    stale: list[ChangeEvent] = field(default_factory=list)
    rejected: list[tuple[ChangeEvent, str]] = field(default_factory=list)


def bulk_lines(
    index_for: dict[str, str], documents: list[tuple[ChangeEvent, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The `_bulk` body: an action line and the document for each event, versioned externally."""
    lines: list[dict[str, Any]] = []
    for event, document in documents:
        action = {
            "_index": index_for[event.entity],
            "_id": event.id,
            "version": event.version,
            "version_type": "external",
        }
        lines.append({"index": action})
        lines.append(document)
    return lines


def latest_per_id(events: list[ChangeEvent]) -> tuple[list[ChangeEvent], list[ChangeEvent]]:
    """Keep the highest version of each id in a batch; the rest are stale before they reach the engine.

    One bulk request must not carry two writes of the same id: their order inside the request would
    decide nothing useful and cost a round of 409s.
    """
    best: dict[tuple[str, str], ChangeEvent] = {}
    stale: list[ChangeEvent] = []
    for event in events:
        current = best.get((event.entity, event.id))
        if current is None or event.version > current.version:
            if current is not None:
                stale.append(current)
            best[(event.entity, event.id)] = event
        else:
            stale.append(event)
    return list(best.values()), stale


def _blocked(result: dict[str, Any]) -> bool:
    """A write block (an index being retired by a reindex, or a full disk) passes: retry, don't dead-letter."""
    error = result.get("error")
    return isinstance(error, dict) and error.get("type") == "cluster_block_exception"


class BulkWriter:
    def __init__(
        self,
        engine: IngestEngine,
        index_for: dict[str, str],
        *,
        retry_initial_s: float = 0.2,
        retry_max_s: float = 5.0,
        max_attempts: int = 8,
        on_retry: Any = None,
    ) -> None:
        self.engine = engine
        self.index_for = index_for  # entity → index alias
        self.retry_initial_s = retry_initial_s
        self.retry_max_s = retry_max_s
        self.max_attempts = max_attempts
        self.on_retry = on_retry

    async def write(self, events: list[ChangeEvent], *, now: datetime) -> BulkOutcome:
        """Write a batch until every event has an outcome, or raise EngineUnavailable after retries."""
        outcome = BulkOutcome()
        latest, stale = latest_per_id(events)
        outcome.stale.extend(stale)
        pending: list[tuple[ChangeEvent, dict[str, Any]]] = []
        for event in latest:
            try:
                pending.append((event, to_document(event, indexed_at=now)))
            except Exception as e:  # one event we cannot transform must not hold up its neighbours
                outcome.rejected.append((event, f"could not build the index document: {e!r}"))
        delay = self.retry_initial_s
        attempt = 0
        while pending:
            attempt += 1
            try:
                response = await self._send(pending)
            except EngineUnavailable:
                if attempt >= self.max_attempts:
                    raise
                await self._back_off(delay)
                delay = min(delay * 2, self.retry_max_s)
                continue
            retry: list[tuple[ChangeEvent, dict[str, Any]]] = []
            for (event, document), item in zip(pending, response["items"], strict=True):
                result = item["index"]
                status = result.get("status", 500)
                if status in (200, 201):
                    outcome.indexed.append(event)
                elif status == 409:
                    outcome.stale.append(event)
                elif status in RETRYABLE_STATUS or _blocked(result):
                    retry.append((event, document))
                else:
                    error = result.get("error", {})
                    reason = error.get("reason", "") if isinstance(error, dict) else str(error)
                    outcome.rejected.append((event, f"the engine refused the document ({status}): {reason}"))
            pending = retry
            if pending:
                if attempt >= self.max_attempts:
                    raise EngineUnavailable(
                        f"{len(pending)} documents still refused after {attempt} attempts"
                    )
                await self._back_off(delay)
                delay = min(delay * 2, self.retry_max_s)
        return outcome

    async def _send(self, documents: list[tuple[ChangeEvent, dict[str, Any]]]) -> dict[str, Any]:
        return await self.engine.bulk(bulk_lines(self.index_for, documents))

    async def _back_off(self, delay: float) -> None:
        if self.on_retry:
            self.on_retry()
        await asyncio.sleep(delay)
