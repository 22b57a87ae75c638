"""Free-text clauses: an item outweighs the words that qualify it, and counts in the listing's own title."""

from __future__ import annotations

import json

from search.queries.text import ITEM_BOOST, WORD_BOOST, text_clauses
from search.understanding.understanding import understand


def counted(scoring: list[dict]) -> dict[str, tuple[float, str]]:
    """Each constant-score clause's boost and its fields, by the word it counts."""
    out = {}
    for clause in scoring:
        if "constant_score" in clause:
            inner = clause["constant_score"]["filter"]["bool"]["should"][0]["multi_match"]
            out[inner["query"]] = (clause["constant_score"]["boost"], json.dumps(inner["fields"]))
    return out


def test_an_item_counts_more_than_its_qualifier_and_only_in_the_title():
    u = understand("boro chal", "product")
    _, scoring = text_clauses(u.required, (), entity="product")
    words = counted(scoring)
    assert words["chal"][0] == WORD_BOOST * ITEM_BOOST and "description" not in words["chal"][1]
    assert words["boro"][0] == WORD_BOOST and "description" in words["boro"][1]
