"""The one way a search that relaxes asks the engine for its tiers (plan.py), and reads what they found
(found.py). I/O.

- `run_tiers`: every tier in one `_msearch` (and any other body the search needs, in the same round
  trip); the strictest tier with results answers, the next ones fill the page. Nearest providers: a
  short list of who is near is better than an empty one, and one round trip costs what one tier does.
- `run_strict_first`: the strict tier alone, and the relaxed ones (in one `_msearch`) only when it found
  nothing; the first with results answers alone. Products sorted by price, distance or time: a cursor
  pages through one tier, and the strict query answers most searches by itself.
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
    engine: SearchEngine, index: str, plan: tuple[Tier, ...], body: TierBody, *, also: Sequence[Search] = ()
) -> tuple[TiersFound, list[Answer]]:
    """What the strict tier found, or else the first relaxed tier with results; and the answers to
    `also`, asked in the strict tier's round trip."""
    strict, *also_answers = await engine.msearch_of([Search(index, body(plan[0], 0)), *also])
    relaxed: list[Answer] = []
    if not strict["hits"]["hits"] and len(plan) > 1:
        relaxed = await engine.msearch(index, [body(tier, i) for i, tier in enumerate(plan) if i > 0])
    return first_with_results(plan, strict, relaxed), also_answers
