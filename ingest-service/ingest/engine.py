"""All of ingest-service's conversation with OpenSearch: index bootstrap, bulk writes, the hidden-seller
list, the search log's days, reindexing.

Indices are physical (`providers_v1`) behind an alias (`providers`); writes go through the alias, so a
reindex can swap what sits behind it without the services knowing the physical name.

Every request says what went wrong in one of two ways the pipe acts on: EngineUnavailable (the engine
is away or busy: wait and send it again, for as long as it takes — nothing may be lost) or
EngineRefused (the engine answered that this request can never succeed: sending it again is pointless,
so what it carried goes to the dead-letter topic with the engine's reason).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from typing import Any

import orjson
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, TransportError

from portal.contracts import index_definition
from portal.opensearch_client import EngineConnection
from portal.settings import PortalSettings

INDEX_NAMES = ("providers", "products", "sellers", "imports")
log = logging.getLogger("ingest.engine")
#: Statuses that mean "busy or briefly away, try again" — of a whole request or of one bulk item.
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
#: Statuses of a whole request that mean "this request itself is wrong": bad, or too large. The same
#: request can never succeed, whatever the engine's state. (401/403 are not here: credentials are fixed
#: by an operator, and meanwhile nothing must be thrown away.)
REFUSED_STATUS = frozenset({400, 413})
#: How much of the engine's reason a refusal carries (it ends in a dead letter's header).
REASON_CHARS = 500
#: The parts of a `_bulk` answer the pipe reads.
BULK_ANSWER = "items.*.status,items.*.error"


class EngineUnavailable(Exception):
    """The engine cannot be reached or keeps failing: stop consuming, commit nothing, try again later."""


class EngineRefused(Exception):
    """The engine answered that this request can never succeed (REFUSED_STATUS): do not send it again."""

    def __init__(self, what: str, status: int, reason: str) -> None:
        super().__init__(f"{what} was refused ({status}): {reason}")
        self.status = status
        self.reason = reason


def engine_reason(e: TransportError) -> str:
    """The engine's own words for an error: its reason when it gave one, else the error type."""
    info = e.info if isinstance(e.info, dict) else {}
    error = info.get("error")
    if isinstance(error, dict):
        return str(error.get("reason") or error.get("type") or e.error)[:REASON_CHARS]
    return str(error or e.error)[:REASON_CHARS]


@contextlib.contextmanager
def away_is_unavailable(what: str) -> Iterator[None]:
    """Connection trouble, and statuses that mean busy or briefly away (RETRYABLE_STATUS; read-only when
    the disk is full), become EngineUnavailable naming `what`; any other engine error (404, 400) passes."""
    try:
        yield
    except (EngineConnectionError, ConnectionTimeout) as e:
        raise EngineUnavailable(str(e)) from e
    except TransportError as e:
        if e.status_code in RETRYABLE_STATUS or not isinstance(e.status_code, int):
            raise EngineUnavailable(f"{what} answered {e.status_code}: {e.error}") from e
        raise


@contextlib.contextmanager
def engine_call(what: str) -> Iterator[None]:
    """The pipe's requests: away or busy → EngineUnavailable, refused for good (REFUSED_STATUS) →
    EngineRefused with the engine's reason; anything else (404, 409) passes as it came."""
    try:
        with away_is_unavailable(what):
            yield
    except TransportError as e:
        if e.status_code in REFUSED_STATUS:
            raise EngineRefused(what, int(e.status_code), engine_reason(e)) from e
        raise


def physical_index(settings: PortalSettings, name: str, version: int | None = None) -> str:
    definition = index_definition(name)
    return f"{settings.index_alias(name)}_v{version or definition['version']}"


