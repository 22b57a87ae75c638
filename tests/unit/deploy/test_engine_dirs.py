"""deploy/local/lib.sh: where a checkout's engine files live, outside the checkout and apart per state.

The service user that runs OpenSearch (it refuses root) must reach them from any checkout, a 0700 home
included, and two checkouts or two state directories must never share a node home. Checked by sourcing
lib.sh in bash, without starting anything.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[3] / "deploy" / "local" / "lib.sh"


def lib(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("LOCAL_")}
    return subprocess.run(
        ["bash", "-c", f'source "{LIB}"; {command}'],
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def value(name: str, **env: str) -> str:
    done = lib(f'echo "${name}"', **env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_engine_files_live_outside_the_checkout(tmp_path):
    engine_dir = Path(value("ENGINE_DIR", LOCAL_ENGINE_ROOT=str(tmp_path)))
    assert engine_dir.parent == tmp_path
    assert not engine_dir.is_relative_to(LIB.parents[2]), "not inside the checkout"
    assert engine_dir.name.startswith(LIB.parents[2].name + "-"), "named after the checkout, plus a hash"
    assert Path(value("OPENSEARCH_DIST", LOCAL_ENGINE_ROOT=str(tmp_path))).parent == engine_dir


def test_the_default_root_is_per_user_and_not_under_a_home():
    root = value("ENGINE_ROOT")
    assert root == f"/var/tmp/kishoreganj-portal-{os.getuid()}"


def test_each_state_directory_gets_its_own_node_homes(tmp_path):
    default = value("ENGINE_STATE_DIR", LOCAL_ENGINE_ROOT=str(tmp_path))
    private = value("ENGINE_STATE_DIR", LOCAL_ENGINE_ROOT=str(tmp_path), LOCAL_STATE_DIR=str(tmp_path / "a"))
    other = value("ENGINE_STATE_DIR", LOCAL_ENGINE_ROOT=str(tmp_path), LOCAL_STATE_DIR=str(tmp_path / "b"))
    assert len({default, private, other}) == 3
    assert (
        Path(private).parent
        == Path(default).parent
        == Path(value("ENGINE_DIR", LOCAL_ENGINE_ROOT=str(tmp_path)))
    )


def test_engine_dirs_are_made_traversable_whatever_the_umask(tmp_path):
    root = tmp_path / "engines"
    done = lib(
        "umask 077; ensure_engine_dir --with-state; echo $ENGINE_STATE_DIR", LOCAL_ENGINE_ROOT=str(root)
    )
    assert done.returncode == 0, done.stderr
    state = Path(done.stdout.strip())
    for directory in (root, state.parent, state):
        assert directory.stat().st_mode & 0o777 == 0o755, directory


@pytest.mark.parametrize("planted", ["symlink", "foreign"])
def test_a_root_planted_by_someone_else_is_refused(tmp_path, planted):
    root = tmp_path / "engines"
    if planted == "symlink":
        (tmp_path / "elsewhere").mkdir()
        root.symlink_to(tmp_path / "elsewhere")
    else:
        if os.geteuid() != 0:
            pytest.skip("making a directory of another owner needs root")
        root.mkdir()
        os.chown(root, 65534, 65534)
    done = lib("ensure_engine_dir", LOCAL_ENGINE_ROOT=str(root))
    assert done.returncode != 0
    assert "LOCAL_ENGINE_ROOT" in done.stderr
