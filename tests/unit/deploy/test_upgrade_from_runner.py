"""A node the old third-party runner started keeps being recognised across the switch to the distribution.

Before the switch, `make run` recorded the runner's pid in .local/opensearch/opensearch.pid. After
merging, `make stop` must still stop that node (else it holds port 9200 and the next `make run` refuses
the port), `make run` must take it as running, and `make status` must report it. Checked with a
stand-in process whose arguments carry the runner's main class, in a state directory of our own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy" / "local"
RUNNER_MAIN = "org.codelibs.opensearch.runner.OpenSearchRunner"


@pytest.fixture
def runner_node(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], dict[str, str]]]:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", RUNNER_MAIN])
    threading.Thread(target=process.wait, daemon=True).start()  # reaped at once: no zombie answers kill -0
    (tmp_path / "opensearch").mkdir()
    (tmp_path / "opensearch" / "opensearch.pid").write_text(str(process.pid))
    env = {**os.environ, "LOCAL_STATE_DIR": str(tmp_path), "LOCAL_OPENSEARCH_PORT": "1"}
    yield process, env
    if process.returncode is None:
        process.kill()


def script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DEPLOY / name), *args], env=env, capture_output=True, text=True, timeout=60)


def test_status_and_start_take_the_runner_node_as_running(runner_node):
    process, env = runner_node
    assert "opensearch: running" in script("status.sh", env=env).stdout
    started = script("start.sh", "opensearch", env=env)
    assert started.returncode == 0, started.stderr
    assert "already running" in started.stdout and "old runner" in started.stdout
    assert process.returncode is None


def test_stop_stops_the_runner_node_by_its_pid(runner_node):
    process, env = runner_node
    stopped = script("stop.sh", "opensearch", env=env)
    assert "opensearch: stopped" in stopped.stdout, stopped.stdout + stopped.stderr
    process.wait(10)
    assert process.returncode is not None
