"""GET /v1/sellers/nearest and GET /v1/sellers/{id_or_slug} — storefronts, the free shops of the portal.

A storefront's products are searched with GET /v1/products/search?seller=<id> (every filter, sort and
cursor of product search works there).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import JSONResponse, Response

from portal.api_docs import error_responses
from portal.api_errors import error_response
from search.answers.json_answer import json_answer
from search.api.query_model import read_query
from search.api.route import query_route, search_router
from search.sellers.answer import NearestStorefronts, Storefront
from search.sellers.request import NearestSellersQuery
from search.sellers.run import find_storefront, nearest_storefronts

router = search_router("storefronts")
NEAREST = "Storefronts near a point, nearest first, optionally selling one category"


@query_route(
    router, "/sellers/nearest", reads=NearestSellersQuery, answers=NearestStorefronts, summary=NEAREST
)
async def nearest_sellers(request: Request) -> Response:
    query = read_query(NearestSellersQuery, request)
    return json_answer(await nearest_storefronts(request.app.state.engine, query))


@router.get(
    "/sellers/{id_or_slug}",
    response_model=Storefront,
    responses=error_responses(404),
    summary="One storefront by id or slug, with its live products per category",
)
async def seller(
    request: Request,
    id_or_slug: Annotated[
        str, Path(min_length=1, max_length=128, description="The seller's id, or its storefront slug")
    ],
) -> Storefront | JSONResponse:
    found = await find_storefront(request.app.state.engine, id_or_slug)
    if found is None:
        return error_response(
            404,
            "not_found",
            f"no storefront {id_or_slug!r}: it does not exist or was closed",
            [{"parameter": "id_or_slug", "message": "no live seller has this id or slug"}],
        )
    return found
