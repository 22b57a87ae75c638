"""What an import costs per row in one process, CSV against .xlsx: reading, checking, building events.

    .venv/bin/python bench/bench_import_rows.py [--rows 20000] [--kafka] [--profile]

The end-to-end import benchmark (`bench_ingest.py --imports-only`) shares two busy cores with Kafka,
OpenSearch and the consumer, so its rows/s moves with the machine; this one measures the importer's
own CPU (process time) on the same files: bench_ingest's providers file, and a products file built
from the scaled demo products, each as CSV (UTF-8 with BOM) and as .xlsx. Per file: the shape check
(`check_shape`, answered before the 202) and the row pass (`ImportRun.step` until done), best of
--repeat, after one warm-up run. Without --kafka nothing is published (as a dry run); with --kafka
accepted rows are sent by a real KafkaProducer (the service's settings) to a topic of this run's own
(`bench_import_rows_<run>`, deleted at the end) and checkpoints are written, as a real import does.
--profile prints where the row pass's time goes (cProfile, by own time) instead of timing it.
The scaled demo rows are not all acceptable: about 16 % are refused (points outside their upazila's
polygon, English seen-at names in a Bangla column), as in bench_ingest's imports; refused rows cost
their error messages and error report lines, as they would in a clerk's file.
"""

from __future__ import annotations

import cProfile
import csv
import io
import pstats
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from bench_ingest import csv_file, xlsx_file
from benchkit import command_line, format_table, log, report_opening, write_json
from demo_data import scaled_product_events
from ingest.csv_import.columns import columns_for, template_csv
from ingest.csv_import.importer import ImportOptions, ImportRun, check_shape
from ingest.csv_import.publish import ImportPublisher
from ingest.csv_import.resume import ImportFiles
from portal.clock import now_dhaka
from portal.settings import PortalSettings

SEED = 19  # bench_ingest's default --seed + 2, as its imports use


def providers_file(file_kind: str, rows: int) -> bytes:
    header = next(csv.reader(io.StringIO(template_csv(columns_for("providers")).decode("utf-8-sig"))))
    return (xlsx_file if file_kind == "xlsx" else csv_file)([h.strip() for h in header], rows, SEED, "r")


def products_file(file_kind: str, rows: int) -> bytes:
    """Every products column but `action`, each cell the demo event's value at the column's path."""
    columns = [c for c in columns_for("products").columns if c.name != "action"]

    def cell(event: dict[str, Any], path: tuple[str, ...]) -> str:
        value: Any = event
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, dict):
            return "; ".join(f"{k}={v}" for k, v in value.items())
        return "" if value is None else str(value)

    table = [[c.name for c in columns]]
    table += [[cell(e, c.path) for c in columns] for e in scaled_product_events(rows, SEED)]
    if file_kind == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(table)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("products")
    for row in table:
        sheet.append(row)
    binary = io.BytesIO()
    book.save(binary)
    return binary.getvalue()


class Publishing:
    """A real producer and a topic of this run's own, for --kafka."""

    def __init__(self, settings: PortalSettings) -> None:
        self.topic = f"bench_import_rows_{uuid.uuid4().hex[:8]}"
        options = settings.kafka_client_options()
        self.admin = KafkaAdminClient(**options)
        self.admin.create_topics([NewTopic(self.topic, 6, 1)])
        self.producer = KafkaProducer(
            acks="all", enable_idempotence=True, linger_ms=20, batch_size=256 * 1024, **options
        )

    def close(self) -> None:
        self.producer.close()
        self.admin.delete_topics([self.topic])
        self.admin.close()


def one_import(source: Path, kind: str, publishing: Publishing | None) -> tuple[float, float, Any]:
    """(shape check s, row pass s, report) in process time, on a copy of `source`."""
    folder = Path(tempfile.mkdtemp(prefix="bench-import-rows-"))
    try:
        files = ImportFiles(folder, uuid.uuid4().hex)
        shutil.copy(source, files.upload)
        path = str(files.upload)
        with open(path, "rb") as binary:
            start = time.process_time()
            shape = check_shape(binary, path, ImportOptions(kind=kind), max_rows=10**9)
            checked = time.process_time()
            publisher = (
                ImportPublisher(publishing.producer, publishing.topic, files.import_id)
                if publishing
                else None
            )
            run = ImportRun(binary, path, shape, started=now_dhaka(), publisher=publisher, files=files)
            try:
                while run.step():
                    run.checkpoint()
                run.finish()
            finally:
                run.close()
            return checked - start, time.process_time() - checked, run.report
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def profiled(call: Callable[[], Any]) -> None:
    profile = cProfile.Profile()
    profile.runcall(call)
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = command_line(__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kafka", action="store_true", help="publish to a topic of this run's own")
    parser.add_argument("--profile", action="store_true", help="cProfile the row pass instead of timing it")
    args = parser.parse_args()
    report: dict[str, Any] = {**report_opening("import-rows"), "rows": args.rows, "kafka": args.kafka}
    publishing = Publishing(PortalSettings()) if args.kafka else None
    folder = Path(tempfile.mkdtemp(prefix="bench-import-rows-files-"))
    results = []
    try:
        for kind, build in (("providers", providers_file), ("products", products_file)):
            for file_kind in ("csv", "xlsx"):
                log(f"{kind} {file_kind}: {args.rows:,} rows")
                source = folder / f"{kind}.{file_kind}"
                source.write_bytes(build(file_kind, args.rows))
                one_import(source, kind, publishing)  # warm-up: schemas, geography, caches
                if args.profile:
                    profiled(lambda: one_import(source, kind, publishing))  # noqa: B023 (called at once)
                    continue
                shape_s, rows_s, found = min(
                    (one_import(source, kind, publishing) for _ in range(args.repeat)),
                    key=lambda r: r[0] + r[1],
                )
                results.append(
                    {
                        "kind": kind,
                        "file_kind": file_kind,
                        "shape_us_per_row": round(shape_s * 1e6 / args.rows, 1),
                        "rows_us_per_row": round(rows_s * 1e6 / args.rows, 1),
                        "total_us_per_row": round((shape_s + rows_s) * 1e6 / args.rows, 1),
                        "accepted": found.accepted,
                        "rejected": found.rejected,
                        "published": found.published,
                    }
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if publishing is not None:
            publishing.close()
    if args.profile:
        return
    report["results"] = results
    print(
        format_table(
            [
                "file",
                "shape check µs/row",
                "row pass µs/row",
                "total µs/row",
                "accepted",
                "rejected",
                "published",
            ],
            [
                [
                    f"{r['kind']} {r['file_kind']}",
                    r["shape_us_per_row"],
                    r["rows_us_per_row"],
                    r["total_us_per_row"],
                    r["accepted"],
                    r["rejected"],
                    r["published"],
                ]
                for r in results
            ],
            title=f"Import CPU per row in one process ({args.rows:,} rows; "
            + ("published to Kafka, checkpoints written)" if args.kafka else "nothing published)"),
        )
    )
    print(f"JSON: {write_json('import-rows', report)}")


if __name__ == "__main__":
    main()
