"""All of ingest-service's conversation with OpenSearch: index bootstrap, bulk writes, import counters.

Indices are physical (`providers_v1`) behind an alias (`providers`); writes go through the alias, so a
reindex can swap what sits behind it without the services knowing the physical name.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
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


class EngineUnavailable(Exception):
    """The engine cannot be reached or keeps failing: stop consuming, commit nothing, try again later."""


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


def physical_index(settings: PortalSettings, name: str, version: int | None = None) -> str:
    definition = index_definition(name)
    return f"{settings.index_alias(name)}_v{version or definition['version']}"


class IngestEngine(EngineConnection):
    INDEX_NAMES = INDEX_NAMES

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

    async def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        """A read of our own indices (the search report); a pattern matching nothing answers empty."""
        try:
            return await self.client.search(
                index=index, body=body, ignore_unavailable=True, allow_no_indices=True
            )
        except (EngineConnectionError, ConnectionTimeout) as e:
            raise EngineUnavailable(str(e)) from e
        except TransportError as e:
            raise EngineUnavailable(f"search failed with {e.status_code}") from e

    async def index_names(self, pattern: str) -> list[str]:
        try:
            return sorted(await self.client.indices.get_alias(index=pattern, expand_wildcards="open"))
        except NotFoundError:
            return []
        except (EngineConnectionError, ConnectionTimeout) as e:
            raise EngineUnavailable(str(e)) from e

    async def delete_index(self, name: str) -> None:
        with contextlib.suppress(NotFoundError):
            await self.client.indices.delete(index=name)

    async def bulk(self, lines: list[dict[str, Any]]) -> dict[str, Any]:
        """One `_bulk` call. Connection trouble becomes EngineUnavailable; item errors are the caller's."""
        payload = b"\n".join(orjson.dumps(line) for line in lines) + b"\n"
        with away_is_unavailable("the bulk request"):
            return await self.client.bulk(body=payload)


def _has_fields(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Whether a mapping has every field (at every depth) another names."""
    have = current.get("properties", {})
    for name, field in wanted.get("properties", {}).items():
        if name not in have or ("properties" in field and not _has_fields(have[name], field)):
            return False
    return True
