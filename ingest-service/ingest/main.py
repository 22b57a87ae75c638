"""ingest-service: the FastAPI app (health, metrics, CSV imports) and the Kafka consumer beside it.

Run with `python -m ingest.main` (what `make run` does) or `uvicorn ingest.main:app --no-proxy-headers`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from kafka import KafkaProducer

from ingest.api import health, imports, reports, synonyms
from ingest.bulk_write import BulkWriter
from ingest.config import IngestSettings
from ingest.consume import IngestConsumer
from ingest.csv_import.columns import KINDS
from ingest.csv_import.importer import resume_imports
from ingest.csv_import.resume import import_dir
from ingest.dead_letter import DLQ_MAX_MESSAGE_BYTES, DeadLetterPublisher
from ingest.engine import IngestEngine
from ingest.imports_store import ImportsStore
from ingest.retry import Backoff, until_done
from ingest.search_log_sink import SearchLogSink
from ingest.topics import ENTITY_TOPICS, ensure_topics, topic_for
from portal.clock import now_dhaka
from portal.observability import RequestObservability, serve
from portal.service_app import service_app
from portal.synonyms import SynonymBook

log = logging.getLogger("ingest")


async def _bootstrap(app: FastAPI, stop: asyncio.Event) -> bool:
    """Create indices and topics, waiting (retry.py's backoff) for the engine and the broker if they are
    not up yet. False if stopped first."""
    settings: IngestSettings = app.state.settings
    loop = asyncio.get_running_loop()

    async def attempt() -> bool:
        await app.state.engine.ensure_indices()
        await app.state.engine.ensure_search_log_template()
        await loop.run_in_executor(None, ensure_topics, settings, settings.topic_partitions)
        app.state.producer = await loop.run_in_executor(None, _producer, settings)
        return True

    def waiting(error: Exception | None) -> None:  # readyz says what is missing meanwhile
        log.warning("bootstrap waiting for the engine and Kafka: %s", error)

    backoff = Backoff(settings.bulk_retry_initial_s, settings.bulk_retry_max_s)
    return await until_done(attempt, backoff, stop, retry_on=(Exception,), on_failure=waiting)


async def _resume_imports(app: FastAPI) -> None:
    """Imports a restart interrupted go on where they stopped (their files are in the import folder)."""
    settings: IngestSettings = app.state.settings
    store = ImportsStore(app.state.engine.client, settings)
    try:
        resumed = await resume_imports(
            import_dir(settings),
            store,
            app.state.producer,
            lambda kind: topic_for(settings, KINDS[kind]),
            settings,
            now_dhaka,
        )
    except Exception:
        log.exception("could not resume the imports under way")
        return
    if resumed:
        log.info("resumed %d imports under way", resumed)


def _producer(settings: IngestSettings) -> KafkaProducer:
    return KafkaProducer(
        acks="all",
        enable_idempotence=True,  # a retried send after a broker loss is never written twice
        linger_ms=20,
        batch_size=256 * 1024,
        max_request_size=DLQ_MAX_MESSAGE_BYTES,
        retries=10,
        **settings.kafka_client_options(),
    )


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: IngestSettings = app.state.settings
    app.state.engine = IngestEngine(settings)
    app.state.synonyms = SynonymBook(settings).start()
    app.state.producer = None
    app.state.consumer = None
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def start() -> None:
        if not await _bootstrap(app, stop):
            return
        tasks.append(asyncio.create_task(_resume_imports(app), name="resume-imports"))
        if settings.consumer_enabled:
            writer = BulkWriter(
                app.state.engine,
                {entity: settings.index_alias(index) for entity, index in ENTITY_TOPICS.items()},
            )
            consumer = IngestConsumer(
                settings, app.state.engine, writer, DeadLetterPublisher(app.state.producer)
            )
            app.state.consumer = consumer
            runs = [consumer.run(stop)]
            if settings.search_log_enabled:
                sink = SearchLogSink(settings, app.state.engine, DeadLetterPublisher(app.state.producer))
                runs.append(sink.run(stop))
            await asyncio.gather(*runs)

    tasks.append(asyncio.create_task(start(), name="ingest-start"))
    try:
        yield
    finally:
        stop.set()
        # Let the consumer finish the batch in hand (or give it up uncommitted), then close.
        await asyncio.wait(tasks, timeout=30)
        for task in tasks:
            task.cancel()
        app.state.synonyms.stop()
        if app.state.producer is not None:
            app.state.producer.close(timeout=10)
        await app.state.engine.close()


def create_app(settings: IngestSettings | None = None) -> FastAPI:
    app = service_app(
        title="Kishoreganj portal — ingest-service",
        description="Consumes provider and product change events from Kafka into OpenSearch; CSV imports for data clerks.",
        lifespan=lifespan,
    )
    app.state.settings = settings or IngestSettings()
    app.add_middleware(RequestObservability)
    app.include_router(health.router)
    app.include_router(imports.router)
    app.include_router(synonyms.router)
    app.include_router(reports.router)
    return app


app = create_app()


def main() -> None:
    settings: IngestSettings = app.state.settings
    serve(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_json=settings.log_json,
        max_body_bytes=settings.import_max_bytes + imports.MULTIPART_SLACK,  # an upload, and its form
    )


if __name__ == "__main__":
    main()
