"""The error and readiness bodies both services answer with, declared once for their OpenAPI documents.

Frontends generate clients from /openapi.json, so every status a route can answer is documented with
the body it really has (FastAPI's default 422 body is replaced by ours).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    parameter: str
    message: str


class ErrorBody(BaseModel):
    error: str
    message: str
    # search: one entry per bad parameter; CSV imports: facts about the file (missing columns, limits)
    details: list[ErrorDetail] | dict[str, Any] | None = None


class Readiness(BaseModel):
    status: str
    missing: list[str] | None = None


DESCRIPTIONS = {
    400: "The request body cannot be read",
    401: "Missing or wrong API key",
    404: "Not found",
    413: "The request is larger than allowed",
    415: "Unsupported media type",
    422: "Invalid parameters; `details` names each one",
    429: "Too many requests; see Retry-After",
    503: "The search engine or Kafka is unavailable; retry shortly",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody, "description": DESCRIPTIONS[code]} for code in codes}


READINESS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": Readiness, "description": "Ready"},
    503: {"model": Readiness, "description": "Not ready; `missing` names what is missing"},
}
METRICS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Prometheus text format"}
}
