"""Nearest-available-provider query: request parameters → an OpenSearch request body. Pure.

"Available now" is decided inside the engine so that `total` and `limit` count only the right people:
the provider's own toggle, the current minute of the week inside one of its opening ranges (indexed by
ingest as an integer_range), and for blood donors a last donation at least the eligibility window ago.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from portal.clock import minute_of_week, to_dhaka
from search.queries.text import text_clauses
from search.queries.understanding import Understanding

PROVIDER_SOURCE = [
    "id", "name", "category", "phone", "phone_public", "location", "address", "upazila",
    "available", "hours", "blood_group", "last_donation_date", "rating",
]  # fmt: skip


@dataclass(frozen=True)
class NearestQuery:
    lat: float
    lon: float
    category: str | None = None
    q: str | None = None
    radius_km: float = 10.0
    available_now: bool = True
    blood_group: str | None = None
    limit: int = 10
    sort: str = "distance"  # or "relevance" (only with q)


def available_now_filters(now: datetime, eligibility_days: int) -> list[dict[str, Any]]:
    local = to_dhaka(now)
    eligible_before = (local - timedelta(days=eligibility_days)).date().isoformat()
    return [
        {"term": {"available": True}},
        {"term": {"open_minutes": minute_of_week(local)}},
        {
            "bool": {
                "should": [
                    {"bool": {"must_not": {"term": {"category": "blood_donor"}}}},
                    {"bool": {"must_not": {"exists": {"field": "last_donation_date"}}}},
                    {"range": {"last_donation_date": {"lte": eligible_before}}},
                ],
                "minimum_should_match": 1,
            }
        },
    ]


def nearest_providers_body(
    params: NearestQuery,
    *,
    now: datetime,
    eligibility_days: int,
    understanding: Understanding | None = None,
) -> dict[str, Any]:
    point = {"lat": params.lat, "lon": params.lon}
    filters: list[dict[str, Any]] = [
        {"term": {"deleted": False}},
        {"geo_distance": {"distance": f"{params.radius_km}km", "location": point}},
    ]
    if params.category:
        filters.append({"term": {"category": params.category}})
    if params.blood_group:
        filters.append({"term": {"blood_group": params.blood_group}})
    if params.available_now:
        filters.extend(available_now_filters(now, eligibility_days))
    must: list[dict[str, Any]] = []
    if understanding is not None and understanding.key_tokens:
        text_filter, scoring = text_clauses(understanding, entity="provider")
        filters.extend(text_filter)
        must.extend(scoring)
    by_distance = {"_geo_distance": {"location": point, "order": "asc", "unit": "m", "distance_type": "arc"}}
    if params.sort == "relevance" and must:
        sort: list[Any] = ["_score", by_distance, {"id": "asc"}]
    else:
        sort = [by_distance, {"id": "asc"}]
    return {
        "size": params.limit,
        "track_total_hits": True,
        "query": {"bool": {"filter": filters, "must": must or [{"match_all": {}}]}},
        "sort": sort,
        "_source": PROVIDER_SOURCE,
    }
