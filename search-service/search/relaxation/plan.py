"""Relaxation: the strict search first, then the same search with the least informative words dropped.

Every tier keeps what the query was understood to ask for — its categories, its blood group, its
place — and differs only in which words must match text (and, last, whether the place's upazila is a
filter or only the centre). All tiers go to the engine in one round trip; the first tier with results
answers, and the words it dropped are reported as ignored, as Meilisearch's matching strategy and
Typesense's `drop_tokens_threshold` do. The order in which words are dropped:

0. first every word exactly (as typed, without its ending, an item's other names): only those results
   are exact matches; then the same words allowing typos — a guess at what was meant, offered after;
1. words the engine has nowhere (its evidence: zero documents), since they cannot match anything;
2. when nothing else narrows the search (no category, no place), the most frequent word next, one at a
   time, keeping at least one word — a rarer word tells more about what was meant;
3. with a category or a place, all remaining words: the category's nearest providers beat no answer
   (for products only a category the query names, or one whose documents are (almost) the only
   ones to use the word: "roshogolla" lists other sweets after it);
4. with an upazila named, the upazila filter last: the search stays centred on it;
5. with a livestock breed named, the breed filter after everything else: other animals of the kind
   asked for beat no answer, and the breed still ranks first.
What a query can cost the engine is bounded: at most MAX_MATCHED_WORDS words are matched (the rarest
ones the engine has; the rest are ignored and said so), and at most MAX_TIERS tiers are tried.
Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.understanding.understanding import RequiredWord, Understanding

#: Words of one query that must match text, at most: the rest are ignored (and reported).
MAX_MATCHED_WORDS = 6
#: Tiers of one query, at most: one round trip of this many bodies.
MAX_TIERS = 6


@dataclass(frozen=True)
class Tier:
    required: tuple[RequiredWord, ...]  # must match text
    dropped: tuple[RequiredWord, ...] = ()  # still rank results under the relevance sort
    in_place: bool = True  # a named upazila filters; False: the search is only centred on it
    with_breed: bool = True  # a named breed filters; False: it only ranks
    fuzzy: bool = True  # words may match with typos; False: exactly (as typed, stems, an item's names)
    beyond: tuple[RequiredWord, ...] = ()  # words past MAX_MATCHED_WORDS: never matched, reported ignored

    @property
    def dropped_words(self) -> tuple[str, ...]:
        return tuple(w.surface for w in (*self.dropped, *self.beyond))


STRICT = Tier((), fuzzy=False)


def matched_words(understanding: Understanding) -> tuple[tuple[RequiredWord, ...], tuple[RequiredWord, ...]]:
    """(the words that will be matched, the ones beyond MAX_MATCHED_WORDS): items and words the engine
    has first, the rarest of those first; then the rest in the order typed."""
    words = understanding.required
    if len(words) <= MAX_MATCHED_WORDS:
        return words, ()
    ranked = sorted(
        range(len(words)),
        key=lambda i: (not words[i].exact, not (words[i].hits or 0), words[i].hits or 0, i),
    )
    kept = sorted(ranked[:MAX_MATCHED_WORDS])
    return tuple(words[i] for i in kept), tuple(w for i, w in enumerate(words) if i not in kept)


def tiers(understanding: Understanding) -> tuple[Tier, ...]:
    """The tiers to try, strictest first, without repeats, at most MAX_TIERS."""
    words, beyond = matched_words(understanding)
    out = [Tier(words, fuzzy=False, beyond=beyond)]

    def add(
        required: tuple[RequiredWord, ...], in_place: bool = True, with_breed: bool = True, fuzzy: bool = True
    ) -> None:
        dropped = tuple(w for w in words if w not in required)
        # typos change nothing for names read exactly; the words a tier drops still rank with them
        fuzzy = fuzzy and any(not w.exact for w in words)
        tier = Tier(required, dropped, in_place, with_breed, fuzzy, beyond)
        if tier not in out:
            out.append(tier)

    if any(not w.exact for w in words):  # the same words with typos: a guess, after the exact matches
        add(words)

    by_category = bool(understanding.categories) and (
        understanding.confident or understanding.kind == "provider"
    )
    narrowed = by_category or bool(understanding.place or understanding.blood_group or understanding.breed)
    kept = tuple(w for w in words if w.matchable)
    if kept or narrowed:  # a tier that requires nothing and narrows nothing would list everything
        add(kept)
    if not narrowed:
        by_frequency = sorted(kept, key=lambda w: -(w.hits or 0))
        while len(by_frequency) > 1:
            dropped = by_frequency.pop(0)
            kept = tuple(w for w in kept if w is not dropped)
            add(kept)
    elif words:
        items = tuple(w for w in kept if w.exact)
        if items and len(items) < len(kept):  # the item asked for, without what qualifies it
            add(items)
        add(())
    if understanding.place is not None and understanding.place.area is not None:
        add(out[-1].required, in_place=False)
    if understanding.breed is not None:
        add(out[-1].required, in_place=out[-1].in_place, with_breed=False)
    if len(out) > MAX_TIERS:  # keep the strictest and the broadest: the answer, and what beats none
        out = out[: MAX_TIERS - 1] + out[-1:]
    return tuple(out)
