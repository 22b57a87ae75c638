"""bulk_write: documents → one `_bulk` request with external versions → an outcome for every event.

External versioning makes the engine the judge of order: a document is written only if its version is
higher than the stored one, so duplicates and late, older events come back as 409 and are skipped as
stale. Tombstones carry versions too, which is why a delete is an index of `deleted: true`, not an
engine delete (whose version record is forgotten after the GC window).

One attempt, outcomes classified per event (`item_outcome`, shared with the search log): indexed,
stale, rejected (the document itself is bad: dead-letter it), retry (the engine was busy, away or
blocked: send it again, for as long as it takes) or failed (the engine answered the request but failed
on this document with an error of its own: send it again, up to FAILED_DOCUMENT_ATTEMPTS, then
dead-letter it with that error). Retrying is the consumer's job, with the pipe's one retry policy
(retry.py); an engine that does not answer raises EngineUnavailable. A request the engine refuses
whole (too large, malformed) is split in halves until the one document it cannot take is found, and
that one is rejected.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import orjson

from ingest import metrics
from ingest.engine import RETRYABLE_STATUS, EngineRefused, IngestEngine
from ingest.events import ChangeEvent

Document = tuple[ChangeEvent, dict[str, Any]]
#: The pipe the writer's stages are timed under (metrics.stage).
PIPE = "entities"
T = TypeVar("T")
ItemOutcome = Literal["indexed", "stale", "retry", "failed", "rejected"]
#: Statuses of a bulk item that mean the engine failed on the document itself while it answered the
#: request: maybe a moment's trouble (a shard moving), maybe for good. Retried up to a ceiling.
FAILED_STATUS = frozenset({500})
#: The ceiling for such a document: about 80 s of the default backoff, longer than a cluster needs to
#: promote a replica when a node dies; after it, the document is dead-lettered with the engine's error.
FAILED_DOCUMENT_ATTEMPTS = 20


@dataclass
class BulkOutcome:
    indexed: list[ChangeEvent] = field(default_factory=list)
    stale: list[ChangeEvent] = field(default_factory=list)
    rejected: list[tuple[ChangeEvent, str]] = field(default_factory=list)
    retry: list[Document] = field(default_factory=list)  # not written this time; send again
    #: the engine failed on these (and says why): send again, up to FAILED_DOCUMENT_ATTEMPTS
    failed: list[tuple[Document, str]] = field(default_factory=list)

    def absorb(self, attempt: BulkOutcome) -> None:
        """Add an attempt's final outcomes (its retries stay with the attempt)."""
        self.indexed += attempt.indexed
        self.stale += attempt.stale
        self.rejected += attempt.rejected

    def merge(self, other: BulkOutcome) -> BulkOutcome:
        """Both attempts' outcomes, retries included (the halves of a split request)."""
        self.absorb(other)
        self.retry += other.retry
        self.failed += other.failed
        return self


class BulkItems:
    """Each document as its two `_bulk` lines, encoded once: the action (index alias, id and external
    version) and the document. The action's fixed parts are encoded once per index, not per event."""

    def __init__(self, index_for: dict[str, str]) -> None:
        self._head = {
            entity: b'{"index":{"_index":' + orjson.dumps(index) + b',"_id":'
            for entity, index in index_for.items()
        }

    def encode(self, document: Document) -> bytes:
        """`{"index": {"_index", "_id", "version", "version_type": "external"}}`, a newline, the source."""
        event, source = document
        tail = b',"version":%d,"version_type":"external"}}\n' % event.version
        return self._head[event.entity] + orjson.dumps(event.id) + tail + orjson.dumps(source)


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


def item_outcome(result: dict[str, Any]) -> ItemOutcome:
    """What one item of a `_bulk` answer means for its document."""
    status = result.get("status", 500)
    if status in (200, 201):
        return "indexed"
    if status == 409:
        return "stale"
    if _blocked(result) or (status in RETRYABLE_STATUS and status not in FAILED_STATUS):
        return "retry"
    if status in FAILED_STATUS:
        return "failed"
    return "rejected"


def item_reason(result: dict[str, Any]) -> str:
    """The engine's words for a refused or failed item, for the dead letter."""
    error = result.get("error", {})
    reason = error.get("reason", "") if isinstance(error, dict) else str(error)
    return f"the engine refused the document ({result.get('status', 500)}): {reason}"


class FailedAttempts:
    """How often the engine failed on each item of a batch; those that reach the ceiling are given up."""

    def __init__(self, ceiling: int = FAILED_DOCUMENT_ATTEMPTS) -> None:
        self.ceiling = ceiling
        self._count: Counter[Hashable] = Counter()

    def settle(
        self, failed: list[tuple[T, str]], key: Callable[[T], Hashable]
    ) -> tuple[list[T], list[tuple[T, str]]]:
        """Count one more failure of each item: (to send again, given up with the engine's reason)."""
        again: list[T] = []
        given_up: list[tuple[T, str]] = []
        for item, reason in failed:
            self._count[key(item)] += 1
            if self._count[key(item)] < self.ceiling:
                again.append(item)
            else:
                given_up.append((item, f"{reason} (failed {self.ceiling} times; not sent again)"))
        return again, given_up


async def send_bulk(
    engine: IngestEngine, items: list[T], lines_of: Callable[[T], Sequence[dict[str, Any] | bytes]]
) -> list[tuple[T, dict[str, Any]]]:
    """One `_bulk` of `items` (each its action and document lines), and each item's result. A request
    the engine refuses whole is sent again in halves, down to the item it cannot take, whose result is
    then the refusal itself (a 400 or 413 item: rejected)."""
    if not items:
        return []
    try:
        answer = await engine.bulk([line for item in items for line in lines_of(item)])
    except EngineRefused as e:
        if len(items) == 1:
            return [(items[0], {"status": e.status, "error": {"reason": e.reason}})]
        half = len(items) // 2
        first = await send_bulk(engine, items[:half], lines_of)
        return first + await send_bulk(engine, items[half:], lines_of)
    return [(item, next(iter(result.values()))) for item, result in zip(items, answer["items"], strict=True)]


class BulkWriter:
    def __init__(self, engine: IngestEngine, index_for: dict[str, str]) -> None:
        self.engine = engine
        self.index_for = index_for  # entity → index alias
        self._items = BulkItems(index_for)

    async def write(self, documents: list[Document]) -> BulkOutcome:
        """One `_bulk` of these documents; every one comes back indexed, stale, rejected, failed or to retry."""
        outcome = BulkOutcome()
        with metrics.stage(PIPE, "bulk_encode"):
            encode = self._items.encode
            encoded = [(document, encode(document)) for document in documents]
        with metrics.stage(PIPE, "bulk"):
            results = await send_bulk(self.engine, encoded, lambda item: (item[1],))
        for ((event, document), _), result in results:
            match item_outcome(result):
                case "indexed":
                    outcome.indexed.append(event)
                case "stale":
                    outcome.stale.append(event)
                case "retry":
                    outcome.retry.append((event, document))
                case "failed":
                    outcome.failed.append(((event, document), item_reason(result)))
                case "rejected":
                    outcome.rejected.append((event, item_reason(result)))
        return outcome
