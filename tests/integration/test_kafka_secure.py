"""Kafka with SASL/SCRAM over TLS (issue 21, item 6): only the holders of a password reach the brokers.

Runs when the suite is pointed at a secure broker (`make test-cluster CLUSTER_SECURE=1`, or any
KAFKA_SECURITY_PROTOCOL=SASL_SSL); skipped against the plaintext loopback stack. Each refusal is checked
against a client that differs from the accepted one in that one thing only, so a refusal cannot come
from something else (a wrong port, a slow broker).
"""

from __future__ import annotations

from typing import Any

import pytest
from kafka.admin import KafkaAdminClient

from portal.settings import PortalSettings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def secure(settings: PortalSettings) -> dict[str, Any]:
    if settings.kafka_security_protocol != "SASL_SSL":
        pytest.skip("the broker under test is not SASL_SSL (make test-cluster CLUSTER_SECURE=1 runs this)")
    return settings.kafka_client_options()


def brokers_seen(options: dict[str, Any]) -> int:
    """How many brokers a client with these options sees; 0 when it cannot connect or log in."""
    try:
        admin = KafkaAdminClient(**options, request_timeout_ms=5000, api_version_auto_timeout_ms=5000)
    except Exception:
        return 0
    try:
        return len(admin.describe_cluster()["brokers"])
    finally:
        admin.close()


def without(options: dict[str, Any], *prefixes: str) -> dict[str, Any]:
    return {key: value for key, value in options.items() if not key.startswith(prefixes)}


def test_the_services_credentials_over_tls_reach_every_broker(secure):
    assert brokers_seen(secure) == len(secure["bootstrap_servers"])


def test_scram_sha_256_works_as_well(secure):
    assert brokers_seen({**secure, "sasl_mechanism": "SCRAM-SHA-256"}) == len(secure["bootstrap_servers"])


def test_a_wrong_password_is_refused(secure):
    assert brokers_seen({**secure, "sasl_plain_password": secure["sasl_plain_password"] + "x"}) == 0


def test_an_unknown_user_is_refused(secure):
    assert brokers_seen({**secure, "sasl_plain_username": "intruder"}) == 0


def test_plaintext_is_refused(secure):
    assert brokers_seen({**without(secure, "sasl", "ssl"), "security_protocol": "PLAINTEXT"}) == 0


def test_tls_without_a_login_is_refused(secure):
    assert brokers_seen({**without(secure, "sasl"), "security_protocol": "SSL"}) == 0


def test_a_client_that_does_not_trust_the_project_ca_does_not_connect(secure):
    """The brokers' certificates are signed by the project's CA, which no system store holds."""
    assert "ssl_cafile" in secure
    assert brokers_seen(without(secure, "ssl_cafile")) == 0
