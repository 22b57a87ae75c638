"""One way to talk to the engine from settings, so both services pool connections alike and answer
readiness alike."""

from __future__ import annotations

from typing import Any

import orjson
from opensearchpy import AsyncOpenSearch
from opensearchpy._async.http_aiohttp import AsyncConnection
from opensearchpy.exceptions import SerializationError
from opensearchpy.serializer import JSONSerializer

from portal.settings import PortalSettings


class FastJSONSerializer(JSONSerializer):
    """Engine answers read and requests written with orjson: a search answer's JSON is a good share of
    a request's CPU in the services, and orjson does it several times faster than the standard library."""

    def loads(self, s: str | bytes) -> Any:
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError as e:
            raise SerializationError(s, e) from e

    def dumps(self, data: Any) -> Any:
        if isinstance(data, str | bytes):
            return data
        try:
            return orjson.dumps(data, default=self.default).decode("utf-8")
        except TypeError:
            # orjson refuses integers beyond 64 bits (a forged cursor can carry one); the standard
            # library writes them, and the engine then answers 400 for bad input, not we a 500.
            return super().dumps(data)


def make_client(
    settings: PortalSettings, *, maxsize: int = 32, connection_class: type[AsyncConnection] | None = None
) -> AsyncOpenSearch:
    """The pooled client. `connection_class`: opensearch-py's aiohttp connection unless given (search
    passes portal.engine_connection's KeptAliveConnection, a third of its CPU a round trip)."""
    auth = (settings.opensearch_user, settings.opensearch_password) if settings.opensearch_user else None
    options: dict[str, Any] = {"connection_class": connection_class} if connection_class else {}
    return AsyncOpenSearch(
        hosts=settings.opensearch_hosts(),
        http_auth=auth,
        verify_certs=settings.opensearch_verify_certs,
        ca_certs=settings.opensearch_ca_certs,
        timeout=settings.opensearch_timeout_s,
        maxsize=maxsize,
        http_compress=False,
        serializer=FastJSONSerializer(),
        **options,
    )


class EngineConnection:
    """A service's pooled client to the engine, and what /readyz asks of it: does the engine answer, and
    which of the aliases this service reads or writes (`INDEX_NAMES`) are missing."""

    INDEX_NAMES: tuple[str, ...] = ()

    def __init__(
        self,
        settings: PortalSettings,
        client: AsyncOpenSearch | None = None,
        *,
        maxsize: int = 32,
        connection_class: type[AsyncConnection] | None = None,
    ) -> None:
        self.settings = settings
        self.client = client or make_client(settings, maxsize=maxsize, connection_class=connection_class)

    def index(self, name: str) -> str:
        """The alias of one of our indices under this deployment's prefix."""
        return self.settings.index_alias(name)

    async def close(self) -> None:
        await self.client.close()

    async def ping(self) -> bool:
        try:
            return bool(await self.client.ping(request_timeout=1))
        except Exception:
            return False

    async def missing_indices(self) -> list[str]:
        """Aliases that do not exist yet (what /readyz names)."""
        missing = []
        for name in self.INDEX_NAMES:
            if not await self.client.indices.exists_alias(name=self.index(name), request_timeout=2):
                missing.append(self.index(name))
        return missing
