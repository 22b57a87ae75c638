"""Products for one request, in one engine request as a rule. Under the relevance sort the broadest
relaxation tier answers, ranked by how many query words each product has (products with every word
first, counted by an aggregation), so nothing is hidden; sorted by price, distance or time, the strict
tier answers, and only when it finds nothing are the relaxed ones asked.

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
from search.queries.plan import STRICT, Tier, tiers
from search.queries.products import (
    ProductQuery,
    Sort,
    effective_sort,
    exact_matches_agg,
    fingerprint,
    product_search_body,
)
from search.queries.understanding import Understanding
from search.results import honesty
from search.storefronts import attach_sellers


def _breed(understanding: Understanding | None) -> Label | None:
    breed = livestock().breeds.get(understanding.breed) if understanding and understanding.breed else None
    return Label(slug=breed.slug, bn=breed.bn, en=breed.en) if breed else None


def _body(
    params: ProductQuery, understanding: Understanding | None, plan: tuple[Tier, ...], index: int
) -> dict[str, Any]:
    return product_search_body(params, understanding=understanding, tier=plan[index], tier_index=index)


async def search_products(
    engine: SearchEngine, params: ProductQuery, understanding: Understanding | None
) -> ProductsPage:
    """Raises InvalidProductQuery and InvalidCursor for parameters a client must change."""
    sort = effective_sort(params, understanding)
    if understanding is not None and understanding.not_listed and not (params.category or params.seller):
        return _nothing_listed(understanding, sort)
    plan = tiers(understanding) if understanding else (STRICT,)
    exact: int | None = None
    if params.cursor:
        index = cursor_tier(params.cursor)
        if index >= len(plan):
            raise InvalidCursor("cursor does not belong to this query; keep q, filters and sort unchanged")
        answer = await engine.search("products", _body(params, understanding, plan, index))
    elif sort == "relevance" and len(plan) > 1:
        # One query: the broadest tier, every word ranking; products with every word come first, and an
        # aggregation counts them — the strict answer without asking the engine for it twice.
        index = len(plan) - 1
        body = _body(params, understanding, plan, index)
        body["aggs"]["exact_matches"] = exact_matches_agg(understanding, plan[0])
        answer = await engine.search("products", body)
        exact = answer["aggregations"]["exact_matches"]["doc_count"]
    else:
        # Sorted by price, distance or time, the strictest tier with results answers: strict first,
        # the relaxed tiers only when it found nothing.
        index, answer = 0, await engine.search("products", _body(params, understanding, plan, 0))
        exact = answer["hits"]["total"]["value"]
        if not answer["hits"]["hits"] and len(plan) > 1:
            relaxed = await engine.msearch(
                "products", [_body(params, understanding, plan, i) for i in range(1, len(plan))]
            )
            index = next((i for i, a in enumerate(relaxed, 1) if a["hits"]["hits"]), len(plan) - 1)
            answer = relaxed[index - 1]
    point = (params.lat, params.lon) if params.lat is not None and params.lon is not None else None
    page, more = page_of(answer["hits"]["hits"], params.limit)
    results = [product_result(hit, point=point) for hit in page]
    await attach_sellers(engine, results)
    # Ignored: what no listed product had to match — fillers, and the words the answering tier dropped,
    # unless products with every word lead the list (a relaxed list that goes on ignores nothing more).
    dropped = () if exact else plan[index].dropped_words
    ignored = [*(understanding.ignored if understanding else ()), *dropped]
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
            relaxed=index > 0 and (exact is None or exact < answer["hits"]["total"]["value"]),
            exact_matches=exact,
            live_weight_kg=understanding.live_weight_kg if understanding else None,
            price_bdt=understanding.price_bdt if understanding else None,
            **honesty(understanding, "product"),
        ),
    )


def _nothing_listed(understanding: Understanding, sort: Sort) -> ProductsPage:
    """The query asks for goods no storefront here sells: say so, and offer nothing in their place."""
    return ProductsPage(
        total=0,
        results=[],
        facets=facets({}),
        next_cursor=None,
        query=ProductsUnderstood(
            categories=[],
            place=understanding.place.public() if understanding.place else None,
            breed=None,
            sort=sort,
            ignored_words=list(understanding.ignored),
            relaxed=False,
            exact_matches=0,
            **honesty(understanding, "product"),
        ),
    )
