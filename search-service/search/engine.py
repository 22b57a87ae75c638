"""All of search-service's conversation with OpenSearch, over one pooled async client.

Query bodies are built elsewhere (each endpoint's bodies.py, pure); this module only sends them and turns engine
trouble into EngineUnavailable, which the API answers with a fast JSON 503 — unless the engine refused
the request because of what the client sent (a forged cursor, a query too large to run): that is
EngineRefusedInput, answered 422 naming the parameter, because retrying the same request cannot help.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opensearchpy import AsyncOpenSearch
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, TransportError

from portal.engine_connection import KeptAliveConnection
from portal.opensearch_client import EngineConnection
from search.config import SearchSettings
from search.queries.without_hidden_sellers import SELLER_FIELD, without_hidden_sellers

INDEX_NAMES = ("providers", "products", "sellers")
log = logging.getLogger("search.engine")
#: Engine errors a query's size causes (a long `q` expands into too many clauses).
QUERY_TOO_LARGE = {"too_many_clauses", "too_many_nested_clauses", "query_shard_exception"}


class EngineUnavailable(Exception):
    """The engine did not answer in time or answered with an error we cannot pass on."""


class EngineRefusedInput(Exception):
    """The engine answered 400: the request is malformed because of a parameter the client sent."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Search:
    """One search of a multi-search: the index's name and the body. `hidden_sellers_too` skips the
    exclusion of deleted sellers, for a reading of the index itself (it returns no seller). Searches
    with one `preference` are answered by the same copy of each shard while the copies stay the same
    (a later one then never sees the index older than an earlier one did, whatever replicas lag)."""

    name: str
    body: dict[str, Any]
    hidden_sellers_too: bool = False
    preference: str | None = None


def _root_causes(info: Any) -> set[str]:
    info = info if isinstance(info, dict) else {}
    causes = info.get("error", {}).get("root_cause", []) if isinstance(info.get("error"), dict) else []
    return {c.get("type", "") for c in causes if isinstance(c, dict)}


def refused_input(error: TransportError, body: dict[str, Any]) -> EngineRefusedInput:
    """Which parameter an engine 400 is about."""
    return _refused(_root_causes(error.info), error.error, body)


def _refused(causes: set[str], error: Any, body: dict[str, Any]) -> EngineRefusedInput:
    """Only a cursor puts client values into the body verbatim (`search_after`); a query too large to
    run comes from the words of `q`."""
    log.warning("the engine refused a search: 400 %s", sorted(causes) or error)
    if "search_after" in body and not causes & QUERY_TOO_LARGE:
        return EngineRefusedInput(
            "cursor", "cursor is not valid; pass back the next_cursor of the previous page unchanged"
        )
    if causes & QUERY_TOO_LARGE:
        return EngineRefusedInput("q", "the search engine cannot run this query; use fewer or shorter words")
    return EngineRefusedInput(
        "request", "the search engine cannot run this combination of parameters; change or drop some"
    )


class SearchEngine(EngineConnection):
    INDEX_NAMES = INDEX_NAMES

    def __init__(self, settings: SearchSettings, client: AsyncOpenSearch | None = None) -> None:
        super().__init__(settings, client, maxsize=64, connection_class=KeptAliveConnection)
        self.settings: SearchSettings = settings

    def _visible(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """Every read of products or sellers leaves out deleted sellers (queries/without_hidden_sellers.py)."""
        field = SELLER_FIELD.get(name)
        return without_hidden_sellers(body, self.index("sellers"), field) if field else body

    async def msearch(self, name: str, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Several searches of one index in one round trip (relaxation tiers, word evidence)."""
        return await self.msearch_of([Search(name, body) for body in bodies])

    async def msearch_of(self, searches: Sequence[Search]) -> list[dict[str, Any]]:
        """Several searches, of one index or several, in one round trip; the answers in their order."""
        if not searches:
            return []
        lines: list[dict[str, Any]] = []
        for s in searches:
            header = {"index": self.index(s.name)}
            if s.preference is not None:
                header["preference"] = s.preference
            lines += [header, s.body if s.hidden_sellers_too else self._visible(s.name, s.body)]
        try:
            answer = await self.client.msearch(body=lines, request_timeout=self.settings.engine_timeout_s)
        except (EngineConnectionError, ConnectionTimeout) as e:
            raise EngineUnavailable("the search engine did not answer in time") from e
        except TransportError as e:
            raise EngineUnavailable(f"the search engine failed ({e.status_code})") from e
        responses: list[dict[str, Any]] = answer["responses"]
        for s, response in zip(searches, responses, strict=True):
            if "error" in response:
                status = response.get("status", "?")
                if status == 400:
                    raise _refused(_root_causes(response), response["error"], s.body)
                if status == 404:
                    raise EngineUnavailable(f"the {s.name} index does not exist yet")
                raise EngineUnavailable(f"the search engine failed one of several searches ({status})")
        return responses

    async def search(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            answer: dict[str, Any] = await self.client.search(
                index=self.index(name),
                body=self._visible(name, body),
                request_timeout=self.settings.engine_timeout_s,
            )
            return answer
        except (EngineConnectionError, ConnectionTimeout) as e:
            raise EngineUnavailable("the search engine did not answer in time") from e
        except NotFoundError as e:
            raise EngineUnavailable(f"the {name} index does not exist yet") from e
        except TransportError as e:
            if e.status_code == 400:
                raise refused_input(e, body) from e
            raise EngineUnavailable(f"the search engine failed ({e.status_code})") from e

    async def mget(
        self, name: str, ids: list[str], source: list[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """Documents by id (realtime: a seller renamed a moment ago shows renamed), found ones only;
        `source`: only these fields of each."""
        if not ids:
            return {}
        body: dict[str, Any] = {"ids": ids}
        if source is not None:
            body = {"docs": [{"_id": i, "_source": source} for i in ids]}
        try:
            answer = await self.client.mget(
                index=self.index(name), body=body, request_timeout=self.settings.engine_timeout_s
            )
        except (EngineConnectionError, ConnectionTimeout) as e:
            raise EngineUnavailable("the search engine did not answer in time") from e
        except NotFoundError as e:
            raise EngineUnavailable(f"the {name} index does not exist yet") from e
        except TransportError as e:
            raise EngineUnavailable(f"the search engine failed ({e.status_code})") from e
        return {doc["_id"]: doc["_source"] for doc in answer["docs"] if doc.get("found")}
