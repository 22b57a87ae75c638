"""Product search: request parameters → one OpenSearch request body (hits, facets, highlights). Pure.

Only live, sellable products are ever candidates (not a tombstone, status active; a deleted seller's
products are left out by search/engine.py for every products read). `seller` keeps one storefront's
products; the cattle market's filters, facets and the price-per-kg sorts read the typed `livestock`
facts (schemas/livestock.json), and a breed the words name filters like a category. Paging is by
`search_after` behind an opaque cursor (cursor.py), with `id` as the last sort key so
every product has exactly one place in the order. Facets are aggregations over the same query and
filters, so they do not change from page to page.
"""

from __future__ import annotations

from typing import Any, Literal

from portal.contracts import livestock
from search.answers.from_document import source_fields
from search.products.answer import ProductResult
from search.products.cursor import decode_cursor
from search.products.request import (
    LIVESTOCK,
    LIVESTOCK_TERMS,
    PER_KG_SORTS,
    ProductQuery,
    Sort,
    check,
    effective_sort,
    fingerprint,
)
from search.queries.live import live_filters
from search.queries.text import WORD_BOOST, category_filter, text_clauses, word_clause
from search.relaxation.plan import STRICT, Tier
from search.understanding.understanding import Understanding

#: What each hit brings back: the document fields the answer is made from (answer.py declares them).
PRODUCT_SOURCE = source_fields(ProductResult)
#: How many listings of the item a buyer named, not available now, may follow the available ones.
UNAVAILABLE_ITEMS = 5
#: Price bands for the price facet, in BDT: (label, from, to); `to` is exclusive, None is open.
PRICE_BANDS: tuple[tuple[str, float | None, float | None], ...] = (
    ("< ৳500", None, 500),
    ("৳500–2,000", 500, 2_000),
    ("৳2,000–10,000", 2_000, 10_000),
    ("৳10,000–50,000", 10_000, 50_000),
    ("≥ ৳50,000", 50_000, None),
)
CATEGORY_FACET_SIZE = 100


def _point(params: ProductQuery) -> dict[str, float]:
    assert params.lat is not None and params.lon is not None
    return {"lat": params.lat, "lon": params.lon}


def filters(params: ProductQuery) -> list[dict[str, Any]]:
    """The structured filters; free text adds its own (see text_clauses)."""
    clauses = live_filters("product")
    if params.in_stock:
        clauses.append({"term": {"in_stock": True}})
    if params.category:
        clauses.append({"term": {"category": params.category}})
    price: dict[str, float] = {}
    if params.min_price is not None:
        price["gte"] = params.min_price
    if params.max_price is not None:
        price["lte"] = params.max_price
    if price:
        clauses.append({"range": {"price_bdt": price}})
    if params.has_point:
        clauses.append({"geo_distance": {"distance": f"{params.radius}km", "location": _point(params)}})
    if params.seller is not None:
        clauses.append({"term": {"seller_id": params.seller}})
    return clauses + livestock_filters(params)


def livestock_filters(params: ProductQuery) -> list[dict[str, Any]]:
    """The cattle market's filters; sorting by price per kg keeps only animals with a weight."""
    clauses: list[dict[str, Any]] = [
        {"term": {f"livestock.{name}" if name != "seen_at" else "livestock.seen_at.kind": value}}
        for name, _ in LIVESTOCK_TERMS
        if (value := getattr(params, name)) is not None
    ]
    for field, low, high in (
        ("live_weight_kg", params.min_weight_kg, params.max_weight_kg),
        ("age_months", params.min_age_months, params.max_age_months),
    ):
        bounds = {k: v for k, v in (("gte", low), ("lte", high)) if v is not None}
        if bounds:
            clauses.append({"range": {f"livestock.{field}": bounds}})
    if params.sort in PER_KG_SORTS:
        clauses.append({"exists": {"field": "price_per_kg"}})
    return clauses


def livestock_in_view(params: ProductQuery, understanding: Understanding | None) -> bool:
    """Whether the answer is about animals: then it carries the cattle market's facets."""
    if params.category == LIVESTOCK or params.livestock_filters or params.sort in PER_KG_SORTS:
        return True
    return understanding is not None and (
        understanding.breed is not None or understanding.categories == (LIVESTOCK,)
    )


