"""Engine answers about products → the JSON frontends get: result cards, facets, the next cursor.

Distances are computed here from the product's stored point (haversine on the mean Earth radius, as
the engine's `arc` distance does), so every sort can show them, not only the distance sort.
"""

from __future__ import annotations

from typing import Any

from portal.bangla.normalize import normalize_text
from portal.bangla.romanize import banglish_key
from portal.contracts import livestock
from portal.geo import haversine_m
from search.queries.cursor import encode_cursor
from search.queries.products import PRICE_BANDS
from search.queries.suggest import TypedText
from search.results import _category, _upazila
from search.seller_results import livestock_facts

#: Highlight fields in order of preference for each snippet: exact Bangla first (no stemming surprises).
HIGHLIGHT_FIELDS = {
    "title": ("title.bn.exact", "title.bn", "title.en"),
    "description": ("description.bn.exact", "description.bn", "description.en"),
}


def snippets(hit: dict[str, Any]) -> dict[str, str]:
    """One snippet per field that matched; its text is HTML-escaped with <mark> around the matches."""
    found = hit.get("highlight", {})
    out: dict[str, str] = {}
    for name, fields in HIGHLIGHT_FIELDS.items():
        for field in fields:
            if found.get(field):
                out[name] = found[field][0]
                break
    return out


def product_result(hit: dict[str, Any], *, point: tuple[float, float] | None = None) -> dict[str, Any]:
    source = hit["_source"]
    title = source["title"]
    description = source.get("description") or {}
    result: dict[str, Any] = {
        "id": source["id"],
        "title": {"bn": title["bn"], "en": title.get("en")},
        "description": {"bn": description.get("bn"), "en": description.get("en")},
        "category": _category("product", source["category"]),
        "price_bdt": source["price_bdt"],
        "in_stock": source["in_stock"],
        "upazila": _upazila(source["upazila"]),
        "seller_id": source["seller_id"],
        "location": source["location"],
        "attributes": source.get("attributes", {}),
        "livestock": livestock_facts(source["livestock"], source.get("price_per_kg")).model_dump()
        if source.get("livestock")
        else None,
        "seller": None,  # the seller's card, joined in by storefronts.attach_sellers
        "updated_at": source.get("updated_at"),
    }
    if point is not None:
        location = source["location"]
        result["distance_m"] = round(haversine_m(*point, location["lat"], location["lon"]), 1)
    if "highlight" in hit:
        result["highlight"] = snippets(hit)
    return result


def category_facet(aggregation: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**_category("product", bucket["key"]), "count": bucket["doc_count"]}
        for bucket in aggregation.get("buckets", [])
    ]


def price_facet(aggregation: dict[str, Any]) -> list[dict[str, Any]]:
    """Every band, empty ones too, so a frontend can draw a stable list; `to` is exclusive."""
    counts = {bucket["key"]: bucket["doc_count"] for bucket in aggregation.get("buckets", [])}
    return [
        {"label": label, "from": start or 0, "to": end, "count": counts.get(label, 0)}
        for label, start, end in PRICE_BANDS
    ]


def _labelled(aggregation: dict[str, Any], known: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for bucket in aggregation.get("buckets", []):
        label = known.get(bucket["key"])
        words = {"bn": label.bn, "en": label.en} if label else {"bn": bucket["key"], "en": bucket["key"]}
        out.append({"slug": bucket["key"], **words, "count": bucket["doc_count"]})
    return out


def livestock_facets(aggregations: dict[str, Any]) -> dict[str, Any]:
    """The cattle market's facets: animals, breeds, sexes, haat or farm, and every live-weight band."""
    market = livestock()
    weights = {b["key"]: b["doc_count"] for b in aggregations.get("live_weight", {}).get("buckets", [])}
    return {
        "animal": _labelled(aggregations.get("animal", {}), market.animals),
        "breed": _labelled(aggregations.get("breed", {}), market.breeds),
        "sex": _labelled(aggregations.get("sex", {}), market.sexes),
        "seen_at": _labelled(aggregations.get("seen_at", {}), market.seen_at_kinds),
        "live_weight": [
            {"label": label, "from": start or 0, "to": end, "count": weights.get(label, 0)}
            for label, start, end in market.weight_bands_kg
        ],
    }


def product_page(
    response: dict[str, Any],
    *,
    limit: int,
    fingerprint: str,
    point: tuple[float, float] | None,
    tier: int = 0,
) -> dict[str, Any]:
    """The page for a body built with size=limit+1: the extra hit only proves there is a next page."""
    hits = response["hits"]["hits"]
    page = hits[:limit]
    more = len(hits) > limit and bool(page)
    aggregations = response.get("aggregations", {})
    return {
        "total": response["hits"]["total"]["value"],
        "results": [product_result(hit, point=point) for hit in page],
        "facets": {
            "category": category_facet(aggregations.get("category", {})),
            "price": price_facet(aggregations.get("price", {})),
            **({"livestock": livestock_facets(aggregations)} if "animal" in aggregations else {}),
        },
        "next_cursor": encode_cursor(page[-1]["sort"], fingerprint, tier) if more else None,
    }


def _shows_typed(typed: TypedText, text: str) -> bool:
    """Whether every typed word starts a word of `text`, as text or as Banglish key."""
    words = normalize_text(text).casefold().split() + banglish_key(text).split()
    typed_words = typed.text.split() + typed.key.split()
    return all(any(w.startswith(t) for w in words) for t in typed_words)


def product_suggestion(hit: dict[str, Any], *, typed: TypedText) -> dict[str, Any]:
    """A product title to complete to, in the typed script when that title shows what was typed."""
    title = hit["_source"]["title"]
    english = title.get("en")
    text = english if not typed.bangla and english and _shows_typed(typed, english) else title["bn"]
    return {
        "type": "product",
        "text": text,
        "bn": title["bn"],
        "en": english,
        "open": {"endpoint": "/v1/products/search", "params": {"q": text}},
    }
