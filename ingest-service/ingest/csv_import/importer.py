"""One import from start to finish: check the file, record the import, validate and publish, record the outcome.

File-wide problems (encoding, emptiness, size, header) are found before anything is recorded or
published, so a refused file leaves no trace. Row work (CPU and blocking Kafka calls) runs on a worker
thread, keeping the event loop — and the consumer that shares it — responsive during a large import.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import IO, Any

from kafka import KafkaProducer
from starlette.concurrency import run_in_threadpool

from ingest import metrics
from ingest.csv_import.cells import cell_rules
from ingest.csv_import.columns import ColumnSet, HeaderMatch, columns_for, match_header
from ingest.csv_import.publish import ImportPublisher, PublishFailed
from ingest.csv_import.reader import FileProblem, UnreadableRow, count_records, open_text, records, scan
from ingest.csv_import.report import ImportReport, RowError
from ingest.csv_import.rows import RowConverter
from ingest.engine import EngineUnavailable
from ingest.imports_store import ImportsStore

log = logging.getLogger("ingest.imports")


@dataclass
class PreparedFile:
    """An upload whose encoding, size and header passed: ready to stream its rows."""

    columns: ColumnSet
    header: HeaderMatch
    text: io.TextIOWrapper
    rows: Iterator[tuple[int, list[str]]]


@dataclass
class ImportResult:
    import_id: str
    kind: str
    dry_run: bool
    status: str
    report: ImportReport

    def public(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "kind": self.kind,
            "dry_run": self.dry_run,
            "status": self.status,
            **self.report.public(),
            "status_url": f"/v1/imports/{self.import_id}",
        }


class ImportInterrupted(Exception):
    """Kafka failed part-way; the report says how many rows were published before it did."""

    def __init__(self, result: ImportResult, cause: PublishFailed) -> None:
        super().__init__(str(cause))
        self.result = result
        self.cause = cause


def prepare(binary: IO[bytes], kind: str, *, max_rows: int) -> PreparedFile:
    """Check the whole file (decodes, not empty, not too many rows, usable header) and open its rows."""
    columns = columns_for(kind)
    template = f"/v1/imports/templates/{kind}.csv"
    scanned = scan(binary)
    if scanned.blank:
        raise FileProblem(
            422,
            "empty_file",
            f"The file is empty. Its first row must name the columns; download a template from {template}.",
        )
    if scanned.lines > max_rows + 1 and count_records(binary, scanned.encoding) > max_rows:
        raise FileProblem(
            413,
            "too_many_rows",
            f"The file has more than {max_rows} data rows, the most one import takes; split it into smaller files.",
            max_rows=max_rows,
        )
    text = open_text(binary, scanned.encoding)
    header_cells, rows = records(text)
    header = match_header(columns, header_cells)
    if header.missing or header.duplicates:
        text.detach()
        problems = list(header.duplicates)
        if header.missing:
            names = ", ".join(c.name for c in header.missing)
            problems.insert(0, f"required columns missing: {names}")
        raise FileProblem(
            422,
            "bad_header",
            "The first row must name the columns. "
            + "; ".join(problems)
            + f". Found: {', '.join(repr(h.strip()) for h in header_cells if h.strip()) or 'nothing'}. "
            f"Download a template from {template}.",
            missing=[c.name for c in header.missing],
            expected=[c.name for c in columns.columns],
        )
    return PreparedFile(columns=columns, header=header, text=text, rows=rows)


def process_rows(
    prepared: PreparedFile, converter: RowConverter, report: ImportReport, publisher: ImportPublisher | None
) -> None:
    """Validate every row, publishing the good ones; counts all, lists errors up to the report's limit."""
    try:
        try:
            for number, cells in prepared.rows:
                report.rows += 1
                event, problems = converter.convert(number, cells)
                if event is None:
                    report.reject(problems)
                    continue
                if publisher is not None:
                    publisher.send(event)
                report.accepted += 1
        except UnreadableRow as e:
            report.rows += 1
            report.reject([RowError(e.row, None, "", e.message)])
            report.warnings.append(f"reading stopped at row {e.row}; the rows after it were not imported")
        if publisher is not None:
            report.published = publisher.close()
    except PublishFailed as e:
        report.published = e.published
        raise
    finally:
        prepared.text.detach()


