"""GET /v1/suggest — completions from the first character: categories first, then product titles."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from portal.api_docs import error_responses
from search.answers.json_answer import json_answer
from search.api.query_model import query_parameters, read_query
from search.suggest.answer import Suggestions
from search.suggest.request import SuggestQuery
from search.suggest.run import suggestions

router = APIRouter(prefix="/v1", tags=["suggest"], responses=error_responses(422, 429, 503))


@router.get(
    "/suggest",
    response_model=Suggestions,
    openapi_extra=query_parameters(SuggestQuery),
    summary="As-you-type suggestions in Bangla or Latin script",
)
async def suggest(request: Request) -> Response:
    return json_answer(await suggestions(request.app.state.engine, read_query(SuggestQuery, request)))
