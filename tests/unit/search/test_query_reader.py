"""The reader's caches: a decision is reused only for the same reading and the same evidence."""

from __future__ import annotations

import asyncio
from typing import Any

from search.understanding.query_reader import LexiconSource, QueryReader
from search.understanding.understanding import Understanding, WordEvidence

WORD = "খোরমা"  # not in the taxonomy: what it is comes from the engine's evidence


class Evidence:
    """What the engine would say about words (word_evidence.py asks it; here it is given)."""

    def __init__(self, known: dict[str, WordEvidence]) -> None:
        self.known = known

    async def lookup(self, kind: str, words: Any) -> dict[str, WordEvidence]:
        return {w.surface: self.known.get(w.surface, WordEvidence(0)) for w in words}


def understand(reader: QueryReader, query: str) -> Understanding | None:
    return asyncio.run(reader.understand(query, "product"))


def test_a_decision_is_reused_while_reading_and_evidence_are_the_same():
    book = Evidence({WORD: WordEvidence(40, {"honey_spices": 40})})
    lexicons = LexiconSource()
    reader = QueryReader(lexicons, book)  # type: ignore[arg-type]
    first = understand(reader, WORD)
    assert first is not None and first.categories == ("honey_spices",)
    assert understand(reader, WORD) is first

    book.known = {WORD: WordEvidence(40, {"fruits_vegetables": 40})}  # the engine's evidence moved
    moved = understand(reader, WORD)
    assert moved is not None and moved.categories == ("fruits_vegetables",)

    lexicons._state = (lexicons._state[0], type(lexicons._state[1])(maxsize=10))  # readings made anew
    again = understand(reader, WORD)
    assert again is not moved and again == moved


def elsewhere(reader: QueryReader, query: str, kind: str) -> Understanding | None:
    async def both() -> Understanding | None:
        return await reader.elsewhere(query, await reader.understand(query, kind))

    return asyncio.run(both())


def test_the_other_search_is_named_only_for_words_that_name_nothing_here():
    reader = QueryReader(LexiconSource(), Evidence({}))  # type: ignore[arg-type]
    sweets = elsewhere(reader, "মিষ্টি কিনতাম", "provider")
    assert sweets is not None and (sweets.kind, sweets.categories) == ("product", ("sweets_snacks",))
    electrician = elsewhere(reader, "ইলেকট্রিশিয়ান লাগবে", "product")
    assert electrician is not None and electrician.categories == ("electrician",)
    assert elsewhere(reader, "মধু", "product") is None  # listed here: nothing to point to
    assert elsewhere(reader, "দর্জি", "provider") is None  # not listed here: said so, not pointed away
    assert elsewhere(reader, "xyzzy", "provider") is None  # named nowhere
    agent = elsewhere(reader, "bkash agent", "product")  # a service no page lists: said so on both
    assert agent is not None and agent.not_listed is not None and agent.not_listed.slug == "mobile_banking"


def test_the_engines_evidence_alone_points_nowhere():
    """A word the other search's listings use, but no name, item or need: too weak to send anyone."""

    class ProductsEvidence(Evidence):
        async def lookup(self, kind: str, words: Any) -> dict[str, WordEvidence]:
            return await super().lookup(kind, words) if kind == "product" else {}

    reader = QueryReader(LexiconSource(), ProductsEvidence({WORD: WordEvidence(40, {"honey_spices": 40})}))  # type: ignore[arg-type]
    here = asyncio.run(reader.understand(WORD, "provider"))
    there = asyncio.run(reader.understand(WORD, "product"))
    assert here is not None and here.categories == ()
    assert there is not None and there.categories == ("honey_spices",) and not there.named
    assert elsewhere(reader, WORD, "provider") is None
