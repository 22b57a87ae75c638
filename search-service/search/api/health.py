"""/healthz, /readyz and /metrics for search-service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import Gauge

from portal.api_docs import METRICS_RESPONSES, READINESS_RESPONSES, Health
from portal.observability import metrics_body
from portal.readiness import missing_infrastructure, readiness_response

router = APIRouter(tags=["operations"])

ENGINE_UP = Gauge(
    "search_engine_up", "1 when OpenSearch answered the last readiness check", multiprocess_mode="max"
)
KAFKA_UP = Gauge(
    "search_kafka_up", "1 when the Kafka broker answered the last readiness check", multiprocess_mode="max"
)


@router.get("/healthz", response_model=Health, summary="The process is alive")
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", responses=READINESS_RESPONSES, summary="Engine and Kafka reachable, indices present")
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    return readiness_response(
        await missing_infrastructure(state.engine, state.settings, engine_up=ENGINE_UP, kafka_up=KAFKA_UP)
    )


@router.get("/metrics", response_class=Response, responses=METRICS_RESPONSES, summary="Prometheus metrics")
async def prometheus_metrics() -> Response:
    body, content_type = metrics_body()
    return Response(body, media_type=content_type)
