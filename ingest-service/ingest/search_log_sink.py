"""search_log topic → daily `search_log-YYYY.MM.DD` indices, for the search report. A small pipe of its own.

consume → validate (schemas/events/search_log.schema.json) → one `_bulk` of documents keyed by
event_id → commit, with invalid events dead-lettered to `search_log.dlq`. Events have no versions and
never change, so a redelivered event simply overwrites itself. Retention deletes whole days older than
SEARCH_LOG_RETENTION_DAYS, once an hour: no delete-by-query, no tombstones.

Kafka is the same consumer runner's as the entity pipe's (consumer_runner.py), and writes wait the same
way (retry.py): while the engine is away, in place, with the one backoff. But it is its own consumer
group, so a flood of searches never delays a provider's change, and its failures never hold the entity
offsets back.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import fastjsonschema

from ingest.bulk_write import FailedAttempts, item_outcome, item_reason, send_bulk
from ingest.config import IngestSettings
from ingest.consumer_runner import ConsumerRunner, GroupMember
from ingest.dead_letter import DeadLetterPublisher
from ingest.engine import EngineUnavailable, IngestEngine
from ingest.events import Rejection, SourcePosition
from ingest.retry import Backoff, sleep_or_stop, until_done
from portal.bangla.normalize import normalize_text
from portal.clock import now_dhaka, to_dhaka
from portal.contracts import event_schema
from portal.search_log import SEARCH_LOG_TOPIC, q_norm

log = logging.getLogger("ingest.search_log")

RETENTION_CHECK_S = 3600


@cache
def _compiled() -> Callable[[Any], Any]:
    return fastjsonschema.compile(event_schema("search_log"))


def day_index(settings: IngestSettings, at: datetime) -> str:
    """The daily index an event belongs to, by its local (Asia/Dhaka) date."""
    return f"{settings.index_alias('search_log')}-{to_dhaka(at):%Y.%m.%d}"


#: What search_log_document adds to an event.
DERIVED = ("q_norm", "zero", "indexed_at")


def search_log_document(event: dict[str, Any], *, indexed_at: datetime) -> dict[str, Any]:
    """The stored document: the event plus what the report groups and counts by."""
    return {
        **event,
        "q_norm": q_norm(event["q"]),
        "zero": event.get("returned", event["results"]) == 0,
        "indexed_at": indexed_at.isoformat(),
    }


def read_event(raw: bytes | None) -> dict[str, Any] | str:
    """The event of a record holding one, or the reason it cannot be stored."""
    events = read_events(raw)
    if isinstance(events, str):
        return events
    if len(events) != 1:
        return "the message holds several events"
    return events[0][1]


def read_events(raw: bytes | None) -> list[tuple[Any, dict[str, Any] | str]] | str:
    """The events of one record — one event, or a JSON array of them (search-service sends each
    gathering of searches as one record) — each with the event or the reason it cannot be stored; or
    the reason the whole record cannot be read."""
    if raw is None:
        return "the message has no value"
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return "the message is not UTF-8 text"
    except ValueError as e:
        return f"the message is not a search log event: {e}"
    if isinstance(value, list):
        if not value:
            return "the message is an empty array of events"
        return [(item, _checked(item, f"event {i + 1} of {len(value)}: ")) for i, item in enumerate(value)]
    return [(value, _checked(value))]


def _checked(event: Any, where: str = "") -> dict[str, Any] | str:
    """The event, normalized, or (prefixed by `where`) why it is not one."""
    try:
        _compiled()(event)
        at = datetime.fromisoformat(event["at"])
    except fastjsonschema.JsonSchemaValueException as e:
        return f"{where}{(e.name or 'event').replace('data.', '', 1)}: {e.message.replace('data.', '', 1)}"
    except (ValueError, TypeError, KeyError) as e:
        return f"{where}the message is not a search log event: {e}"
    if at.tzinfo is None:
        return f"{where}at: must carry a time zone"
    event["q"] = normalize_text(event["q"])
    return dict(event)


def expired_days(indices: list[str], prefix: str, *, now: datetime, keep_days: int) -> list[str]:
    """Daily indices older than `keep_days` (their day ended before today - keep_days)."""
    oldest_kept = (to_dhaka(now) - timedelta(days=keep_days)).date()
    out = []
    for name in indices:
        try:
            day = datetime.strptime(name.removeprefix(prefix), "%Y.%m.%d").date()
        except ValueError:
            continue
        if day < oldest_kept:
            out.append(name)
    return sorted(out)


#: One search-log document to write: the record it came from, its action line and the document.
Entry = tuple[Any, dict[str, Any], dict[str, Any]]


@dataclass
class SearchLogBatch:
    entries: list[Entry] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)  # invalid: dead letters


class SearchLogSink:
    def __init__(
        self,
        settings: IngestSettings,
        engine: IngestEngine,
        dead_letters: DeadLetterPublisher,
        *,
        clock: Callable[[], datetime] = now_dhaka,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.dead_letters = dead_letters
        self.clock = clock
        self.topic = settings.topic(SEARCH_LOG_TOPIC)
        self.backoff = Backoff(settings.bulk_retry_initial_s, settings.bulk_retry_max_s)
        member = GroupMember(
            group=f"{settings.consumer_group}-search-log",
            client_id="ingest-search-log",
            topics=(self.topic,),
            batch_size=settings.batch_size,
            poll_ms=500,
            session_timeout_ms=settings.consumer_session_timeout_ms,
        )
        self.runner = ConsumerRunner(settings, member, self, backoff=self.backoff, name="search_log")

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.gather(self.runner.run(stop), self._keep_retention(stop))

    def prepare(self, records: list[Any]) -> SearchLogBatch:
        batch = SearchLogBatch()
        now = self.clock()
        for record in records:
            events = read_events(record.value)
            if isinstance(events, str):
                batch.rejections.append(_rejection(record, "schema", events))
                continue
            for raw, event in events:
                if isinstance(event, str):  # dead-lettered alone: the record's other events are stored
                    value = record.value if len(events) == 1 else json.dumps(raw, ensure_ascii=False).encode()
                    batch.rejections.append(_rejection(record, "schema", event, value))
                    continue
                index = day_index(self.settings, datetime.fromisoformat(event["at"]))
                action = {"index": {"_index": index, "_id": event["event_id"]}}
                batch.entries.append((record, action, search_log_document(event, indexed_at=now)))
        return batch

    async def deliver(self, batch: SearchLogBatch, stop: asyncio.Event) -> bool:
        """Write the batch, waiting while the engine is away; dead-letter what it refuses. False if stopped."""
        rejections = list(batch.rejections)
        pending = batch.entries
        failed = FailedAttempts()

        async def attempt() -> bool:
            nonlocal pending
            again: list[Entry] = []
            failures: list[tuple[Entry, str]] = []
            for entry, result in await send_bulk(self.engine, pending, lambda e: [e[1], e[2]]):
                match item_outcome(result):
                    case "retry":
                        again.append(entry)
                    case "failed":
                        failures.append((entry, item_reason(result)))
                    case "rejected":
                        rejections.append(_refused(entry, item_reason(result)))
            retried, given_up = failed.settle(
                failures, key=lambda e: (e[0].partition, e[0].offset, e[1]["index"]["_id"])
            )
            rejections.extend(_refused(e, reason) for e, reason in given_up)
            pending = again + retried
            return not pending

        def paused(error: Exception | None) -> None:
            if error is not None:
                log.warning("search log paused (%s); retrying", error)

        if not await until_done(
            attempt, self.backoff, stop, retry_on=(EngineUnavailable,), on_failure=paused
        ):
            return False
        if rejections:
            await asyncio.get_running_loop().run_in_executor(None, self.dead_letters.publish, rejections)
        return True

    async def _keep_retention(self, stop: asyncio.Event) -> None:
        """Delete the days past retention now, then once an hour, until stopped."""
        while not stop.is_set():
            try:
                await self._retention()
            except EngineUnavailable as e:
                log.warning("search log retention skipped (%s); trying again in an hour", e)
            if await sleep_or_stop(stop, RETENTION_CHECK_S):
                return

    async def _retention(self) -> None:
        prefix = f"{self.settings.index_alias('search_log')}-"
        names = await self.engine.index_names(f"{prefix}*")
        for name in expired_days(
            names, prefix, now=self.clock(), keep_days=self.settings.search_log_retention_days
        ):
            log.info("search log retention: deleting %s", name)
            await self.engine.delete_index(name)


def _refused(entry: Entry, reason: str) -> Rejection:
    """A dead letter of one document the engine refused: its event alone (its record may hold others)."""
    record, _, document = entry
    event = {k: v for k, v in document.items() if k not in DERIVED}
    return _rejection(record, "engine_refused", reason, json.dumps(event, ensure_ascii=False).encode())


def _rejection(record: Any, reason: str, message: str, value: bytes | None = None) -> Rejection:
    """A dead letter of the record at its position; `value`: the one event refused, when the record
    held several."""
    position = SourcePosition(record.topic, record.partition, record.offset)
    return Rejection(
        reason, message, value if value is not None else record.value or b"", position, record.key
    )
