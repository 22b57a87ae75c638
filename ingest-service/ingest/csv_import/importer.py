"""One import from start to finish: check the file's shape, answer, then validate and publish in the background.

The shape check (file kind, encoding, header, row count, duplicate ids) reads the whole file once
before anything is recorded or published, so a refused file leaves no trace and the clerk hears at
once about the problems that concern the whole file. A real import is then answered with 202 and an
import id; its rows are validated and published by a background task that works in chunks on a
worker thread (CPU and blocking Kafka calls stay off the event loop, and the consumer sharing it stays
responsive) and writes its progress to the import's record between chunks. A dry run does the same
work at once and answers with the full report.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePath
from typing import IO, Any

from kafka import KafkaProducer
from starlette.concurrency import run_in_threadpool

from ingest import metrics
from ingest.csv_import.cells import CellError, cell_rules, is_trailer_row, lookup_key
from ingest.csv_import.columns import (
    ColumnSet,
    HeaderMatch,
    column_label,
    columns_for,
    header_score,
    is_list_header,
    match_header,
)
from ingest.csv_import.legacy_text import lost_encoding
from ingest.csv_import.merged import MergedCells
from ingest.csv_import.publish import ImportPublisher, PublishFailed
from ingest.csv_import.reader import FileProblem, UnreadableRow
from ingest.csv_import.report import ErrorReport, ImportReport, RowError
from ingest.csv_import.resume import ImportFiles, locked, rows_on_kafka, waiting_imports
from ingest.csv_import.rows import RowConverter
from ingest.csv_import.sheet import Sheet, open_sheet
from ingest.engine import EngineUnavailable
from ingest.imports_store import ImportsStore
from ingest.retry import Backoff
from portal.bangla.normalize import normalize_text
from portal.clerk_messages import bilingual, render

log = logging.getLogger("ingest.imports")

ON_DUPLICATE = ("refuse", "last")
SPILL_SUFFIX = ".rows.csv"  # a workbook's rows as the shape check read them (sheet.Sheet.spill)
STEP_ROWS = 250  # rows per worker-thread step; progress is recorded after every step
CHECKPOINT_EVERY_S = 1.0  # how often a settled step's checkpoint is written beside the upload
ERROR_REPORT_MAX_BYTES = 16 << 20
FINAL_RECORD_ATTEMPTS = 25  # with the backoff below, capped at 10 s: about 3.5 minutes
FINAL_RECORD_BACKOFF = Backoff(initial_s=0.5, max_s=10.0)

#: Background imports in flight, so they are not garbage-collected mid-way.
_RUNNING: set[asyncio.Task[None]] = set()


@dataclass(frozen=True)
class ImportOptions:
    kind: str  # "providers" | "products"
    dry_run: bool = False
    sheet: str | None = None  # a workbook's sheet by name; the first one otherwise
    on_duplicate: str = "refuse"  # "last": a later row with the same id replaces the earlier one


@dataclass
class Shape:
    """What the shape check found: enough to answer at once, and to run the rows later."""

    options: ImportOptions
    columns: ColumnSet
    sheet: Sheet
    header: HeaderMatch
    rows_total: int
    duplicates: dict[str, list[int]]  # id → every row it is on, for ids on more than one row
    warnings: list[dict[str, Any]] = field(default_factory=list)
    #: The first row of totals, notes or signatures after the data: it and every row after it are skipped.
    trailer_from: int | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "file_kind": self.sheet.kind,
            "sheet": self.sheet.sheet_name,
            "encoding": self.sheet.encoding,
            "rows_total": self.rows_total,
        }


def template_url(kind: str) -> str:
    return f"/v1/imports/templates/{kind}.csv"


@dataclass
class _RowSurvey:
    """What one pass over the rows learns besides their number: duplicate ids, where the data ends
    (totals and signatures below it), and how many rows list blood donors."""

    id_index: int | None
    category_index: int | None
    category_parse: Callable[[str], Any] | None
    rows_total: int = 0
    rows_of: dict[str, list[int]] = field(default_factory=dict)
    trailer_from: int | None = None
    trailer_rows: int = 0
    donors: int = 0
    first_donor: int | None = None

    def see(self, number: int, cells: list[str]) -> None:
        self.rows_total += 1
        key = ""
        if self.id_index is not None and self.id_index < len(cells):
            key = cells[self.id_index].strip()
        if key and is_trailer_row([key]):
            key = ""  # "মোট" in the id column: a totals row, not an id
        if key:
            self.rows_of.setdefault(normalize_text(key), []).append(number)
            if self.trailer_from is not None:  # data again after what looked like a footer
                self.trailer_from, self.trailer_rows = None, 0
        elif self.trailer_from is None and is_trailer_row(cells):
            self.trailer_from = number
        if self.trailer_from is not None:
            self.trailer_rows += 1
        elif self.category_parse is not None and self.category_index is not None:
            cell = cells[self.category_index] if self.category_index < len(cells) else ""
            if cell.strip():
                try:
                    category = self.category_parse(cell)
                except CellError:
                    category = None
                if category == "blood_donor":
                    self.donors += 1
                    self.first_donor = self.first_donor or number


def check_shape(binary: IO[bytes], path: str, options: ImportOptions, *, max_rows: int) -> Shape:
    """The whole file, read once for its shape; FileProblem for anything that stops the whole import.

    A workbook's rows are kept beside the file as they are read (`path` + SPILL_SUFFIX) for the row
    pass; a refused file leaves none behind."""
    try:
        return _check_shape(binary, path, options, max_rows=max_rows)
    except BaseException:
        _remove(path + SPILL_SUFFIX)
        raise


def _check_shape(binary: IO[bytes], path: str, options: ImportOptions, *, max_rows: int) -> Shape:
    columns = columns_for(options.kind)
    with open_sheet(
        binary,
        path,
        sheet=options.sheet,
        header_score=functools.partial(header_score, options.kind),
        is_list=functools.partial(is_list_header, options.kind),
    ) as sheet:
        if not any(cell.strip() for cell in sheet.header):
            raise FileProblem(422, "empty_file", template=template_url(options.kind))
        header = match_header(columns, sheet.header, column_offset=sheet.column_offset)
        _check_header(columns, header, sheet, options)
        category = columns.named("category")
        survey = _RowSurvey(
            id_index=header.index_of(id_column) if (id_column := columns.named("id")) else None,
            category_index=header.index_of(category) if category else None,
            category_parse=functools.lru_cache(maxsize=256)(category.parse)
            if category and options.kind == "providers"
            else None,
        )
        try:
            for number, cells in sheet.rows:
                survey.see(number, cells)
                if survey.rows_total - survey.trailer_rows > max_rows:
                    raise FileProblem(413, "too_many_rows", details={"max_rows": max_rows}, max_rows=max_rows)
        except UnreadableRow:
            pass  # the row pass reports it at its row; the rows before it are still good
    warnings = [bilingual(code, **params) for code, params in sheet.warnings]
    if sheet.title_rows:
        warnings.append(
            bilingual("title_rows_skipped", rows=_row_list(sheet.title_rows), header_row=sheet.header_row)
        )
    kind_word = options.kind
    for unknown in header.unknown:
        letter = header.letter(unknown.index)
        if unknown.suggestion is not None:
            warnings.append(
                {
                    **bilingual(
                        "unknown_column_suggest",
                        letter=letter,
                        header=repr(unknown.header),
                        kind=kind_word,
                        suggestion=unknown.suggestion.name,
                        suggestion_bn=column_label(unknown.suggestion),
                    ),
                    "letter": letter,
                    "header": unknown.header,
                }
            )
        else:
            warnings.append(
                {
                    **bilingual("unknown_column", letter=letter, header=repr(unknown.header), kind=kind_word),
                    "letter": letter,
                    "header": unknown.header,
                }
            )
    if columns.named("hours") is not None and not header.present("hours"):
        warnings.append(bilingual("no_hours_column"))
    if survey.donors and not header.present("last_donation_date"):
        _refuse_donors_without_dates(header, survey)
    _check_unclear(header, options)
    if survey.trailer_from is not None:
        warnings.append(bilingual("trailer_rows_skipped", row=survey.trailer_from, count=survey.trailer_rows))
    duplicates = {key: rows for key, rows in survey.rows_of.items() if len(rows) > 1}
    return Shape(
        options,
        columns,
        sheet,
        header,
        survey.rows_total - survey.trailer_rows,
        duplicates,
        warnings,
        trailer_from=survey.trailer_from,
    )


def _row_list(rows: list[int]) -> str:
    return f"{rows[0]}–{rows[-1]}" if len(rows) > 1 else str(rows[0])


def _refuse_donors_without_dates(header: HeaderMatch, survey: _RowSurvey) -> None:
    """Who may be shown as able to give blood depends on the last donation: never guessed."""
    near = [
        u for u in header.unknown if u.suggestion is not None and u.suggestion.name == "last_donation_date"
    ]
    unknown = near or [u for u in header.unknown if _mentions_donation(u.header)]
    found_en = found_bn = ""
    if unknown:
        letter = header.letter(unknown[0].index)
        found_en = f" (column {letter} {unknown[0].header!r} was not recognised as it)"
        found_bn = f" ({letter} কলাম {unknown[0].header!r} চেনা যায়নি)"
    raise FileProblem(
        422,
        "donor_dates_missing",
        details={
            "donors": survey.donors,
            "first_row": survey.first_donor,
            "unrecognised": [header.letter(u.index) for u in unknown],
        },
        count=survey.donors,
        first=survey.first_donor or 0,
        found=found_en,
        found_bn=found_bn,
    )


def _check_unclear(header: HeaderMatch, options: ImportOptions) -> None:
    """In a dry run, a column that looks like a known one but was not recognised is an error."""
    unclear = [u for u in header.unknown if u.suggestion is not None]
    if options.dry_run and unclear:
        described = ", ".join(
            f"{header.letter(u.index)} {u.header!r} → {u.suggestion.name}?" for u in unclear if u.suggestion
        )
        described_bn = ", ".join(
            f"{header.letter(u.index)} {u.header!r} → {column_label(u.suggestion)}?"
            for u in unclear
            if u.suggestion
        )
        raise FileProblem(
            422,
            "unclear_columns",
            details={
                "columns": [
                    {
                        "letter": header.letter(u.index),
                        "header": u.header,
                        "did_you_mean": u.suggestion.name if u.suggestion else None,
                    }
                    for u in unclear
                ]
            },
            columns=described,
            columns_bn=described_bn,
        )


def _mentions_donation(text: str) -> bool:
    key = lookup_key(text)
    return any(word in key for word in ("রক্ত", "donat", "donor", "blood"))


def _check_header(columns: ColumnSet, header: HeaderMatch, sheet: Sheet, options: ImportOptions) -> None:
    found = ", ".join(repr(h.strip()) for h in sheet.header if h.strip()) or "nothing"
    if header.present("action"):  # a file of deletes needs only ids; upsert rows say what they lack
        header = replace(header, missing=tuple(c for c in header.missing if c.name == "id"))
    if header.missing or header.duplicates:
        if header.missing and any(lost_encoding(h) for h in sheet.header):
            raise FileProblem(
                422,
                "header_lost_encoding",
                details={"missing": [c.name for c in header.missing]},
                found=found,
            )
        en: list[str] = []
        bn: list[str] = []
        if header.missing:
            names = ", ".join(c.name for c in header.missing)
            names_bn = ", ".join(column_label(c) for c in header.missing)
            en.append(render("header_missing", "en", {"names": names}))
            bn.append(render("header_missing", "bn", {"names": names, "names_bn": names_bn}))
        for first, second, column in header.duplicates:
            params = {
                "first": header.letter(first),
                "second": header.letter(second),
                "name": repr(column.name),
                "name_bn": repr(column_label(column)),
            }
            en.append(render("header_duplicate", "en", params))
            bn.append(render("header_duplicate", "bn", params))
        for unknown in header.unknown:
            if unknown.suggestion is not None and unknown.suggestion in header.missing:
                params = {
                    "letter": header.letter(unknown.index),
                    "header": repr(unknown.header),
                    "name": unknown.suggestion.name,
                    "name_bn": column_label(unknown.suggestion),
                }
                en.append(render("header_suggest", "en", params))
                bn.append(render("header_suggest", "bn", params))
        others = [n for n in sheet.sheet_names if n != sheet.sheet_name]
        hint = hint_bn = ""
        if others:
            names = ", ".join(map(repr, others))
            hint = render("other_sheets_hint", "en", {"sheets": names, "sheet": repr(sheet.sheet_name)})
            hint_bn = render("other_sheets_hint", "bn", {"sheets": names, "sheet": repr(sheet.sheet_name)})
        raise FileProblem(
            422,
            "bad_header",
            details={
                "missing": [c.name for c in header.missing],
                "expected": [c.name for c in columns.columns],
                **({"sheets": sheet.sheet_names} if others else {}),
            },
            problems="; ".join(en),
            problems_bn="; ".join(bn),
            found=found,
            template=template_url(options.kind),
            sheets_hint=hint,
            sheets_hint_bn=hint_bn,
        )


class ImportRun:
    """The row pass of one import: validate each row, publish the good ones, keep the report.

    Used from one worker thread at a time (`step` runs on the thread pool between progress updates).
    """

    def __init__(
        self,
        binary: IO[bytes],
        path: str,
        shape: Shape,
        *,
        started: datetime,
        publisher: ImportPublisher | None,
        files: ImportFiles | None = None,
        resume: dict[str, Any] | None = None,
        on_kafka: set[int] | None = None,
    ) -> None:
        self.stack = contextlib.ExitStack()
        self.sheet = self.stack.enter_context(
            open_sheet(binary, path, sheet=shape.options.sheet, known=shape.sheet)
        )
        self.shape = shape
        self.converter = RowConverter(
            shape.columns, shape.header, started=started, strict_width=self.sheet.strict_width
        )
        self.report = ImportReport(
            max_errors=cell_rules()["max_errors_reported"], warnings=list(shape.warnings)
        )
        if resume is not None:
            self.report = ImportReport.from_state(resume["report"])
        self.errors = ErrorReport(
            list(self.sheet.header),
            max_bytes=ERROR_REPORT_MAX_BYTES,
            path=str(files.errors) if files is not None else None,
            resume_at=tuple(resume["errors_at"]) if resume is not None else None,
        )
        self.files = files
        self.skip_to = int(resume["row"]) if resume is not None else 0
        self.on_kafka = on_kafka or set()
        #: (publisher step, checkpoint) after each step; written once the step's sends are all acked
        self.snapshots: list[tuple[int, dict[str, Any]]] = []
        self.last_row = self.skip_to
        self.saved_at = 0.0
        self.publisher = publisher
        self.id_index = shape.header.index_of(id_column) if (id_column := shape.columns.named("id")) else None
        self.first_replaced: tuple[str, int, int] | None = None
        self.finished = False
        self.merged = MergedCells(shape.sheet, shape.header)
        if resume is not None:
            self.first_replaced = tuple(resume["first_replaced"]) if resume.get("first_replaced") else None
            self.merged.filled, self.merged.filled_first = resume["merged"]

    def step(self, budget: int = STEP_ROWS) -> bool:
        """Handle up to `budget` rows; False once the sheet is done."""
        report = self.report
        try:
            for _ in range(budget):
                item = next(self.sheet.rows, None)
                if item is None:
                    return False
                number, cells = item
                if self.shape.trailer_from is not None and number >= self.shape.trailer_from:
                    return False  # totals, notes and signatures after the data: skipped with a note
                if number <= self.skip_to:  # a resumed import: counted in its checkpoint already
                    filled = self.merged.filled
                    self.merged.fill(number, cells)  # (merged values above the checkpoint carry on)
                    self.merged.filled = filled
                    continue
                self.last_row = number
                report.rows += 1
                cells, unmerged = self.merged.fill(number, cells)
                if self.merged.filled_first and report.first_merged is None:
                    report.first_merged = self.merged.filled_first
                duplicate = self._duplicate(number, cells)
                if duplicate is True:
                    continue  # replaced by a later row, as the clerk asked
                converted = self.converter.convert(number, cells)
                if converted.conversions:
                    report.converted_cells(converted.conversions)
                merged_errors = [
                    self.converter.error(number, index, column, "", CellError("merged_cells", range=span))
                    for index, column, span in unmerged
                ]
                merged_columns = {e.column for e in merged_errors}
                errors = [
                    *merged_errors,
                    *(e for e in converted.errors if e.column not in merged_columns),
                    *([duplicate] if duplicate else []),
                ]
                if converted.event is None or errors:
                    report.reject(errors)
                    self.errors.add(number, cells, errors)
                    continue
                if converted.blank_hours:
                    report.blank_hours += 1
                    report.first_blank_hours = report.first_blank_hours or number
                if converted.never_donated:
                    report.never_donated += 1
                    report.first_never_donated = report.first_never_donated or number
                if self.publisher is not None:
                    if number in self.on_kafka:
                        self.publisher.already_published()  # sent before the restart: not twice
                    else:
                        self.publisher.send(converted.event, number)
                report.accepted += 1
                if converted.event["type"] == "delete":
                    report.deleted += 1
        except UnreadableRow as e:
            report.rows += 1
            problem = self.converter.error(e.row, None, None, "", _unreadable(e))
            report.reject([problem])
            self.errors.add(e.row, [], [problem])
            report.warn("reading_stopped", row=e.row)
            return False
        finally:
            self._snapshot()
        return True

    def _snapshot(self) -> None:
        """Remember where this step ended; `checkpoint` writes it once Kafka has every row before it."""
        if self.publisher is None or self.files is None:
            return
        step = self.publisher.next_step()
        self.snapshots.append(
            (
                step,
                {
                    "row": self.last_row,
                    "report": self.report.snapshot(),  # made JSON when written: see checkpoint
                    "errors_at": list(self.errors.position()),
                    "first_replaced": list(self.first_replaced) if self.first_replaced else None,
                    "merged": [self.merged.filled, self.merged.filled_first],
                    "at_ms": int(time.time() * 1000),
                    # every send up to here, acknowledged once this step is settled: the rows published
                    "sent": self.publisher.sent,
                },
            )
        )

    def checkpoint(self, *, force: bool = False) -> None:
        """Write the latest checkpoint whose rows Kafka has all acknowledged (at most every second)."""
        if self.publisher is None or self.files is None or not self.snapshots:
            return
        if not force and time.monotonic() - self.saved_at < CHECKPOINT_EVERY_S:
            return
        settled = self.publisher.settled_steps()
        ready = [snapshot for step, snapshot in self.snapshots if step < settled]
        if not ready:
            return
        state = {**ready[-1], "report": ready[-1]["report"].state()}
        state["report"]["published"] = state.pop("sent")
        self.files.save_state(state)
        self.snapshots = [(step, snapshot) for step, snapshot in self.snapshots if step >= settled]
        self.saved_at = time.monotonic()

    def _duplicate(self, number: int, cells: list[str]) -> RowError | bool:
        """A row error when this row's id is on several rows; True when a later row replaces it."""
        if self.id_index is None or not self.shape.duplicates or self.id_index >= len(cells):
            return False
        key = normalize_text(cells[self.id_index])
        rows = self.shape.duplicates.get(key)
        if rows is None:
            return False
        if self.shape.options.on_duplicate == "last":
            if number == rows[-1]:
                return False
            self.report.replaced += 1
            later = next((r for r in rows if r > number), rows[-1])
            self.first_replaced = self.first_replaced or (key, number, later)
            return True
        error = CellError("duplicate_id", id=repr(key), rows=", ".join(map(str, rows)))
        return self.converter.error(number, self.id_index, self.shape.columns.named("id"), key, error)

    def finish(self) -> None:
        """Flush the publisher (the acknowledged count becomes `published`) and add closing warnings."""
        report = self.report
        try:
            if self.publisher is not None:
                report.published = self.publisher.close()
        except PublishFailed as e:
            report.published = e.published
            raise
        finally:
            self._closing_warnings()
            self.stack.close()
            self.finished = True

    def _closing_warnings(self) -> None:
        report = self.report
        if report.rows == 0:
            report.warn("no_data_rows")
        if report.blank_hours:
            report.warn("blank_hours", count=report.blank_hours, first=report.first_blank_hours or 0)
        bijoy = next((c for c in report.conversions if c.kind == "bijoy"), None)
        if report.converted and bijoy is not None:
            report.warn("bijoy_converted", count=report.converted, first=bijoy.row, letter=bijoy.letter)
        if report.units_converted and report.first_unit is not None:
            first = report.first_unit
            report.warn("units_converted", count=report.units_converted, first=first.row, letter=first.letter)
        if report.never_donated:
            report.warn(
                "donors_never_given", count=report.never_donated, first=report.first_never_donated or 0
            )
        report.merged_filled = self.merged.filled
        if self.merged.filled:
            report.warn("merged_filled", count=self.merged.filled, range=self.merged.filled_first or "")
        if self.first_replaced is not None:
            key, row, later = self.first_replaced
            report.warn("duplicate_replaced", count=report.replaced, id=repr(key), row=row, later=later)

    def close(self) -> None:
        if not self.finished:
            self.stack.close()
        self.errors.close()

    def progress(self) -> dict[str, Any]:
        counts = self.report.counts()
        if self.publisher is not None:
            counts["published"] = self.publisher.acked
        return counts | {"checked_s": time.time()}


