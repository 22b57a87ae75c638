"""GET /v1/providers/nearest — the nearest available providers, nearest first."""

from __future__ import annotations

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from portal.api_docs import error_responses
from portal.contracts import taxonomy
from portal.search_log import search_log_event
from search.api.errors import BadParameter
from search.nearest_providers import nearest_providers as answer
from search.queries.providers import NearestQuery

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
        str | None,
        Query(
            max_length=200,
            description="Free text: Bangla, Banglish or English — a trade, a need, a place, a blood group",
        ),
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
    started, now = time.perf_counter(), state.clock()
    params = NearestQuery(
        lat=lat,
        lon=lon,
        category=category,
        q=q,
        radius_km=radius_km,
        available_now=available_now,
        blood_group=blood_group,
        limit=limit,
        sort=sort,
    )
    understanding = await state.query_reader.understand(q, "provider")
    body = await answer(
        state.engine,
        params,
        understanding,
        now=now,
        eligibility_days=state.settings.blood_donation_eligibility_days,
    )
    state.query_log.record(
        search_log_event(
            endpoint="providers",
            q=q,
            category=category,
            answer=body,
            at=now,
            point=(lat, lon),
            latency_ms=(time.perf_counter() - started) * 1000,
            available_now=available_now,
        )
    )
    return body
