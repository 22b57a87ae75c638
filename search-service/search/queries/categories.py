"""The taxonomy as frontends list it, with how many live providers or products each category has. Pure.

Counts come from one terms aggregation per index over live documents only (no tombstones; for
products, only those on sale), so a category a citizen taps is not empty for reasons they cannot see.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from portal.contracts import Category, taxonomy

INDEX_FOR_KIND = {"provider": "providers", "product": "products"}


def known_category(slug: str | None, kind: str) -> str | None:
    """`slug` when it names a category of `kind` ("provider" or "product"); a request model's check."""
    if slug is not None and slug not in taxonomy().categories(kind):
        raise PydanticCustomError(
            "unknown_category",
            "unknown category {category}; see /v1/categories for the list",
            {"category": repr(slug)},
        )
    return slug


def live_filters(kind: str) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = [{"term": {"deleted": False}}]
    if kind == "product":
        clauses.append({"term": {"status": "active"}})
    return clauses


def category_counts_body(kind: str) -> dict[str, Any]:
    """Engine body counting live documents of `kind` ("provider" or "product") per category."""
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"filter": live_filters(kind)}},
        "aggs": {
            "by_category": {
                "terms": {"field": "category", "size": max(len(taxonomy().categories(kind)), 1) + 50}
            }
        },
    }


def counts_from(response: dict[str, Any]) -> dict[str, int]:
    buckets = response.get("aggregations", {}).get("by_category", {}).get("buckets", [])
    return {bucket["key"]: bucket["doc_count"] for bucket in buckets}


def category_entry(category: Category, count: int | None) -> dict[str, Any]:
    return {
        "slug": category.slug,
        "bn": category.bn,
        "en": category.en,
        "icon": category.icon,
        "aliases": list(category.aliases),
        "items": [{"bn": bn, "en": en} for bn, en in category.items],
        "count": count,
    }


def taxonomy_listing(counts: dict[str, dict[str, int]] | None) -> dict[str, Any]:
    """Both category lists in taxonomy order; `count` is null for a kind whose counts are unknown."""
    listing: dict[str, Any] = {}
    for kind in ("provider", "product"):
        kind_counts = (counts or {}).get(kind)
        listing[f"{kind}_categories"] = [
            category_entry(c, kind_counts.get(c.slug, 0) if kind_counts is not None else None)
            for c in taxonomy().categories(kind).values()
        ]
    return listing
