"""GET /v1/suggest — completions from the first character: categories first, then product titles."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from portal.api_docs import error_responses
from search.answers.suggestions import Suggestions
from search.api.query_model import query_parameters, read_query
from search.product_results import product_suggestion
from search.queries.suggest import (
    SuggestQuery,
    TypedText,
    category_suggestions,
    merge_suggestions,
    product_suggest_body,
)

router = APIRouter(prefix="/v1", tags=["suggest"], responses=error_responses(422, 429, 503))


@router.get(
    "/suggest",
    response_model=Suggestions,
    openapi_extra=query_parameters(SuggestQuery),
    summary="As-you-type suggestions in Bangla or Latin script",
)
async def suggest(request: Request) -> Suggestions:
    params = read_query(SuggestQuery, request)
    categories = category_suggestions(params.q, limit=params.limit)
    products: list[dict[str, Any]] = []
    body = product_suggest_body(params.q, limit=params.limit)
    if body is not None:
        response = await request.app.state.engine.search("products", body)
        typed = TypedText.of(params.q)
        products = [product_suggestion(hit, typed=typed) for hit in response["hits"]["hits"]]
    merged = merge_suggestions(categories, products, limit=params.limit)
    return Suggestions.model_validate({"q": params.q, "suggestions": merged})
