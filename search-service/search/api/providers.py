"""GET /v1/providers/nearest — the nearest available providers, nearest first."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from portal.api_docs import error_responses
from portal.contracts import taxonomy
from search.api.errors import BadParameter
from search.queries.providers import NearestQuery, nearest_providers_body
from search.queries.understanding import understand
from search.results import provider_result

router = APIRouter(prefix="/v1", tags=["providers"], responses=error_responses(422, 429, 503))

BloodGroup = Literal["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"]


@router.get("/providers/nearest", summary="Nearest available providers, nearest first")
async def nearest_providers(
    request: Request,
    lat: Annotated[float, Query(ge=-90, le=90, description="Latitude of the citizen (WGS84)")],
    lon: Annotated[float, Query(ge=-180, le=180, description="Longitude of the citizen (WGS84)")],
    category: Annotated[
        str | None, Query(max_length=40, description="Provider category slug, see /v1/categories")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Free text: Bangla, Banglish or English")
    ] = None,
    radius_km: Annotated[float, Query(gt=0, le=100, description="Search radius in km")] = 10,
    available_now: Annotated[bool, Query(description="Only providers who can be reached right now")] = True,
    blood_group: Annotated[BloodGroup | None, Query(description="Blood group (blood donors)")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    sort: Annotated[Literal["distance", "relevance"], Query(description="relevance needs q")] = "distance",
) -> dict:
    if category is not None and category not in taxonomy().provider_categories:
        raise BadParameter("category", f"unknown category {category!r}; see /v1/categories for the list")
    state = request.app.state
    now = state.clock()
    params = NearestQuery(
        lat=lat, lon=lon, category=category, q=q, radius_km=radius_km, available_now=available_now,
        blood_group=blood_group, limit=limit, sort=sort,
    )  # fmt: skip
    understanding = understand(q, "provider") if q and q.strip() else None
    if understanding and understanding.blood_group and blood_group is None:
        params = replace(params, blood_group=understanding.blood_group)  # "o+ blood" means blood_group=O+
    body = nearest_providers_body(
        params,
        now=now,
        eligibility_days=state.settings.blood_donation_eligibility_days,
        understanding=understanding,
    )
    response = await state.engine.search("providers", body)
    distance_at = 1 if body["sort"][0] == "_score" else 0
    hits = response["hits"]["hits"]
    return {
        "total": response["hits"]["total"]["value"],
        "results": [provider_result(hit, now=now, distance_at=distance_at) for hit in hits],
        "query": {
            "categories": list(understanding.categories) if understanding else [],
            "at": now.isoformat(),
        },
    }
