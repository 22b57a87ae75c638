"""What every search may return and ask for: live documents of the district this deployment serves only
(no tombstones; for products, only those on sale), and categories the taxonomy knows. Pure.

One cluster can hold several districts (documents carry theirs); a search-service answers within its
DISTRICT. Documents indexed before they carried a district are the default district's.

Each endpoint's request model checks its `category` with `known_category`, and each body starts from
`live_filters`, so a category a citizen taps is never empty for reasons they cannot see.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from portal.contracts import configured_district, taxonomy
from portal.settings import PortalSettings

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


def in_district(district: str) -> dict[str, Any]:
    """The documents of a district: those that say so, and for the default district also those indexed
    before documents carried one."""
    theirs = {"term": {"district": district}}
    if district != PortalSettings.model_fields["district"].default:
        return theirs
    older = {"bool": {"must_not": [{"exists": {"field": "district"}}]}}
    return {"bool": {"should": [theirs, older], "minimum_should_match": 1}}


def live_filters(kind: str) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = [{"term": {"deleted": False}}, in_district(configured_district())]
    if kind == "product":
        clauses.append({"term": {"status": "active"}})
    return clauses
