"""What every search may return and ask for: live documents only (no tombstones; for products, only
those on sale), and categories the taxonomy knows. Pure.

Each endpoint's request model checks its `category` with `known_category`, and each body starts from
`live_filters`, so a category a citizen taps is never empty for reasons they cannot see.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from portal.contracts import taxonomy

#: The index each kind of document lives in.
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
