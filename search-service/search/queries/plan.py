"""Relaxation: the strict search first, then the same search with the least informative words dropped.

Every tier keeps what the query was understood to ask for — its categories, its blood group, its
place — and differs only in which words must match text (and, last, whether the place's upazila is a
filter or only the centre). All tiers go to the engine in one `_msearch`; the first tier with results
answers, and the words it dropped are reported as ignored, as Meilisearch's matching strategy and
Typesense's `drop_tokens_threshold` do. The order in which words are dropped:

1. words the engine has nowhere (its evidence: zero documents), since they cannot match anything;
2. when nothing else narrows the search (no category, no place), the most frequent word next, one at a
   time, keeping at least one word — a rarer word tells more about what was meant;
3. with a category or a place, all remaining words: the category's nearest providers beat no answer
   (for products only a category the query names, or one whose documents are (almost) the only
   ones to use the word: "roshogolla" lists other sweets after it);
4. with an upazila named, the upazila filter last: the search stays centred on it;
5. with a livestock breed named, the breed filter after everything else: other animals of the kind
   asked for beat no answer, and the breed still ranks first.
Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.queries.understanding import RequiredWord, Understanding


@dataclass(frozen=True)
class Tier:
    required: tuple[RequiredWord, ...]  # must match text
    dropped: tuple[RequiredWord, ...] = ()  # still rank results under the relevance sort
    in_place: bool = True  # a named upazila filters; False: the search is only centred on it
    with_breed: bool = True  # a named breed filters; False: it only ranks

    @property
    def dropped_words(self) -> tuple[str, ...]:
        return tuple(w.surface for w in self.dropped)


STRICT = Tier(())


def tiers(understanding: Understanding) -> tuple[Tier, ...]:
    """The tiers to try, strictest first, without repeats."""
    words = understanding.required
    out = [Tier(words)]

    def add(required: tuple[RequiredWord, ...], in_place: bool = True, with_breed: bool = True) -> None:
        tier = Tier(required, tuple(w for w in words if w not in required), in_place, with_breed)
        if tier not in out:
            out.append(tier)

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
        add(())
    if understanding.place is not None and understanding.place.kind == "upazila":
        add(out[-1].required, in_place=False)
    if understanding.breed is not None:
        add(out[-1].required, in_place=out[-1].in_place, with_breed=False)
    return tuple(out)
