"""What both benchmarks share: service processes, free ports, percentiles, tables and result files.

The pure parts (percentiles, summaries, tables, /proc parsing) are unit-tested; the rest starts and
stops the real service processes the benchmarks measure, by recorded pid, never by name.
"""

from __future__ import annotations

import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS_DIR = REPO / "bench" / "results"
SOURCE_DIRS = ("libs", "ingest-service", "search-service", "deploy/demo")
NOISE_NOTE = (
    "2-core machine shared with other work while this ran: numbers are noisy, compare ratios within a run"
)


def use_repo_paths() -> None:
    """Import the services' packages the way services.sh runs them (PYTHONPATH of the source dirs)."""
    for path in reversed(SOURCE_DIRS):
        full = str(REPO / path)
        if full not in sys.path:
            sys.path.insert(0, full)


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


def parse_proc_status(text: str) -> dict[str, int]:
    """VmRSS, VmHWM and friends from /proc/<pid>/status, in kilobytes."""
    sizes: dict[str, int] = {}
    for raw in text.splitlines():
        name, _, rest = raw.partition(":")
        parts = rest.split()
        if name.startswith("Vm") and len(parts) == 2 and parts[1] == "kB":
            sizes[name] = int(parts[0])
    return sizes


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


# ---------------------------------------------------------------- processes, ports, files


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(REPO / p) for p in SOURCE_DIRS)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


@dataclass
class ServiceProcess:
    """One real service process this benchmark started; its pid is recorded next to its log."""

    name: str
    module: str
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    argv: list[str] | None = None  # instead of `python -m module`, e.g. to run it under a profiler
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return RESULTS_DIR / "logs" / f"{self.name}.log"

    @property
    def pid_path(self) -> Path:
        return RESULTS_DIR / "logs" / f"{self.name}.pid"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> ServiceProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        argv = self.argv or [sys.executable, "-m", self.module]
        with open(self.log_path, "wb") as log:  # the child keeps its own copy of the descriptor
            self.started_at = time.time()
            self.process = subprocess.Popen(
                argv, env={**self.env, "PORT": str(self.port)}, stdout=log, stderr=log, cwd=REPO
            )
        self.pid_path.write_text(str(self.process.pid))
        return self

    def wait_ready(self, timeout: float = 90) -> float:
        """Block until /readyz answers 200; returns the seconds since start."""
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited during start-up:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return time.time() - self.started_at
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return ""

    def memory_kb(self) -> dict[str, int]:
        return parse_proc_status(Path(f"/proc/{self.pid}/status").read_text())

    def reset_peak_rss(self) -> bool:
        """Reset VmHWM (peak RSS) to the current RSS, so a later read is the peak of what follows."""
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
            return True
        except OSError:
            return False

    def stop(self, timeout: float = 30) -> int | None:
        """SIGTERM (graceful: the ingest consumer finishes its batch), then SIGKILL after `timeout`."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.pid_path.unlink(missing_ok=True)
        return self.process.returncode


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
