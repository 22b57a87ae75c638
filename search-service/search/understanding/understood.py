"""The "what was understood" block of an answer (`query`), built here once for every search that reads
words: nearest providers and products, their answers and their nothing-listed answers alike.

What it says: the categories and the place the words were read as; the words no result had to match
(fillers, and what the tiers dropped: relaxation/found.py); whether words had to be dropped; how many
results match every word — none, when the words asked for nothing this search knows and no parameter
narrowed it, since whatever is listed then is only the nearest or newest; and, when the query asks
for something the directory does not list, that (`not_listed`) with the listed categories related to it
(`suggested_categories`, the asked kind's first), offered by name and never searched in its place.
Each endpoint adds its own fields (a blood group and the moment; a breed, the sort and the quantities).
"""

from __future__ import annotations

from typing import Any, Protocol

from portal.contracts import taxonomy
from search.answers.slugs import category_json
from search.understanding.understanding import Understanding, asks_nothing


class Found(Protocol):
    """What a search's tiers found, as far as this block says it (relaxation/found.py: TiersFound)."""

    @property
    def dropped_words(self) -> tuple[str, ...]: ...
    @property
    def relaxed(self) -> bool: ...
    @property
    def exact(self) -> int | None: ...


def understood(
    understanding: Understanding | None,
    kind: str,
    found: Found | None = None,
    *,
    narrowed: bool = False,
    elsewhere: Understanding | None = None,
) -> dict[str, Any]:
    """The fields of the `query` block every search shares, as JSON values (answers/json_answer.py).
    `found`: what the tiers found (None: nothing was searched); `narrowed`: a parameter (a category, a
    blood group) chose what is listed, whatever the words; `elsewhere`: the other search's understanding
    of words this one lists nothing for (QueryReader.elsewhere), whose categories are suggested."""
    ignored = [*(understanding.ignored if understanding else ()), *(found.dropped_words if found else ())]
    exact = found.exact if found else 0
    return {
        "categories": list(understanding.categories) if understanding else [],
        "place": understanding.place.public() if understanding and understanding.place else None,
        "ignored_words": list(dict.fromkeys(ignored)),
        "relaxed": found.relaxed if found else False,
        "exact_matches": 0 if asks_nothing(understanding) and not narrowed else exact,
        **_not_listed(understanding, kind),
        **_elsewhere(elsewhere),
    }


def _not_listed(understanding: Understanding | None, kind: str) -> dict[str, Any]:
    """`not_listed` (NotListed) and `suggested_categories` (SuggestedCategory), as their JSON objects."""
    unlisted = understanding.not_listed if understanding else None
    if unlisted is None:
        return {"not_listed": None, "suggested_categories": []}
    suggested = [
        {**category_json(k, slug), "kind": k}
        for k in sorted(unlisted.related, key=lambda k: k != kind)
        for slug in unlisted.related[k]
        if slug in taxonomy().categories(k)
    ]
    return {
        "not_listed": {"slug": unlisted.slug, "bn": unlisted.bn, "en": unlisted.en},
        "suggested_categories": suggested,
    }


def _elsewhere(other: Understanding | None) -> dict[str, Any]:
    """The categories the other search lists for these words, as `suggested_categories` (its kind says
    which search): the words ask for nothing here, so nothing else is suggested."""
    if other is None or not other.categories:
        return {}
    return {
        "suggested_categories": [
            {**category_json(other.kind, slug), "kind": other.kind} for slug in other.categories
        ]
    }
