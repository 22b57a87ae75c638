"""The suggestions for what has been typed: categories matched in Python, product titles in one engine
search, merged. I/O."""

from __future__ import annotations

from typing import Any

from search.engine import SearchEngine
from search.suggest.bodies import product_suggest_body
from search.suggest.categories import category_suggestions
from search.suggest.request import SuggestQuery, TypedText
from search.suggest.results import merge_suggestions, product_suggestion


async def suggestions(engine: SearchEngine, params: SuggestQuery) -> dict[str, Any]:
    """The JSON of the `Suggestions` answer (answers/json_answer.py)."""
    categories = category_suggestions(params.q, limit=params.limit)
    products: list[dict[str, Any]] = []
    body = product_suggest_body(params.q, limit=params.limit)
    if body is not None:
        response = await engine.search("products", body)
        typed = TypedText.of(params.q)
        products = [product_suggestion(hit, typed=typed) for hit in response["hits"]["hits"]]
    merged = merge_suggestions(categories, products, limit=params.limit)
    return {"q": params.q, "suggestions": merged}