def _unreadable(e: UnreadableRow) -> CellError:
    return CellError("unreadable_row", detail=e.detail)


@dataclass
class ImportResult:
    import_id: str
    kind: str
    dry_run: bool
    status: str
    shape: Shape
    report: ImportReport

    def public(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "kind": self.kind,
            "dry_run": self.dry_run,
            "status": self.status,
            **self.shape.describe(),
            **self.report.public(),
            "status_url": f"/v1/imports/{self.import_id}",
            "error_report_url": f"/v1/imports/{self.import_id}/errors.csv",
        }


def _record(
    import_id: str, shape: Shape, filename: str | None, started: datetime, dry_run: bool
) -> dict[str, Any]:
    return {
        "id": import_id,
        "entity": shape.columns.entity,
        "kind": shape.options.kind,
        "filename": _safe_filename(filename),
        "created_at": started.isoformat(),
        "started_s": time.time(),
        "dry_run": dry_run,
        "options": {"sheet": shape.options.sheet, "on_duplicate": shape.options.on_duplicate},
        **{k: v for k, v in shape.describe().items() if k in ("file_kind", "sheet", "rows_total")},
        "warnings": shape.warnings,
        **dict.fromkeys(("rows", "accepted", "rejected", "published", "indexed", "stale", "failed"), 0),
    }


