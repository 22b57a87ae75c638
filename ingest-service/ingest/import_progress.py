"""Import progress: which of a CSV import's rows the pipe has settled, recorded before the commit.

The importer marks every event it publishes with the header IMPORT_HEADER (its import id); when a
batch has its outcomes, the consumer hands them here, and the import's record (the `imports` index)
counts them, so GET /v1/imports/{id} can say how many rows are indexed, stale or failed — and when
the import is searchable. Raising EngineUnavailable makes the consumer retry before it commits.

A row comes back "stale" from the engine when the document already has its version. After a crash
between the write and the commit, the batch is delivered again and every row of it is "stale" —
though each is indexed, by its own earlier delivery. So an imported row reported stale is looked up:
if the document holds exactly its version, it counts as indexed, and a restart never changes an
import's final counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ingest.bulk_write import BulkOutcome
from ingest.engine import IngestEngine, away_is_unavailable
from ingest.events import ChangeEvent
from ingest.imports_store import record_import_outcomes
from ingest.topics import ENTITY_TOPICS
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
        outcome = await self._redelivered_are_indexed(outcome)
        outcomes = import_outcomes(outcome, also_failed)
        if outcomes:
            await record_import_outcomes(self.engine.client, self.settings, outcomes)

    async def _redelivered_are_indexed(self, outcome: BulkOutcome) -> BulkOutcome:
        """Imported rows reported stale whose document holds exactly their version: indexed already."""
        stale = [e for e in outcome.stale if IMPORT_HEADER in e.headers and e.entity in ENTITY_TOPICS]
        if not stale:
            return outcome
        found: set[tuple[str, str, int]] = set()
        for entity in {e.entity for e in stale}:
            ids = sorted({e.id for e in stale if e.entity == entity})
            index = self.settings.index_alias(ENTITY_TOPICS[entity])
            with away_is_unavailable("the entity index"):
                answer = await self.engine.client.mget(
                    index=index, body={"docs": [{"_id": i, "_source": False} for i in ids]}
                )
            found |= {(entity, d["_id"], int(d["_version"])) for d in answer["docs"] if d.get("found")}
        again = [e for e in stale if (e.entity, e.id, e.version) in found]
        if not again:
            return outcome
        moved = {id(e) for e in again}
        return replace(
            outcome,
            indexed=[*outcome.indexed, *again],
            stale=[e for e in outcome.stale if id(e) not in moved],
        )
