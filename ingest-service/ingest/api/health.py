"""/healthz, /readyz and /metrics: what ops and orchestrators ask of ingest-service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ingest import metrics
from portal.api_docs import METRICS_RESPONSES, READINESS_RESPONSES, Health
from portal.observability import metrics_body
from portal.readiness import missing_infrastructure, readiness_response

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health, summary="The process is alive")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    responses=READINESS_RESPONSES,
    summary="Engine and Kafka reachable, indices present, consumer not paused",
)
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    missing = await missing_infrastructure(
        state.engine, state.settings, engine_up=metrics.ENGINE_UP, kafka_up=metrics.KAFKA_UP
    )
    if state.producer is None:
        missing.append("kafka topics and producer (still bootstrapping)")
    consumer = state.consumer
    if state.settings.consumer_enabled and (consumer is None or not consumer.running):
        missing.append("kafka consumer (not running yet)")
    if consumer is not None and consumer.paused:
        missing.append("consumer paused: the engine refused or dropped the last bulk request")
    return readiness_response(missing)


@router.get("/metrics", response_class=Response, responses=METRICS_RESPONSES, summary="Prometheus metrics")
async def prometheus_metrics() -> Response:
    body, content_type = metrics_body()
    return Response(body, media_type=content_type)
