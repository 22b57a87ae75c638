"""Free-text clauses shared by provider and product search. Pure; user text never becomes query syntax.

Only `match`/`multi_match`/`term` queries carry user text: no query_string, wildcard or regexp, so a
query cannot inject Lucene syntax or ask for a pathological automaton.

Two cases:
- The query names taxonomy categories (understanding.categories): those categories filter the results
  when the names explain the whole query; otherwise they boost, and the words must still match text.
- It names none: the words must match names, services or titles — Bangla analyzed and exact, English,
  and Banglish keys with typo tolerance that grows with word length.
"""

from __future__ import annotations

from typing import Any

from portal.bangla.romanize import banglish_key, max_typos
from portal.contracts import taxonomy
from search.queries.understanding import Understanding

FIELDS = {
    "provider": {
        "bangla": ["name.bn^3", "name.bn.exact^4", "services^1.5", "services.exact^2", "address.bn^0.5"],
        "english": ["name.en^3", "address.en^0.5"],
        "key": ["name_key^2", "services_key"],
    },
    "product": {
        "bangla": ["title.bn^3", "title.bn.exact^4", "description.bn^0.5"],
        "english": ["title.en^3", "description.en^0.5"],
        "key": ["title_key^2"],
    },
}


def _fuzziness(tokens: tuple[str, ...]) -> int:
    """Typos allowed for the query as a whole: those of its shortest word, so short words stay exact."""
    return min(max_typos(t) for t in tokens) if tokens else 0


def words_match(understanding: Understanding, entity: str) -> dict[str, Any]:
    """The query's words found in the entity's own text, in any of its scripts."""
    fields = FIELDS[entity]
    text = understanding.text
    key = " ".join(understanding.key_tokens)
    return {
        "bool": {
            "should": [
                {
                    "multi_match": {
                        "query": text,
                        "fields": fields["bangla"],
                        "type": "best_fields",
                        "operator": "and",
                    }
                },
                {"multi_match": {"query": text, "fields": fields["english"], "operator": "and"}},
                {
                    "multi_match": {
                        "query": key,
                        "fields": fields["key"],
                        "operator": "and",
                        "fuzziness": _fuzziness(understanding.key_tokens),
                        "prefix_length": 2,
                        "max_expansions": 20,
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }


def text_clauses(
    understanding: Understanding, *, entity: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(filters, scoring clauses) for a free-text query."""
    words = words_match(understanding, entity)
    if not understanding.categories:
        return [], [words]
    in_categories = {"terms": {"category": list(understanding.categories)}}
    scoring: list[dict[str, Any]] = [
        {"bool": {"should": [{"constant_score": {"filter": in_categories, "boost": 5.0}}, words]}}
    ]
    if understanding.covers_query:
        return [in_categories], scoring
    return [{"bool": {"should": [in_categories, words], "minimum_should_match": 1}}], scoring


def item_keys(understanding: Understanding, kind: str = "product") -> tuple[str, ...]:
    """Banglish keys of every name of the items a query named, in both scripts.

    `understanding.items` holds the keys of the names the query used ("ilis" for ইলিশ); a title may
    use the item's other name ("Fresh Hilsa"), so each matched item brings all of its names.
    """
    if not understanding.items:
        return ()
    wanted = set(understanding.items)
    keys: set[str] = set()
    categories = taxonomy().categories(kind)
    for slug in understanding.categories:
        category = categories.get(slug)
        for pair in category.items if category else ():
            pair_keys = {banglish_key(name) for name in pair}
            # understand() also matches multi-word names written as one word ("desimurgi").
            pair_keys |= {k.replace(" ", "") for k in pair_keys}
            if pair_keys & wanted:
                keys |= {k for k in pair_keys if k}
    return tuple(sorted(keys))


def item_title_boost(understanding: Understanding, *, boost: float = 3.0) -> list[dict[str, Any]]:
    """Scoring clauses that rank products whose title names the queried item above the rest of its category.

    "ইলিশ" filters to the fish category; without this a rui fish could outrank "Fresh Hilsa 1 kg".
    Keys come from the taxonomy, not from the user, and go into plain `match` queries.
    """
    keys = item_keys(understanding)
    if not keys:
        return []
    should = [{"match": {"title_key": {"query": key, "operator": "and"}}} for key in keys]
    return [{"bool": {"should": should, "minimum_should_match": 1, "boost": boost}}]