def _report_document(import_id: str, run: ImportRun) -> dict[str, Any]:
    public = run.report.public()
    return {
        "report_of": import_id,
        "report": {k: public[k] for k in ("errors", "errors_omitted", "warnings", "conversions")},
        "error_csv": run.errors.content().decode("utf-8-sig") if run.report.rejected else "",
    }


async def dry_run(
    path: str,
    options: ImportOptions,
    *,
    filename: str | None,
    max_rows: int,
    store: ImportsStore,
    clock: Callable[[], datetime],
) -> ImportResult:
    """Validate every row now and answer with the whole report; nothing is published."""
    with open(path, "rb") as binary:
        shape = await run_in_threadpool(check_shape, binary, path, options, max_rows=max_rows)
        started = clock()
        import_id = uuid.uuid4().hex
        run = await run_in_threadpool(ImportRun, binary, path, shape, started=started, publisher=None)
        try:
            while await run_in_threadpool(run.step):
                pass
            run.finish()
            result = ImportResult(import_id, options.kind, True, "validated", shape, run.report)
            record = (
                _record(import_id, shape, filename, started, True)
                | run.progress()
                | {
                    "status": "validated",
                    "finished_at": clock().isoformat(),
                    "warnings": run.report.warnings,
                }
            )
            try:
                await store.create(record)
                await store.save_report(import_id, _report_document(import_id, run))
            except EngineUnavailable as e:  # the answer does not depend on the engine
                log.warning("could not record dry run %s: %s", import_id, e)
        finally:
            run.close()
            _remove(path + SPILL_SUFFIX)
    _log(result)
    return result


