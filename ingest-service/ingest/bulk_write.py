"""bulk_write: documents → one `_bulk` request with external versions → an outcome for every event.

External versioning makes the engine the judge of order: a document is written only if its version is
higher than the stored one, so duplicates and late, older events come back as 409 and are skipped as
stale. Tombstones carry versions too, which is why a delete is an index of `deleted: true`, not an
engine delete (whose version record is forgotten after the GC window).

One attempt, outcomes classified per event: indexed, stale, rejected (the document itself is bad:
dead-letter it) or retry (the engine was busy or blocked: send it again). Retrying is the consumer's
job, with the pipe's one retry policy (retry.py); an engine that does not answer raises
EngineUnavailable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.engine import RETRYABLE_STATUS, IngestEngine
from ingest.events import ChangeEvent

Document = tuple[ChangeEvent, dict[str, Any]]


@dataclass
class BulkOutcome:
    indexed: list[ChangeEvent] = field(default_factory=list)
    stale: list[ChangeEvent] = field(default_factory=list)
    rejected: list[tuple[ChangeEvent, str]] = field(default_factory=list)
    retry: list[Document] = field(default_factory=list)  # not written this time; send again

    def absorb(self, attempt: BulkOutcome) -> None:
        """Add an attempt's final outcomes (its retries stay with the attempt)."""
        self.indexed += attempt.indexed
        self.stale += attempt.stale
        self.rejected += attempt.rejected


def bulk_lines(index_for: dict[str, str], documents: list[Document]) -> list[dict[str, Any]]:
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
    def __init__(self, engine: IngestEngine, index_for: dict[str, str]) -> None:
        self.engine = engine
        self.index_for = index_for  # entity → index alias

    async def write(self, documents: list[Document]) -> BulkOutcome:
        """One `_bulk` of these documents; every one comes back indexed, stale, rejected or to retry."""
        outcome = BulkOutcome()
        if not documents:
            return outcome
        response = await self.engine.bulk(bulk_lines(self.index_for, documents))
        for (event, document), item in zip(documents, response["items"], strict=True):
            result = item["index"]
            status = result.get("status", 500)
            if status in (200, 201):
                outcome.indexed.append(event)
            elif status == 409:
                outcome.stale.append(event)
            elif status in RETRYABLE_STATUS or _blocked(result):
                outcome.retry.append((event, document))
            else:
                error = result.get("error", {})
                reason = error.get("reason", "") if isinstance(error, dict) else str(error)
                outcome.rejected.append((event, f"the engine refused the document ({status}): {reason}"))
        return outcome
