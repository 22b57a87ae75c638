"""The taxonomy as frontends list it, with how many live providers or products each category has. Pure.

Counts come from one terms aggregation per index over live documents only (queries/live.py).
"""

from __future__ import annotations

from typing import Any

from portal.contracts import Category, taxonomy
from search.queries.live import live_filters


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
