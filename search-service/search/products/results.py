"""Engine answers about products → what frontends get (answer.py): result cards, facets, the next
cursor, as the JSON objects of their models (answers/json_answer.py).

Distances are computed here from the product's stored point (haversine on the mean Earth radius, as
the engine's `arc` distance does), so every sort can show them, not only the distance sort.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from portal.contracts import livestock, taxonomy
from portal.geo import haversine_m
from search.answers.json_answer import as_float, localized
from search.answers.slugs import category_json, counts_json, label_json, upazila_json
from search.places.at import union_json
from search.products.answer import ProductResult
from search.products.bodies import PRICE_BANDS
from search.products.cursor import encode_cursor

#: Highlight fields in order of preference for each snippet: exact Bangla first (no stemming surprises).
HIGHLIGHT_FIELDS = {
    "title": ("title.bn.exact", "title.bn", "title.en"),
    "description": ("description.bn.exact", "description.bn", "description.en"),
}


def snippets(hit: dict[str, Any]) -> dict[str, str]:
    """One snippet per field that matched (a `Highlight`); its text is HTML-escaped with <mark> around
    the matches."""
    found = hit.get("highlight", {})
    out: dict[str, str] = {}
    for name, fields in HIGHLIGHT_FIELDS.items():
        for field in fields:
            if found.get(field):
                out[name] = found[field][0]
                break
    return out


def livestock_facts(facts: dict[str, Any], price_per_kg: float | None) -> dict[str, Any]:
    """An animal's typed facts, labelled for display (a `LivestockFacts`)."""
    market = livestock()
    seen_at = facts.get("seen_at")
    breed, sex = facts.get("breed"), facts.get("sex")
    return {
        "animal": label_json(facts["animal"], market.animals),
        "breed": label_json(breed, market.breeds) if breed else None,
        "live_weight_kg": as_float(facts.get("live_weight_kg")),
        "age_months": facts.get("age_months"),
        "sex": label_json(sex, market.sexes) if sex else None,
        "seen_at": {
            "kind": label_json(seen_at["kind"], market.seen_at_kinds),
            "name": localized(seen_at["name"]),
        }
        if seen_at
        else None,
        "price_per_kg": as_float(price_per_kg),
    }


def product_card(hit: dict[str, Any], *, point: tuple[float, float] | None = None) -> dict[str, Any]:
    """One hit as the JSON of its `ProductResult` (answers/json_answer.py); `seller` is filled in by
    sellers/cards.py (SellerCards)."""
    source = hit["_source"]
    title = source["title"]
    description = source.get("description") or {}
    location = source["location"]
    facts = source.get("livestock")
    card: dict[str, Any] = {
        "id": source["id"],
        "title": {"bn": title["bn"], "en": title.get("en")},
        "description": {"bn": description.get("bn"), "en": description.get("en")},
        "category": category_json("product", source["category"]),
        "price_bdt": float(source["price_bdt"]),
        "in_stock": source["in_stock"],
        "status": "sold" if source.get("status") == "sold" else "active",
        "upazila": upazila_json(source["upazila"]),
        "union": union_json(source.get("union")),
        "seller_id": source["seller_id"],
        "location": {"lat": float(location["lat"]), "lon": float(location["lon"])},
        "attributes": source.get("attributes", {}),
        "livestock": livestock_facts(facts, source.get("price_per_kg")) if facts else None,
        "seller": None,
        "updated_at": source.get("updated_at"),
    }
    if point is not None:
        card["distance_m"] = round(haversine_m(*point, location["lat"], location["lon"]), 1)
    if "highlight" in hit:
        card["highlight"] = snippets(hit)
    return card


def product_result(hit: dict[str, Any], *, point: tuple[float, float] | None = None) -> ProductResult:
    """`product_card` as its model."""
    return ProductResult.model_validate(product_card(hit, point=point))


def _bands(
    aggregation: dict[str, Any], bands: Sequence[tuple[str, float | None, float | None]]
) -> list[dict[str, Any]]:
    """Every band (a `Band`), empty ones too, so a frontend can draw a stable list; `to` is exclusive."""
    counts = {bucket["key"]: bucket["doc_count"] for bucket in aggregation.get("buckets", [])}
    return [
        {"label": label, "from": float(start or 0), "to": as_float(end), "count": counts.get(label, 0)}
        for label, start, end in bands
    ]


def livestock_facets(aggregations: dict[str, Any]) -> dict[str, Any]:
    """The cattle market's facets (`LivestockFacets`): animals, breeds, sexes, haat or farm, and every
    live-weight band."""
    market = livestock()
    return {
        "animal": counts_json(aggregations.get("animal", {}), market.animals),
        "breed": counts_json(aggregations.get("breed", {}), market.breeds),
        "sex": counts_json(aggregations.get("sex", {}), market.sexes),
        "seen_at": counts_json(aggregations.get("seen_at", {}), market.seen_at_kinds),
        "live_weight": _bands(aggregations.get("live_weight", {}), market.weight_bands_kg),
    }


def facets(aggregations: dict[str, Any]) -> dict[str, Any]:
    """Facets over every match (`Facets`); the cattle market's only when the body asked for them
    (animals in view)."""
    out: dict[str, Any] = {
        "category": counts_json(aggregations.get("category", {}), taxonomy().product_categories),
        "price": _bands(aggregations.get("price", {}), PRICE_BANDS),
    }
    if "animal" in aggregations:
        out["livestock"] = livestock_facets(aggregations)
    return out


def page_of(hits: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], bool]:
    """The hits of a page asked for with size=limit+1, and whether the extra one proves a next page."""
    page = hits[:limit]
    return page, len(hits) > limit and bool(page)


def next_cursor(
    page: list[dict[str, Any]], more: bool, fingerprint: Callable[[], str], tier: int
) -> str | None:
    """The cursor of the page after `page`, if there is one; `fingerprint` is worked out only then."""
    return encode_cursor(page[-1]["sort"], fingerprint(), tier) if more else None
