"""As-you-type suggestions: category names matched in Python, product titles by one engine query. Pure.

Category names are few and fixed (schemas/taxonomy.json), so they are matched here, from the first
character, without a round trip: Bangla input by prefix of the normalized name, Latin input by
prefix of the name or of its Banglish key ("kos" finds কসাই). Product titles need the engine; the
index keeps edge n-grams of them (`suggest`, Bangla text; `suggest_key`, Banglish keys), so a plain
`match` is a prefix search with no wildcard or match_phrase_prefix expansion to pay for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from portal.bangla.normalize import is_bangla, normalize_text
from portal.bangla.romanize import banglish_key
from portal.contracts import Category, taxonomy

_WORD_BREAK = re.compile(r"[\s/\-,()]+")
OPEN_FOR_KIND = {"provider": "/v1/providers/nearest", "product": "/v1/products/search"}
PRODUCT_SOURCE = ["id", "title"]


class SuggestQuery(BaseModel):
    """The parameters of GET /v1/suggest."""

    model_config = ConfigDict(frozen=True)

    q: str = Field(max_length=100, description="What has been typed so far, in any script")
    limit: int = Field(default=8, ge=1, le=20)


@dataclass(frozen=True)
class TypedText:
    """What the user has typed so far, in the forms names are compared in."""

    text: str  # normalized and casefolded
    key: str  # Banglish key ("" for Bangla input: Bangla prefixes are compared as text)
    bangla: bool

    @classmethod
    def of(cls, q: str) -> TypedText:
        text = normalize_text(q).casefold()
        bangla = is_bangla(text)
        return cls(text, "" if bangla else banglish_key(text), bangla)


@dataclass(frozen=True)
class _Name:
    category: Category
    tails: tuple[str, ...]  # the name from each word on: "কাঠ মিস্ত্রি", "মিস্ত্রি"
    key_tails: tuple[str, ...]
    alias: bool


def _tails(words: list[str]) -> tuple[str, ...]:
    return tuple(" ".join(words[i:]) for i in range(len(words)))


@cache
def _names() -> tuple[_Name, ...]:
    names: list[_Name] = []
    for kind in ("provider", "product"):
        for category in taxonomy().categories(kind).values():
            for i, name in enumerate((category.bn, category.en, *category.aliases)):
                words = [w for w in _WORD_BREAK.split(normalize_text(name).casefold()) if w]
                key_words = banglish_key(name).split()
                names.append(_Name(category, _tails(words), _tails(key_words), alias=i >= 2))
    return tuple(names)


def _rank(name: _Name, typed: TypedText) -> int | None:
    """0: the name starts with the input, 1: a later word does; aliases rank after the own names."""
    for rank, (tail, key_tail) in enumerate(
        [(name.tails[:1], name.key_tails[:1]), (name.tails[1:], name.key_tails[1:])]
    ):
        if any(t.startswith(typed.text) for t in tail) or (
            typed.key and any(k.startswith(typed.key) for k in key_tail)
        ):
            return rank * 2 + name.alias
    return None


def category_suggestion(category: Category, *, bangla: bool) -> dict[str, Any]:
    return {
        "type": f"{category.kind}_category",
        "text": category.bn if bangla else category.en,
        "bn": category.bn,
        "en": category.en,
        "open": {"endpoint": OPEN_FOR_KIND[category.kind], "params": {"category": category.slug}},
    }


def category_suggestions(q: str, *, limit: int) -> list[dict[str, Any]]:
    """Provider and product categories whose names (or aliases) start with what was typed, best first."""
    typed = TypedText.of(q)
    if not typed.text:
        return []
    best: dict[tuple[str, str], tuple[int, int, str]] = {}
    for name in _names():
        rank = _rank(name, typed)
        if rank is None:
            continue
        category = name.category
        order = (rank, len(category.bn if typed.bangla else category.en), category.slug)
        key = (category.kind, category.slug)
        if key not in best or order < best[key]:
            best[key] = order
    ranked = sorted(best, key=lambda k: best[k])[:limit]
    categories = taxonomy()
    return [
        category_suggestion(categories.categories(kind)[slug], bangla=typed.bangla) for kind, slug in ranked
    ]


def product_suggest_body(q: str, *, limit: int) -> dict[str, Any] | None:
    """Engine body for product titles starting with the input, or None when there is nothing to match."""
    typed = TypedText.of(q)
    if not typed.text:
        return None
    if typed.bangla:
        clauses = [{"match": {"suggest": {"query": typed.text, "operator": "and"}}}]
    else:
        # The key meets Bangla-script titles ("gor" → গরু); the plain text meets English titles even
        # where a half-typed word folds differently from the whole one ("ambulanc").
        clauses = [{"match": {"suggest": {"query": typed.text, "operator": "and"}}}]
        if typed.key:
            clauses.insert(0, {"match": {"suggest_key": {"query": typed.key, "operator": "and"}}})
    return {
        "size": min(limit * 3, 60),  # room to drop repeated titles
        "track_total_hits": False,
        "query": {
            "bool": {
                "filter": [
                    {"term": {"deleted": False}},
                    {"term": {"status": "active"}},
                    {"term": {"in_stock": True}},
                ],
                "should": clauses,
                "minimum_should_match": 1,
            }
        },
        "sort": ["_score", {"id": "asc"}],
        "_source": PRODUCT_SOURCE,
    }


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
