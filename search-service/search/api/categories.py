"""GET /v1/categories — the taxonomy with live counts, cached in-process and by clients.

Frontends fetch this on every start over slow networks, and the counts move slowly, so both the
answer (Cache-Control) and the two aggregations behind it (CountsCache) are kept for
`categories_cache_s`. If the engine is down the taxonomy is still served, with null counts, uncached.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response

from portal.api_docs import error_responses
from search.engine import EngineUnavailable, SearchEngine
from search.queries.categories import INDEX_FOR_KIND, category_counts_body, counts_from, taxonomy_listing

router = APIRouter(prefix="/v1", tags=["categories"], responses=error_responses(422, 429, 503))

Counts = dict[str, dict[str, int]]


class CountsCache:
    """Per-category counts of both indices, refreshed at most once per `ttl_s` seconds."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self._counts: Counts | None = None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    def clear(self) -> None:
        self._counts = None

    def _fresh(self) -> Counts | None:
        if self._counts is not None and self.clock() - self._fetched_at < self.ttl_s:
            return self._counts
        return None

    async def get(self, engine: SearchEngine) -> Counts:
        """The cached counts, or new ones; raises EngineUnavailable (and caches nothing) on failure."""
        if (counts := self._fresh()) is not None:
            return counts
        async with self._lock:  # one refresh at a time; the others then read what it fetched
            if (counts := self._fresh()) is not None:
                return counts
            kinds = list(INDEX_FOR_KIND)
            responses = await asyncio.gather(
                *(engine.search(INDEX_FOR_KIND[kind], category_counts_body(kind)) for kind in kinds)
            )
            self._counts = {kind: counts_from(r) for kind, r in zip(kinds, responses, strict=True)}
            self._fetched_at = self.clock()
            return self._counts


def counts_cache(request: Request) -> CountsCache:
    state = request.app.state
    if getattr(state, "category_counts", None) is None:
        state.category_counts = CountsCache(state.settings.categories_cache_s)
    return state.category_counts


@router.get("/categories", summary="Provider and product categories, with live counts")
async def categories(request: Request, response: Response) -> dict[str, Any]:
    try:
        counts: Counts | None = await counts_cache(request).get(request.app.state.engine)
        response.headers["Cache-Control"] = f"public, max-age={request.app.state.settings.categories_cache_s}"
    except EngineUnavailable:
        counts = None
        response.headers["Cache-Control"] = "no-store"
    return taxonomy_listing(counts)
