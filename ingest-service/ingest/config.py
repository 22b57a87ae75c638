"""ingest-service configuration: environment variables with local defaults (see README)."""

from __future__ import annotations

import os

from pydantic import Field

from portal.settings import PortalSettings


class IngestSettings(PortalSettings):
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
    # Comma-separated bearer keys for the CSV import endpoints. Empty means imports are refused.
    import_api_keys: str = ""
    # The search log (what citizens search for, for the zero-result report): index it, and for how long.
    search_log_enabled: bool = True
    search_log_retention_days: int = Field(default=90, ge=1, le=3650)
    import_max_rows: int = 200_000
    import_max_bytes: int = 64 * 1024 * 1024
    # Where uploads of imports under way are kept until they end, so a restart resumes them (one
    # folder per index prefix); empty: a folder under the system's temporary directory.
    import_dir: str = ""

    # A file of keys, one a line (e.g. a mounted Kubernetes Secret): re-read whenever it changes, so
    # keys rotate without a restart. Its keys count in addition to IMPORT_API_KEYS.
    import_api_keys_file: str | None = None

    def api_keys(self) -> list[str]:
        keys = [k.strip() for k in self.import_api_keys.split(",") if k.strip()]
        if self.import_api_keys_file:
            keys += _keys_in_file(self.import_api_keys_file)
        return keys


_key_file_cache: dict[str, tuple[float, list[str]]] = {}


def _keys_in_file(path: str) -> list[str]:
    """Keys from the file, cached until its modification time changes; a missing file has none."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return []
    cached = _key_file_cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    with open(path, encoding="utf-8") as f:
        keys = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    _key_file_cache[path] = (mtime, keys)
    return keys
