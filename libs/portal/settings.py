"""Configuration both services share: where the engine and the broker are, and how names are prefixed.

Every field is an environment variable (upper-case name); defaults point at the local stack from
`deploy/local/`. Prefixes let tests and benchmarks run beside the demo data without touching it.
"""

from __future__ import annotations

from pydantic import Field
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
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_sasl_mechanism: str | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: str | None = None
    index_prefix: str = ""
    topic_prefix: str = ""
    topic_replication_factor: int = 1
    log_level: str = "INFO"
    log_json: bool = True
    #: The district this deployment serves: which generated geography (schemas/geography/<district>.json)
    #: the services load, and the district new documents carry unless their event names one.
    district: str = Field(default="kishoreganj", pattern=r"^[a-z][a-z0-9-]{1,39}$")

    def index_alias(self, name: str) -> str:
        return f"{self.index_prefix}{name}"

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    def kafka_client_options(self) -> dict[str, object]:
        """Connection options every kafka-python client of ours takes."""
        options: dict[str, object] = {
            "bootstrap_servers": self.kafka_bootstrap_servers.split(","),
            "security_protocol": self.kafka_security_protocol,
        }
        if self.kafka_sasl_mechanism:
            options |= {
                "sasl_mechanism": self.kafka_sasl_mechanism,
                "sasl_plain_username": self.kafka_sasl_username,
                "sasl_plain_password": self.kafka_sasl_password,
            }
        return options
