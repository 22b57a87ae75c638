"""How the services reach Kafka: plaintext on loopback, SASL/SCRAM over TLS on the secure cluster.

Every kafka-python client of ours takes `PortalSettings.kafka_client_options()`, and the harness hands
the same settings to the service processes it starts; both are checked here without a broker
(tests/integration/test_kafka_secure.py checks them against the real one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from pydantic import ValidationError

from portal.settings import PortalSettings

SECURE = {
    "kafka_bootstrap_servers": "127.0.0.1:19092,127.0.0.1:19094",
    "kafka_security_protocol": "SASL_SSL",
    "kafka_sasl_mechanism": "SCRAM-SHA-512",
    "kafka_sasl_username": "portal",
    "kafka_sasl_password": "s3cret",
    "kafka_ssl_cafile": "/state/cluster-secure/tls/ca.pem",
}
#: Loopback plaintext, stated in full so that a secure environment (KAFKA_* set) does not leak in.
PLAIN = {
    "kafka_bootstrap_servers": "127.0.0.1:9092",
    "kafka_security_protocol": "PLAINTEXT",
    "kafka_sasl_mechanism": None,
    "kafka_sasl_username": None,
    "kafka_sasl_password": None,
    "kafka_ssl_cafile": None,
    "topic_replication_factor": 1,
}


def test_plaintext_carries_no_tls_or_sasl_options() -> None:
    options = PortalSettings(**{**PLAIN, "kafka_sasl_username": "ignored"}).kafka_client_options()
    assert options == {"bootstrap_servers": ["127.0.0.1:9092"], "security_protocol": "PLAINTEXT"}


def test_sasl_ssl_with_scram_and_the_project_ca() -> None:
    options = PortalSettings(**SECURE).kafka_client_options()
    assert options == {
        "bootstrap_servers": ["127.0.0.1:19092", "127.0.0.1:19094"],
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "portal",
        "sasl_plain_password": "s3cret",
        "ssl_check_hostname": True,
        "ssl_cafile": "/state/cluster-secure/tls/ca.pem",
    }


def test_tls_without_a_ca_file_trusts_the_system_store() -> None:
    options = PortalSettings(**{**PLAIN, "kafka_security_protocol": "SSL"}).kafka_client_options()
    assert "ssl_cafile" not in options
    assert options["ssl_check_hostname"] is True
    assert "sasl_mechanism" not in options


@pytest.mark.parametrize("missing", ["kafka_sasl_mechanism", "kafka_sasl_username", "kafka_sasl_password"])
def test_sasl_without_mechanism_or_credentials_is_refused_at_start(missing: str) -> None:
    with pytest.raises(ValidationError, match="KAFKA_SASL_MECHANISM") as refused:
        PortalSettings(**{**SECURE, missing: None})
    assert "দিন" in str(refused.value), "bilingual"


def test_an_unknown_mechanism_or_protocol_is_refused() -> None:
    with pytest.raises(ValidationError):
        PortalSettings(**{**SECURE, "kafka_sasl_mechanism": "SCRAM-SHA-1"})
    with pytest.raises(ValidationError):
        PortalSettings(**{**PLAIN, "kafka_security_protocol": "TLS"})


def service_env_under(environment: dict[str, str], settings: dict[str, str | None]) -> dict[str, str]:
    """service_env in a process whose environment says `environment`, for settings made of `settings`."""
    code = (
        "import json, sys\n"
        "from harness.service_process import service_env\n"
        "from portal.settings import PortalSettings\n"
        "print(json.dumps(service_env(PortalSettings(**json.loads(sys.argv[1])))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(settings)],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_service_processes_get_the_connection_of_their_settings() -> None:
    secure = service_env_under({}, SECURE)
    assert secure["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert secure["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert secure["KAFKA_SASL_PASSWORD"] == "s3cret"
    assert secure["KAFKA_SSL_CAFILE"] == "/state/cluster-secure/tls/ca.pem"
    assert secure["KAFKA_SSL_CHECK_HOSTNAME"] == "true"


def test_settings_for_a_plaintext_broker_drop_the_credentials_of_the_environment() -> None:
    environment = {f"KAFKA_{key[6:].upper()}": str(value) for key, value in SECURE.items()}
    environment["TOPIC_REPLICATION_FACTOR"] = "3"
    plain = service_env_under(environment, {**PLAIN, "kafka_bootstrap_servers": "127.0.0.1:9192"})
    assert plain["KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:9192"
    assert plain["KAFKA_SECURITY_PROTOCOL"] == "PLAINTEXT"
    assert plain["TOPIC_REPLICATION_FACTOR"] == "1", "a single broker's settings, not the cluster's 3"
    for name in ("KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "KAFKA_SSL_CAFILE"):
        assert name not in plain
