"""GET /v1/providers/nearest — the nearest available providers, nearest first."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from portal.api_docs import error_responses
from search.answers.json_answer import json_answer
from search.api.query_model import query_parameters
from search.api.search_request import SearchRequest
from search.providers.answer import NearestProviders
from search.providers.request import NearestQuery
from search.providers.run import nearest_providers as answer

router = APIRouter(prefix="/v1", tags=["providers"], responses=error_responses(422, 429, 503))


@router.get(
    "/providers/nearest",
    response_model=NearestProviders,
    response_model_exclude_unset=True,
    openapi_extra=query_parameters(NearestQuery),
    summary="Nearest available providers, nearest first",
)
async def nearest_providers(request: Request) -> Response:
    search, params = SearchRequest.read(NearestQuery, request)
    days = search.settings.blood_donation_eligibility_days
    found = await answer(search.engine, search.reader, params, now=search.at, eligibility_days=days)
    search.logged("providers", params, found)
    return json_answer(found)
