"""What the tiers of one search found: which tier answered, the hits, how many match every word, and
whether words had to be dropped. Pure: made from the engine's answers by the ways an endpoint asks.

Every search that relaxes (plan.py) reads its outcome through `TiersFound`, so the answer's "what was
understood" block (understanding/understood.py) says the same thing the same way for every endpoint:
- the words no result had to match are those the strictest tier with results dropped (none had: the
  broadest tier's), after the fillers;
- `exact` counts results matching every word exactly (tier 0); how it is counted is the asker's:
  leading results of a page filled from several tiers, or all matches of the strict query;
- `relaxed` says the answer goes beyond what the strict query found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from search.relaxation.plan import Tier

Answer = dict[str, Any]  # one engine search answer
Hit = dict[str, Any]


@dataclass(frozen=True)
class TiersFound:
    plan: tuple[Tier, ...]
    answered: int  # the tier whose answer makes the page (of a filled page, the broadest that added to it)
    strictest: int | None  # the strictest tier with any result; None when no tier found anything
    answer: Answer  # the answering tier's engine answer: its total, its aggregations
    hits: list[Hit]  # the results, strictest tier first
    total: int
    exact: int | None  # results matching every word exactly (tier 0); None when not known (a later page)
    relaxed: bool

    @property
    def dropped_words(self) -> tuple[str, ...]:
        """The words no result had to match: those the strictest tier with results dropped."""
        return self.plan[self.answered if self.strictest is None else self.strictest].dropped_words


def _hits(answer: Answer) -> list[Hit]:
    hits: list[Hit] = answer["hits"]["hits"]
    return hits


def _total(answer: Answer) -> int:
    total: int = answer["hits"]["total"]["value"]
    return total


def filled_page(plan: tuple[Tier, ...], answers: list[Answer], limit: int) -> TiersFound:
    """Every tier was asked at once: the strictest with results answers, and when it has fewer than
    `limit` the next tiers fill the page (each result once, by id). `exact`: the leading results that
    came from tier 0; `total`: the largest total of the tiers used."""
    hits: list[Hit] = []
    seen: set[str] = set()
    used: list[int] = []
    total = from_strict = 0
    for index, answer in enumerate(answers):
        found = _hits(answer)
        if not found:
            continue
        used.append(index)
        total = max(total, _total(answer))
        for hit in found:
            if hit["_source"]["id"] not in seen and len(hits) < limit:
                seen.add(hit["_source"]["id"])
                hits.append(hit)
        if index == 0:
            from_strict = len(hits)
        if len(hits) >= limit:
            break
    answered = used[-1] if used else len(plan) - 1
    strictest = used[0] if used else None
    return TiersFound(
        plan=plan,
        answered=answered,
        strictest=strictest,
        answer=answers[answered],
        hits=hits,
        total=total,
        exact=from_strict,
        relaxed=strictest is not None and answered != 0,
    )


def _one_answer(
    plan: tuple[Tier, ...],
    answered: int,
    strictest: int | None,
    answer: Answer,
    exact: int | None,
    relaxed: bool,
) -> TiersFound:
    """One tier's answer is the page, whole."""
    return TiersFound(plan, answered, strictest, answer, _hits(answer), _total(answer), exact, relaxed)


def alone(plan: tuple[Tier, ...], answer: Answer) -> TiersFound:
    """A first page of a plan of one tier: its answer is the page, whole; every result is exact."""
    strictest = 0 if _hits(answer) else None
    return _one_answer(plan, 0, strictest, answer, _total(answer), False)


def strictest_tier_of(plan: tuple[Tier, ...], answer: Answer) -> TiersFound:
    """Every tier was asked in one query, the strictest tier's results first, and an aggregation
    ("tiers") counted each tier's results and made its facets: the strictest tier with results answers
    alone, as its own query would (when none found anything, the broadest). `exact`: the strict tier's
    count."""
    buckets = _tier_buckets(answer)
    counts = [buckets[str(i)]["doc_count"] for i in range(len(plan))]
    strictest = next((i for i, n in enumerate(counts) if n), None)
    answered = strictest if strictest is not None else len(plan) - 1
    # its results lead; the first sort key, the tier's rank, is not the tier's own (a cursor's)
    hits = [hit | {"sort": hit["sort"][1:]} for hit in _hits(answer)[: counts[answered]]]
    facets = {name: agg for name, agg in buckets[str(answered)].items() if name != "doc_count"}
    tier_answer = {"hits": {"hits": hits, "total": {"value": counts[answered]}}, "aggregations": facets}
    relaxed = strictest is not None and answered != 0
    return _one_answer(plan, answered, strictest, tier_answer, counts[0], relaxed)


def counted_per_tier(plan: tuple[Tier, ...], answer: Answer) -> TiersFound:
    """The broadest tier was asked, with an aggregation ("tiers") counting how many of its results each
    tier would have listed: tier 0's count is the exact matches, the strictest tier with any says which
    words no result had to match, and the answer is relaxed when it lists more."""
    buckets = _tier_buckets(answer)
    counts = [buckets[str(i)]["doc_count"] for i in range(len(plan))]
    answered = len(plan) - 1
    strictest = next((i for i, n in enumerate(counts) if n), None)
    lists_more = answered > 0 and counts[0] < _total(answer)
    return _one_answer(plan, answered, strictest, answer, counts[0], lists_more)


def _tier_buckets(answer: Answer) -> dict[str, dict[str, Any]]:
    """The buckets of a one-query answer's "tiers" aggregation, by tier index ("0" the strict tier)."""
    buckets: dict[str, dict[str, Any]] = answer["aggregations"]["tiers"]["buckets"]
    return buckets


def one_tier(plan: tuple[Tier, ...], tier: int, answer: Answer) -> TiersFound:
    """One tier was asked (a later page, which keeps its first page's tier): nothing is known of the
    others, so exact matches are unknown and any tier but the strict one is relaxed."""
    return _one_answer(plan, tier, None, answer, None, tier > 0)
