"""The engine's evidence about query words (evidence.py), fetched in one round trip and cached.

People type the same words all day and the index's vocabulary changes slowly, so an answer is kept for
a few minutes: most searches need no extra round trip at all. What a hostile query can cost is bounded:
the cache holds at most `max_words` answers (~1 KB each), a query asks about at most `per_query` words
(the first ones; the rest go without evidence, as unknown words), and concurrent searches asking about
the same word share one question to the engine.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from cachetools import TTLCache

from search.engine import SearchEngine
from search.queries.live import INDEX_FOR_KIND
from search.understanding.evidence import evidence_from, word_evidence_body
from search.understanding.reading import Word
from search.understanding.understanding import WordEvidence

#: Words of one query the engine is asked about: a real query has a handful that no name explains.
EVIDENCE_WORDS_PER_QUERY = 8

Key = tuple[str, str]  # (kind, word as typed)


class WordEvidenceBook:
    def __init__(
        self,
        engine: SearchEngine,
        *,
        ttl_s: float = 300.0,
        max_words: int = 5_000,
        per_query: int = EVIDENCE_WORDS_PER_QUERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.per_query = per_query
        self._known: TTLCache[Key, WordEvidence] = TTLCache(maxsize=max_words, ttl=ttl_s, timer=clock)
        self._asked: dict[Key, asyncio.Future[WordEvidence]] = {}  # questions on their way to the engine

    async def lookup(self, kind: str, words: Sequence[Word]) -> dict[str, WordEvidence]:
        """Evidence per word surface (for the first `per_query` distinct words); unknown words are asked
        of the engine together, words another search is already asking about are awaited."""
        found: dict[str, WordEvidence] = {}
        missing: dict[str, Word] = {}
        waiting: dict[str, asyncio.Future[WordEvidence]] = {}
        for word in list({w.surface: w for w in words}.values())[: self.per_query]:
            key = (kind, word.surface)
            if (cached := self._known.get(key)) is not None:
                found[word.surface] = cached
            elif (pending := self._asked.get(key)) is not None:
                waiting[word.surface] = pending
            else:
                missing[word.surface] = word
        if missing:
            futures = {s: asyncio.get_running_loop().create_future() for s in missing}
            for surface, future in futures.items():
                self._asked[(kind, surface)] = future
            try:
                bodies = [word_evidence_body(word, kind) for word in missing.values()]
                responses = await self.engine.msearch(INDEX_FOR_KIND[kind], bodies)
                for surface, response in zip(missing, responses, strict=True):
                    evidence = found[surface] = self._known[(kind, surface)] = evidence_from(response)
                    futures[surface].set_result(evidence)
            except BaseException as e:
                for future in futures.values():
                    if not future.done():
                        future.set_exception(e)
                        future.exception()  # retrieved here: the asker raises it, waiters get it too
                raise
            finally:
                for surface in missing:
                    self._asked.pop((kind, surface), None)
        for surface, pending in waiting.items():
            found[surface] = await pending
        return found
