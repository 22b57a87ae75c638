"""GET /v1/products/search — products on sale, by words in any script, filters, facets and a cursor."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from portal.api_docs import error_responses
from search.answers.json_answer import json_answer
from search.api.query_model import query_parameters
from search.api.search_request import SearchRequest
from search.products.answer import ProductsPage
from search.products.request import ProductQuery
from search.products.run import search_products as answer

router = APIRouter(prefix="/v1", tags=["products"], responses=error_responses(422, 429, 503))


@router.get(
    "/products/search",
    response_model=ProductsPage,
    response_model_exclude_unset=True,
    openapi_extra=query_parameters(ProductQuery),
    summary="Search products on sale, with facets and cursor paging",
)
async def search_products(request: Request) -> Response:
    search, params = SearchRequest.read(ProductQuery, request)
    page = await answer(search.engine, search.reader, params)
    if params.cursor is None:  # not a next page
        search.logged("products", params, page)
    return json_answer(page)
