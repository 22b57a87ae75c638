"""Search-quality metrics for the eval set: precision@k, hit@1 and their means. Pure, no I/O.

A result is reduced to the attributes a query's `expect` can name (`category`, `upazila`, `blood_group`:
slugs and values; `title`: a product's titles in both scripts), so the same functions judge our API's
answers and the baseline's raw engine hits. Two more forms of `expect` (../shared/eval/README.md):
`{"none": true}` — the directory lists nothing of the kind, and an answer is honest when it is empty or
claims no category and no exact match; `{"title~": [words]}` — any of the words in the title, with the
line's `cap` (how many listings can meet it) bounding k.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

K = 5
#: Query classes in the order reports list them; classes not named here follow, alphabetically.
CLASS_ORDER = (
    "bn",
    "banglish",
    "en",
    "typo",
    "need",
    "place",
    "spelling",
    "banglish_var",
    "mixed",
    "product",
    "out_of_scope",
    "item",
    "dialect_sentence",
)
TARGET_MEAN_P_AT_K = 0.95
TARGET_HIT_AT_1 = 0.95
TARGET_CLASS_P_AT_K = 0.95

Attributes = Mapping[str, str | None]


Expect = Mapping[str, Any]


def meets(result: Attributes, expect: Expect) -> bool:
    """The result has every field the query expects, with the expected value (or, for `title~`, one of
    the words in its title, case-insensitive)."""
    for field, value in expect.items():
        if field == "title~":
            title = (result.get("title") or "").lower()
            if not any(word.lower() in title for word in value):
                return False
        elif result.get(field) != value:
            return False
    return True


def precision_at_k(
    results: Sequence[Attributes], expect: Expect, k: int = K, cap: int | None = None
) -> float:
    """Share of the top k that meet `expect` (k bounded by `cap`, how many listings can); missing results
    (fewer than k) count as misses."""
    k = min(k, cap) if cap else k
    return sum(1 for r in results[:k] if meets(r, expect)) / k


def hit_at_1(results: Sequence[Attributes], expect: Expect) -> bool:
    return bool(results) and meets(results[0], expect)


def honest(results: Sequence[Attributes], understood: Mapping[str, Any] | None) -> bool:
    """For something the directory does not list: nothing offered, or nothing claimed as a match (no
    category, no exact match). An answer that says nothing about how it read the query (the baseline)
    is honest only when empty."""
    if not results:
        return True
    return understood is not None and not understood.get("categories") and not understood.get("exact_matches")


@dataclass(frozen=True)
class Score:
    """One query's figures."""

    query_class: str
    p_at_k: float
    hit_at_1: bool

    @property
    def passed(self) -> bool:
        return self.p_at_k == 1.0


def score(
    query_class: str,
    results: Sequence[Attributes],
    expect: Expect,
    k: int = K,
    *,
    cap: int | None = None,
    understood: Mapping[str, Any] | None = None,
) -> Score:
    if expect.get("none"):
        ok = honest(results, understood)
        return Score(query_class, 1.0 if ok else 0.0, ok)
    return Score(query_class, precision_at_k(results, expect, k, cap), hit_at_1(results, expect))


@dataclass(frozen=True)
class Summary:
    n: int
    mean_p_at_k: float
    hit_at_1: float
    passed: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "mean_p_at_5": self.mean_p_at_k,
            "hit_at_1": self.hit_at_1,
            "passed": self.passed,
        }


def summarize(scores: Iterable[Score]) -> Summary:
    scores = list(scores)
    if not scores:
        return Summary(0, 0.0, 0.0, 0)
    return Summary(
        n=len(scores),
        mean_p_at_k=fmean(s.p_at_k for s in scores),
        hit_at_1=fmean(1.0 if s.hit_at_1 else 0.0 for s in scores),
        passed=sum(1 for s in scores if s.passed),
    )


def ordered_classes(classes: Iterable[str]) -> list[str]:
    present = set(classes)
    known = [c for c in CLASS_ORDER if c in present]
    return known + sorted(present - set(CLASS_ORDER))


def summarize_by_class(scores: Sequence[Score]) -> dict[str, Summary]:
    """Summary per query class, in report order."""
    return {
        c: summarize(s for s in scores if s.query_class == c)
        for c in ordered_classes(s.query_class for s in scores)
    }


@dataclass(frozen=True)
class Target:
    name: str
    value: float
    threshold: float
    detail: str = ""

    @property
    def met(self) -> bool:
        return self.value >= self.threshold - 1e-9  # a mean of tenths may land a hair below 0.9


def targets(overall: Summary, by_class: Mapping[str, Summary]) -> list[Target]:
    """The quality bar: mean P@5 ≥ 0.95 and hit@1 ≥ 0.95 overall, no class below 0.95 P@5."""
    result = [
        Target("mean P@5 overall", overall.mean_p_at_k, TARGET_MEAN_P_AT_K),
        Target("hit@1 overall", overall.hit_at_1, TARGET_HIT_AT_1),
    ]
    if by_class:
        worst = min(by_class, key=lambda c: by_class[c].mean_p_at_k)
        result.append(
            Target("P@5 of every class", by_class[worst].mean_p_at_k, TARGET_CLASS_P_AT_K, f"worst: {worst}")
        )
    return result


def run_lengths(values: Sequence[str | None], k: int = K, missing: str = "∅") -> str:
    """A compact top-k: consecutive equal values folded, "butcher×4 barber", missing slots as ∅."""
    padded = [v if v is not None else missing for v in values[:k]]
    padded += [missing] * (k - len(padded))
    parts: list[str] = []
    i = 0
    while i < len(padded):
        j = i
        while j < len(padded) and padded[j] == padded[i]:
            j += 1
        parts.append(padded[i] if j - i == 1 else f"{padded[i]}×{j - i}")
        i = j
    return " ".join(parts)
