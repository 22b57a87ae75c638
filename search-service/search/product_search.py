"""Products for one request: the relaxation tiers in one round trip, the first with results answers
(under the relevance sort, a strict answer shorter than a page gives way to the broadest tier, ranked
by how many query words each product has, so nothing is hidden and exact matches come first).

A cursor remembers the tier of its first page (queries/cursor.py), so later pages come from the same
query and paging stays exact; only the first page tries every tier. Each result's seller is joined in
from the sellers index (storefronts.attach_sellers).
"""

from __future__ import annotations

from typing import Any

from search.engine import SearchEngine
from search.product_results import product_page
from search.queries.cursor import InvalidCursor, cursor_tier
from search.queries.plan import STRICT, tiers
from search.queries.products import ProductQuery, effective_sort, fingerprint, product_search_body
from search.queries.understanding import Understanding
from search.storefronts import attach_sellers


def _answering_tier(answers: dict[int, dict[str, Any]], limit: int, sort: str) -> int:
    """The strictest tier with results; under the relevance sort, a short strict answer gives way to
    the broadest tier with results, where every query word still ranks (exact matches first)."""
    with_hits = [i for i, a in sorted(answers.items()) if a["hits"]["hits"]]
    if not with_hits:
        return max(answers)
    first = with_hits[0]
    if sort == "relevance" and answers[first]["hits"]["total"]["value"] < limit:
        return with_hits[-1]
    return first


async def search_products(
    engine: SearchEngine, params: ProductQuery, understanding: Understanding | None, cursor: str | None
) -> dict[str, Any]:
    """Raises InvalidProductQuery and InvalidCursor for parameters a client must change."""
    plan = tiers(understanding) if understanding else (STRICT,)
    if cursor:
        index = cursor_tier(cursor)
        if index >= len(plan):
            raise InvalidCursor("cursor does not belong to this query; keep q, filters and sort unchanged")
        body = product_search_body(
            params, understanding=understanding, cursor=cursor, tier=plan[index], tier_index=index
        )
        answers = {index: await engine.search("products", body)}
    else:
        bodies = [
            product_search_body(params, understanding=understanding, tier=tier, tier_index=i)
            for i, tier in enumerate(plan)
        ]
        answers = dict(enumerate(await engine.msearch("products", bodies)))
    index = _answering_tier(answers, params.limit, effective_sort(params, understanding))
    point = (params.lat, params.lon) if params.lat is not None and params.lon is not None else None
    page = product_page(
        answers[index],
        limit=params.limit,
        fingerprint=fingerprint(params, understanding, index),
        point=point,
        tier=index,
    )
    await attach_sellers(engine, page["results"])
    strictest = next((i for i, a in sorted(answers.items()) if a["hits"]["hits"]), index)
    ignored = [*(understanding.ignored if understanding else ()), *plan[strictest].dropped_words]
    page["query"] = {
        **(understanding.public() if understanding else {"categories": [], "place": None}),
        "sort": effective_sort(params, understanding),
        "ignored_words": list(dict.fromkeys(ignored)),
        "relaxed": index > 0,
        "exact_matches": answers[0]["hits"]["total"]["value"] if 0 in answers else None,
    }
    page["query"].pop("blood_group", None)
    return page