async def start_import(
    path: str,
    options: ImportOptions,
    *,
    filename: str | None,
    max_rows: int,
    store: ImportsStore,
    producer: KafkaProducer,
    topic: str,
    clock: Callable[[], datetime],
    folder: Path,
) -> ImportResult:
    """Check the file's shape, record the import, and start its rows in the background.

    Owns `path` from here on: it moves into `folder` (the import directory), where it stays until the
    import ends so a restarted service can resume it; on refusal it is deleted.
    """
    try:
        with open(path, "rb") as binary:
            shape = await run_in_threadpool(check_shape, binary, path, options, max_rows=max_rows)
        started = clock()
        import_id = uuid.uuid4().hex
        files = ImportFiles(folder, import_id)
        os.replace(path, files.upload)
        if shape.sheet.spill:
            os.replace(shape.sheet.spill, str(files.upload) + SPILL_SUFFIX)
            shape.sheet.spill = str(files.upload) + SPILL_SUFFIX
        path = str(files.upload)
        await store.create(_record(import_id, shape, filename, started, False) | {"status": "accepted"})
    except BaseException:
        _remove(path)
        _remove(path + SPILL_SUFFIX)
        raise
    report = ImportReport(warnings=list(shape.warnings))
    _launch(import_id, _run_in_background(import_id, files, shape, started, store, producer, topic, clock))
    return ImportResult(import_id, options.kind, False, "accepted", shape, report)


