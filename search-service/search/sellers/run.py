"""Storefronts at query time: a seller's page, storefronts near a point, and the seller on product cards.

Products carry only `seller_id`; the seller's name, phone and verified flag are read from the sellers
index when an answer is made (one realtime `mget` for a page of products), so a rename or a new phone
number shows in every product of the seller's as soon as the seller event is indexed, whatever the
number of products. The README's "Storefronts" section says why, and `make bench-search` what it costs.
"""

from __future__ import annotations

import asyncio
from typing import Any

from search.engine import SearchEngine
from search.sellers.answer import Storefront
from search.sellers.bodies import (
    CARD_SOURCE,
    bucket_counts,
    nearest_sellers_body,
    product_counts_body,
    storefront_body,
    storefront_counts_body,
)
from search.sellers.request import NearestSellersQuery
from search.sellers.results import nearby_storefront, seller_card_json, storefront

Sellers = dict[str, dict[str, Any]]


class SellerCards:
    """The sellers of a page of products, read by one realtime `mget` of their cards' fields. A
    storefront's own products name their seller before they are searched: then the seller is read at
    the same time as the products (`early`), and the page waits for one round trip instead of two.
    Otherwise the read starts as soon as the page is known (`read`), and its cards are shaped meanwhile."""

    def __init__(self, engine: SearchEngine, early: str | None = None) -> None:
        self.engine = engine
        self._ids: list[str] = []
        self._reading: asyncio.Task[Sellers] | None = None
        if early is not None:
            self.read([early])

    def read(self, ids: list[str]) -> None:
        """Start reading these sellers (in order, once each), unless they are being read already."""
        ids = list(dict.fromkeys(ids))
        if ids and ids != self._ids:
            self._ids = ids
            self._reading = asyncio.create_task(self.engine.mget("sellers", ids, source=CARD_SOURCE))
            self._reading.add_done_callback(_retrieved)  # a read nobody awaits fails on no one

    async def attach(self, results: list[dict[str, Any]]) -> None:
        """Fill each product card's `seller` (products/results.py) with its seller's card (null when the
        seller is unknown)."""
        self.read([r["seller_id"] for r in results])
        if not results or self._reading is None:
            return  # an early read nobody needs is left to finish on its own
        sellers = await self._reading
        cards = {
            seller_id: seller_card_json(source)
            for seller_id, source in sellers.items()
            if not source.get("deleted")
        }
        for result in results:
            result["seller"] = cards.get(result["seller_id"])


def _retrieved(task: asyncio.Task[Sellers]) -> None:
    if not task.cancelled():
        task.exception()


async def find_storefront(engine: SearchEngine, id_or_slug: str) -> Storefront | None:
    """The live storefront with this id or slug, with its live products per category; None if none."""
    answer = await engine.search("sellers", storefront_body(id_or_slug))
    hits = answer["hits"]["hits"]
    if not hits:
        return None
    source = hits[0]["_source"]
    counts = await engine.search("products", storefront_counts_body(source["id"]))
    return storefront(source, bucket_counts(counts, "by_category"), counts["hits"]["total"]["value"])


async def nearest_storefronts(engine: SearchEngine, params: NearestSellersQuery) -> dict[str, Any]:
    """The JSON of the `NearestStorefronts` answer (answers/json_answer.py)."""
    answer = await engine.search("sellers", nearest_sellers_body(params))
    hits = [hit["_source"] for hit in answer["hits"]["hits"]]
    counts: dict[str, int] = {}
    if hits:
        counts = bucket_counts(
            await engine.search("products", product_counts_body([h["id"] for h in hits])), "by_seller"
        )
    point = (params.lat, params.lon)
    return {
        "total": answer["hits"]["total"]["value"],
        "results": [nearby_storefront(h, point, counts.get(h["id"], 0)) for h in hits],
    }
