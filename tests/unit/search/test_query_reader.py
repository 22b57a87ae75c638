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