def _launch(import_id: str, rows: Coroutine[Any, Any, None]) -> None:
    """Run an import's rows (`_run_in_background`) as a task the event loop keeps until it ends."""
    task = asyncio.create_task(rows, name=f"import-{import_id}")
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)


async def _run_in_background(
    import_id: str,
    files: ImportFiles,
    shape: Shape,
    started: datetime,
    store: ImportsStore,
    producer: KafkaProducer,
    topic: str,
    clock: Callable[[], datetime],
    resume: dict[str, Any] | None = None,
    on_kafka: set[int] | None = None,
) -> None:
    run: ImportRun | None = None
    status, problem = "published", None
    path = str(files.upload)
    try:
        with locked(files.upload) as held:
            if held is None:
                log.info("import %s is run by another process", import_id)
                return
            with open(path, "rb") as binary:
                publisher = ImportPublisher(producer, topic, import_id)
                if resume is not None:
                    publisher.already_published(int(resume["report"].get("published") or 0))
                run = await run_in_threadpool(
                    ImportRun,
                    binary,
                    path,
                    shape,
                    started=started,
                    publisher=publisher,
                    files=files,
                    resume=resume,
                    on_kafka=on_kafka,
                )
                going = True
                while going:
                    # the next rows on the worker thread while the last step's counts are recorded
                    step = run_in_threadpool(run.step)
                    record = _quietly(store.update(import_id, run.progress()), import_id)
                    going, _ = await asyncio.gather(step, record)
                    await run_in_threadpool(run.checkpoint)
                await run_in_threadpool(run.finish)
    except PublishFailed as e:
        status = "failed"
        problem = bilingual("kafka_stopped", published=e.published)
        log.warning("import %s: %s", import_id, e)
    except asyncio.CancelledError:
        raise  # the service is stopping: the file and checkpoint stay, the import resumes at start
    except Exception as e:  # anything else: say the import stopped, never leave it "accepted"
        status = "failed"
        published = run.report.published if run else 0
        problem = bilingual("interrupted", published=published) | {"detail": str(e)[:300]}
        log.exception("import %s failed", import_id)
    fields: dict[str, Any] = {"status": status, "finished_at": clock().isoformat()}
    if run is not None:
        fields |= run.progress() | {
            "published": run.report.published,
            "warnings": run.report.warnings,
            "errors_count": len(run.report.errors) + run.report.errors_omitted,
        }
        document = _report_document(import_id, run)
        await _persistently(lambda: store.save_report(import_id, document), import_id)
        run.close()
        metrics.IMPORT_ROWS.labels(shape.columns.entity, "accepted").inc(run.report.accepted)
        metrics.IMPORT_ROWS.labels(shape.columns.entity, "rejected").inc(run.report.rejected)
        _log(ImportResult(import_id, shape.options.kind, False, status, shape, run.report))
    if problem is not None:
        fields["problem"] = problem
    await _persistently(lambda: store.update(import_id, fields), import_id)
    files.remove()


