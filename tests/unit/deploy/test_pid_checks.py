"""deploy/local/lib.sh's pid_alive: a pid file is believed only for the exact process it names.

A look-alike (the marker as part of another argument, or matched as a pattern) must not count: start.sh
would then skip starting a server, and stop.sh would signal a process that is not ours.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[3] / "deploy" / "local" / "lib.sh"
OPENSEARCH_MAIN = "org.opensearch.bootstrap.OpenSearch"


@pytest.fixture
def process_with(tmp_path: Path) -> Iterator:
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> Path:
        process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", *args])
        started.append(process)
        pidfile = tmp_path / f"{process.pid}.pid"
        pidfile.write_text(str(process.pid))
        return pidfile

    yield start
    for process in started:
        process.kill()
        process.wait(10)


def pid_alive(pidfile: Path, marker: str) -> bool:
    command = f'source "{LIB}"; pid_alive "$1" "$2"'
    return subprocess.run(["bash", "-c", command, "pid_alive", str(pidfile), marker]).returncode == 0


def test_the_exact_argument_is_recognised(process_with):
    assert pid_alive(process_with("kafka.Kafka", "/state/server.properties"), "kafka.Kafka")
    assert pid_alive(process_with(OPENSEARCH_MAIN), OPENSEARCH_MAIN)
    assert pid_alive(process_with("-m", "search.main"), "search.main")


@pytest.mark.parametrize(
    ("args", "marker"),
    [
        (["kafkaXKafka"], "kafka.Kafka"),  # a dot is not a pattern
        (["kafka.KafkaAdmin"], "kafka.Kafka"),  # part of a longer argument
        (["/opt/kafka.Kafka.properties"], "kafka.Kafka"),
        ([OPENSEARCH_MAIN], "OpenSearch"),  # a short marker does not match the full class
        (["-m", "search.main_old"], "search.main"),
        (["-m", "ingest.main"], "search.main"),
    ],
)
def test_look_alikes_are_not_ours(process_with, args, marker):
    assert not pid_alive(process_with(*args), marker)


def test_missing_dead_or_garbled_pid_files(tmp_path):
    assert not pid_alive(tmp_path / "none.pid", "kafka.Kafka")
    (tmp_path / "junk.pid").write_text("12ab\n")
    assert not pid_alive(tmp_path / "junk.pid", "kafka.Kafka")
    done = subprocess.Popen([sys.executable, "-c", "pass", "kafka.Kafka"])
    done.wait(10)
    (tmp_path / "dead.pid").write_text(str(done.pid))
    assert not pid_alive(tmp_path / "dead.pid", "kafka.Kafka")
