"""Free-text clauses: an item outweighs the words that qualify it, and counts in the listing's own title."""

from __future__ import annotations

import json

from search.queries.text import ITEM_BOOST, SAID_ANIMAL_BOOST, WORD_BOOST, text_clauses
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


def test_an_item_matches_in_the_title_only():
    """A listing whose description names the item ("made with rice") is not one of it: the item's
    filter asks the title, a word that qualifies it is found anywhere."""
    u = understand("boro chal", "product")
    filters, _ = text_clauses(u.required, (), entity="product")
    by_word = {json.dumps(f, ensure_ascii=False).split('"query": "')[1].split('"')[0]: f for f in filters}
    assert "description" not in json.dumps(by_word["chal"]) and "description" in json.dumps(by_word["boro"])


def test_an_animal_word_said_in_the_title_ranks_before_other_animals_it_matches():
    u = understand("khasi 30 kg", "product")
    _, scoring = text_clauses(u.required, (), entity="product")
    said = [c for c in scoring if c.get("constant_score", {}).get("boost") == SAID_ANIMAL_BOOST]
    assert len(said) == 1
    assert "livestock.animal" not in json.dumps(said[0])  # the title's words, not the animal
    assert "livestock.animal" in json.dumps(scoring)  # every goat still matches


def test_a_one_letter_key_is_not_matched_by_key():
    """আয়া's key is "a", as ও's ("and") in every name that has it: only its spelling is looked for."""
    u = understand("আয়া", "provider")
    filters, _ = text_clauses(u.required, (), entity="provider")
    assert '"a"' not in json.dumps(filters) and "আয়া" in json.dumps(filters, ensure_ascii=False)


def test_a_listed_bangla_word_is_looked_for_as_written_and_without_its_ending():
    """পাবনার (of Pabna) is found in "পাবনা ষাঁড়" by its stem, as written, never by its key."""
    u = understand("পাবনার ষাঁড়", "product")
    filters, _ = text_clauses(u.required, (), entity="product")
    first = json.dumps(filters[0], ensure_ascii=False)
    assert '"পাবনা"' in first and "pabna" not in first


def test_a_listed_word_sharing_an_animals_key_is_no_animal():
    """কাশি (a cough) and খাসি (a goat) are both "kasi": only the goat matches every goat listing."""
    assert understand("কাশি", "product").required[0].animals == ()
    assert understand("খাসি", "product").required[0].animals == ("goat",)
