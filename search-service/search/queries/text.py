"""Free-text clauses shared by provider and product search. Pure; user text never becomes query syntax.

Only `match`/`multi_match`/`term(s)` queries carry user text: no query_string, wildcard or regexp, so a
query cannot inject Lucene syntax or ask for a pathological automaton.

A word that must match (understanding.RequiredWord) is found in the entity's own text in any script:
Bangla analyzed (folded spellings, stems), English, or its Banglish key forms — as typed, without
its ending, an item's other names — with typo tolerance that grows with the key's length.
"""

from __future__ import annotations

from typing import Any

from portal.bangla.romanize import max_typos
from search.understanding.understanding import RequiredWord, Understanding

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

#: Where an item counts as the listing's own: its title (a provider's name and services). "চাল" in a
#: puffed-rice listing's description ("made from rice") ranks it, but does not make it rice.
OWN_NAME = {
    "provider": FIELDS["provider"],
    "product": {
        "bangla": ["title.bn^3", "title.bn.exact^4"],
        "english": ["title.en^3"],
        "key": ["title_key^2"],
    },
}


#: A key of one letter names nothing: আয়া (a nanny) is "a", and so is ও ("and") in every name that has it.
#: Such a word is found by its spelling alone.
MIN_KEY_LETTERS = 2


def _fuzziness(key: str) -> int:
    """Typos allowed for a key: those of its shortest word, so short words stay exact."""
    return min(max_typos(t) for t in key.split()) if key.strip() else 0


def word_clause(
    word: RequiredWord, entity: str, *, fuzzy: bool = True, own_name: bool = False, as_animal: bool = True
) -> dict[str, Any]:
    """One query word found in the entity's text, in any of its scripts; with `fuzzy`, its Banglish
    keys also with the typos their length allows; with `own_name`, in its title or name only."""
    fields = (OWN_NAME if own_name else FIELDS)[entity]
    should: list[dict[str, Any]] = [
        {"multi_match": {"query": word.surface, "fields": fields["bangla"], "operator": "and"}},
        {"multi_match": {"query": word.surface, "fields": fields["english"], "operator": "and"}},
    ]
    for spelling in word.spellings:  # a listed word without its ending: "পাবনার" finds "পাবনা ষাঁড়"
        should.append({"multi_match": {"query": spelling, "fields": fields["bangla"], "operator": "and"}})
    for key in word.keys:
        if sum(ch.isalnum() for ch in key) < MIN_KEY_LETTERS:
            continue
        should.append(
            {
                "multi_match": {
                    "query": key,
                    "fields": fields["key"],
                    "operator": "and",
                    # an item read exactly matches its own names only: রসমালাই is no রসগোল্লা, two letters off
                    "fuzziness": _fuzziness(key) if fuzzy and not word.exact else 0,
                    "prefix_length": 2,
                    "max_expansions": 20,
                }
            }
        )
    # "গরু" is every cow and bull, whatever its title says
    if as_animal and word.animals and entity == "product":
        should.append({"terms": {"livestock.animal": list(word.animals)}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def category_filter(understanding: Understanding) -> list[dict[str, Any]]:
    return [{"terms": {"category": list(understanding.categories)}}] if understanding.categories else []


#: Under the relevance sort, each query word a result contains outweighs any difference in text score
#: (a BM25 score with field boosts stays well below it), so results with every word come first even
#: when a relaxed tier answers ("ইলিশ": hilsa, then other fish).
WORD_BOOST = 1000.0
#: Of two items named, the last is what is asked for (Bangla puts the head noun last): "হাঁসের ডিম" lists
#: other eggs before live ducks.
HEAD_BOOST = 1.5
#: An item outweighs the words that qualify it, and counts only in the listing's own name: "boro chal"
#: lists other rice (মিনিকেট চাল) before boro paddy (বোরো ধান) and before puffed rice made of চাল.
ITEM_BOOST = 1.2
#: An animal word matches every animal it names, and a listing whose title says the very word comes
#: first among them: "khasi 30 kg" lists castrated goats (খাসি) before other goats of the weight.
SAID_ANIMAL_BOOST = 50.0


def text_clauses(
    required: tuple[RequiredWord, ...], optional: tuple[RequiredWord, ...], *, entity: str, fuzzy: bool = True
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(filters, scoring clauses): every required word must match; every word ranks (relevance sort)."""
    filters: list[dict[str, Any]] = []
    scoring: list[dict[str, Any]] = []
    for n, word in enumerate((*required, *optional)):
        clause = word_clause(word, entity, fuzzy=fuzzy)
        counted = word_clause(word, entity, fuzzy=fuzzy, own_name=True) if word.exact else clause
        if n < len(required):  # an item matches in its own name: puffed rice made of rice is no rice
            filters.append(counted)
        boost = WORD_BOOST * (ITEM_BOOST if word.exact else 1.0) * (HEAD_BOOST if word.head else 1.0)
        scoring += [{"constant_score": {"filter": counted, "boost": boost}}, clause]
        if word.animals and entity == "product":
            said = word_clause(word, entity, fuzzy=fuzzy, own_name=True, as_animal=False)
            scoring.append({"constant_score": {"filter": said, "boost": SAID_ANIMAL_BOOST}})
    return filters, scoring
