"""GET /v1/categories — the taxonomy with live counts, cached in-process and by clients.

Frontends fetch this on every start over slow networks, and the counts move slowly, so both the
answer (Cache-Control) and the two aggregations behind it (CountsCache) are kept for
`categories_cache_s`. If the engine is down the taxonomy is still served, with null counts, uncached.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from fastapi import APIRouter, Request, Response

from portal.api_docs import error_responses
from search.answers.categories import Categories
from search.engine import EngineUnavailable, SearchEngine
from search.queries.categories import INDEX_FOR_KIND, category_counts_body, counts_from, taxonomy_listing

router = APIRouter(prefix="/v1", tags=["categories"], responses=error_responses(422, 429, 503))

Counts = dict[str, dict[str, int]]


class CountsCache:
    """Per-category counts of both indices, refreshed at most once per `ttl_s` seconds.

    One refresh at a time, shared by everyone who asks meanwhile (they all get its answer at once,
    instead of queueing behind each other's timeouts). When the engine fails, expired counts are
    better than none, and the failure is remembered for `retry_after_s` so a dead engine is not
    asked again by every request.
    """

    def __init__(
        self, ttl_s: float, clock: Callable[[], float] = time.monotonic, retry_after_s: float = 5.0
    ) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self.retry_after_s = retry_after_s
        self._counts: Counts | None = None
        self._fetched_at = 0.0
        self._failed_at: float | None = None
        self._inflight: asyncio.Future[Counts] | None = None

    def clear(self) -> None:
        self._counts = None
        self._failed_at = None

    def _fresh(self) -> Counts | None:
        if self._counts is not None and self.clock() - self._fetched_at < self.ttl_s:
            return self._counts
        return None

    async def _refresh(self, engine: SearchEngine) -> Counts:
        kinds = list(INDEX_FOR_KIND)
        responses = await asyncio.gather(
            *(engine.search(INDEX_FOR_KIND[kind], category_counts_body(kind)) for kind in kinds)
        )
        self._counts = {kind: counts_from(r) for kind, r in zip(kinds, responses, strict=True)}
        self._fetched_at = self.clock()
        self._failed_at = None
        return self._counts

    async def get(self, engine: SearchEngine) -> Counts:
        """Fresh counts, else expired ones if the engine fails; raises EngineUnavailable if there are none."""
        if (counts := self._fresh()) is not None:
            return counts
        if self._failed_at is not None and self.clock() - self._failed_at < self.retry_after_s:
            if self._counts is not None:
                return self._counts
            raise EngineUnavailable("the engine failed moments ago")
        if self._inflight is None or self._inflight.done():
            self._inflight = asyncio.ensure_future(self._refresh(engine))
        try:
            return await asyncio.shield(self._inflight)
        except EngineUnavailable:
            self._failed_at = self.clock()
            if self._counts is not None:
                return self._counts
            raise


def counts_cache(request: Request) -> CountsCache:
    state = request.app.state
    if getattr(state, "category_counts", None) is None:
        state.category_counts = CountsCache(state.settings.categories_cache_s)
    return state.category_counts


class ListingCache:
    """The answer made from one set of counts, kept until the counts change: most requests between
    two refreshes then cost no shaping at all."""

    def __init__(self) -> None:
        self._made_from: Counts | None = None
        self._listing: Categories | None = None

    def listing(self, counts: Counts | None) -> Categories:
        if counts is None:
            return Categories.model_validate(taxonomy_listing(None))
        if self._listing is None or counts is not self._made_from:
            self._listing = Categories.model_validate(taxonomy_listing(counts))
            self._made_from = counts
        return self._listing


def listing_cache(request: Request) -> ListingCache:
    state = request.app.state
    if getattr(state, "category_listing", None) is None:
        state.category_listing = ListingCache()
    return state.category_listing


@router.get(
    "/categories", response_model=Categories, summary="Provider and product categories, with live counts"
)
async def categories(request: Request, response: Response) -> Categories:
    try:
        counts: Counts | None = await counts_cache(request).get(request.app.state.engine)
        response.headers["Cache-Control"] = f"public, max-age={request.app.state.settings.categories_cache_s}"
    except EngineUnavailable:
        counts = None
        response.headers["Cache-Control"] = "no-store"
    return listing_cache(request).listing(counts)
