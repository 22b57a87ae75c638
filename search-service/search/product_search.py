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
from search.queries.products import (
    ProductQuery,
    Sort,
    effective_sort,
    fingerprint,
    product_search_body,
    tier_matches_agg,
    unavailable_items_body,
)
from search.relaxation.plan import STRICT, Tier, tiers
from search.results import honesty
from search.storefronts import attach_sellers
from search.understanding.understanding import Understanding, asks_nothing


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
    matched: int | None = None  # the strictest tier with any product, when the answer counted them
    also: list[dict[str, Any]] = []  # the named item's listings not available now
    if params.cursor:
        index = cursor_tier(params.cursor)
        if index >= len(plan):
            raise InvalidCursor("cursor does not belong to this query; keep q, filters and sort unchanged")
        answer = await engine.search("products", _body(params, understanding, plan, index))
    elif sort == "relevance" and len(plan) > 1:
        # One query: the broadest tier, every word ranking; products with every word come first, and an
        # aggregation counts them — the strict answer without asking the engine for it twice. A named
        # item's listings not available now come in the same round trip, to follow the available ones.
        index = len(plan) - 1
        body = _body(params, understanding, plan, index)
        body["aggs"]["tiers"] = tier_matches_agg(understanding, plan)
        if understanding is not None and understanding.items and params.in_stock:
            bodies = [body, unavailable_items_body(params, understanding, plan[0])]
            answer, unavailable = await engine.msearch("products", bodies)
            also = unavailable["hits"]["hits"]
        else:
            answer = await engine.search("products", body)
        counts = {int(i): b["doc_count"] for i, b in answer["aggregations"]["tiers"]["buckets"].items()}
        exact = counts[0]
        matched = min((i for i, n in counts.items() if n), default=index)
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
    shown, more = _with_unavailable(page, more, also, exact or 0, params.limit)
    results = [product_result(hit, point=point) for hit in shown]
    await attach_sellers(engine, results)
    # Ignored: what no listed product had to match — fillers, and the words the strictest tier with any
    # product dropped (a relaxed list that goes on after them ignores nothing more).
    dropped = plan[index if matched is None else matched].dropped_words
    ignored = [*(understanding.ignored if understanding else ()), *dropped]
    return ProductsPage(
        total=answer["hits"]["total"]["value"],
        results=results,
        facets=facets(answer.get("aggregations", {})),
        next_cursor=next_cursor(
            [h for h in shown if h not in also], more, fingerprint(params, understanding, index), index
        ),
        query=ProductsUnderstood(
            categories=list(understanding.categories) if understanding else [],
            place=understanding.place.public() if understanding and understanding.place else None,
            breed=_breed(understanding),
            sort=sort,
            ignored_words=list(dict.fromkeys(ignored)),
            relaxed=index > 0 and (exact is None or exact < answer["hits"]["total"]["value"]),
            # words that asked for nothing known match nothing: the list is the newest, not matches
            exact_matches=0 if asks_nothing(understanding) and not params.category else exact,
            live_weight_kg=understanding.live_weight_kg if understanding else None,
            price_bdt=understanding.price_bdt if understanding else None,
            **honesty(understanding, "product"),
        ),
    )


def _with_unavailable(
    page: list[dict[str, Any]], more: bool, unavailable: list[dict[str, Any]], exact: int, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """The page with the named item's unavailable listings after its available ones (the first `exact`
    hits) and before the rest; the rest that no longer fits goes to the next page."""
    if not unavailable or exact >= limit:
        return page, more
    lead = page[:exact]
    unavailable = unavailable[: limit - len(lead)]
    rest = page[exact : limit - len(unavailable)]
    return lead + unavailable + rest, more or len(lead) + len(rest) < len(page)


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
