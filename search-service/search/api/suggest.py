"""GET /v1/suggest — completions from the first character: categories first, then product titles."""

from __future__ import annotations

from fastapi import Request, Response

from search.answers.json_answer import json_answer
from search.api.query_model import read_query
from search.api.route import query_route, search_router
from search.suggest.answer import Suggestions
from search.suggest.request import SuggestQuery
from search.suggest.run import suggestions

router = search_router("suggest")
SUMMARY = "As-you-type suggestions in Bangla or Latin script"


@query_route(router, "/suggest", reads=SuggestQuery, answers=Suggestions, summary=SUMMARY)
async def suggest(request: Request) -> Response:
    return json_answer(await suggestions(request.app.state.engine, read_query(SuggestQuery, request)))
