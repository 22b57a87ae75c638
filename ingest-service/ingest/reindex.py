"""Zero-downtime reindex: build a new physical index, then swap the alias atomically.

    python -m ingest.reindex providers [--source index|kafka]

The old index keeps serving searches and taking writes until the swap; then it is write-blocked. Versions are carried over
(`version_type: external`), so a catch-up pass after the swap copies whatever the consumer wrote to
the old index meanwhile without ever overwriting anything newer. With `--source kafka` the new index
is rebuilt from the compacted entity topic alone (the latest event per key), through the same
validate → to_document → bulk_write stages as live ingest.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
import time
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from ingest.bulk_write import BulkWriter, Document, latest_per_id
from ingest.config import IngestSettings
from ingest.engine import EngineUnavailable, IngestEngine
from ingest.events import ChangeEvent
from ingest.retry import Backoff, Exhausted, until_done
from ingest.to_document import to_documents
from ingest.topics import ENTITY_TOPICS, topic_for
from ingest.validate import validate
from portal.clock import now_dhaka

log = logging.getLogger("ingest.reindex")

ENTITY_OF_INDEX = {index: entity for entity, index in ENTITY_TOPICS.items()}
#: Attempts per batch while filling the new index (about 25 s of backoff in all): a reindex is run by a
#: person, who is told to run it again.
REINDEX_WRITE_ATTEMPTS = 8


def next_physical(alias: str, current: str) -> str:
    match = re.search(r"_v(\d+)$", current)
    return f"{alias}_v{int(match.group(1)) + 1 if match else 2}"


def read_compacted_topic(settings: IngestSettings, topic: str) -> list[Any]:
    """Every record of a topic up to its current end, read without a consumer group."""
    consumer = KafkaConsumer(enable_auto_commit=False, **settings.kafka_client_options())
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    ends = consumer.end_offsets(partitions)
    records: list[Any] = []
    while any(consumer.position(tp) < ends[tp] for tp in partitions):
        for batch in consumer.poll(timeout_ms=500, max_records=5000).values():
            records.extend(r for r in batch if r.offset < ends[TopicPartition(r.topic, r.partition)])
    consumer.close()
    return records


async def rebuild_from_kafka(settings: IngestSettings, engine: IngestEngine, entity: str, dest: str) -> int:
    topic = topic_for(settings, entity)
    records = await asyncio.get_running_loop().run_in_executor(None, read_compacted_topic, settings, topic)
    events = [
        e
        for r in records
        if isinstance(
            e := validate(r.value, entity, key=r.key, max_bytes=settings.max_event_bytes), ChangeEvent
        )
    ]
    writer = BulkWriter(engine, {entity: dest})
    backoff = Backoff(settings.bulk_retry_initial_s, settings.bulk_retry_max_s, REINDEX_WRITE_ATTEMPTS)
    latest, _ = latest_per_id(events)
    for start in range(0, len(latest), settings.batch_size):
        documents, _ = to_documents(latest[start : start + settings.batch_size], indexed_at=now_dhaka())
        await _write_all(writer, documents, backoff)
    return len(events)


async def _write_all(writer: BulkWriter, documents: list[Document], backoff: Backoff) -> None:
    """Resend what the engine was too busy to take (or did not answer for, or failed on), with the pipe's
    backoff, up to its ceiling."""
    pending = documents

    async def attempt() -> bool:
        nonlocal pending
        result = await writer.write(pending)
        pending = result.retry + [document for document, _ in result.failed]
        return not pending

    def waiting(error: Exception | None) -> None:
        if error is not None:
            log.warning("engine unavailable while filling the new index (%s); retrying", error)

    try:
        await until_done(attempt, backoff, asyncio.Event(), retry_on=(EngineUnavailable,), on_failure=waiting)
    except Exhausted as e:
        raise EngineUnavailable(f"the engine would not take {len(pending)} documents; run again") from e


async def reindex(settings: IngestSettings, name: str, source: str) -> str:
    engine = IngestEngine(settings)
    try:
        alias = settings.index_alias(name)
        old = await engine.physical_behind(alias)
        new = next_physical(alias, old)
        started = time.monotonic()
        await engine.create_physical(new, name)
        log.info("created %s; filling it from %s while %s keeps serving", new, source, old)
        if source == "kafka":
            count = await rebuild_from_kafka(settings, engine, ENTITY_OF_INDEX[name], new)
            log.info("replayed %d events from Kafka", count)
        await engine.copy_with_versions(old, new)  # also picks up what arrived during the replay
        # Searchable before it serves: a copy that wrote nothing (all already replayed) refreshes nothing.
        await engine.refresh(new)
        await engine.swap_alias(alias, old, new)
        # Block writes on the old index: a bulk that resolved the alias just before the swap fails there
        # with a cluster block, which the writer retries — through the alias, into the new index.
        await engine.block_writes(old)
        # Writes that reached the old index between the copy and the swap: copy them over too.
        caught_up = await engine.copy_with_versions(old, new)
        log.info(
            "alias %s now points at %s (%.1f s); catch-up copied %s newer documents; %s can be deleted",
            alias, new, time.monotonic() - started, caught_up.get("created", 0) + caught_up.get("updated", 0), old,
        )  # fmt: skip
        return new
    finally:
        await engine.close()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("index", choices=sorted(ENTITY_OF_INDEX))
    parser.add_argument("--source", choices=["index", "kafka"], default="index")
    args = parser.parse_args()
    new = asyncio.run(reindex(IngestSettings(), args.index, args.source))
    print(f"{args.index}: now served by {new}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
