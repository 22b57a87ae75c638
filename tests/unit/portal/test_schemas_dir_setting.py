"""PORTAL_SCHEMAS_DIR is a setting like any other: read through the settings, and every service's
settings carry it; the contracts load from where it points."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ingest.config import IngestSettings
from portal.contract_settings import REPOSITORY_SCHEMAS, ContractSettings
from portal.contracts import SCHEMAS_DIR
from search.config import SearchSettings


def test_by_default_the_contracts_are_the_checkouts_own() -> None:
    assert SCHEMAS_DIR == REPOSITORY_SCHEMAS and (SCHEMAS_DIR / "taxonomy.json").is_file()
    for settings in (SearchSettings, IngestSettings):
        assert issubclass(settings, ContractSettings) and "portal_schemas_dir" in settings.model_fields


def test_the_contracts_load_from_where_the_setting_points(tmp_path: Path) -> None:
    elsewhere = tmp_path / "contracts"
    shutil.copytree(REPOSITORY_SCHEMAS, elsewhere)
    code = "from portal.contracts import SCHEMAS_DIR, taxonomy; print(SCHEMAS_DIR); taxonomy()"
    env = {"PORTAL_SCHEMAS_DIR": str(elsewhere), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(elsewhere)
