"""GET /v1/categories — the taxonomy with live counts, kept in process (search/categories/run.py) and
by clients (Cache-Control, for `categories_cache_s`). If the engine is down the taxonomy is still
served, with null counts, uncached."""

from __future__ import annotations

from fastapi import Request, Response

from search.api.route import search_router
from search.categories.answer import Categories
from search.categories.run import CategoryListing, without_counts
from search.engine import EngineUnavailable

router = search_router("categories")


@router.get(
    "/categories", response_model=Categories, summary="Provider and product categories, with live counts"
)
async def categories(request: Request, response: Response) -> Categories:
    state = request.app.state
    counts: CategoryListing = state.category_counts
    try:
        listing = await counts.get(state.engine)
    except EngineUnavailable:
        response.headers["Cache-Control"] = "no-store"
        return without_counts()
    response.headers["Cache-Control"] = f"public, max-age={state.settings.categories_cache_s}"
    return listing
