"""What the benchmarks share: percentiles, tables, rates and result files.

The service processes they measure are started by the one harness tests use too
(harness.service_process); the pure parts here (percentiles, summaries, tables) are unit-tested.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS_DIR = REPO / "bench" / "results"
NOISE_NOTE = (
    "2-core machine shared with other work while this ran: numbers are noisy, compare ratios within a run"
)


# ---------------------------------------------------------------- pure helpers (unit-tested)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0..100) by linear interpolation between closest ranks, as numpy's default."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"p must be within 0..100, not {p}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(values_ms: Sequence[float]) -> dict[str, float | int | None]:
    """n, p50, p95, p99, max and mean of latencies in milliseconds, rounded to 0.01 ms (None if empty)."""
    if not values_ms:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None, "mean": None}
    return {
        "n": len(values_ms),
        "p50": round(percentile(values_ms, 50), 2),
        "p95": round(percentile(values_ms, 95), 2),
        "p99": round(percentile(values_ms, 99), 2),
        "max": round(max(values_ms), 2),
        "mean": round(sum(values_ms) / len(values_ms), 2),
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value == 0 or abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def format_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None) -> str:
    """A plain-text table: text columns left-aligned, numbers right-aligned, None shown as '-'."""
    raw = [list(row) for row in rows]
    body = [[_cell(v) for v in row] for row in raw]
    widths = [len(h) for h in headers]
    for row in body:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells for {len(headers)} columns: {row}")
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    numeric = [
        bool(raw)
        and all((isinstance(r[i], int | float) and not isinstance(r[i], bool)) or r[i] is None for r in raw)
        for i in range(len(headers))
    ]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if right else c.ljust(w) for c, w, right in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [title] if title else []
    out += [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in body]
    return "\n".join(out)


def steady_rate(
    samples: Sequence[tuple[float, int]], total: int, low: float = 0.1, high: float = 0.9
) -> float | None:
    """Events/s between the moments `low` and `high` of `total` were done: the rate without start-up.

    `samples` are (seconds, done) pairs in time order; the moments are interpolated between samples.
    """

    def moment(target: float) -> float | None:
        previous: tuple[float, int] | None = None
        for t, done in samples:
            if done >= target:
                if previous is None or done == previous[1]:
                    return t
                t0, d0 = previous
                return t0 + (t - t0) * (target - d0) / (done - d0)
            previous = (t, done)
        return None

    start, end = moment(total * low), moment(total * high)
    if start is None or end is None or end <= start:
        return None
    return total * (high - low) / (end - start)


def command_line(doc: str | None) -> argparse.ArgumentParser:
    """A benchmark's argument parser, whose --help shows the module docstring as written."""
    return argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


# ---------------------------------------------------------------- service processes


def service_log(name: str) -> Path:
    """Where a benchmark's service process logs (its pid file goes beside it): bench/results/logs/."""
    return RESULTS_DIR / "logs" / f"{name}.log"


# ---------------------------------------------------------------- results


def machine() -> dict[str, Any]:
    load1, load5, _ = os.getloadavg()
    return {
        "cores": os.cpu_count(),
        "load_avg_1m_at_start": round(load1, 2),
        "load_avg_5m_at_start": round(load5, 2),
        "python": platform.python_version(),
        "note": NOISE_NOTE,
    }


def report_opening(benchmark: str) -> dict[str, Any]:
    """What a result file opens with: which benchmark, when it started (local time, with its offset) and
    on what machine, so files from different runs can be told apart and compared."""
    return {
        "benchmark": benchmark,
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
    }


def write_json(name: str, payload: dict[str, Any]) -> Path:
    """bench/results/<name>-<UTC time>.json, and a copy as <name>-latest.json for quick comparison."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    text = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    (RESULTS_DIR / f"{name}-latest.json").write_text(text + "\n", encoding="utf-8")
    return path


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the tables."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
