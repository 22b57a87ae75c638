"""How a search route is declared, once: its router (under /v1, one tag, the errors any search may
answer) and its GET, documented from the request model it reads (query_model.py) and the answer model
it returns. A route module then says only what is its own: path, models, summary and what it calls.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from fastapi.types import DecoratedCallable
from pydantic import BaseModel

from portal.api_docs import error_responses
from search.api.query_model import query_parameters

#: Where every route of the API is (the docs, health and metrics are not under it).
API_PREFIX = "/v1"
#: What any search may answer besides its own answer: bad parameters, too many requests, engine away.
SEARCH_ERRORS = (422, 429, 503)


def search_router(tag: str, errors: tuple[int, ...] = SEARCH_ERRORS) -> APIRouter:
    """The router of one endpoint's routes, listed in the API docs under `tag`."""
    return APIRouter(prefix=API_PREFIX, tags=[tag], responses=error_responses(*errors))


def query_route(
    router: APIRouter, path: str, *, reads: type[BaseModel], answers: type[BaseModel], summary: str
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """GET `path` on `router`: its query string read into `reads` (query_model.read_query), its answer
    documented as `answers`, every field of `reads` listed as a query parameter."""
    return router.get(path, response_model=answers, openapi_extra=query_parameters(reads), summary=summary)
