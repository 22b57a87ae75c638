"""search_log topic → daily `search_log-YYYY.MM.DD` indices, for the search report. A small pipe of its own.

consume → validate (schemas/events/search_log.schema.json) → one `_bulk` of documents keyed by
event_id → commit, with invalid events dead-lettered to `search_log.dlq`. Events have no versions and
never change, so a redelivered event simply overwrites itself. Retention deletes whole days older than
SEARCH_LOG_RETENTION_DAYS, once an hour: no delete-by-query, no tombstones.

Kept apart from the entity pipe (consume.py) on purpose: it has its own consumer group, so a flood of
searches never delays a provider's change, and its failures never hold the entity offsets back.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import fastjsonschema
from kafka import KafkaConsumer
from kafka.errors import KafkaError

from ingest.config import IngestSettings
from ingest.dead_letter import DeadLetterPublisher
from ingest.engine import EngineUnavailable, IngestEngine
from ingest.events import Rejection, SourcePosition
from ingest.retry import sleep_or_stop
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


def search_log_document(event: dict[str, Any], *, indexed_at: datetime) -> dict[str, Any]:
    """The stored document: the event plus what the report groups and counts by."""
    return {
        **event,
        "q_norm": q_norm(event["q"]),
        "zero": event.get("returned", event["results"]) == 0,
        "indexed_at": indexed_at.isoformat(),
    }


def read_event(raw: bytes | None) -> dict[str, Any] | str:
    """The event, or the reason it cannot be stored."""
    if raw is None:
        return "the message has no value"
    try:
        event = json.loads(raw.decode("utf-8"))
        _compiled()(event)
        datetime.fromisoformat(event["at"])
    except UnicodeDecodeError:
        return "the message is not UTF-8 text"
    except fastjsonschema.JsonSchemaValueException as e:
        return f"{(e.name or 'event').replace('data.', '', 1)}: {e.message.replace('data.', '', 1)}"
    except (ValueError, TypeError, KeyError) as e:
        return f"the message is not a search log event: {e}"
    if datetime.fromisoformat(event["at"]).tzinfo is None:
        return "at: must carry a time zone"
    event["q"] = normalize_text(event["q"])
    return event


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
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-log-consumer")
        self._consumer: KafkaConsumer | None = None
        self._last_retention = 0.0

    async def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._thread, lambda: fn(*args, **kwargs))

    def _open(self) -> KafkaConsumer:
        consumer = KafkaConsumer(
            group_id=f"{self.settings.consumer_group}-search-log",
            client_id="ingest-search-log",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.settings.batch_size,
            **self.settings.kafka_client_options(),
        )
        consumer.subscribe(topics=[self.topic])
        return consumer

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    if self._consumer is None:
                        self._consumer = await self._call(self._open)
                    await self._cycle()
                    await self._retention()
                except (KafkaError, EngineUnavailable) as e:
                    log.warning("search log paused (%s); retrying", e)
                    await self._close()
                    await sleep_or_stop(stop, 2.0)
                except Exception:
                    log.exception("search log cycle failed; rejoining from the last committed offsets")
                    await self._close()
                    await sleep_or_stop(stop, 2.0)
        finally:
            await self._close()
            self._thread.shutdown(wait=False)

    async def _close(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            await self._call(consumer.close, autocommit=False)

    async def _cycle(self) -> None:
        consumer = self._consumer
        assert consumer is not None
        polled = await self._call(consumer.poll, timeout_ms=500, max_records=self.settings.batch_size)
        records = [record for batch in polled.values() for record in batch]
        if not records:
            return
        lines: list[dict[str, Any]] = []
        written: list[Any] = []  # the record behind each action line, to dead-letter what the engine refuses
        rejections: list[Rejection] = []
        now = self.clock()
        for record in records:
            event = read_event(record.value)
            if isinstance(event, str):
                rejections.append(_rejection(record, "schema", event))
                continue
            index = day_index(self.settings, datetime.fromisoformat(event["at"]))
            lines += [
                {"index": {"_index": index, "_id": event["event_id"]}},
                search_log_document(event, indexed_at=now),
            ]
            written.append(record)
        if lines:
            answer = await self.engine.bulk(lines)
            for record, item in zip(written, answer["items"], strict=True) if answer.get("errors") else ():
                status = item["index"].get("status", 500)
                if status >= 500 or status == 429:
                    raise EngineUnavailable(f"search log write failed with {status}")
                if status >= 400:
                    reason = json.dumps(item["index"].get("error", {}), ensure_ascii=False)[:500]
                    rejections.append(_rejection(record, "engine_refused", reason))
        if rejections:
            await asyncio.get_running_loop().run_in_executor(None, self.dead_letters.publish, rejections)
        await self._call(consumer.commit)

    async def _retention(self) -> None:
        loop_time = asyncio.get_running_loop().time()
        if loop_time - self._last_retention < RETENTION_CHECK_S:
            return
        self._last_retention = loop_time
        prefix = f"{self.settings.index_alias('search_log')}-"
        names = await self.engine.index_names(f"{prefix}*")
        for name in expired_days(
            names, prefix, now=self.clock(), keep_days=self.settings.search_log_retention_days
        ):
            log.info("search log retention: deleting %s", name)
            await self.engine.delete_index(name)


def _rejection(record: Any, reason: str, message: str) -> Rejection:
    position = SourcePosition(record.topic, record.partition, record.offset)
    return Rejection(reason, message, record.value or b"", position, record.key)