async def resume_imports(
    folder: Path,
    store: ImportsStore,
    producer: KafkaProducer,
    topic_of: Callable[[str], str],
    settings: Any,
    clock: Callable[[], datetime],
) -> int:
    """Resume every import under way whose file is in `folder` and not run by another process.

    Called once when the service starts (and its producer is ready). Returns how many resumed.
    """
    resumed = 0
    for import_id in waiting_imports(folder):
        files = ImportFiles(folder, import_id)
        try:
            record = await store.get(import_id)
        except EngineUnavailable as e:
            log.warning("cannot resume import %s yet: %s", import_id, e)
            continue
        if record is None or record.get("status") != "accepted" or record.get("dry_run"):
            if record is not None:
                files.remove()  # it ended (or never started) elsewhere: nothing to resume
            continue
        with locked(files.upload) as held:
            if held is None:
                continue  # another process is running it
        options = ImportOptions(
            kind=record["kind"],
            sheet=(record.get("options") or {}).get("sheet"),
            on_duplicate=(record.get("options") or {}).get("on_duplicate") or "refuse",
        )
        try:
            with open(files.upload, "rb") as binary:
                shape = await run_in_threadpool(
                    check_shape, binary, str(files.upload), options, max_rows=10**9
                )
        except FileProblem as e:
            log.error("import %s cannot resume: %s", import_id, e)
            continue
        state = files.load_state()
        started = datetime.fromisoformat(record["created_at"])
        since_ms = int(state["at_ms"]) if state else int(started.timestamp() * 1000)
        topic = topic_of(options.kind)
        on_kafka = await run_in_threadpool(rows_on_kafka, settings, topic, import_id, since_ms)
        log.info(
            "resuming import %s after row %s (%d later rows already on Kafka)",
            import_id,
            state["row"] if state else 0,
            len(on_kafka),
        )
        await _quietly(store.update(import_id, {"resumed": int(record.get("resumed") or 0) + 1}), import_id)
        rows = _run_in_background(
            import_id, files, shape, started, store, producer, topic, clock, state, on_kafka
        )
        _launch(import_id, rows)
        resumed += 1
    return resumed


