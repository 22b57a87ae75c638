"""A clone in a 0700 home directory starts its own OpenSearch (issue 24, item 5).

OpenSearch refuses root, so run as root the node runs as a service user, and that user cannot traverse
a 0700 directory: `make chaos CLUSTER=1` from a clone under /root once failed at once with
"bin/opensearch: Permission denied". deploy/local/lib.sh now keeps the distribution and every node home
outside the checkout. Here a fresh clone under a 0700 directory unpacks the distribution, starts a node
on private ports with deploy/local/start.sh, and the node must answer — with the `bengali` analyzer the
mappings need — run as the service user, with its files outside the clone. It is stopped by its
recorded pid (stop.sh) and its files removed (clean.sh --all), whatever happens.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.service_process import free_port
from integration.conftest import REPO

pytestmark = pytest.mark.integration

OPENSEARCH_MAIN = b"org.opensearch.bootstrap.OpenSearch"  # lib.sh's OPENSEARCH_MAIN


def run(clone: Path, script: str, *args: str, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(
        [str(clone / "deploy/local" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{script} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def lib_value(clone: Path, name: str, env: dict[str, str]) -> str:
    command = f'source "{clone}/deploy/local/lib.sh"; echo "${name}"'
    return subprocess.run(
        ["bash", "-c", command], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def private_clone(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fresh clone under a 0700 directory, with the state and ports of its own engine."""
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs a git checkout to clone")
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    clone = home / "portal"
    subprocess.run(["git", "clone", "--quiet", "--shared", str(REPO), str(clone)], check=True, timeout=120)
    # the scripts under test as they are in this working tree, committed or not
    tracked = subprocess.run(
        ["git", "ls-files", "deploy/local"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        shutil.copy2(REPO / name, clone / name)
    env = {
        **os.environ,
        "LOCAL_OPENSEARCH_PORT": str(free_port()),
        "LOCAL_OPENSEARCH_TRANSPORT_PORT": str(free_port()),
        "LOCAL_OPENSEARCH_HEAP": "512m",
    }
    env.pop("LOCAL_STATE_DIR", None)  # the clone's own .local
    env.pop("LOCAL_ENGINE_ROOT", None)
    try:
        yield clone, env
    finally:
        subprocess.run([str(clone / "deploy/local/stop.sh"), "opensearch"], env=env, timeout=120, check=False)
        subprocess.run([str(clone / "deploy/local/clean.sh"), "--all"], env=env, timeout=120, check=False)


def uid_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])


def is_opensearch(pid: int) -> bool:
    try:
        return OPENSEARCH_MAIN in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False


def test_a_clone_in_a_private_home_starts_its_engine(private_clone):
    clone, env = private_clone
    assert (clone.parent.stat().st_mode & 0o777) == 0o700
    run(clone, "start.sh", "opensearch", env=env)
    url = f"http://127.0.0.1:{env['LOCAL_OPENSEARCH_PORT']}"

    analyzed = httpx.post(f"{url}/_analyze", json={"analyzer": "bengali", "text": "ডাক্তার"}, timeout=30)
    assert analyzed.status_code == 200, analyzed.text
    assert analyzed.json()["tokens"], "the bengali analyzer of analysis-common answers"

    pid = int((clone / ".local/opensearch/opensearch.pid").read_text())
    if os.geteuid() == 0:
        assert uid_of(pid) != 0, "OpenSearch refuses root: the node runs as the service user"
    engine_dir = Path(lib_value(clone, "ENGINE_DIR", env))
    settings = httpx.get(f"{url}/_nodes/_local/settings", timeout=30).json()
    (node,) = settings["nodes"].values()
    for path in (
        node["settings"]["path"]["home"],
        *node["settings"]["path"]["data"],
        node["settings"]["path"]["logs"],
    ):
        assert Path(path).is_relative_to(engine_dir), f"{path}: the node's files live in the engine dir"
        assert not Path(path).is_relative_to(clone.parent), f"{path} is inside the 0700 home"

    assert "already running" in run(clone, "start.sh", "opensearch", env=env), "start.sh is idempotent"
    run(clone, "stop.sh", "opensearch", env=env)
    assert not is_opensearch(pid), "stopped by its recorded pid"
    run(clone, "clean.sh", "--all", env=env)
    assert not engine_dir.exists(), "clean.sh --all (make clean) removes the clone's engine files"
