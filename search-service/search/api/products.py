"""GET /v1/products/search — products on sale, by words in any script, filters, facets and a cursor."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from portal.api_docs import error_responses
from portal.contracts import taxonomy
from portal.search_log import search_log_event
from search.api.errors import BadParameter
from search.product_search import search_products as answer_products
from search.queries.cursor import MAX_CURSOR_CHARS, InvalidCursor
from search.queries.products import InvalidProductQuery, ProductQuery, Sort

router = APIRouter(prefix="/v1", tags=["products"], responses=error_responses(422, 429, 503))

MAX_PRICE_BDT = 1_000_000_000


@router.get("/products/search", summary="Search products on sale, with facets and cursor paging")
async def search_products(
    request: Request,
    q: Annotated[
        str | None, Query(max_length=200, description="Free text: Bangla, Banglish or English")
    ] = None,
    category: Annotated[
        str | None, Query(max_length=40, description="Product category slug, see /v1/categories")
    ] = None,
    min_price: Annotated[float | None, Query(ge=0, le=MAX_PRICE_BDT, description="BDT, inclusive")] = None,
    max_price: Annotated[float | None, Query(ge=0, le=MAX_PRICE_BDT, description="BDT, inclusive")] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, description="Latitude (WGS84), with lon")] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180, description="Longitude (WGS84), with lat")] = None,
    radius_km: Annotated[
        float | None, Query(gt=0, le=100, description="Only with lat/lon; 10 km when omitted")
    ] = None,
    in_stock: Annotated[bool, Query(description="false also lists products out of stock")] = True,
    sort: Annotated[
        Sort,
        Query(
            description="distance needs lat/lon; relevance without q is newest; "
            "price_per_kg_* lists livestock with a live weight"
        ),
    ] = "relevance",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[
        str | None, Query(max_length=MAX_CURSOR_CHARS, description="next_cursor of the previous page")
    ] = None,
    seller: Annotated[
        str | None, Query(max_length=128, description="A seller id: search within that storefront")
    ] = None,
    animal: Annotated[
        str | None, Query(max_length=40, description="Livestock: cow, bull, goat, buffalo or sheep")
    ] = None,
    breed: Annotated[
        str | None,
        Query(max_length=40, description="Livestock: a breed slug (schemas/livestock.json), e.g. sahiwal"),
    ] = None,
    sex: Annotated[
        str | None, Query(max_length=40, description="Livestock: male, female or castrated")
    ] = None,
    seen_at: Annotated[
        str | None, Query(max_length=40, description="Livestock: haat (cattle market) or farm")
    ] = None,
    min_weight_kg: Annotated[
        float | None, Query(gt=0, le=2000, description="Livestock: live weight, kg")
    ] = None,
    max_weight_kg: Annotated[
        float | None, Query(gt=0, le=2000, description="Livestock: live weight, kg")
    ] = None,
    min_age_months: Annotated[int | None, Query(ge=0, le=360, description="Livestock: age in months")] = None,
    max_age_months: Annotated[int | None, Query(ge=0, le=360, description="Livestock: age in months")] = None,
) -> dict[str, Any]:
    if category is not None and category not in taxonomy().product_categories:
        raise BadParameter("category", f"unknown category {category!r}; see /v1/categories for the list")
    params = ProductQuery(
        q=q,
        category=category,
        min_price=min_price,
        max_price=max_price,
        lat=lat,
        lon=lon,
        radius_km=radius_km,
        in_stock=in_stock,
        sort=sort,
        limit=limit,
        seller=seller,
        animal=animal,
        breed=breed,
        sex=sex,
        seen_at=seen_at,
        min_weight_kg=min_weight_kg,
        max_weight_kg=max_weight_kg,
        min_age_months=min_age_months,
        max_age_months=max_age_months,
    )
    state = request.app.state
    started = time.perf_counter()
    understanding = await state.query_reader.understand(q, "product")
    try:
        body = await answer_products(state.engine, params, understanding, cursor)
    except InvalidProductQuery as e:
        raise BadParameter(e.parameter, e.message) from e
    except InvalidCursor as e:
        raise BadParameter("cursor", str(e)) from e
    if cursor is None:  # a search, not the next page of one
        state.query_log.record(
            search_log_event(
                endpoint="products",
                q=q,
                category=category,
                answer=body,
                at=state.clock(),
                point=(lat, lon),
                latency_ms=(time.perf_counter() - started) * 1000,
            )
        )
    return body
