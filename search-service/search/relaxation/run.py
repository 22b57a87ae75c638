"""The one way a search that relaxes asks the engine for its tiers (plan.py), and reads what they found
(found.py). I/O.

- `run_tiers`: every tier in one `_msearch` (and any other body the search needs, in the same round
  trip); the strictest tier with results answers, the next ones fill the page. Nearest providers: a
  short list of who is near is better than an empty one, and one round trip costs what one tier does.
- `run_strict_first`: the strict tier alone, and the relaxed ones (in one `_msearch`) only when it found
  nothing; the first with results answers alone. Products sorted by price, distance or time: a cursor
  pages through one tier, and the strict query answers most searches by itself. Where the relaxed tiers
  cost the engine next to nothing (within one storefront), they are asked with the strict one.
Products under the relevance sort ask one body for the broadest tier and count the others inside it
(found.counted_per_tier), and a later page asks its first page's tier (found.one_tier).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from search.engine import Search, SearchEngine
from search.relaxation.found import Answer, TiersFound, filled_page, first_with_results
from search.relaxation.plan import Tier

#: The body of one tier of a search: (the tier, its index in the plan) → an engine body.
TierBody = Callable[[Tier, int], dict[str, Any]]


async def run_tiers(
    engine: SearchEngine,
    index: str,
    plan: tuple[Tier, ...],
    body: TierBody,
    *,
    limit: int,
    also: Sequence[dict[str, Any]] = (),
) -> tuple[TiersFound, list[Answer]]:
    """What the tiers found, filling a page of `limit`; and the answers to `also`, asked in the same
    round trip."""
    bodies = [body(tier, i) for i, tier in enumerate(plan)]
    answers = await engine.msearch(index, [*bodies, *also])
    return filled_page(plan, answers[: len(plan)], limit), answers[len(plan) :]


async def run_strict_first(
    engine: SearchEngine,
    index: str,
    plan: tuple[Tier, ...],
    body: TierBody,
    *,
    first: Sequence[dict[str, Any]] | None = None,
    also: Sequence[Search] = (),
) -> tuple[TiersFound, list[Answer]]:
    """What the strict tier found, or else the first relaxed tier with results; and the answers to
    `also`, asked in the strict tier's round trip. `first`: that round trip's bodies, the strict tier's
    and, where they are asked at once, every relaxed tier's after it (the strict tier's alone if not
    given)."""
    asked = list(first) if first is not None else [body(plan[0], 0)]
    answers = await engine.msearch_of([*(Search(index, b) for b in asked), *also])
    strict, relaxed, also_answers = answers[0], answers[1 : len(asked)], answers[len(asked) :]
    if not strict["hits"]["hits"] and len(plan) > len(asked):
        relaxed = await engine.msearch(index, [body(tier, i) for i, tier in enumerate(plan) if i > 0])
    return first_with_results(plan, strict, relaxed), also_answers
