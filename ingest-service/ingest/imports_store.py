"""The `imports` index: one record per import, so a clerk can follow it until its rows are searchable.

Two documents per import: the record (`<id>`: status and counts, small, updated often) and the report
(`<id>.report`: errors, warnings, converted cells and the error-report CSV, written once at the end),
so the consumers' frequent updates never rewrite a large document.

Counts are per row and idempotent. Consumers report each imported event's outcome (indexed, stale,
failed) with its partition and offset (`record_import_outcomes`, called from consume.py); the record
keeps, per partition, the highest offset already counted, and the update script counts only offsets
above it. A batch redelivered after a crash or a rebalance is therefore not counted twice.
`searchable` turns true only when every accepted row has an outcome and a refresh of the entity index
has made them visible to search (refresh is what makes indexed documents searchable).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from datetime import datetime
from typing import Any, ClassVar

from opensearchpy import AsyncOpenSearch
from opensearchpy.exceptions import NotFoundError

from ingest.engine import away_is_unavailable
from portal.clerk_messages import bilingual
from portal.contracts import index_definition
from portal.settings import PortalSettings

#: Statuses of an import record. `accepted`: the file passed its shape check and rows are being
#: validated and published in the background; `published`: every accepted row is on Kafka; `failed`:
#: Kafka stopped mid-way or the service restarted (`published` says how many made it);
#: `validated`: a dry run, nothing published.
FINISHED = ("published", "failed")
PROGRESS = ("indexed", "stale", "failed")
REPORT_SUFFIX = ".report"
#: An import's id as the importer makes it (uuid4 hex). Anything else names no import: in particular
#: `<id>.report`, the report document's own id, is not an import a clerk can ask for.
IMPORT_ID = re.compile(r"^[0-9a-f]{32}$")


def is_import_id(text: str) -> bool:
    return IMPORT_ID.match(text) is not None


#: A record not touched for this long while `accepted` belongs to a process that is gone: shown as
#: `stalled`, with a message telling the clerk to upload the same file again (imports do not resume).
STALLED_AFTER_S = 120
#: The refresh interval of the entity indices (schemas/indices): the last rows are visible after it.
REFRESH_S = 1.0

_COUNT_OUTCOMES = """
if (ctx._source.progress == null) { ctx._source.progress = new HashMap(); }
boolean changed = false;
for (p in params.partitions.entrySet()) {
  long seen = ctx._source.progress.containsKey(p.getKey()) ? ((Number) ctx._source.progress.get(p.getKey())).longValue() : -1L;
  long highest = seen;
  for (item in p.getValue()) {
    long offset = ((Number) item.get(0)).longValue();
    if (offset > seen) {
      String outcome = (String) item.get(1);
      ctx._source[outcome] = (ctx._source[outcome] == null ? 0 : ctx._source[outcome]) + 1;
      if (offset > highest) { highest = offset; }
      changed = true;
    }
  }
  ctx._source.progress.put(p.getKey(), highest);
}
if (!changed) { ctx.op = 'noop'; }
"""


def progress_view(record: dict[str, Any], *, now: datetime | None = None) -> dict[str, Any]:
    """The record as GET /v1/imports/{id} shows it: counts, `searchable`, and an ETA in seconds."""
    view = {k: v for k, v in record.items() if k not in ("progress", "heartbeat_s", "checked_s")}
    done = sum(int(record.get(name) or 0) for name in PROGRESS)
    # The importer and the consumers write their counts at different moments: every row with an
    # outcome was published, and every published row was accepted and checked, so no count shown is
    # ever behind one that follows from it.
    view["published"] = max(int(record.get("published") or 0), done)
    view["accepted"] = max(int(record.get("accepted") or 0), view["published"])
    view["rows"] = max(int(record.get("rows") or 0), view["accepted"] + int(record.get("rejected") or 0))
    accepted = view["accepted"]
    view["searchable"] = bool(record.get("searchable_at")) or (
        record.get("status") in FINISHED and accepted == 0 and not record.get("dry_run")
    )
    view["outcomes"] = done
    view["eta_s"] = _eta(record, done, accepted, now=now.timestamp() if now is not None else None)
    if (
        record.get("status") == "accepted"
        and time.time() - float(record.get("heartbeat_s") or time.time()) > STALLED_AFTER_S
    ):
        # The process running it is gone (restarted or killed): nothing resumes the rows, and the file
        # was on that process's disk. Uploading it again is safe: same ids, newer versions, same data.
        view["status"] = "stalled"
        view["problem"] = bilingual(
            "stalled", published=int(record.get("published") or 0), total=int(record.get("rows_total") or 0)
        )
    return view


def _eta(record: dict[str, Any], done: int, accepted: int, *, now: float | None = None) -> float | None:
    """Seconds until searchable, from the rates measured so far; 0 when there; None when unknown.

    Two stages run side by side — checking and publishing rows, and the consumers indexing them —
    so the import ends when the slower is done: each stage's remaining work over its own measured
    rate (rows checked per second since the start, outcomes per second since the start), plus the
    refresh that makes the last ones visible. Averages since the start, so the estimate falls
    steadily instead of jumping with each burst.
    """
    if record.get("searchable_at") or record.get("dry_run"):
        return 0.0
    started = record.get("started_s")
    if not started:
        return None
    now = time.time() if now is None else now
    elapsed = max(now - float(started), 0.001)
    total = int(record.get("rows_total") or 0)
    checked = max(int(record.get("rows") or 0), 0)
    if record.get("status") == "accepted":
        if not checked:
            return None
        checked_for = max(float(record.get("checked_s") or now) - float(started), 0.001)
        check_rate = checked / checked_for
        left_rows = max(total - checked, 0)
        left_checking = left_rows / check_rate
        expected = accepted + left_rows * (accepted / checked)  # the same share of the rest accepted
        index_rate = done / elapsed if done else check_rate
        left_indexing = max(expected - done, 0) / max(index_rate, 1.0)
        return round(max(left_checking, left_indexing) + REFRESH_S, 1)
    if done >= accepted:
        return REFRESH_S  # waiting for the refresh that makes them visible
    rate = done / elapsed if done else 1.0
    return round((accepted - done) / max(rate, 1.0) + REFRESH_S, 1)


class ImportsStore:
    _mapped: ClassVar[set[str]] = set()  # aliases whose mapping this process has brought up to date

    def __init__(
        self, client: AsyncOpenSearch, settings: PortalSettings, *, started_by: str | None = None
    ) -> None:
        self.client = client
        self.settings = settings
        self.index = settings.index_alias("imports")
        self.started_by = started_by  # the name of the key an upload came with, recorded on its import

    async def ensure_mapping(self) -> None:
        """Add fields this version records to an imports index created by an older one (additive only)."""
        if self.index in ImportsStore._mapped:
            return
        body = {"properties": index_definition("imports")["mappings"]["properties"]}
        await self._call(self.client.indices.put_mapping(index=self.index, body=body))
        ImportsStore._mapped.add(self.index)

    async def create(self, record: dict[str, Any]) -> None:
        """Write a new record (its `id` field is the document id); fails if that id exists."""
        await self.ensure_mapping()
        record = {**record, "heartbeat_s": time.time()} | (
            {"started_by": self.started_by} if self.started_by else {}
        )
        await self._call(self.client.index(index=self.index, id=record["id"], body=record, op_type="create"))

    async def update(self, import_id: str, fields: dict[str, Any]) -> None:
        """Set the importer's fields (counts, status), leaving the consumers' counts alone."""
        fields = {**fields, "heartbeat_s": time.time()}
        await self._call(
            self.client.update(index=self.index, id=import_id, body={"doc": fields}, retry_on_conflict=10)
        )

    async def save_report(self, import_id: str, report: dict[str, Any]) -> None:
        await self._call(
            self.client.index(
                index=self.index,
                id=import_id + REPORT_SUFFIX,
                body={"id": import_id + REPORT_SUFFIX, **report},
            )
        )

    async def get(self, import_id: str) -> dict[str, Any] | None:
        """The import's record; None for an unknown id or one that is not an import id at all."""
        return await self._source(import_id) if is_import_id(import_id) else None

    async def get_report(self, import_id: str) -> dict[str, Any] | None:
        return await self._source(import_id + REPORT_SUFFIX) if is_import_id(import_id) else None

    async def confirm_searchable(self, record: dict[str, Any], entity_alias: str, at: datetime) -> bool:
        """If every accepted row has an outcome, refresh the entity index so they are visible, and say so.

        Refresh makes every operation indexed before it visible to search; only then is the import
        marked searchable (once: `searchable_at` stays).
        """
        if record.get("searchable_at"):
            return True
        if record.get("status") not in FINISHED or record.get("dry_run"):
            return False
        done = sum(int(record.get(name) or 0) for name in PROGRESS)
        if done < int(record.get("accepted") or 0):
            return False
        await self._call(self.client.indices.refresh(index=entity_alias))
        record["searchable_at"] = at.isoformat()
        await self.update(record["id"], {"searchable_at": record["searchable_at"]})
        return True

    async def _source(self, doc_id: str) -> dict[str, Any] | None:
        try:
            found = await self._call(self.client.get(index=self.index, id=doc_id))
        except NotFoundError:
            return None
        return found["_source"]

    async def _call(self, request: Any) -> Any:
        with away_is_unavailable("the imports index"):
            return await request


async def record_import_outcomes(
    client: AsyncOpenSearch, settings: PortalSettings, outcomes: list[tuple[str, int, int, str]]
) -> None:
    """Count (import id, partition, offset, outcome) for imported events, once per offset.

    The consumer's hook: called after a batch is written and before its offsets are committed.
    Outcome is one of PROGRESS. Raises EngineUnavailable when the engine is away or refuses the write
    for now (429/5xx); the consumer then retries before committing, so no count is lost.
    """
    per_import: dict[str, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for import_id, partition, offset, outcome in outcomes:
        per_import[import_id][str(partition)].append((offset, outcome))
    index = settings.index_alias("imports")
    for import_id, partitions in per_import.items():
        script = {"source": _COUNT_OUTCOMES, "lang": "painless", "params": {"partitions": partitions}}
        try:
            with away_is_unavailable("the imports index"):  # overloaded, read-only, shards not ready
                await client.update(index=index, id=import_id, body={"script": script}, retry_on_conflict=10)
        except NotFoundError:
            continue  # an event that claims an import we never recorded: nothing to count
