"""ingest-service configuration: environment variables with local defaults (see README)."""

from __future__ import annotations

from pydantic import Field

from ingest.api_keys import ApiKey, keys_from_list, keys_in_file
from portal.contract_settings import ContractSettings
from portal.settings import PortalSettings
from portal.synonyms import MAX_WORD_CHARS, MAX_WORDS


class IngestSettings(PortalSettings, ContractSettings):
    host: str = "127.0.0.1"
    port: int = 8081
    consumer_group: str = "ingest"
    consumer_enabled: bool = True
    topic_partitions: int = 6
    # How fast the group notices a dead consumer (rebalance time after a crash is about this long).
    consumer_session_timeout_ms: int = Field(default=10_000, ge=6_000, le=300_000)
    batch_size: int = Field(default=1000, ge=1, le=20000)
    linger_ms: int = Field(default=100, ge=0, le=10000)
    max_event_bytes: int = 1_000_000
    bulk_retry_initial_s: float = 0.2
    bulk_retry_max_s: float = 5.0
    # Comma-separated bearer keys, each with every scope. Empty (and no keys file) refuses every request
    # that needs a key. Named, scoped keys live in the keys file (ingest/api_keys.py, README).
    import_api_keys: str = ""
    # The search log (what citizens search for, for the zero-result report): index it, and for how long.
    search_log_enabled: bool = True
    search_log_retention_days: int = Field(default=90, ge=1, le=3650)
    import_max_rows: int = 200_000
    import_max_bytes: int = 64 * 1024 * 1024
    # Where uploads of imports under way are kept until they end, so a restart resumes them (one
    # folder per index prefix); empty: a folder under the system's temporary directory.
    import_dir: str = ""

    # The keys file: `name scopes key` a line (ingest/api_keys.py), e.g. a mounted Kubernetes Secret; re-read
    # whenever it changes, so keys rotate without a restart. Its keys count beside IMPORT_API_KEYS.
    import_api_keys_file: str | None = None
    # Synonym sets (POST /v1/synonyms): how many may exist, and how big one may be. Every search process
    # rebuilds its lexicon from all of them, so these bound its memory and rebuild time.
    synonym_max_sets: int = Field(default=500, ge=1, le=2000)
    synonym_max_words: int = Field(default=20, ge=1, le=MAX_WORDS)
    synonym_max_word_chars: int = Field(default=60, ge=8, le=MAX_WORD_CHARS)
    # The search report lists a query only when at least this many distinct clients searched it in the
    # window, so no single client can write into what clerks read (and no lone search is shown).
    search_report_min_clients: int = Field(default=3, ge=1, le=100)

    def api_keys(self) -> list[ApiKey]:
        """Every key in force: IMPORT_API_KEYS first, then the keys file (a repeated name or key is
        skipped)."""
        keys = keys_from_list(self.import_api_keys)
        if self.import_api_keys_file:
            names, secrets = {k.name for k in keys}, {k.secret for k in keys}
            keys += [
                k
                for k in keys_in_file(self.import_api_keys_file)
                if k.name not in names and k.secret not in secrets
            ]
        return keys
