"""The `imports` index: one record per CSV import, so a clerk can ask when an import is searchable.

The record is written before the first event is published, because the consumer only adds progress
(`IngestEngine.add_import_progress`) to a record that exists. The importer's final update is a
partial `doc` update, so it never overwrites the indexed/stale/failed counts consumers add meanwhile.
Reads and updates by id are real-time in OpenSearch; no refresh is needed.
"""

from __future__ import annotations

from typing import Any

from opensearchpy import AsyncOpenSearch
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, TransportError

from ingest.engine import EngineUnavailable
from portal.settings import PortalSettings

#: Statuses of an import record. `accepted`: rows are being validated and published; `published`:
#: every accepted row is on Kafka; `failed`: Kafka stopped mid-way (`accepted` = what was published);
#: `validated`: a dry run, nothing published.
STATUSES = ("accepted", "published", "failed", "validated")
FINISHED = ("published", "failed")
PROGRESS = ("indexed", "stale", "failed")


def progress_view(record: dict[str, Any]) -> dict[str, Any]:
    """The record as GET /v1/imports/{id} shows it, with `searchable` worked out.

    Searchable once publishing finished and the consumers have an outcome for every accepted row;
    `failed` rows were refused by the engine and are listed on the dead-letter topic.
    """
    done = sum(int(record.get(name) or 0) for name in PROGRESS)
    searchable = record.get("status") in FINISHED and done >= int(record.get("accepted") or 0)
    return {**record, "searchable": searchable}


class ImportsStore:
    def __init__(self, client: AsyncOpenSearch, settings: PortalSettings) -> None:
        self.client = client
        self.index = settings.index_alias("imports")

    async def create(self, record: dict[str, Any]) -> None:
        """Write a new record (its `id` field is the document id); fails if that id exists."""
        await self._call(self.client.index(index=self.index, id=record["id"], body=record, op_type="create"))

    async def finish(self, import_id: str, fields: dict[str, Any]) -> None:
        """Set the importer's fields (counts, status, finished_at), leaving consumer counts alone."""
        await self._call(
            self.client.update(index=self.index, id=import_id, body={"doc": fields}, retry_on_conflict=10)
        )

    async def get(self, import_id: str) -> dict[str, Any] | None:
        try:
            found = await self._call(self.client.get(index=self.index, id=import_id))
        except NotFoundError:
            return None
        return found["_source"]

    async def _call(self, request: Any) -> Any:
        try:
            return await request
        except NotFoundError:
            raise
        except (EngineConnectionError, ConnectionTimeout) as e:
            raise EngineUnavailable(str(e)) from e
        except TransportError as e:
            if e.status_code in (429, 500, 502, 503, 504) or not isinstance(e.status_code, int):
                raise EngineUnavailable(f"the imports index answered {e.status_code}: {e.error}") from e
            raise
