"""/v1/reports/searches: the search report (ingest/search_report.py) for clerks and ops, with a key
that has the `reports` scope."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from ingest.answers import SearchReport
from ingest.api.auth import need
from ingest.config import IngestSettings
from ingest.engine import EngineUnavailable
from ingest.search_report import MAX_LIMIT, InvalidWindow, search_report, window
from portal.api_docs import error_responses
from portal.api_errors import error_response
from portal.clock import now_dhaka

router = APIRouter(prefix="/v1/reports", tags=["reports"], dependencies=[Depends(need("reports"))])


@router.get(
    "/searches",
    summary="Top, zero-result and relaxed searches over a time window",
    response_model=SearchReport,
    response_model_exclude_unset=True,
    responses=error_responses(401, 403, 422, 503),
)
async def searches_report(
    request: Request,
    since: Annotated[str, Query(max_length=40, description="24h, 7d or an ISO time")] = "7d",
    until: Annotated[str | None, Query(max_length=40, description="an ISO time; default now")] = None,
    endpoint: Annotated[Literal["providers", "products"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> SearchReport | Response:
    try:
        start, end = window(since, until, now=now_dhaka())
    except InvalidWindow as e:
        return error_response(
            422,
            "invalid_parameters",
            f"{e.parameter}: {e.message}",
            [{"parameter": e.parameter, "message": e.message}],
        )
    try:
        settings: IngestSettings = request.app.state.settings
        report = await search_report(
            request.app.state.engine,
            start,
            end,
            endpoint=endpoint,
            limit=limit,
            min_clients=settings.search_report_min_clients,
        )
    except EngineUnavailable:
        return error_response(
            503, "engine_unavailable", "The search engine is not reachable; try again later."
        )
    return SearchReport.model_validate(report)
