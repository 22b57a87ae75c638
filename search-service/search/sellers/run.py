"""Storefronts at query time: a seller's page and storefronts near a point. I/O. The seller on product
cards is cards.py's."""

from __future__ import annotations

from typing import Any

from search.engine import Search, SearchEngine
from search.sellers.answer import Storefront
from search.sellers.bodies import nearest_sellers_body, storefront_body
from search.sellers.counts import PRODUCTS_STATE, category_counts, product_counts
from search.sellers.request import NearestSellersQuery
from search.sellers.results import index_state, nearby_storefront, storefront


async def find_storefront(engine: SearchEngine, id_or_slug: str) -> Storefront | None:
    """The live storefront with this id or slug, with its live products per category; None if none."""
    answer, state = await engine.msearch_of([Search("sellers", storefront_body(id_or_slug)), PRODUCTS_STATE])
    hits = answer["hits"]["hits"]
    if not hits:
        return None
    source = hits[0]["_source"]
    total, per_category = await category_counts(engine, index_state(state), source["id"])
    return storefront(source, per_category, total)


async def nearest_storefronts(engine: SearchEngine, params: NearestSellersQuery) -> dict[str, Any]:
    """The JSON of the `NearestStorefronts` answer (answers/json_answer.py)."""
    answer, state = await engine.msearch_of([Search("sellers", nearest_sellers_body(params)), PRODUCTS_STATE])
    hits = [hit["_source"] for hit in answer["hits"]["hits"]]
    counts = await product_counts(engine, index_state(state), [h["id"] for h in hits]) if hits else {}
    point = (params.lat, params.lon)
    return {
        "total": answer["hits"]["total"]["value"],
        "results": [nearby_storefront(h, point, counts.get(h["id"], 0)) for h in hits],
    }
