"""Deleted sellers and their products never leave the engine: every products and sellers read excludes
them. Pure.

ingest-service keeps the ids of deleted sellers in one document of the sellers index (`~hidden`, see
ingest/hide_deleted_sellers.py); a terms lookup of it is a realtime get inside the engine, so a seller's
delete hides their products from searches, facets, counts, suggestions and storefronts at once — and
the seller from storefront pages and nearest storefronts, before the sellers index has refreshed. The
exclusion wraps whole bodies (in search/engine.py) rather than being one more filter each builder must
remember: a new way of reading products or sellers cannot forget it.
"""

from __future__ import annotations

from typing import Any

from portal.hidden_seller_list import HIDDEN_DOC_ID, HIDDEN_FIELD

#: The field naming the seller, per index read.
SELLER_FIELD = {"products": "seller_id", "sellers": "id"}


def hidden_sellers_lookup(sellers_index: str, field: str = "seller_id") -> dict[str, Any]:
    """Documents whose `field` is a seller on the hidden list."""
    return {"terms": {field: {"index": sellers_index, "id": HIDDEN_DOC_ID, "path": HIDDEN_FIELD}}}


def without_hidden_sellers(
    body: dict[str, Any], sellers_index: str, field: str = "seller_id"
) -> dict[str, Any]:
    """The same search, minus deleted sellers (or their products); scores are kept (`must`, not `filter`)."""
    query = body.get("query", {"match_all": {}})
    lookup = hidden_sellers_lookup(sellers_index, field)
    return {**body, "query": {"bool": {"must": [query], "must_not": [lookup]}}}
