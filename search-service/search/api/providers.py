"""GET /v1/providers/nearest — the nearest available providers, nearest first."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request

from portal.api_docs import error_responses
from search.api.query_model import query_parameters, read_query
from search.providers.answer import NearestProviders
from search.providers.request import NearestQuery
from search.providers.run import nearest_providers as answer

router = APIRouter(prefix="/v1", tags=["providers"], responses=error_responses(422, 429, 503))


@router.get(
    "/providers/nearest",
    response_model_exclude_unset=True,
    openapi_extra=query_parameters(NearestQuery),
    summary="Nearest available providers, nearest first",
)
async def nearest_providers(request: Request) -> NearestProviders:
    params = read_query(NearestQuery, request)
    state = request.app.state
    started, now = time.perf_counter(), state.clock()
    understanding = await state.query_reader.understand(params.q, "provider")
    days = state.settings.blood_donation_eligibility_days
    body = await answer(state.engine, params, understanding, now=now, eligibility_days=days)
    state.query_log.searched("providers", params, body, at=now, started=started, scope=request.scope)
    return body
