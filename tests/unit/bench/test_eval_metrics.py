"""The eval's metrics: precision@5 counts missing results as misses, hit@1 looks at the first only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

from eval_metrics import (
    Score,
    hit_at_1,
    meets,
    ordered_classes,
    precision_at_k,
    run_lengths,
    score,
    summarize,
    summarize_by_class,
    targets,
)

BUTCHER = {"category": "butcher"}


def results(*slugs: str) -> list[dict[str, str]]:
    return [{"category": s} for s in slugs]


def test_meets_needs_every_expected_field():
    assert meets({"category": "butcher", "upazila": "bhairab"}, BUTCHER)
    assert not meets({"category": "barber"}, BUTCHER)
    assert not meets({}, BUTCHER)
    assert not meets({"category": "butcher"}, {"category": "butcher", "upazila": "bhairab"})


def test_precision_counts_the_share_of_the_top_five():
    assert precision_at_k(results(*["butcher"] * 5), BUTCHER) == 1.0
    assert precision_at_k(results("butcher", "barber", "butcher", "doctor", "butcher"), BUTCHER) == 0.6


def test_precision_counts_missing_results_as_misses():
    assert precision_at_k(results("butcher", "butcher"), BUTCHER) == 0.4
    assert precision_at_k([], BUTCHER) == 0.0


def test_precision_ignores_results_beyond_k():
    assert precision_at_k(results(*["butcher"] * 5, "barber", "barber"), BUTCHER) == 1.0
    assert precision_at_k(results("barber", "butcher", "butcher"), BUTCHER, k=2) == 0.5


def test_hit_at_1_is_the_first_result_only():
    assert hit_at_1(results("butcher", "barber"), BUTCHER)
    assert not hit_at_1(results("barber", *["butcher"] * 4), BUTCHER)
    assert not hit_at_1([], BUTCHER)


def test_a_query_passes_only_with_a_perfect_top_five():
    assert score("bn", results(*["butcher"] * 5), BUTCHER).passed
    assert not score("bn", results(*["butcher"] * 4), BUTCHER).passed


def test_summary_means_and_empty_set():
    scores = [Score("bn", 1.0, True), Score("en", 0.6, False), Score("bn", 0.8, True)]
    summary = summarize(scores)
    assert summary.n == 3
    assert summary.mean_p_at_k == pytest.approx(0.8)
    assert summary.hit_at_1 == pytest.approx(2 / 3)
    assert summary.passed == 1
    assert summarize([]).n == 0


def test_classes_come_in_report_order_with_unknown_ones_last():
    assert ordered_classes(["typo", "zzz", "en", "bn", "aaa"]) == ["bn", "en", "typo", "aaa", "zzz"]
    scores = [Score("typo", 0.0, False), Score("bn", 1.0, True), Score("bn", 0.5, True)]
    by_class = summarize_by_class(scores)
    assert list(by_class) == ["bn", "typo"]
    assert by_class["bn"].mean_p_at_k == pytest.approx(0.75)


def test_targets_name_the_worst_class():
    scores = [Score("bn", 1.0, True)] * 9 + [Score("typo", 0.8, True)]
    overall, by_class = summarize(scores), summarize_by_class(scores)
    mean, hit, worst_class = targets(overall, by_class)
    assert mean.met and mean.value == pytest.approx(0.98)
    assert hit.met
    assert not worst_class.met
    assert worst_class.detail == "worst: typo"


def test_targets_at_the_threshold_are_met():
    scores = [Score("bn", 0.95, True)] * 19 + [Score("bn", 0.95, False)]
    mean, hit, _ = targets(summarize(scores), summarize_by_class(scores))
    assert mean.met
    assert hit.met  # 19/20 = 0.95


def test_run_lengths_fold_neighbours_and_mark_missing_slots():
    assert run_lengths(["butcher"] * 5) == "butcher×5"
    assert run_lengths(["a", "a", "b", "a"]) == "a×2 b a ∅"
    assert run_lengths([]) == "∅×5"
    assert run_lengths(["a", None, "a", "a", "a", "b"]) == "a ∅ a×3"


def test_a_mean_a_rounding_error_below_the_threshold_is_met():
    scores = [Score("bn", 0.9, True), Score("bn", 1.0, True), Score("bn", 0.95, True)] * 7
    mean, _, per_class = targets(summarize(scores), summarize_by_class(scores))
    assert mean.met and per_class.met
