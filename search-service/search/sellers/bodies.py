"""Storefront queries: one seller by id or slug, their products per category, sellers near a point. Pure.

Sellers live in their own index; products name them by `seller_id`. Live sellers are those that are
not tombstones (the hidden-sellers list document has no `deleted` field, so it never matches).
"""

from __future__ import annotations

from typing import Any

from search.answers.from_document import source_fields
from search.queries.live import live_filters
from search.sellers.answer import NearbyStorefront, SellerCard, Storefront
from search.sellers.request import NearestSellersQuery

#: What each hit brings back: the document fields a storefront or its card is made from (answer.py).
SELLER_SOURCE = source_fields(Storefront, NearbyStorefront)
#: What a product card's seller is read with: its card's fields, and whether the seller is closed.
CARD_SOURCE = [*source_fields(SellerCard), "deleted"]
LIVE_SELLER = {"term": {"deleted": False}}


def storefront_body(id_or_slug: str) -> dict[str, Any]:
    """The live seller with this id, else the one with this slug. Two sellers claiming one slug is the
    storefront app's mistake; the older storefront keeps the URL (the one whose link was shared first)."""
    return {
        "size": 1,
        "query": {
            "bool": {
                "filter": [LIVE_SELLER],
                "should": [
                    {"constant_score": {"filter": {"ids": {"values": [id_or_slug]}}, "boost": 2}},
                    {"constant_score": {"filter": {"term": {"slug": id_or_slug}}, "boost": 1}},
                ],
                "minimum_should_match": 1,
            }
        },
        "sort": ["_score", {"created_at": "asc"}, {"id": "asc"}],
        "_source": SELLER_SOURCE,
    }


def storefront_counts_body(seller_id: str) -> dict[str, Any]:
    """How many live products one seller has, per category."""
    return {
        "size": 0,
        "track_total_hits": True,
        "query": {"bool": {"filter": [*live_filters("product"), {"term": {"seller_id": seller_id}}]}},
        "aggs": {"by_category": {"terms": {"field": "category", "size": 100}}},
    }


#: A seller shown as verified (sellers/results.py): checked by the administration, and reachable — a
#: phone the seller has not hidden (hiding it hides the WhatsApp number too).
SHOWN_VERIFIED: dict[str, Any] = {
    "bool": {"filter": [{"term": {"verified": True}}], "must_not": [{"term": {"phone_public": False}}]}
}


def nearest_sellers_body(params: NearestSellersQuery) -> dict[str, Any]:
    """Live storefronts within the radius that sell the category, nearest first."""
    point = {"lat": params.lat, "lon": params.lon}
    filters: list[dict[str, Any]] = [
        LIVE_SELLER,
        {"geo_distance": {"distance": f"{params.radius_km}km", "location": point}},
    ]
    if params.category:
        filters.append({"term": {"categories": params.category}})
    if params.verified is not None:
        filters.append(SHOWN_VERIFIED if params.verified else {"bool": {"must_not": [SHOWN_VERIFIED]}})
    return {
        "size": params.limit,
        "track_total_hits": True,
        "query": {"bool": {"filter": filters}},
        "sort": [
            {"_geo_distance": {"location": point, "order": "asc", "unit": "m", "distance_type": "arc"}},
            {"id": "asc"},
        ],
        "_source": SELLER_SOURCE,
    }


def product_counts_body(seller_ids: list[str]) -> dict[str, Any]:
    """Live products per seller, for a page of storefronts."""
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"filter": [*live_filters("product"), {"terms": {"seller_id": seller_ids}}]}},
        "aggs": {"by_seller": {"terms": {"field": "seller_id", "size": max(len(seller_ids), 1)}}},
    }


def bucket_counts(response: dict[str, Any], name: str) -> dict[str, int]:
    buckets = response.get("aggregations", {}).get(name, {}).get("buckets", [])
    return {bucket["key"]: bucket["doc_count"] for bucket in buckets}


def index_state_body() -> dict[str, Any]:
    """What state an index (sellers, products) is in, as its refreshed searcher sees it: per concrete
    index, its documents and the sum and greatest of their sequence numbers. Any write (a rename, a new
    seller, a sold product, a delete) changes them: a write gives its document a sequence number above
    every earlier one of the shard (each index has one, schemas/indices/). A `size: 0` body, so the engine's request
    cache answers it until the next refresh that changed the index."""
    return {
        "size": 0,
        "aggs": {
            "indices": {
                "terms": {"field": "_index", "size": 10},
                "aggs": {"seq_sum": {"sum": {"field": "_seq_no"}}, "seq_max": {"max": {"field": "_seq_no"}}},
            }
        },
    }


def card_body(seller_id: str) -> dict[str, Any]:
    """One seller's card fields, by id: a storefront's own seller, asked with its products."""
    return {"size": 1, "query": {"ids": {"values": [seller_id]}}, "_source": CARD_SOURCE}
