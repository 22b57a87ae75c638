"""Configuration both services share: where the engine and the broker are, and how names are prefixed.

Every field is an environment variable (upper-case name); defaults point at the local stack from
`deploy/local/`. Prefixes let tests and benchmarks run beside the demo data without touching it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class PortalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    opensearch_url: str = "http://127.0.0.1:9200"
    opensearch_user: str | None = None
    opensearch_password: str | None = None
    opensearch_verify_certs: bool = True
    opensearch_ca_certs: str | None = None  # a CA bundle file, for clusters with their own certificates
    opensearch_timeout_s: float = 5.0
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: str | None = None
    kafka_ssl_cafile: str | None = (
        None  # the CA (PEM) that signed the brokers' certificates; unset: the system's
    )
    kafka_ssl_check_hostname: bool = True  # the broker's certificate must name the address we dialled
    index_prefix: str = ""
    topic_prefix: str = ""
    topic_replication_factor: int = 1
    log_level: str = "INFO"
    log_json: bool = True
    #: The district this deployment serves: which generated geography (schemas/geography/<district>.json)
    #: the services load, and the district new documents carry unless their event names one.
    district: str = Field(default="kishoreganj", pattern=r"^[a-z][a-z0-9-]{1,39}$")

    def opensearch_hosts(self) -> list[str]:
        """OPENSEARCH_URL may list every node of a cluster, comma-separated: each is a host to the client."""
        return [url.strip() for url in self.opensearch_url.split(",") if url.strip()]

    def index_alias(self, name: str) -> str:
        return f"{self.index_prefix}{name}"

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    @model_validator(mode="after")
    def _kafka_credentials_complete(self) -> PortalSettings:
        """SASL without a mechanism or a user would fail at the first connection, far from its cause."""
        if self.kafka_security_protocol.startswith("SASL_") and not (
            self.kafka_sasl_mechanism and self.kafka_sasl_username and self.kafka_sasl_password
        ):
            raise ValueError(
                f"KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} needs KAFKA_SASL_MECHANISM, "
                "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD / "
                f"KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} হলে KAFKA_SASL_MECHANISM, "
                "KAFKA_SASL_USERNAME ও KAFKA_SASL_PASSWORD দিন"
            )
        return self

    def kafka_client_options(self) -> dict[str, object]:
        """Connection options every kafka-python client of ours takes: TLS options only over TLS, SASL
        ones only with SASL (a private plaintext broker in a test ignores credentials in the environment)."""
        options: dict[str, object] = {
            "bootstrap_servers": self.kafka_bootstrap_servers.split(","),
            "security_protocol": self.kafka_security_protocol,
        }
        if self.kafka_security_protocol.startswith("SASL_"):
            options |= {
                "sasl_mechanism": self.kafka_sasl_mechanism,
                "sasl_plain_username": self.kafka_sasl_username,
                "sasl_plain_password": self.kafka_sasl_password,
            }
        if self.kafka_security_protocol in ("SSL", "SASL_SSL"):
            options["ssl_check_hostname"] = self.kafka_ssl_check_hostname
            if self.kafka_ssl_cafile:
                options["ssl_cafile"] = self.kafka_ssl_cafile
        return options