def sort_clause(params: ProductQuery, sort: Sort) -> list[Any]:
    """The engine sort for `sort`, always ending in `id` so the order is total and cursors are exact."""
    keys: dict[str, list[Any]] = {
        "relevance": ["_score", {"updated_at": "desc"}],
        "price_asc": [{"price_bdt": "asc"}],
        "price_desc": [{"price_bdt": "desc"}],
        "newest": [{"updated_at": "desc"}],
        "price_per_kg_asc": [{"price_per_kg": "asc"}],
        "price_per_kg_desc": [{"price_per_kg": "desc"}],
    }
    if sort == "distance":
        geo = {"location": _point(params), "order": "asc", "unit": "m", "distance_type": "arc"}
        return [{"_geo_distance": geo}, {"id": "asc"}]
    return [*keys[sort], {"id": "asc"}]


def _bands(bands: tuple[tuple[str, float | None, float | None], ...]) -> list[dict[str, Any]]:
    ranges = []
    for label, start, end in bands:
        band: dict[str, Any] = {"key": label}
        if start is not None:
            band["from"] = start
        if end is not None:
            band["to"] = end
        ranges.append(band)
    return ranges


def facets(*, with_livestock: bool = False) -> dict[str, Any]:
    aggs: dict[str, Any] = {
        "category": {"terms": {"field": "category", "size": CATEGORY_FACET_SIZE}},
        "price": {"range": {"field": "price_bdt", "ranges": _bands(PRICE_BANDS)}},
    }
    if with_livestock:
        aggs |= {
            "animal": {"terms": {"field": "livestock.animal", "size": 20}},
            "breed": {"terms": {"field": "livestock.breed", "size": 100}},
            "sex": {"terms": {"field": "livestock.sex", "size": 10}},
            "seen_at": {"terms": {"field": "livestock.seen_at.kind", "size": 10}},
            "live_weight": {
                "range": {"field": "livestock.live_weight_kg", "ranges": _bands(livestock().weight_bands_kg)}
            },
        }
    return aggs


def highlight() -> dict[str, Any]:
    """Snippets over the plain and exact Bangla fields (offsets of the original text), HTML-escaped."""
    whole = {"number_of_fragments": 0}
    snippet = {"fragment_size": 150, "number_of_fragments": 1}
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "require_field_match": False,
        "fields": {
            "title.bn.exact": whole,
            "title.bn": whole,
            "title.en": whole,
            "description.bn.exact": snippet,
            "description.bn": snippet,
            "description.en": snippet,
        },
    }


#: Under the relevance sort a named place ranks its products first but hides nothing: less than a word
#: (text.WORD_BOOST), so "ভৈরবের মুড়ি" is Bhairab's puffed rice, then puffed rice from elsewhere.
PLACE_BOOST = 5.0


