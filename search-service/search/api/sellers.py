"""GET /v1/sellers/nearest and GET /v1/sellers/{id_or_slug} — storefronts, the free shops of the portal.

A storefront's products are searched with GET /v1/products/search?seller=<id> (every filter, sort and
cursor of product search works there).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from portal.api_docs import error_responses
from portal.api_errors import error_response
from portal.contracts import taxonomy
from search.api.errors import BadParameter
from search.queries.sellers import NearestSellersQuery
from search.storefront_models import NearestStorefronts, Storefront
from search.storefronts import find_storefront, nearest_storefronts

router = APIRouter(prefix="/v1", tags=["storefronts"], responses=error_responses(422, 429, 503))


@router.get(
    "/sellers/nearest",
    response_model=NearestStorefronts,
    summary="Storefronts near a point, nearest first, optionally selling one category",
)
async def nearest_sellers(
    request: Request,
    lat: Annotated[float, Query(ge=-90, le=90, description="Latitude of the buyer (WGS84)")],
    lon: Annotated[float, Query(ge=-180, le=180, description="Longitude of the buyer (WGS84)")],
    category: Annotated[
        str | None, Query(max_length=40, description="Product category slug, see /v1/categories")
    ] = None,
    radius_km: Annotated[float, Query(gt=0, le=100, description="Search radius in km")] = 10,
    verified: Annotated[
        bool | None, Query(description="true: only storefronts the administration has checked")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> NearestStorefronts:
    if category is not None and category not in taxonomy().product_categories:
        raise BadParameter("category", f"unknown category {category!r}; see /v1/categories for the list")
    params = NearestSellersQuery(
        lat=lat, lon=lon, category=category, radius_km=radius_km, verified=verified, limit=limit
    )
    return await nearest_storefronts(request.app.state.engine, params)


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