async def run_import(
    binary: IO[bytes],
    *,
    kind: str,
    filename: str | None,
    dry_run: bool,
    max_rows: int,
    store: ImportsStore,
    producer: KafkaProducer | None,
    topic: str,
    clock: Callable[[], datetime],
) -> ImportResult:
    """Import (or with `dry_run`, only validate) one uploaded CSV file."""
    prepared = await run_in_threadpool(prepare, binary, kind, max_rows=max_rows)
    started = clock()
    import_id = uuid.uuid4().hex
    report = ImportReport(
        max_errors=cell_rules()["max_errors_reported"], warnings=list(prepared.header.unknown)
    )
    converter = RowConverter(prepared.columns, prepared.header, started=started)
    record: dict[str, Any] = {
        "id": import_id,
        "entity": prepared.columns.entity,
        "filename": _safe_filename(filename),
        "created_at": started.isoformat(),
        "dry_run": dry_run,
        **dict.fromkeys(("rows", "accepted", "rejected", "indexed", "stale", "failed"), 0),
    }
    result = ImportResult(import_id, kind, dry_run, "validated" if dry_run else "accepted", report)
    if dry_run:
        await run_in_threadpool(process_rows, prepared, converter, report, None)
        await _record_dry_run(store, record, report, clock)
        return _finished(result)
    if producer is None:
        prepared.text.detach()
        raise PublishFailed(0, "the Kafka producer is not connected yet")
    try:
        await store.create(record | {"status": "accepted"})
    except BaseException:
        prepared.text.detach()
        raise
    publisher = ImportPublisher(producer, topic, import_id)
    try:
        await run_in_threadpool(process_rows, prepared, converter, report, publisher)
    except PublishFailed as e:
        result.status = "failed"
        await _finish(store, result, clock, accepted=e.published)
        raise ImportInterrupted(result, e) from e
    result.status = "published"
    await _finish(store, result, clock, accepted=report.accepted)
    metrics.IMPORT_ROWS.labels(prepared.columns.entity, "accepted").inc(report.accepted)
    metrics.IMPORT_ROWS.labels(prepared.columns.entity, "rejected").inc(report.rejected)
    return _finished(result)


def _finished(result: ImportResult) -> ImportResult:
    report = result.report
    if report.rows == 0:
        report.warnings.append("the file has a header row but no data rows")
    log.info(
        "import %s (%s, dry_run=%s): %d rows, %d accepted, %d rejected, %d published",
        result.import_id,
        result.kind,
        result.dry_run,
        report.rows,
        report.accepted,
        report.rejected,
        report.published,
    )
    return result


async def _finish(
    store: ImportsStore, result: ImportResult, clock: Callable[[], datetime], *, accepted: int
) -> None:
    """Record the outcome; if the engine is away the rows are still on Kafka, so say so, don't fail."""
    report = result.report
    fields = {
        "status": result.status,
        "finished_at": clock().isoformat(),
        "rows": report.rows,
        "accepted": accepted,
        "rejected": report.rejected,
    }
    try:
        await store.finish(result.import_id, fields)
    except EngineUnavailable as e:
        log.warning("could not record the outcome of import %s: %s", result.import_id, e)
        report.warnings.append(
            "the rows were published, but the import's progress record could not be updated, "
            "so GET /v1/imports/{id} will not report it as searchable"
        )


async def _record_dry_run(
    store: ImportsStore, record: dict[str, Any], report: ImportReport, clock: Callable[[], datetime]
) -> None:
    """Keep a trace of the dry run; its answer does not depend on the engine, so failure only warns."""
    fields = {
        "status": "validated",
        "finished_at": clock().isoformat(),
        "rows": report.rows,
        "accepted": report.accepted,
        "rejected": report.rejected,
    }
    try:
        await store.create(record | fields)
    except EngineUnavailable as e:
        log.warning("could not record dry run %s: %s", record["id"], e)


def _safe_filename(name: str | None) -> str | None:
    """Only the base name, bounded: it is stored and shown, never used as a path."""
    if not name:
        return None
    return PurePath(name.replace("\\", "/")).name[:200] or None
