"""Product search: request parameters → one OpenSearch request body (hits, facets, highlights). Pure.

Only live, sellable products are ever candidates (not a tombstone, status active). Paging is by
`search_after` behind an opaque cursor (search.queries.cursor), with `id` as the last sort key so
every product has exactly one place in the order. Facets are aggregations over the same query and
filters, so they do not change from page to page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from portal.bangla.normalize import normalize_text
from search.queries.categories import live_filters
from search.queries.cursor import decode_cursor, query_fingerprint
from search.queries.plan import STRICT, Tier
from search.queries.text import category_filter, text_clauses
from search.queries.understanding import Understanding

Sort = Literal["relevance", "price_asc", "price_desc", "distance", "newest"]

PRODUCT_SOURCE = [
    "id", "title", "description", "category", "price_bdt", "in_stock", "upazila", "seller_id",
    "location", "attributes", "updated_at",
]  # fmt: skip

#: Price bands for the price facet, in BDT: (label, from, to); `to` is exclusive, None is open.
PRICE_BANDS: tuple[tuple[str, float | None, float | None], ...] = (
    ("< ৳500", None, 500),
    ("৳500–2,000", 500, 2_000),
    ("৳2,000–10,000", 2_000, 10_000),
    ("৳10,000–50,000", 10_000, 50_000),
    ("≥ ৳50,000", 50_000, None),
)
CATEGORY_FACET_SIZE = 100


class InvalidProductQuery(ValueError):
    """Parameters that are each fine alone but not together; `parameter` names the one to change."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class ProductQuery:
    q: str | None = None
    category: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None  # 10 km when a point is given
    in_stock: bool = True  # False also shows products that are out of stock
    sort: Sort = "relevance"
    limit: int = 20

    @property
    def text(self) -> str:
        return normalize_text(self.q or "")

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def radius(self) -> float:
        return self.radius_km if self.radius_km is not None else 10.0


def check(params: ProductQuery) -> None:
    """Reject combinations of parameters that cannot mean anything, naming the one to fix."""
    if (params.lat is None) != (params.lon is None):
        missing = "lon" if params.lon is None else "lat"
        raise InvalidProductQuery(missing, "lat and lon must be given together")
    if params.radius_km is not None and not params.has_point:
        raise InvalidProductQuery("radius_km", "radius_km needs lat and lon")
    if params.sort == "distance" and not params.has_point:
        raise InvalidProductQuery("sort", "sort=distance needs lat and lon")
    if params.min_price is not None and params.max_price is not None and params.min_price > params.max_price:
        raise InvalidProductQuery("min_price", "min_price must not be greater than max_price")


def effective_sort(params: ProductQuery, understanding: Understanding | None) -> Sort:
    """Relevance means nothing without words to be relevant to; then the newest come first."""
    if params.sort == "relevance" and (understanding is None or not understanding.key_tokens):
        return "newest"
    return params.sort


def fingerprint(params: ProductQuery, understanding: Understanding | None, tier: int = 0) -> str:
    """What a cursor is bound to: everything that selects or orders results (not the page size),
    including the relaxation tier that answered the first page, so every page comes from it."""
    return query_fingerprint(
        {
            "q": params.text,
            "tier": tier,
            "category": params.category,
            "min_price": params.min_price,
            "max_price": params.max_price,
            "point": [params.lat, params.lon, params.radius] if params.has_point else None,
            "in_stock": params.in_stock,
            "sort": effective_sort(params, understanding),
        }
    )


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
    return clauses


def sort_clause(params: ProductQuery, sort: Sort) -> list[Any]:
    """The engine sort for `sort`, always ending in `id` so the order is total and cursors are exact."""
    keys: dict[str, list[Any]] = {
        "relevance": ["_score", {"updated_at": "desc"}],
        "price_asc": [{"price_bdt": "asc"}],
        "price_desc": [{"price_bdt": "desc"}],
        "newest": [{"updated_at": "desc"}],
    }
    if sort == "distance":
        geo = {"location": _point(params), "order": "asc", "unit": "m", "distance_type": "arc"}
        return [{"_geo_distance": geo}, {"id": "asc"}]
    return [*keys[sort], {"id": "asc"}]


def facets() -> dict[str, Any]:
    ranges = []
    for label, start, end in PRICE_BANDS:
        band: dict[str, Any] = {"key": label}
        if start is not None:
            band["from"] = start
        if end is not None:
            band["to"] = end
        ranges.append(band)
    return {
        "category": {"terms": {"field": "category", "size": CATEGORY_FACET_SIZE}},
        "price": {"range": {"field": "price_bdt", "ranges": ranges}},
    }


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
    price or time, it filters (its upazila, or around its centre once relaxed or for a point place)."""
    place = understanding.place if understanding else None
    if place is None:
        return [], []
    in_upazila = {"term": {"upazila": place.upazila}}
    if sort == "relevance":
        return [], [{"constant_score": {"filter": in_upazila, "boost": PLACE_BOOST}}]
    if place.kind == "upazila" and tier.in_place:
        return [in_upazila], []
    centre = {"lat": place.lat, "lon": place.lon}
    return [{"geo_distance": {"distance": f"{2 * place.radius_km}km", "location": centre}}], []


def product_search_body(
    params: ProductQuery,
    *,
    understanding: Understanding | None = None,
    cursor: str | None = None,
    tier: Tier | None = None,
    tier_index: int = 0,
) -> dict[str, Any]:
    """The engine body for one page. Asks for limit+1 hits: the extra one says whether a next page exists.

    Raises InvalidProductQuery for contradictory parameters and InvalidCursor for a foreign cursor.
    """
    check(params)
    tier = tier if tier is not None else (Tier(understanding.required) if understanding else STRICT)
    sort = effective_sort(params, understanding)
    text_filters: list[dict[str, Any]] = []
    scoring: list[dict[str, Any]] = []
    has_text = understanding is not None and bool(understanding.key_tokens)
    if understanding is not None:
        text_filters, scoring = text_clauses(tier.required, tier.dropped, entity="product")
        in_place, place_scoring = place_clauses(understanding, tier, sort)
        text_filters += category_filter(understanding) + in_place
        scoring += place_scoring
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
        "aggs": facets(),
    }
    if has_text:
        body["highlight"] = highlight()
    if cursor:
        body["search_after"] = decode_cursor(
            cursor, fingerprint(params, understanding, tier_index), length=len(order)
        )
    return body
