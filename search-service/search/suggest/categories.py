"""Category names that start with what was typed, matched in Python. Pure.

Category names are few and fixed (schemas/taxonomy.json), so they are matched here, from the first
character, without a round trip: Bangla input by prefix of the normalized name, Latin input by
prefix of the name or of its Banglish key ("kos" finds কসাই).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from portal.bangla.normalize import normalize_text
from portal.bangla.romanize import banglish_key
from portal.contracts import Category, taxonomy
from search.suggest.request import TypedText

_WORD_BREAK = re.compile(r"[\s/\-,()]+")
OPEN_FOR_KIND = {"provider": "/v1/providers/nearest", "product": "/v1/products/search"}


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
    categories = taxonomy()
    return [
        category_suggestion(categories.categories(kind)[slug], bangla=typed.bangla)
        for kind, slug in _ranked(typed, limit)
    ]


#: What was typed → its categories, remembered: people type the same first letters all day, and
#: ranking walks every name of every category (~165) for each.
RANKINGS_CACHED = 4096


@lru_cache(maxsize=RANKINGS_CACHED)
def _ranked(typed: TypedText, limit: int) -> tuple[tuple[str, str], ...]:
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
    return tuple(sorted(best, key=lambda k: best[k])[:limit])
