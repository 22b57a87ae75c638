"""Query understanding: which taxonomy categories does a free-text query name, in any script?

The taxonomy's names, aliases and items (schemas/taxonomy.json) are the synonym data: "kosai",
"কসাই" and "butcher" all name the butcher category. Matching happens on Banglish keys (a phonetic,
script-neutral spelling, see portal.bangla.romanize), with typo tolerance that grows with word length,
and prefers the reading that explains most of the query. Applied at query time, so editing the
taxonomy changes search without reindexing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from portal.bangla.normalize import normalize_text
from portal.bangla.romanize import banglish_key, edit_distance, max_typos
from portal.contracts import Category, taxonomy


@dataclass(frozen=True)
class NameEntry:
    category: str
    tokens: tuple[str, ...]  # banglish key tokens of one name
    is_item: bool  # a product item ("গরু") rather than the category's own name


@dataclass(frozen=True)
class Understanding:
    """What a query names: categories (best first), and whether they explain every word of it."""

    text: str  # normalized query text
    key_tokens: tuple[str, ...]
    categories: tuple[str, ...]
    covers_query: bool  # every query token is part of a matched name
    items: tuple[str, ...] = ()  # matched item names (bn), for boosting titles that contain them


def _key_tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in banglish_key(text).split() if t)


@cache
def _entries(kind: str) -> tuple[NameEntry, ...]:
    categories: dict[str, Category] = taxonomy().categories(kind)
    entries: list[NameEntry] = []
    for category in categories.values():
        item_names = {name for pair in category.items for name in pair}
        for name in category.names():
            tokens = _key_tokens(name)
            if tokens:
                entries.append(NameEntry(category.slug, tokens, name in item_names))
        # Names written as one word are often typed as two, and the other way round ("রাজ মিস্ত্রি").
        for name in category.names():
            tokens = _key_tokens(name)
            if len(tokens) > 1:
                entries.append(NameEntry(category.slug, ("".join(tokens),), name in item_names))
    return tuple(entries)


def _token_typos(query_token: str, name_token: str) -> int | None:
    """Typos between two key tokens, or None if further apart than the name token's length allows."""
    if query_token == name_token:
        return 0
    allowed = min(max_typos(name_token), max_typos(query_token))
    if allowed == 0 or abs(len(query_token) - len(name_token)) > allowed:
        return None
    distance = edit_distance(query_token, name_token)
    return distance if distance <= allowed else None


def _match_at(query: tuple[str, ...], start: int, name: tuple[str, ...]) -> int | None:
    if start + len(name) > len(query):
        return None
    typos = 0
    for offset, name_token in enumerate(name):
        t = _token_typos(query[start + offset], name_token)
        if t is None:
            return None
        typos += t
    return typos


def understand(query: str, kind: str) -> Understanding:
    """Find the categories a query names. `kind` is "provider" or "product"."""
    text = normalize_text(query)
    tokens = _key_tokens(text)
    if not tokens:
        return Understanding(text, tokens, (), False)
    # For every category: the set of query positions its names cover, and the typos it took.
    covered: dict[str, set[int]] = {}
    typos: dict[str, int] = {}
    items: dict[str, set[str]] = {}
    for entry in _entries(kind):
        for start in range(len(tokens)):
            t = _match_at(tokens, start, entry.tokens)
            if t is None:
                continue
            positions = covered.setdefault(entry.category, set())
            positions.update(range(start, start + len(entry.tokens)))
            typos[entry.category] = min(typos.get(entry.category, t), t)
            if entry.is_item:
                items.setdefault(entry.category, set()).add(" ".join(entry.tokens))
    if not covered:
        return Understanding(text, tokens, (), False)
    # Best reading first: covers more of the query, then needs fewer typos.
    ranked = sorted(covered, key=lambda slug: (-len(covered[slug]), typos[slug], slug))
    best = ranked[0]
    best_score = (len(covered[best]), typos[best])
    winners = tuple(s for s in ranked if (len(covered[s]), typos[s]) == best_score)
    all_covered = set().union(*(covered[s] for s in winners)) == set(range(len(tokens)))
    matched_items = tuple(sorted({i for s in winners for i in items.get(s, ())}))
    return Understanding(text, tokens, winners, all_covered, matched_items)
