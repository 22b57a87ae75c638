"""Engine answers about products → what frontends get (answer.py): result cards, facets, the next
cursor.

Distances are computed here from the product's stored point (haversine on the mean Earth radius, as
the engine's `arc` distance does), so every sort can show them, not only the distance sort.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portal.contracts import livestock, taxonomy
from portal.geo import haversine_m
from search.answers.labels import LocalizedText, Name, Point
from search.answers.slugs import category_label, label, labelled_counts, upazila_label
from search.products.answer import (
    Band,
    Facets,
    Highlight,
    LivestockFacets,
    LivestockFacts,
    ProductResult,
    SeenAt,
)
from search.products.bodies import PRICE_BANDS
from search.products.cursor import encode_cursor

#: Highlight fields in order of preference for each snippet: exact Bangla first (no stemming surprises).
HIGHLIGHT_FIELDS = {
    "title": ("title.bn.exact", "title.bn", "title.en"),
    "description": ("description.bn.exact", "description.bn", "description.en"),
}


def snippets(hit: dict[str, Any]) -> Highlight:
    """One snippet per field that matched; its text is HTML-escaped with <mark> around the matches."""
    found = hit.get("highlight", {})
    out: dict[str, str] = {}
    for name, fields in HIGHLIGHT_FIELDS.items():
        for field in fields:
            if found.get(field):
                out[name] = found[field][0]
                break
    return Highlight.model_validate(out)


def livestock_facts(facts: dict[str, Any], price_per_kg: float | None) -> LivestockFacts:
    market = livestock()
    seen_at = facts.get("seen_at")
    return LivestockFacts(
        animal=label(facts["animal"], market.animals),
        breed=label(facts["breed"], market.breeds) if facts.get("breed") else None,
        live_weight_kg=facts.get("live_weight_kg"),
        age_months=facts.get("age_months"),
        sex=label(facts["sex"], market.sexes) if facts.get("sex") else None,
        seen_at=SeenAt(
            kind=label(seen_at["kind"], market.seen_at_kinds), name=LocalizedText(**seen_at["name"])
        )
        if seen_at
        else None,
        price_per_kg=price_per_kg,
    )


def product_result(hit: dict[str, Any], *, point: tuple[float, float] | None = None) -> ProductResult:
    source = hit["_source"]
    title = source["title"]
    description = source.get("description") or {}
    location = source["location"]
    optional: dict[str, Any] = {}
    if point is not None:
        optional["distance_m"] = round(haversine_m(*point, location["lat"], location["lon"]), 1)
    if "highlight" in hit:
        optional["highlight"] = snippets(hit)
    return ProductResult(
        id=source["id"],
        title=Name(bn=title["bn"], en=title.get("en")),
        description=LocalizedText(bn=description.get("bn"), en=description.get("en")),
        category=category_label("product", source["category"]),
        price_bdt=source["price_bdt"],
        in_stock=source["in_stock"],
        status="sold" if source.get("status") == "sold" else "active",
        upazila=upazila_label(source["upazila"]),
        seller_id=source["seller_id"],
        location=Point(lat=location["lat"], lon=location["lon"]),
        attributes=source.get("attributes", {}),
        livestock=livestock_facts(source["livestock"], source.get("price_per_kg"))
        if source.get("livestock")
        else None,
        seller=None,  # the seller's card, joined in by sellers/run.py (SellerCards)
        updated_at=source.get("updated_at"),
        **optional,
    )


def _bands(
    aggregation: dict[str, Any], bands: Sequence[tuple[str, float | None, float | None]]
) -> list[Band]:
    """Every band, empty ones too, so a frontend can draw a stable list; `to` is exclusive."""
    counts = {bucket["key"]: bucket["doc_count"] for bucket in aggregation.get("buckets", [])}
    return [
        Band(label=label, from_=start or 0, to=end, count=counts.get(label, 0)) for label, start, end in bands
    ]


def livestock_facets(aggregations: dict[str, Any]) -> LivestockFacets:
    """The cattle market's facets: animals, breeds, sexes, haat or farm, and every live-weight band."""
    market = livestock()
    return LivestockFacets(
        animal=labelled_counts(aggregations.get("animal", {}), market.animals),
        breed=labelled_counts(aggregations.get("breed", {}), market.breeds),
        sex=labelled_counts(aggregations.get("sex", {}), market.sexes),
        seen_at=labelled_counts(aggregations.get("seen_at", {}), market.seen_at_kinds),
        live_weight=_bands(aggregations.get("live_weight", {}), market.weight_bands_kg),
    )


def facets(aggregations: dict[str, Any]) -> Facets:
    """Facets over every match; the cattle market's only when the body asked for them (animals in view)."""
    return Facets(
        category=labelled_counts(aggregations.get("category", {}), taxonomy().product_categories),
        price=_bands(aggregations.get("price", {}), PRICE_BANDS),
        **({"livestock": livestock_facets(aggregations)} if "animal" in aggregations else {}),
    )


def page_of(hits: list[dict[str, Any]], limit: int) -> tuple[list[dict[str, Any]], bool]:
    """The hits of a page asked for with size=limit+1, and whether the extra one proves a next page."""
    page = hits[:limit]
    return page, len(hits) > limit and bool(page)


def next_cursor(page: list[dict[str, Any]], more: bool, fingerprint: str, tier: int) -> str | None:
    return encode_cursor(page[-1]["sort"], fingerprint, tier) if more else None
