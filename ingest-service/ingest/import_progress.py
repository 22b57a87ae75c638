"""Import progress: which of a CSV import's rows the pipe has settled, recorded before the commit.

The importer marks every event it publishes with the header IMPORT_HEADER (its import id); when a
batch has its outcomes, the consumer hands them here, and the import's record (the `imports` index)
counts them, so GET /v1/imports/{id} can say how many rows are indexed, stale or failed — and when
the import is searchable. Raising EngineUnavailable makes the consumer retry before it commits.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.bulk_write import BulkOutcome
from ingest.engine import IngestEngine
from ingest.events import ChangeEvent
from ingest.imports_store import record_import_outcomes
from portal.settings import PortalSettings

IMPORT_HEADER = "import_id"


def import_outcomes(
    outcome: BulkOutcome, also_failed: Sequence[tuple[ChangeEvent, str]] = ()
) -> list[tuple[str, int, int, str]]:
    """(import id, partition, offset, outcome) of every imported event of a batch: counted once per
    offset by the imports store, so a redelivered batch never counts twice. `also_failed`: events that
    never reached the engine (no index document could be built for them)."""
    found: list[tuple[str, int, int, str]] = []

    def add(event: ChangeEvent, name: str) -> None:
        if IMPORT_HEADER in event.headers and event.position is not None:
            found.append(
                (event.headers[IMPORT_HEADER], event.position.partition, event.position.offset, name)
            )

    for event in outcome.indexed:
        add(event, "indexed")
    for event in outcome.stale:
        add(event, "stale")
    for event, _ in [*outcome.rejected, *also_failed]:
        add(event, "failed")
    return found


class ImportProgress:
    def __init__(self, engine: IngestEngine, settings: PortalSettings) -> None:
        self.engine = engine
        self.settings = settings

    async def record(self, outcome: BulkOutcome, also_failed: Sequence[tuple[ChangeEvent, str]] = ()) -> None:
        """Raises EngineUnavailable while the imports index cannot take the counts (the consumer retries)."""
        outcomes = import_outcomes(outcome, also_failed)
        if outcomes:
            await record_import_outcomes(self.engine.client, self.settings, outcomes)
