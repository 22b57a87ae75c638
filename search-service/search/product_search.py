"""Products for one request: the relaxation tiers in one round trip, the first with results answers
(under the relevance sort, a strict answer shorter than a page gives way to the broadest tier, ranked
by how many query words each product has, so nothing is hidden and exact matches come first).

A cursor remembers the tier of its first page (queries/cursor.py), so later pages come from the same
query and paging stays exact; only the first page tries every tier. Each result's seller is joined in
from the sellers index (storefronts.attach_sellers).
"""

from __future__ import annotations

from typing import Any

from portal.contracts import livestock
from search.answers.labels import Label
from search.answers.products import ProductsPage, ProductsUnderstood
from search.engine import SearchEngine
from search.product_results import facets, next_cursor, page_of, product_result
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


def _breed(understanding: Understanding | None) -> Label | None:
    breed = livestock().breeds.get(understanding.breed) if understanding and understanding.breed else None
    return Label(slug=breed.slug, bn=breed.bn, en=breed.en) if breed else None


async def search_products(
    engine: SearchEngine, params: ProductQuery, understanding: Understanding | None
) -> ProductsPage:
    """Raises InvalidProductQuery and InvalidCursor for parameters a client must change."""
    plan = tiers(understanding) if understanding else (STRICT,)
    if params.cursor:
        index = cursor_tier(params.cursor)
        if index >= len(plan):
            raise InvalidCursor("cursor does not belong to this query; keep q, filters and sort unchanged")
        body = product_search_body(params, understanding=understanding, tier=plan[index], tier_index=index)
        answers = {index: await engine.search("products", body)}
    else:
        bodies = [
            product_search_body(params, understanding=understanding, tier=tier, tier_index=i)
            for i, tier in enumerate(plan)
        ]
        answers = dict(enumerate(await engine.msearch("products", bodies)))
    sort = effective_sort(params, understanding)
    index = _answering_tier(answers, params.limit, sort)
    answer = answers[index]
    point = (params.lat, params.lon) if params.lat is not None and params.lon is not None else None
    page, more = page_of(answer["hits"]["hits"], params.limit)
    results = [product_result(hit, point=point) for hit in page]
    await attach_sellers(engine, results)
    strictest = next((i for i, a in sorted(answers.items()) if a["hits"]["hits"]), index)
    ignored = [*(understanding.ignored if understanding else ()), *plan[strictest].dropped_words]
    return ProductsPage(
        total=answer["hits"]["total"]["value"],
        results=results,
        facets=facets(answer.get("aggregations", {})),
        next_cursor=next_cursor(page, more, fingerprint(params, understanding, index), index),
        query=ProductsUnderstood(
            categories=list(understanding.categories) if understanding else [],
            place=understanding.place.public() if understanding and understanding.place else None,
            breed=_breed(understanding),
            sort=sort,
            ignored_words=list(dict.fromkeys(ignored)),
            relaxed=index > 0,
            exact_matches=answers[0]["hits"]["total"]["value"] if 0 in answers else None,
        ),
    )
