"""Product titles that start with what was typed: one engine body. Pure.

The index keeps edge n-grams of titles (`suggest`, Bangla text; `suggest_key`, Banglish keys), so a
plain `match` is a prefix search with no wildcard or match_phrase_prefix expansion to pay for.
"""

from __future__ import annotations

from typing import Any

from search.suggest.request import TypedText

PRODUCT_SOURCE = ["id", "title"]


def product_suggest_body(q: str, *, limit: int) -> dict[str, Any] | None:
    """Engine body for product titles starting with the input, or None when there is nothing to match."""
    typed = TypedText.of(q)
    if not typed.text:
        return None
    if typed.bangla:
        clauses = [{"match": {"suggest": {"query": typed.text, "operator": "and"}}}]
    else:
        # The key meets Bangla-script titles ("gor" → গরু); the plain text meets English titles even
        # where a half-typed word folds differently from the whole one ("ambulanc").
        clauses = [{"match": {"suggest": {"query": typed.text, "operator": "and"}}}]
        if typed.key:
            clauses.insert(0, {"match": {"suggest_key": {"query": typed.key, "operator": "and"}}})
    return {
        "size": min(limit * 3, 60),  # room to drop repeated titles
        "track_total_hits": False,
        "query": {
            "bool": {
                "filter": [
                    {"term": {"deleted": False}},
                    {"term": {"status": "active"}},
                    {"term": {"in_stock": True}},
                ],
                "should": clauses,
                "minimum_should_match": 1,
            }
        },
        "sort": ["_score", {"id": "asc"}],
        "_source": PRODUCT_SOURCE,
    }
