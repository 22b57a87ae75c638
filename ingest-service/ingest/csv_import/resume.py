"""An import under way survives a restart: its file, its checkpoint, and what already reached Kafka.

The uploaded file stays in the import directory (`IMPORT_DIR`, one folder per index prefix) until the
import ends, with a checkpoint beside it: the last row before which every accepted row is
acknowledged by Kafka, the report as it stood there, and how far the error report had got. While an
import runs, its process holds a lock on the file, so of several processes sharing the folder only one
runs it. When ingest-service starts it resumes every import whose file it finds unlocked and whose
record still says `accepted`: the rows after the checkpoint are read again, and those Kafka already
has (found by their `import_id` and `import_row` headers, scanned from the checkpoint's time on) are
counted as published without being sent twice — same final counts, no duplicate, one import.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kafka import KafkaConsumer, TopicPartition

from ingest.csv_import.publish import ROW_HEADER
from ingest.import_progress import IMPORT_HEADER
from portal.settings import PortalSettings

#: How far before the checkpoint's time the Kafka scan starts (producer clocks and batching).
SCAN_MARGIN_MS = 30_000


def import_dir(settings: Any) -> Path:
    """Where this service keeps uploads of imports under way: IMPORT_DIR (or the temp dir), per prefix."""
    base = getattr(settings, "import_dir", "") or os.path.join(tempfile.gettempdir(), "kishoreganj-imports")
    folder = Path(base) / (settings.index_prefix.rstrip("_") or "default")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class ImportFiles:
    """The files of one import under way: the upload, its checkpoint and its error report so far."""

    folder: Path
    import_id: str

    @property
    def upload(self) -> Path:
        return self.folder / f"{self.import_id}.upload"

    @property
    def state(self) -> Path:
        return self.folder / f"{self.import_id}.state.json"

    @property
    def errors(self) -> Path:
        return self.folder / f"{self.import_id}.errors.csv"

    def save_state(self, state: dict[str, Any]) -> None:
        """Write the checkpoint atomically: a crash leaves the old one or the new one, never half."""
        partial = self.state.with_suffix(".tmp")
        partial.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.state)

    def load_state(self) -> dict[str, Any] | None:
        try:
            loaded: dict[str, Any] = json.loads(self.state.read_text(encoding="utf-8"))
            return loaded
        except (OSError, ValueError):
            return None

    def remove(self) -> None:
        spill = self.folder / f"{self.import_id}.upload.rows.csv"
        for path in (self.upload, self.state, self.errors, self.state.with_suffix(".tmp"), spill):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


@contextlib.contextmanager
def locked(path: Path) -> Iterator[IO[bytes] | None]:
    """The file opened with an exclusive lock held, or None when another process holds it."""
    handle = open(path, "rb")  # noqa: SIM115 (closed below)
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        yield handle
    finally:
        handle.close()  # releases the lock


def waiting_imports(folder: Path) -> list[str]:
    """Import ids whose upload is in the folder (under way, or ended without cleaning up)."""
    return sorted(p.name.removesuffix(".upload") for p in folder.glob("*.upload"))


def rows_on_kafka(settings: PortalSettings, topic: str, import_id: str, since_ms: int) -> set[int]:
    """Rows of `import_id` already on `topic`, from records written since `since_ms` (minus a margin)."""
    consumer = KafkaConsumer(enable_auto_commit=False, **settings.kafka_client_options())
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            return set()
        consumer.assign(partitions)
        ends = consumer.end_offsets(partitions)
        starts = consumer.offsets_for_times({tp: max(since_ms - SCAN_MARGIN_MS, 0) for tp in partitions})
        todo = {}
        for tp in partitions:
            found = starts.get(tp)
            if found is None:
                continue  # nothing written since then
            consumer.seek(tp, found.offset)
            if found.offset < ends[tp]:
                todo[tp] = ends[tp]
        rows: set[int] = set()
        wanted = import_id.encode()
        while todo:
            batch = consumer.poll(timeout_ms=1000, max_records=5000)
            if not batch:
                if all(consumer.position(tp) >= end for tp, end in todo.items()):
                    break
                continue
            for records in batch.values():
                for record in records:
                    headers = dict(record.headers or ())
                    if headers.get(IMPORT_HEADER) == wanted and ROW_HEADER in headers:
                        rows.add(int(headers[ROW_HEADER]))
            todo = {tp: end for tp, end in todo.items() if consumer.position(tp) < end}
        return rows
    finally:
        consumer.close()
