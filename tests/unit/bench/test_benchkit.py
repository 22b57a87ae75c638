"""The benchmarks' pure helpers: percentiles, summaries, rates, tables and /proc parsing."""

from __future__ import annotations

import pytest

from benchkit import format_table, latency_summary, percentile, ratio, steady_rate
from harness.service_process import parse_proc_status


def test_percentile_interpolates_between_closest_ranks():
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)


def test_percentile_ignores_input_order_and_handles_one_value():
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([7.0], 99) == 7.0


@pytest.mark.parametrize("p", [-1, 100.5])
def test_percentile_refuses_p_outside_0_to_100(p):
    with pytest.raises(ValueError, match=r"0\.\.100"):
        percentile([1.0], p)


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_latency_summary_of_1_to_100_ms():
    summary = latency_summary([float(v) for v in range(1, 101)])
    assert summary == {"n": 100, "p50": 50.5, "p95": 95.05, "p99": 99.01, "max": 100.0, "mean": 50.5}


def test_latency_summary_of_nothing_has_no_figures():
    assert latency_summary([]) == {"n": 0, "p50": None, "p95": None, "p99": None, "max": None, "mean": None}


def test_ratio_is_none_when_a_side_is_missing():
    assert ratio(13.0, 10.0) == 1.3
    assert ratio(None, 10.0) is None
    assert ratio(1.0, 0) is None
    assert ratio(1.0, None) is None


def test_steady_rate_leaves_out_the_start_up():
    # Nothing for 5 s (start-up), then 100 events/s until all 1000 are done.
    samples = [(0.0, 0), (5.0, 0)] + [(5.0 + s, 100 * s) for s in range(1, 11)]
    assert steady_rate(samples, 1000) == pytest.approx(100.0)


def test_steady_rate_is_none_when_the_run_never_got_far_enough():
    assert steady_rate([(0.0, 0), (1.0, 50)], 1000) is None


def test_format_table_aligns_text_left_and_numbers_right():
    table = format_table(
        ["path", "docs/s", "met"],
        [["ours", 1234.5, True], ["raw (parallel)", 12.345, False], ["skipped", None, None]],
        title="Throughput",
    )
    assert table.splitlines() == [
        "Throughput",
        "path            docs/s  met",
        "--------------  ------  ---",
        "ours             1,234  yes",
        "raw (parallel)   12.35  no",
        "skipped              -  -",
    ]


def test_format_table_shows_small_numbers_with_three_decimals_and_ints_grouped():
    table = format_table(["n", "ratio"], [[200000, 0.8123]])
    assert table.splitlines()[-1] == "200,000  0.812"


def test_format_table_refuses_a_row_of_the_wrong_width():
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        format_table(["a", "b", "c"], [[1, 2]])


def test_parse_proc_status_reads_memory_sizes_in_kb():
    text = "Name:\tpython\nVmPeak:\t  400000 kB\nVmHWM:\t  120000 kB\nVmRSS:\t   98000 kB\nThreads:\t5\n"
    assert parse_proc_status(text) == {"VmPeak": 400000, "VmHWM": 120000, "VmRSS": 98000}
