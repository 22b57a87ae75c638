"""Import progress: which of a CSV import's rows the pipe has settled, recorded before the commit.

The importer marks every event it publishes with the header IMPORT_HEADER (its import id); when a
batch has its outcomes, the consumer hands them here, and the import's record (the `imports` index)
counts them, so GET /v1/imports/{id} can say how many rows are indexed, stale or failed — and when
the import is searchable. Raising EngineUnavailable makes the consumer retry before it commits.
"""

from __future__ import annotations

from collections import Counter

from ingest.bulk_write import BulkOutcome
from ingest.engine import IngestEngine
from ingest.events import ChangeEvent
from portal.settings import PortalSettings

IMPORT_HEADER = "import_id"


def import_counts(outcome: BulkOutcome) -> dict[str, Counter[str]]:
    """Per import id: how many of its events were indexed, stale, or failed in this batch."""
    per_import: dict[str, Counter[str]] = {}

    def count(event: ChangeEvent, name: str) -> None:
        if IMPORT_HEADER in event.headers:
            per_import.setdefault(event.headers[IMPORT_HEADER], Counter())[name] += 1

    for event in outcome.indexed:
        count(event, "indexed")
    for event in outcome.stale:
        count(event, "stale")
    for event, _ in outcome.rejected:
        count(event, "failed")
    return per_import


class ImportProgress:
    def __init__(self, engine: IngestEngine, settings: PortalSettings) -> None:
        self.engine = engine
        self.settings = settings

    async def record(self, outcome: BulkOutcome) -> None:
        for import_id, counts in import_counts(outcome).items():
            await self.engine.add_import_progress(import_id, dict(counts))
