"""What unit tests look for in engine request bodies: no query syntax a user's words could drive."""

from __future__ import annotations

from typing import Any

from search.products.bodies import product_search_body
from search.products.request import ProductQuery
from search.understanding.understanding import understand

#: Queries that parse user text as syntax or expand it unboundedly: none of our bodies may use them.
QUERY_SYNTAX = {
    "query_string", "simple_query_string", "wildcard", "regexp", "fuzzy", "prefix",
    "match_phrase_prefix", "script", "script_score", "intervals",
}  # fmt: skip


def walk_keys(node: Any) -> set[str]:
    """Every dict key anywhere in the body."""
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in walk_keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in walk_keys(v)}
    return set()


def filters_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The filter clauses of a body's top-level bool query."""
    filters: list[dict[str, Any]] = body["query"]["bool"]["filter"]
    return filters


def product_body(params: ProductQuery, cursor: str | None = None) -> dict[str, Any]:
    """The first tier's body for these parameters, its words read as search-service reads them."""
    understanding = understand(params.q, "product") if params.q else None
    if cursor is not None:
        params = params.model_copy(update={"cursor": cursor})
    return product_search_body(params, understanding=understanding)
