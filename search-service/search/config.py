"""search-service configuration: environment variables with local defaults (see README)."""

from __future__ import annotations

from pydantic import Field

from portal.contract_settings import ContractSettings
from portal.settings import PortalSettings


class SearchSettings(PortalSettings, ContractSettings):
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    # Days after a donation before a blood donor counts as available again.
    blood_donation_eligibility_days: int = Field(default=120, ge=0, le=3650)
    # Comma-separated origins allowed by CORS; empty denies cross-origin browsers.
    cors_origins: str = ""
    engine_timeout_s: float = 2.0
    categories_cache_s: int = 60
    # Per client address and worker; 0 turns the limit off (benchmarks do).
    rate_limit_per_minute: int = Field(default=1200, ge=0)
    rate_limit_burst: int = Field(default=120, ge=1)
    # Per worker: searches running at once, searches one client may have running or waiting (beyond: 429),
    # and how long a search waits for a slot before 503 (search/http/admission.py); 0 slots turns it off.
    admission_slots: int = Field(default=2, ge=0)
    admission_per_client: int = Field(default=6, ge=1)
    admission_wait_s: float = Field(default=0.5, gt=0)
    # Proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client; empty
    # trusts no header, so behind a proxy every citizen would share the proxy's bucket.
    trusted_proxies: str = ""
    # Replaced by TRUSTED_PROXIES; still read so that setting it is answered with a warning, not ignored.
    rate_limit_trust_forwarded: bool = False
    # Publish every search (no personal data) to the search_log topic for the zero-result report.
    search_log_enabled: bool = True
    # Keys the search log's client tokens (search/query_log.py): the same secret in every search process of
    # a deployment, so a client counts once whichever process it reached; unset: a random key per process.
    search_log_client_secret: str | None = None
    # The web client's map tiles: an OpenStreetMap-compatible URL template ({z}/{x}/{y}, optional {s});
    # empty shows the map without tiles (upazila points and names). Attribution as the tile host asks.
    map_tile_url: str = ""
    map_tile_attribution: str = ""
    map_tile_max_zoom: int = Field(default=18, ge=1, le=22)
    # Where the workers' metrics meet (prometheus_client's PROMETHEUS_MULTIPROC_DIR): with WORKERS > 1 and
    # none named, search.main makes a temporary folder and names it to the workers it starts.
    prometheus_multiproc_dir: str | None = None

    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]