def place_clauses(
    understanding: Understanding | None, tier: Tier, sort: Sort
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(filters, scoring) for a place named in the query. Sorted by relevance, the place ranks; sorted by
    price or time, it filters (its upazila or union, or around its centre once relaxed or for a market)."""
    place = understanding.place if understanding else None
    if place is None:
        return [], []
    in_area = place.area or {"term": {"upazila": place.upazila}}  # a market ranks its upazila's goods
    if sort == "relevance":
        return [], [{"constant_score": {"filter": in_area, "boost": PLACE_BOOST}}]
    if place.area is not None and tier.in_place:
        return [in_area], []
    centre = {"lat": place.lat, "lon": place.lon}
    return [{"geo_distance": {"distance": f"{2 * place.radius_km}km", "location": centre}}], []


#: A breed named in the query and relaxed away still ranks its animals first, as a word of the query
#: does (text.WORD_BOOST): "black bengal goat" lists Black Bengals before a Jamunapari goat.
BREED_BOOST = WORD_BOOST
#: The breed named outranks its crosses by more than any text score differs, by less than a weight
#: wish does (NEAREST_BOOST): a cross of the weight asked for still comes before a pure animal twice it.
OWN_BREED_BOOST = 50.0


def breed_clauses(
    understanding: Understanding | None, tier: Tier
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(filters, scoring) for a breed the words name: its animals and its crosses'."""
    if understanding is None or understanding.breed is None:
        return [], []
    kin = livestock().with_crosses(understanding.breed)
    breeds = {"terms": {"livestock.breed": list(kin)}}
    # the breed itself before its crosses: "holstein friesian cow" lists the Holstein Friesian first
    own = {"term": {"livestock.breed": understanding.breed}}
    itself = [{"constant_score": {"filter": own, "boost": OWN_BREED_BOOST}}] if len(kin) > 1 else []
    if tier.with_breed:
        return [breeds], itself
    return [], [{"constant_score": {"filter": breeds, "boost": BREED_BOOST}}, *itself]


#: Under the relevance sort, an animal nearest the weight asked for (or a product nearest the price)
#: outranks any difference in text score, but never a query word a listing lacks (text.WORD_BOOST).
NEAREST_BOOST = 100.0


def nearness_clauses(understanding: Understanding | None) -> list[dict[str, Any]]:
    """Scoring for a weight or price the words give ("৩ মণের ষাঁড়", "১ লাখের গরু"): nearest first, half
    the wish away scoring half (an exponential decay: a 180 kg bull still outranks a 600 kg one for
    a 112 kg wish, where a gaussian would score both nothing)."""
    if understanding is None:
        return []
    wishes = (
        ("livestock.live_weight_kg", understanding.live_weight_kg, 20.0),
        ("price_bdt", understanding.price_bdt, 2_000.0),
    )
    return [
        {
            "function_score": {
                "query": {"exists": {"field": field}},
                # the function's weight, not the query's boost: with boost_mode replace the engine
                # scores the function alone, and a boost of the function_score would be lost (it was:
                # nearness scored at most 1, below the text score's differences)
                "functions": [
                    {
                        "exp": {field: {"origin": value, "scale": max(least, value / 2), "decay": 0.5}},
                        "weight": NEAREST_BOOST,
                    }
                ],
                "boost_mode": "replace",
            }
        }
        for field, value, least in wishes
        if value is not None
    ]


def unavailable_items_body(
    params: ProductQuery, understanding: Understanding, strict: Tier
) -> dict[str, Any]:
    """Listings of the very item the buyer named (every word of the query) that are out of stock or
    sold: shown after the available ones, marked, before other products of the category — a seller who
    had পিঠা yesterday is closer to what was asked than a seller of রসমালাই. Never a hidden listing."""
    unavailable = {
        "bool": {
            "filter": [{"term": {"deleted": False}}, {"terms": {"status": ["active", "sold"]}}],
            "should": [{"term": {"in_stock": False}}, {"term": {"status": "sold"}}],
            "minimum_should_match": 1,
        }
    }
    # the request's own filters (category, price, place, seller, livestock), not its availability
    structured = [
        f for f in filters(params) if f not in (*live_filters("product"), {"term": {"in_stock": True}})
    ]
    text, scoring = text_clauses(strict.required, (), entity="product", fuzzy=strict.fuzzy)
    of_breed, _ = breed_clauses(understanding, strict)
    return {
        "size": UNAVAILABLE_ITEMS,
        "query": {
            "bool": {
                "filter": [unavailable, *structured, *text, *category_filter(understanding), *of_breed],
                "should": scoring,
            }
        },
        "sort": ["_score", {"updated_at": "desc"}, {"id": "asc"}],
        "_source": PRODUCT_SOURCE,
    }


def tier_matches_agg(understanding: Understanding | None, plan: tuple[Tier, ...]) -> dict[str, Any]:
    """How many of a relaxed answer's products each tier would have listed (its words, and the breed
    the words name while it filters): bucket "0" counts the exact matches, and the strictest tier with
    any says which words no product had to match."""
    return {
        "filters": {
            "filters": {
                str(i): {
                    "bool": {
                        "filter": [
                            word_clause(w, "product", fuzzy=tier.fuzzy, own_name=w.exact)
                            for w in tier.required
                        ]
                        + breed_clauses(understanding, tier)[0]
                    }
                }
                for i, tier in enumerate(plan)
            }
        }
    }


def tier_clauses(
    understanding: Understanding | None, tier: Tier, sort: Sort
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(filters, scoring) of what the words ask, in one tier: its words, the categories they name, a
    place and a breed they name; under the relevance sort, nearness to a weight or price they give."""
    if understanding is None:
        return [], []
    text_filters, scoring = text_clauses(tier.required, tier.dropped, entity="product", fuzzy=tier.fuzzy)
    in_place, place_scoring = place_clauses(understanding, tier, sort)
    of_breed, breed_scoring = breed_clauses(understanding, tier)
    scoring += place_scoring + breed_scoring
    if sort == "relevance":
        scoring += nearness_clauses(understanding)
    return text_filters + category_filter(understanding) + in_place + of_breed, scoring


def product_search_body(
    params: ProductQuery,
    *,
    understanding: Understanding | None = None,
    tier: Tier | None = None,
    tier_index: int = 0,
) -> dict[str, Any]:
    """The engine body for one page. Asks for limit+1 hits: the extra one says whether a next page exists.

    Raises InvalidProductQuery for contradictory parameters and InvalidCursor for a foreign cursor.
    """
    check(params)
    tier = tier if tier is not None else (Tier(understanding.required) if understanding else STRICT)
    sort = effective_sort(params, understanding)
    has_text = understanding is not None and bool(understanding.key_tokens)
    text_filters, scoring = tier_clauses(understanding, tier, sort)
    query: dict[str, Any] = {"filter": [*filters(params), *text_filters]}
    if scoring:
        query["should"] = scoring
    order = sort_clause(params, sort)
    body: dict[str, Any] = {
        "size": params.limit + 1,
        "track_total_hits": True,
        "query": {"bool": query},
        "sort": order,
        "_source": PRODUCT_SOURCE,
        "aggs": facets(with_livestock=livestock_in_view(params, understanding)),
    }
    if has_text:
        body["highlight"] = highlight()
    if params.cursor:
        body["search_after"] = decode_cursor(
            params.cursor, fingerprint(params, understanding, tier_index), length=len(order)
        )
    return body


#: How a first page asks its tiers (first_page_bodies): its one tier's query; every tier at once, the
#: strictest first, for a page sorted by price, distance or time; under the relevance sort the broadest
#: tier, counting the stricter ones inside it.
FirstPage = Literal["one tier", "strictest first", "counted"]


def first_page(
    params: ProductQuery, understanding: Understanding | None, plan: tuple[Tier, ...]
) -> FirstPage:
    if len(plan) == 1:
        return "one tier"
    return "counted" if effective_sort(params, understanding) == "relevance" else "strictest first"


def strictest_tier_first_body(
    params: ProductQuery, understanding: Understanding, plan: tuple[Tier, ...]
) -> dict[str, Any]:
    """A first page sorted by price, distance or time, in one query: what any tier lists, the
    strictest tier's products first (their score is the tier's rank; a product scores its strictest
    tier), then the sort. An aggregation counts each tier's products and holds each tier's facets, so
    the strictest tier with products answers alone (relaxation/found.py strictest_tier_of) — the
    products, totals and facets its own query would give, without a second round trip when the strict
    tier finds nothing. Pages after it ask that tier's query (the cursor keeps the tier)."""
    body = product_search_body(params, understanding=understanding, tier=plan[0])
    sort = effective_sort(params, understanding)
    per_tier = [tier_clauses(understanding, tier, sort)[0] for tier in plan]
    ranked = [
        {"constant_score": {"filter": {"bool": {"filter": clauses}}, "boost": len(plan) - i}}
        for i, clauses in enumerate(per_tier)
    ]
    body["query"] = {"bool": {"filter": filters(params), "must": [{"dis_max": {"queries": ranked}}]}}
    body["sort"] = ["_score", *body["sort"]]
    body["track_total_hits"] = False  # each tier's count is its bucket's
    tiers = {str(i): {"bool": {"filter": clauses}} for i, clauses in enumerate(per_tier)}
    body["aggs"] = {"tiers": {"filters": {"filters": tiers}, "aggs": body["aggs"]}}
    return body


def first_page_bodies(
    params: ProductQuery, understanding: Understanding | None, plan: tuple[Tier, ...]
) -> list[dict[str, Any]]:
    """What a first page asks the products index, in one round trip (run.py): one tier's query when
    there is one; under the relevance sort the broadest tier counting the others, and a named item's
    unavailable listings when only those in stock are asked for; sorted otherwise, every tier at once,
    the strictest first. The search bench sends the same bodies straight to the engine."""
    asks = first_page(params, understanding, plan)
    if asks == "one tier":
        return [product_search_body(params, understanding=understanding, tier=plan[0])]
    assert understanding is not None  # a plan of several tiers comes from an understanding
    if asks == "strictest first":
        return [strictest_tier_first_body(params, understanding, plan)]
    broadest = product_search_body(
        params, understanding=understanding, tier=plan[-1], tier_index=len(plan) - 1
    )
    broadest["aggs"]["tiers"] = tier_matches_agg(understanding, plan)
    if understanding.items and params.in_stock:
        return [broadest, unavailable_items_body(params, understanding, plan[0])]
    return [broadest]
