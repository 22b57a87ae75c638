"""GET /v1/products/search — products on sale, by words in any script, filters, facets and a cursor."""

from __future__ import annotations

from fastapi import Request, Response

from search.answers.json_answer import json_answer
from search.api.route import query_route, search_router
from search.api.search_request import SearchRequest
from search.products.answer import ProductsPage
from search.products.request import ProductQuery
from search.products.run import search_products as answer

router = search_router("products")
SUMMARY = "Search products on sale, with facets and cursor paging"


@query_route(router, "/products/search", reads=ProductQuery, answers=ProductsPage, summary=SUMMARY)
async def search_products(request: Request) -> Response:
    search, params = SearchRequest.read(ProductQuery, request)
    page = await answer(search.engine, search.reader, params)
    if params.cursor is None:  # not a next page
        search.logged("products", params, page)
    return json_answer(page)
