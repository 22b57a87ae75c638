"""GET /v1/providers/nearest — the nearest available providers, nearest first."""

from __future__ import annotations

from fastapi import Request, Response

from search.answers.json_answer import json_answer
from search.api.route import query_route, search_router
from search.api.search_request import SearchRequest
from search.providers.answer import NearestProviders
from search.providers.request import NearestQuery
from search.providers.run import nearest_providers as answer

router = search_router("providers")
SUMMARY = "Nearest available providers, nearest first"


@query_route(router, "/providers/nearest", reads=NearestQuery, answers=NearestProviders, summary=SUMMARY)
async def nearest_providers(request: Request) -> Response:
    search, params = SearchRequest.read(NearestQuery, request)
    days = search.settings.blood_donation_eligibility_days
    open_map = request.app.state.open_maps.at(search.at)
    found = await answer(
        search.engine, search.reader, params, now=search.at, eligibility_days=days, open_map=open_map
    )
    search.logged("providers", params, found)
    return json_answer(found)
