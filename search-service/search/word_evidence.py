"""The engine's evidence about query words (queries/evidence.py), fetched in one round trip and cached.

People type the same words all day and the index's vocabulary changes slowly, so an answer is kept for
a few minutes: most searches need no extra round trip at all.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from search.engine import SearchEngine
from search.queries.evidence import evidence_from, word_evidence_body
from search.queries.reading import Word
from search.queries.understanding import WordEvidence

INDEX_FOR_KIND = {"provider": "providers", "product": "products"}


class WordEvidenceBook:
    def __init__(
        self,
        engine: SearchEngine,
        *,
        ttl_s: float = 300.0,
        max_words: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.ttl_s = ttl_s
        self.max_words = max_words
        self.clock = clock
        self._known: OrderedDict[tuple[str, str], tuple[float, WordEvidence]] = OrderedDict()

    async def lookup(self, kind: str, words: Sequence[Word]) -> dict[str, WordEvidence]:
        """Evidence per word surface; unknown words are asked of the engine together."""
        now = self.clock()
        found: dict[str, WordEvidence] = {}
        missing: dict[str, Word] = {}
        for word in words:
            cached = self._known.get((kind, word.surface))
            if cached and now - cached[0] < self.ttl_s:
                found[word.surface] = cached[1]
                self._known.move_to_end((kind, word.surface))
            else:
                missing[word.surface] = word
        if missing:
            bodies = [word_evidence_body(word, kind) for word in missing.values()]
            responses = await self.engine.msearch(INDEX_FOR_KIND[kind], bodies)
            for surface, response in zip(missing, responses, strict=True):
                evidence = evidence_from(response)
                found[surface] = evidence
                self._known[(kind, surface)] = (now, evidence)
            while len(self._known) > self.max_words:
                self._known.popitem(last=False)
        return found
