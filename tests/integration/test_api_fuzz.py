"""Property-based API fuzzing (schemathesis) of both services, running as real processes on the real stack.

Bounded in examples so it fits in `make test`; it must find no 5xx and no response that breaks the
service's own OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import positive_data_acceptance

from integration.conftest import ARTIFACTS, ServiceProcess, free_port, service_env
from portal.settings import PortalSettings

# Some rules cannot be said in OpenAPI (min_price <= max_price, lat with lon, a cursor of this query,
# a known category): a schema-valid request may still rightly get 422, so that one check is left out.
SEMANTIC = [positive_data_acceptance]
FUZZ = hypothesis_settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)


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


@pytest.fixture(scope="module")
def search_schema(search_service: ServiceProcess):
    return schemathesis.openapi.from_url(f"{search_service.url}/openapi.json")


@pytest.fixture(scope="module")
def ingest_schema(ingest: ServiceProcess):
    schema = schemathesis.openapi.from_url(f"{ingest.url}/openapi.json")
    return schema


def fuzz(schema, headers: dict[str, str] | None = None) -> int:
    """Run every operation of a schema through hypothesis; returns how many operations were fuzzed.

    A plain loop rather than schemathesis' pytest plugin, which does not load under pytest 9 here.
    """
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @FUZZ
        def run(case) -> None:
            case.call_and_validate(headers=headers, excluded_checks=SEMANTIC)

        run()
    return len(operations)


def test_search_api_never_fails_or_breaks_its_schema(search_schema) -> None:
    assert fuzz(search_schema) >= 7


def test_ingest_api_never_fails_or_breaks_its_schema(ingest_schema) -> None:
    assert fuzz(ingest_schema, headers={"Authorization": "Bearer test-key-1"}) >= 3
