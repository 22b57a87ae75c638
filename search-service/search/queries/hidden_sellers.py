"""Products of deleted sellers never leave the engine: every products read excludes them. Pure.

ingest-service keeps the ids of deleted sellers in one document of the sellers index (`~hidden`, see
ingest/hidden_sellers.py); a terms lookup of it is a realtime get inside the engine, so a seller's
delete hides their products from searches, facets, counts, suggestions and storefronts at once. The
exclusion wraps whole bodies (in search/engine.py) rather than being one more filter each builder
must remember: a new way of reading products cannot forget it.
"""

from __future__ import annotations

from typing import Any

from portal.hidden_sellers import HIDDEN_DOC_ID, HIDDEN_FIELD


def hidden_sellers_lookup(sellers_index: str) -> dict[str, Any]:
    """Products whose seller is on the hidden list."""
    return {"terms": {"seller_id": {"index": sellers_index, "id": HIDDEN_DOC_ID, "path": HIDDEN_FIELD}}}


def without_hidden_sellers(body: dict[str, Any], sellers_index: str) -> dict[str, Any]:
    """The same search, minus deleted sellers' products; scores are kept (`must`, not `filter`)."""
    query = body.get("query", {"match_all": {}})
    return {**body, "query": {"bool": {"must": [query], "must_not": [hidden_sellers_lookup(sellers_index)]}}}
