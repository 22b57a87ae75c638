"""Engine hits and matched categories → the suggestions frontends get: a product title in the typed
script where it shows what was typed, and categories first without repeats. Pure."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from portal.bangla.normalize import normalize_text
from portal.bangla.romanize import banglish_key
from search.suggest.request import TypedText


def _text_key(suggestion: dict[str, Any]) -> str:
    return normalize_text(suggestion["text"]).casefold()


def merge_suggestions(
    categories: list[dict[str, Any]], products: list[dict[str, Any]], *, limit: int
) -> list[dict[str, Any]]:
    """Categories first, without repeats; they leave at least half the list to products when there are any."""
    seen: set[str] = set()

    def unseen(suggestions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = []
        for suggestion in suggestions:
            if (key := _text_key(suggestion)) not in seen:
                seen.add(key)
                kept.append(suggestion)
        return kept

    unique_categories = unseen(categories)
    unique_products = unseen(products)
    room = max(limit - len(unique_products), (limit + 1) // 2)
    chosen = unique_categories[:room]
    return [*chosen, *unique_products[: limit - len(chosen)]]


def _shows_typed(typed: TypedText, text: str) -> bool:
    """Whether every typed word starts a word of `text`, as text or as Banglish key."""
    words = _words(text)
    typed_words = typed.text.split() + typed.key.split()
    return all(any(w.startswith(t) for w in words) for t in typed_words)


@lru_cache(maxsize=10_000)
def _words(text: str) -> tuple[str, ...]:
    """A title's words as text and as Banglish key: the same titles come back search after search."""
    return (*normalize_text(text).casefold().split(), *banglish_key(text).split())


def product_suggestion(hit: dict[str, Any], *, typed: TypedText) -> dict[str, Any]:
    """A product title to complete to, in the typed script when that title shows what was typed."""
    title = hit["_source"]["title"]
    english = title.get("en")
    text = english if not typed.bangla and english and _shows_typed(typed, english) else title["bn"]
    return {
        "type": "product",
        "text": text,
        "bn": title["bn"],
        "en": english,
        "open": {"endpoint": "/v1/products/search", "params": {"q": text}},
    }
