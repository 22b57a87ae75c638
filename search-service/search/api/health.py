"""/healthz, /readyz and /metrics for search-service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import Gauge

from portal.api_docs import METRICS_RESPONSES, READINESS_RESPONSES
from portal.observability import metrics_body
from portal.reachability import any_reachable

router = APIRouter(tags=["operations"])

ENGINE_UP = Gauge(
    "search_engine_up", "1 when OpenSearch answered the last readiness check", multiprocess_mode="max"
)
KAFKA_UP = Gauge(
    "search_kafka_up", "1 when the Kafka broker answered the last readiness check", multiprocess_mode="max"
)


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses=READINESS_RESPONSES, summary="Engine and Kafka reachable, indices present")
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    missing: list[str] = []
    engine_up = await state.engine.ping()
    ENGINE_UP.set(int(engine_up))
    if not engine_up:
        missing.append(f"opensearch at {state.settings.opensearch_url}")
    else:
        missing += [f"index alias {name}" for name in await state.engine.missing_indices()]
    kafka_up = await any_reachable(state.settings.kafka_bootstrap_servers)
    KAFKA_UP.set(int(kafka_up))
    if not kafka_up:
        missing.append(f"kafka at {state.settings.kafka_bootstrap_servers}")
    if missing:
        return JSONResponse({"status": "unavailable", "missing": missing}, status_code=503)
    return JSONResponse({"status": "ready"})


@router.get("/metrics", response_class=Response, responses=METRICS_RESPONSES, summary="Prometheus metrics")
async def prometheus_metrics() -> Response:
    body, content_type = metrics_body()
    return Response(body, media_type=content_type)
