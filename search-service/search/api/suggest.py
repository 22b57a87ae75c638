"""GET /v1/suggest — completions from the first character: categories first, then product titles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from portal.api_docs import error_responses
from search.product_results import product_suggestion
from search.queries.suggest import (
    TypedText,
    category_suggestions,
    merge_suggestions,
    product_suggest_body,
)

router = APIRouter(prefix="/v1", tags=["suggest"], responses=error_responses(422, 429, 503))


@router.get("/suggest", summary="As-you-type suggestions in Bangla or Latin script")
async def suggest(
    request: Request,
    q: Annotated[str, Query(max_length=100, description="What has been typed so far, in any script")],
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
) -> dict[str, Any]:
    categories = category_suggestions(q, limit=limit)
    products: list[dict[str, Any]] = []
    body = product_suggest_body(q, limit=limit)
    if body is not None:
        response = await request.app.state.engine.search("products", body)
        typed = TypedText.of(q)
        products = [product_suggestion(hit, typed=typed) for hit in response["hits"]["hits"]]
    return {"q": q, "suggestions": merge_suggestions(categories, products, limit=limit)}
