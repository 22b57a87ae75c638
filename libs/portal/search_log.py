"""The search log: what citizens searched for and what came back, as events on Kafka topic `search_log`.

search-service publishes one event per provider or product search (search/query_log.py); ingest-service
indexes them into daily `search_log-*` indices (ingest/search_log_sink.py), and the report (`make
report`, GET /v1/reports/searches) lists top, zero-result and relaxed queries. No personal data leaves the
request: the point becomes at most the upazila it lies in.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from portal.bangla.normalize import normalize_text
from portal.contracts import taxonomy
from portal.geo import haversine_m

SEARCH_LOG_TOPIC = "search_log"
#: A search point farther than this from every upazila centre is "outside" the district.
AREA_KM = 30.0


def q_norm(q: str) -> str:
    """The query as the report groups it: NFC, lower case, single spaces."""
    return " ".join(normalize_text(q).lower().split())[:200]


def area_of(lat: float | None, lon: float | None) -> str | None:
    """The upazila whose centre is nearest the point (coarse: never the point itself)."""
    if lat is None or lon is None:
        return None
    nearest = min(taxonomy().upazilas.values(), key=lambda u: haversine_m(lat, lon, u.lat, u.lon))
    return nearest.slug if haversine_m(lat, lon, nearest.lat, nearest.lon) <= AREA_KM * 1000 else "outside"


def search_log_event(
    *,
    endpoint: str,
    q: str | None,
    category: str | None,
    answer: Mapping[str, Any],
    latency_ms: float,
    at: datetime,
    point: tuple[float | None, float | None] = (None, None),
    available_now: bool | None = None,
) -> dict[str, Any]:
    """The event for one answered search (`answer`: the response body the client got)."""
    query = answer.get("query", {})
    place = query.get("place")
    return {
        "event_id": str(uuid.uuid4()),
        "at": at.isoformat(),
        "endpoint": endpoint,
        "q": normalize_text(q or "")[:200],
        "category": category,
        "understood": {
            "categories": list(query.get("categories", []))[:30],
            "place": place.get("slug") if isinstance(place, Mapping) else None,
            "blood_group": query.get("blood_group"),
            "ignored_words": [w[:200] for w in query.get("ignored_words", [])][:60],
            "relaxed": bool(query.get("relaxed", False)),
        },
        "results": int(answer.get("total", 0)),
        "returned": len(answer.get("results", [])),
        "closed_nearby": len(answer.get("closed_nearby", []) or []),
        "available_now": available_now,
        "latency_ms": round(latency_ms, 2),
        "area": area_of(*point),
    }
