"""What /readyz checks in both services: the engine, its index aliases and the Kafka brokers."""

from __future__ import annotations

from typing import Protocol

from fastapi.responses import JSONResponse
from prometheus_client import Gauge

from portal.reachability import any_reachable
from portal.settings import PortalSettings


class Engine(Protocol):
    async def ping(self) -> bool: ...
    async def missing_indices(self) -> list[str]: ...


async def missing_infrastructure(
    engine: Engine, settings: PortalSettings, *, engine_up: Gauge, kafka_up: Gauge
) -> list[str]:
    """Everything shared infrastructure lacks, in words an operator can act on; also sets the gauges."""
    missing: list[str] = []
    engine_ok = await engine.ping()
    engine_up.set(int(engine_ok))
    if not engine_ok:
        missing.append(f"opensearch at {settings.opensearch_url}")
    else:
        missing += [f"index alias {name}" for name in await engine.missing_indices()]
    kafka_ok = await any_reachable(settings.kafka_bootstrap_servers)
    kafka_up.set(int(kafka_ok))
    if not kafka_ok:
        missing.append(f"kafka at {settings.kafka_bootstrap_servers}")
    return missing


def readiness_response(missing: list[str]) -> JSONResponse:
    if missing:
        return JSONResponse({"status": "unavailable", "missing": missing}, status_code=503)
    return JSONResponse({"status": "ready"})
