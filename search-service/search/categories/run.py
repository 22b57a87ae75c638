"""GET /v1/categories' one question to the engine — how many live providers and products each category
has — asked at most once per `categories_cache_s` (CATEGORIES_CACHE_S), its answer shared.

Frontends fetch the categories on every start over slow networks, and the counts move slowly. So the
answer made from one refresh of the counts is kept (a cachetools TTLCache) and served to everyone
until it expires; one refresh runs at a time, and everyone who asks meanwhile gets its answer at once
instead of queueing behind each other's timeouts. When the engine fails, the last answer is better
than none, and the failure is remembered for `retry_after_s` (another TTLCache) so a dead engine is
not asked again by every request. With no answer at all, the route serves the taxonomy with null
counts (`without_counts`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from functools import cache

from cachetools import TTLCache

from search.categories.answer import Categories
from search.categories.bodies import category_counts_body, counts_from, taxonomy_listing
from search.engine import EngineUnavailable, SearchEngine
from search.queries.live import INDEX_FOR_KIND

ANSWER = "categories"  # the one key of each cache


class CategoryListing:
    def __init__(
        self, ttl_s: float, *, retry_after_s: float = 5.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._fresh: TTLCache[str, Categories] = TTLCache(maxsize=1, ttl=ttl_s, timer=clock)
        self._failed: TTLCache[str, bool] = TTLCache(maxsize=1, ttl=retry_after_s, timer=clock)
        self._last: Categories | None = None  # the answer of the last refresh that worked
        self._asking: asyncio.Future[Categories] | None = None

    def clear(self) -> None:
        """Forget every answer and failure: the next request asks the engine."""
        self._fresh.clear()
        self._failed.clear()
        self._last = None

    async def _refresh(self, engine: SearchEngine) -> Categories:
        kinds = list(INDEX_FOR_KIND)
        responses = await asyncio.gather(
            *(engine.search(INDEX_FOR_KIND[kind], category_counts_body(kind)) for kind in kinds)
        )
        counts = {kind: counts_from(r) for kind, r in zip(kinds, responses, strict=True)}
        answer = self._fresh[ANSWER] = self._last = Categories.model_validate(taxonomy_listing(counts))
        self._failed.clear()
        return answer

    async def get(self, engine: SearchEngine) -> Categories:
        """The answer with fresh counts, else the last one if the engine fails; raises EngineUnavailable
        when there has never been one."""
        if (fresh := self._fresh.get(ANSWER)) is not None:
            return fresh
        if ANSWER in self._failed:
            if self._last is not None:
                return self._last
            raise EngineUnavailable("the engine failed moments ago")
        if self._asking is None or self._asking.done():
            self._asking = asyncio.ensure_future(self._refresh(engine))
        try:
            return await asyncio.shield(self._asking)
        except EngineUnavailable:
            self._failed[ANSWER] = True
            if self._last is not None:
                return self._last
            raise


@cache
def without_counts() -> Categories:
    """The taxonomy with null counts, for when the engine cannot say."""
    return Categories.model_validate(taxonomy_listing(None))
