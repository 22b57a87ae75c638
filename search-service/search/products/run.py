"""Products for one request, in one engine request. I/O. Under the relevance sort the broadest
relaxation tier answers, ranked by how many query words each product has (products with every word
first, counted by an aggregation), so nothing is hidden; sorted by price, distance or time, the
strictest tier with products answers alone, every tier asked in one query that lists the strictest
tier's products first (bodies.py first_page_bodies).
Either way relaxation/found.py says what the tiers found, as it does for every search.

A cursor remembers the tier of its first page (cursor.py), so later pages come from the same
query and paging stays exact; only the first page tries every tier. Each result's seller is joined in
from the sellers index (sellers/cards.py): the products' round trip also asks the sellers index's state,
and only sellers not known in that state are read.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from portal.contracts import livestock
from search.answers.json_answer import as_float, in_field_order
from search.engine import Search, SearchEngine
from search.places.at import citizen_at_json
from search.products.answer import ProductsUnderstood
from search.products.bodies import FirstPage, first_page, first_page_bodies, product_search_body
from search.products.cursor import InvalidCursor, cursor_tier
from search.products.request import ProductQuery, Sort, effective_sort, fingerprint
from search.products.results import facets, next_cursor, page_of, product_card
from search.relaxation.found import TiersFound, alone, counted_per_tier, one_tier, strictest_tier_of
from search.relaxation.plan import STRICT, Tier, tiers
from search.sellers.cards import SellerCards
from search.understanding.query_reader import QueryReader
from search.understanding.understanding import Understanding
from search.understanding.understood import understood


def _breed(understanding: Understanding | None) -> dict[str, str] | None:
    breed = livestock().breeds.get(understanding.breed) if understanding and understanding.breed else None
    return {"slug": breed.slug, "bn": breed.bn, "en": breed.en} if breed else None


async def search_products(engine: SearchEngine, reader: QueryReader, params: ProductQuery) -> dict[str, Any]:
    """The JSON of the `ProductsPage` (answers/json_answer.py). Raises InvalidProductQuery and
    InvalidCursor for parameters a client must change."""
    understanding = await reader.understand(params.q, "product")
    sort = effective_sort(params, understanding)
    if understanding is not None and understanding.not_listed and not (params.category or params.seller):
        return _nothing_listed(understanding, params, sort)
    plan = tiers(understanding) if understanding else (STRICT,)
    also: list[dict[str, Any]] = []  # the named item's listings not available now
    sellers = SellerCards(engine, early=params.seller)
    if params.cursor:
        index = cursor_tier(params.cursor)
        if index >= len(plan):
            raise InvalidCursor("cursor does not belong to this query; keep q, filters and sort unchanged")
        tier_body = product_search_body(
            params, understanding=understanding, tier=plan[index], tier_index=index
        )
        answer, *about_sellers = await engine.msearch_of([Search("products", tier_body), *sellers.searches])
        sellers.saw(about_sellers)
        found = one_tier(plan, index, answer)
    else:
        first = first_page_bodies(params, understanding, plan)
        answers = await engine.msearch_of([*(Search("products", b) for b in first), *sellers.searches])
        sellers.saw(answers[len(first) :])
        found, also = _first_page_found(first_page(params, understanding, plan), plan, answers[: len(first)])
    elsewhere = None if params.category or params.seller else await reader.elsewhere(params.q, understanding)
    if elsewhere is not None and elsewhere.not_listed and not found.exact:
        return _nothing_listed(elsewhere, params, sort)  # "bkash agent": not listed, not the newest goods
    point = (params.lat, params.lon) if params.lat is not None and params.lon is not None else None
    page, more = page_of(found.hits, params.limit)
    shown, more = _with_unavailable(page, more, also, found.exact or 0, params.limit)
    sellers.read([hit["_source"]["seller_id"] for hit in shown])  # read while the cards are shaped
    results = [product_card(hit, point=point) for hit in shown]
    await sellers.attach(results)
    query = understood(understanding, "product", found, narrowed=bool(params.category), elsewhere=elsewhere)
    query |= {
        "breed": _breed(understanding),
        "sort": sort,
        "live_weight_kg": as_float(understanding.live_weight_kg) if understanding else None,
        "price_bdt": as_float(understanding.price_bdt) if understanding else None,
    }
    query |= _where_the_citizen_is(params)
    return {
        "total": found.total,
        "results": results,
        "facets": facets(found.answer.get("aggregations", {})),
        "next_cursor": next_cursor(
            [h for h in shown if h not in also],
            more,
            partial(fingerprint, params, understanding, found.answered),
            found.answered,
        ),
        "query": in_field_order(ProductsUnderstood, query),
    }


def _first_page_found(
    asked: FirstPage, plan: tuple[Tier, ...], answers: list[dict[str, Any]]
) -> tuple[TiersFound, list[dict[str, Any]]]:
    """What a first page's tiers found (bodies.py first_page_bodies asked), and the named item's
    listings not available now, to follow the available ones (asked only under the relevance sort)."""
    answer, *unavailable_items = answers
    if asked == "one tier":
        return alone(plan, answer), []
    if asked == "strictest first":
        return strictest_tier_of(plan, answer), []
    # the broadest tier, every word ranking: products with every word come first, and an aggregation
    # counts them — the strict answer without asking the engine for it twice
    also = unavailable_items[0]["hits"]["hits"] if unavailable_items else []
    return counted_per_tier(plan, answer), also


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


def _nothing_listed(understanding: Understanding, params: ProductQuery, sort: Sort) -> dict[str, Any]:
    """The query asks for goods no storefront here sells: say so, and offer nothing in their place."""
    query = (
        understood(understanding, "product") | {"breed": None, "sort": sort} | _where_the_citizen_is(params)
    )
    return {
        "total": 0,
        "results": [],
        "facets": facets({}),
        "next_cursor": None,
        "query": in_field_order(ProductsUnderstood, query),
    }


def _where_the_citizen_is(params: ProductQuery) -> dict[str, Any]:
    """`citizen_at` of a search given lat/lon; nothing without them (the model then leaves it out)."""
    if params.lat is None or params.lon is None:
        return {}
    return {"citizen_at": citizen_at_json(params.lat, params.lon)}
