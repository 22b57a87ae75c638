"""Free text → Understanding, with the current lexicon (taxonomy + synonyms) and the engine's evidence.

The lexicon is rebuilt on the synonym book's thread when a synonym set changes, and swapped in whole,
so a request never waits for a rebuild. Readings are cached per lexicon: the same queries come all day.
So are decisions, per reading and the evidence they were made with: a decision is a pure function of
the two, so it is made again only when either changed (a new lexicon, the engine's evidence moved).
"""

from __future__ import annotations

from collections.abc import Mapping

from cachetools import LRUCache

from portal.synonyms import SynonymBook
from search.understanding.lexicon import Lexicon
from search.understanding.reading import QueryReading, read_query
from search.understanding.understanding import Understanding, WordEvidence, decide
from search.understanding.word_evidence import WordEvidenceBook

#: Readings kept per lexicon. A reading of a long query holds its words' forms and candidate spans (up
#: to ~20 KB for 20 random words): 1,000 of them is ~20 MB at worst, and the same queries come all day.
READINGS_CACHED = 1_000
#: The search that lists what the other does not: services and people, goods.
OTHER_KIND = {"provider": "product", "product": "provider"}


class LexiconSource:
    def __init__(self, book: SynonymBook | None = None) -> None:
        self.book = book
        # One attribute, swapped whole: a reader never pairs a new lexicon with the old cache.
        self._state: tuple[Lexicon, LRUCache[tuple[str, str], QueryReading]] = (
            Lexicon(book.sets() if book else ()),
            LRUCache(maxsize=READINGS_CACHED),
        )
        if book is not None:
            book.on_change = self.rebuild

    def rebuild(self) -> None:
        """Called on the synonym book's thread; readers keep the old lexicon until the swap."""
        assert self.book is not None
        self._state = (Lexicon(self.book.sets()), LRUCache(maxsize=READINGS_CACHED))

    def read(self, query: str, kind: str) -> QueryReading:
        lexicon, readings = self._state
        cached = readings.get((query, kind))
        if cached is None:
            cached = readings[(query, kind)] = read_query(query, kind, lexicon)
        return cached


Decided = tuple[QueryReading, Mapping[str, WordEvidence], Understanding]


class QueryReader:
    def __init__(self, lexicons: LexiconSource, evidence: WordEvidenceBook) -> None:
        self.lexicons = lexicons
        self.evidence = evidence
        self._decided: LRUCache[tuple[str, str], Decided] = LRUCache(maxsize=READINGS_CACHED)

    async def understand(self, query: str | None, kind: str) -> Understanding | None:
        if not query or not query.strip():
            return None
        reading = self.lexicons.read(query, kind)
        asked = [reading.words[i] for i in reading.needs_evidence()]
        evidence = await self.evidence.lookup(kind, asked) if asked else {}
        known = self._decided.get((query, kind))
        if known is not None and known[0] is reading and known[1] == evidence:
            return known[2]
        understanding = decide(reading, evidence)
        self._decided[(query, kind)] = (reading, evidence, understanding)
        return understanding

    async def elsewhere(self, query: str | None, understanding: Understanding | None) -> Understanding | None:
        """The other search's understanding of words this one reads as nothing it lists, when it names
        categories there — "মিষ্টি কিনতাম" (to buy sweets) on the providers page names sweets, which the
        products page lists; "ইলেকট্রিশিয়ান লাগবে" on the products page an electrician: named only (a
        name, item, need or synonym), never on the engine's evidence alone — or something not listed
        ("bkash agent" on the products page is a bKash agent, which neither page lists)."""
        if understanding is None or understanding.categories or understanding.not_listed:
            return None
        other = await self.understand(query, OTHER_KIND[understanding.kind])
        if other is None or not (other.not_listed or (other.categories and other.named)):
            return None
        return other
