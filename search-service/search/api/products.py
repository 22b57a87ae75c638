"""GET /v1/products/search — products on sale, by words in any script, filters, facets and a cursor."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request

from portal.api_docs import error_responses
from search.api.errors import BadParameter
from search.api.query_model import query_parameters, read_query
from search.products.answer import ProductsPage
from search.products.cursor import InvalidCursor
from search.products.request import InvalidProductQuery, ProductQuery
from search.products.run import search_products as answer_products

router = APIRouter(prefix="/v1", tags=["products"], responses=error_responses(422, 429, 503))


@router.get(
    "/products/search",
    response_model_exclude_unset=True,
    openapi_extra=query_parameters(ProductQuery),
    summary="Search products on sale, with facets and cursor paging",
)
async def search_products(request: Request) -> ProductsPage:
    params = read_query(ProductQuery, request)
    state = request.app.state
    started = time.perf_counter()
    understanding = await state.query_reader.understand(params.q, "product")
    try:
        page = await answer_products(state.engine, params, understanding)
    except InvalidProductQuery as e:
        raise BadParameter(e.parameter, e.message) from e
    except InvalidCursor as e:
        raise BadParameter("cursor", str(e)) from e
    if params.cursor is None:  # a search, not the next page of one
        state.query_log.searched(
            "products", params, page, at=state.clock(), started=started, scope=request.scope
        )
    return page
