"""Where the contracts are read from: PORTAL_SCHEMAS_DIR, a setting like any other.

Its own small settings class because portal.contracts loads the contracts once, at import, before any
service has built its settings; each service's settings (SearchSettings, IngestSettings) extend it too,
so they carry the field, and the README's table lists it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

#: The contracts of this checkout: schemas/ beside libs/.
REPOSITORY_SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


class ContractSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    # PORTAL_SCHEMAS_DIR: the schemas/ folder (event schemas, index definitions, taxonomy, CSV columns,
    # query language); the checkout's own unless the code is installed apart from it.
    portal_schemas_dir: Path = REPOSITORY_SCHEMAS
