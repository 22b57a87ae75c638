"""What unit tests look for in engine request bodies: no query syntax a user's words could drive."""

from __future__ import annotations

from typing import Any

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