async def _quietly(request: Any, import_id: str) -> None:
    """Record progress if the engine lets us; the rows are on Kafka either way."""
    try:
        await request
    except EngineUnavailable as e:
        log.warning("could not record progress of import %s: %s", import_id, e)


async def _persistently(request: Callable[[], Any], import_id: str) -> None:
    """Record the import's outcome, retrying while the engine is away (a few minutes at most).

    Unlike a progress step, the final record is needed: without its status and `accepted` count the
    import can never be confirmed searchable, and after STALLED_AFTER_S it would look stalled.
    """
    for _, delay in zip(range(FINAL_RECORD_ATTEMPTS), FINAL_RECORD_BACKOFF.delays(), strict=False):
        try:
            await request()
            return
        except EngineUnavailable as e:
            log.warning("could not record import %s yet (%s); retrying in %.1f s", import_id, e, delay)
            await asyncio.sleep(delay)
    log.error("gave up recording the end of import %s; its record may show it as stalled", import_id)


def _log(result: ImportResult) -> None:
    report = result.report
    log.info(
        "import %s (%s, dry_run=%s, %s): %d rows, %d accepted, %d rejected, %d published",
        result.import_id,
        result.kind,
        result.dry_run,
        result.status,
        report.rows,
        report.accepted,
        report.rejected,
        report.published,
    )


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def parse_on_duplicate(value: str | None) -> str:
    key = lookup_key(value or "refuse")
    if key not in ON_DUPLICATE:
        raise FileProblem(
            400, "bad_option", name="on_duplicate", value=repr(value), expected="refuse or last"
        )
    return key


def _safe_filename(name: str | None) -> str | None:
    """Only the base name, bounded: it is stored and shown, never used as a path."""
    if not name:
        return None
    return PurePath(name.replace("\\", "/")).name[:200] or None
