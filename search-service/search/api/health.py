"""/healthz, /readyz and /metrics for search-service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from portal.api_docs import METRICS_RESPONSES, READINESS_RESPONSES
from portal.observability import metrics_body
from portal.reachability import any_reachable

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses=READINESS_RESPONSES, summary="Engine and Kafka reachable, indices present")
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    missing: list[str] = []
    if not await state.engine.ping():
        missing.append(f"opensearch at {state.settings.opensearch_url}")
    else:
        missing += [f"index alias {name}" for name in await state.engine.missing_indices()]
    if not await any_reachable(state.settings.kafka_bootstrap_servers):
        missing.append(f"kafka at {state.settings.kafka_bootstrap_servers}")
    if missing:
        return JSONResponse({"status": "unavailable", "missing": missing}, status_code=503)
    return JSONResponse({"status": "ready"})


@router.get("/metrics", response_class=Response, responses=METRICS_RESPONSES, summary="Prometheus metrics")
async def prometheus_metrics() -> Response:
    body, content_type = metrics_body()
    return Response(body, media_type=content_type)