class IngestEngine(EngineConnection):
    INDEX_NAMES = INDEX_NAMES

    # ------------------------------------------------------------------------------------ bootstrap

    async def ensure_indices(self) -> None:
        """Create each physical index with its alias if the alias is missing. Safe to run concurrently."""
        for name in INDEX_NAMES:
            alias = self.settings.index_alias(name)
            if await self.client.indices.exists_alias(name=alias):
                await self._add_new_fields(alias, index_definition(name)["mappings"])
                continue
            definition = index_definition(name)
            body = {
                "settings": definition["settings"],
                "mappings": definition["mappings"],
                "aliases": {alias: {"is_write_index": True}},
            }
            try:
                await self.client.indices.create(index=physical_index(self.settings, name), body=body)
            except TransportError as e:
                if e.error != "resource_already_exists_exception":
                    raise

    async def _add_new_fields(self, alias: str, mappings: dict[str, Any]) -> None:
        """Put fields added to schemas/indices/ (the storefronts' livestock facts) on an existing index,
        so they arrive without a reindex. Only when some are missing: an index that has them all is not
        written to (it may be read-only for a reason of its own). Whatever the engine answers, start-up
        goes on: a changed field needs `make reindex`, and the index keeps serving meanwhile."""
        try:
            current = await self.client.indices.get_mapping(index=alias)
            if all(_has_fields(m.get("mappings", {}), mappings) for m in current.values()):
                return
            await self.client.indices.put_mapping(index=alias, body=mappings)
        except TransportError as e:
            log.warning(
                "could not add the new fields of schemas/indices to %s (%s: %s); run make reindex",
                alias,
                e.status_code,
                e.error,
            )

    async def ensure_search_log_template(self) -> None:
        """The index template every daily search log index is made from (schemas/indices/search_log.json)."""
        definition = index_definition("search_log")
        alias = self.settings.index_alias("search_log")
        body = {
            "index_patterns": [f"{alias}-*"],
            "template": {
                "settings": definition["settings"],
                "mappings": definition["mappings"],
                "aliases": {alias: {}},
            },
        }
        await self.client.indices.put_index_template(name=alias, body=body)
        # The daily indices that already exist take the fields added since (additive only: client_token);
        # else a strict index would refuse every new search-log event until the next day's index.
        added = {"client_token": definition["mappings"]["properties"]["client_token"]}
        if await self.client.indices.exists(index=f"{alias}-*", allow_no_indices=True):
            await self.client.indices.put_mapping(
                index=f"{alias}-*", body={"properties": added}, allow_no_indices=True
            )

    # ---------------------------------------------------------------------------------- the pipe

    async def bulk(self, lines: Sequence[dict[str, Any] | bytes]) -> dict[str, Any]:
        """One `_bulk` call. Away → EngineUnavailable; a request refused whole → EngineRefused (too large,
        or malformed); item errors are the caller's. A line is a dict, or bytes already encoded (one
        line or several, without the last newline)."""
        payload = (
            b"\n".join(line if isinstance(line, bytes) else orjson.dumps(line) for line in lines) + b"\n"
        )
        with engine_call("the bulk request"):
            # Each item's status and error are all the pipe reads (bulk_write.item_outcome): an eighth
            # of the answer's bytes for the engine to write and for us to read.
            return await self.client.bulk(body=payload, filter_path=BULK_ANSWER)

    async def realtime_sources(self, index: str, ids: list[str], fields: str) -> list[dict[str, Any]]:
        """The current `fields` of these documents, as written (a realtime get: no refresh needed); an
        mget answer's `docs`, `found` false for an id the index has never seen."""
        with engine_call(f"reading {index}"):
            answer = await self.client.mget(
                index=index, body={"ids": ids}, params={"_source_includes": fields, "realtime": "true"}
            )
        return list(answer["docs"])

    async def update_by_script(
        self, index: str, id: str, source: str, params: dict[str, Any], upsert: dict[str, Any]
    ) -> None:
        """Run a painless `source` on one document (or create it as `upsert`), retrying version conflicts
        of concurrent updates inside the engine."""
        body = {"script": {"source": source, "params": params}, "upsert": upsert}
        with engine_call(f"updating {id} in {index}"):
            await self.client.update(index=index, id=id, body=body, retry_on_conflict=10)

    # ---------------------------------------------------------------------------- the search log

    async def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        """A read of our own indices (the search report); a pattern matching nothing answers empty.
        Any failure is EngineUnavailable: the report answers 503 and is asked again later."""
        try:
            with away_is_unavailable("search"):
                return await self.client.search(
                    index=index, body=body, ignore_unavailable=True, allow_no_indices=True
                )
        except TransportError as e:
            raise EngineUnavailable(f"search failed with {e.status_code}") from e

    async def index_names(self, pattern: str) -> list[str]:
        try:
            with away_is_unavailable(f"listing {pattern}"):
                return sorted(await self.client.indices.get_alias(index=pattern, expand_wildcards="open"))
        except NotFoundError:
            return []

    async def delete_index(self, name: str) -> None:
        with contextlib.suppress(NotFoundError), away_is_unavailable(f"deleting {name}"):
            await self.client.indices.delete(index=name)

    # ---------------------------------------------------------------------------------- reindex

    async def physical_behind(self, alias: str) -> str:
        """The physical index an alias points at (the newest, should it point at several)."""
        return sorted(await self.client.indices.get_alias(name=alias))[-1]

    async def create_physical(self, index: str, name: str) -> None:
        """A new physical index with the settings and mappings of schemas/indices/<name>.json, no alias."""
        definition = index_definition(name)
        body = {"settings": definition["settings"], "mappings": definition["mappings"]}
        await self.client.indices.create(index=index, body=body)

    async def refresh(self, index: str) -> None:
        """Make every write so far visible to search (and to a reindex, which reads by search)."""
        await self.client.indices.refresh(index=index)

    async def copy_with_versions(self, source: str, dest: str) -> dict[str, Any]:
        """Server-side copy keeping external versions: only newer versions overwrite, so it can be re-run."""
        await self.refresh(source)  # the copy reads by search: make recent writes visible
        body = {
            "conflicts": "proceed",
            "source": {"index": source, "size": 2000},
            "dest": {"index": dest, "version_type": "external"},
        }
        return await self.client.reindex(
            body=body, wait_for_completion=True, refresh=True, request_timeout=3600
        )

    async def swap_alias(self, alias: str, old: str, new: str) -> None:
        """Point `alias` (and its writes) from `old` to `new` in one atomic step."""
        actions = [
            {"remove": {"index": old, "alias": alias}},
            {"add": {"index": new, "alias": alias, "is_write_index": True}},
        ]
        await self.client.indices.update_aliases(body={"actions": actions})

    async def block_writes(self, index: str) -> None:
        """Refuse writes to `index` from now on (a retired index behind a swapped alias)."""
        await self.client.indices.put_settings(index=index, body={"index.blocks.write": True})


def _has_fields(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Whether a mapping has every field (at every depth) another names."""
    have = current.get("properties", {})
    for name, field in wanted.get("properties", {}).items():
        if name not in have or ("properties" in field and not _has_fields(have[name], field)):
            return False
    return True
