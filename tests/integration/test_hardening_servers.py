"""`make test` beside a running `make run`: it uses the servers answering and stops nothing it did not start.

The bug (issue 13, item 8): tests/run.sh asked `status.sh | grep -q "^kafka: *running"` under
pipefail; grep left at the first line, status.sh died of SIGPIPE writing the second, and the pipeline
read "not running" every time. start.sh then found the broker running, run.sh recorded it as its own,
and stopped `make run`'s Kafka at exit.

Here the situation of a `make run` checkout is rebuilt around the real servers without risking them:
a state directory of our own whose pid files name stand-in processes (their arguments carry the
servers' main classes, as the real ones do), while the ports are those of the real Kafka and
OpenSearch. Then the server part of tests/run.sh (deploy/local/test_servers.sh) runs up and down,
and the stand-ins — what it would have stopped — must still be alive.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from integration.conftest import REPO
from portal.settings import PortalSettings

pytestmark = pytest.mark.integration

KAFKA_MAIN = "kafka.Kafka"
OPENSEARCH_MAIN = "org.opensearch.bootstrap.OpenSearch"


def stand_in(main_class: str) -> subprocess.Popen[bytes]:
    """A harmless process whose arguments name a server's main class, as `make run`'s java does.

    Reaped the moment it ends (a zombie would still answer stop.sh's `kill -0`), so `returncode`
    says whether it was stopped.
    """
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", main_class])
    threading.Thread(target=process.wait, daemon=True).start()
    return process


def alive(process: subprocess.Popen[bytes]) -> bool:
    return process.returncode is None


@pytest.fixture
def make_run_state(tmp_path: Path, settings: PortalSettings) -> Iterator[tuple[dict[str, str], list]]:
    """A `make run` checkout's state directory (pid files of live 'servers') on the real servers' ports."""
    kafka, opensearch = stand_in(KAFKA_MAIN), stand_in(OPENSEARCH_MAIN)
    for name, process in (("kafka", kafka), ("opensearch", opensearch)):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.pid").write_text(str(process.pid))
    engine = urlsplit(settings.opensearch_url.split(",")[0])
    env = {
        **os.environ,
        "LOCAL_STATE_DIR": str(tmp_path),
        "LOCAL_KAFKA_PORT": settings.kafka_bootstrap_servers.split(",")[0].rsplit(":", 1)[1],
        "LOCAL_OPENSEARCH_PORT": str(engine.port or 9200),
    }
    try:
        yield env, [kafka, opensearch]
    finally:
        for process in (kafka, opensearch):
            if alive(process):
                process.kill()


def script(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REPO / "deploy/local" / args[0]), *args[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_make_run_situation_is_what_status_reports(make_run_state):
    env, _ = make_run_state
    status = script("status.sh", env=env)
    assert status.returncode == 0, status.stdout + status.stderr
    assert status.stdout.startswith("kafka:      running")


def test_make_test_uses_running_servers_and_stops_nothing_it_did_not_start(make_run_state, tmp_path):
    env, stand_ins = make_run_state
    record = tmp_path / "started"
    up = script("test_servers.sh", "up", str(record), env=env)
    assert up.returncode == 0, up.stdout + up.stderr
    recorded = record.read_text()
    down = script("test_servers.sh", "down", str(record), env=env)
    assert down.returncode == 0, down.stdout + down.stderr
    for process in stand_ins:
        assert alive(process), f"the test run stopped a server it did not start:\n{up.stdout}{down.stdout}"
    assert recorded == "", "recorded as started by the test run"
    assert "kafka: using the one already answering" in up.stdout
    assert "opensearch: using the one already answering" in up.stdout
    assert script("status.sh", env=env).returncode == 0


def test_down_stops_exactly_what_the_record_names(make_run_state, tmp_path):
    env, (kafka, opensearch) = make_run_state
    record = tmp_path / "started"
    record.write_text("opensearch\n")
    down = script("test_servers.sh", "down", str(record), env=env)
    assert down.returncode == 0, down.stdout + down.stderr
    assert not alive(opensearch), "named in the record: stopped"
    assert alive(kafka), "not named: left alone"
