"""The error and readiness bodies both services answer with, declared once for their OpenAPI documents,
and the pages that show those documents.

Frontends generate clients from /openapi.json, so every status a route can answer is documented with
the body it really has (portal.api_errors makes every error answer ErrorBody). The docs pages load
their scripts from this service, never from a CDN, so they work on a network without the internet.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any, Literal

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    parameter: str
    message: str


class ErrorBody(BaseModel):
    """Every error of both services: a stable code to branch on, a sentence for people, the specifics."""

    error: str
    message: str
    # search: one entry per bad parameter; CSV imports: facts about the file (missing columns, limits)
    details: list[ErrorDetail] | dict[str, Any] | None = None
    message_bn: str | None = Field(default=None, description="ingest: the message in Bangla, for clerks")


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: str
    missing: list[str] | None = None


DESCRIPTIONS = {
    400: "The request body cannot be read",
    401: "Missing or wrong API key",
    403: "The key is valid but lacks the scope this needs; `details.scope` names it",
    404: "Not found",
    405: "Method not allowed; the Allow header lists the methods this path takes",
    409: "It conflicts with what exists (a limit reached, a word that already names something); `details` says what",
    413: "The request is larger than allowed",
    415: "Unsupported media type",
    422: "Invalid parameters; `details` names each one",
    429: "Too many requests; see Retry-After",
    500: "A bug on our side; `message` carries the request id to quote",
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


# ---------------------------------------------------------------- /docs and /redoc, self-hosted

#: Swagger UI and ReDoc bundles, installed from PyPI by requirements.txt (package fastapi-offline).
DOCS_ASSETS = files(fastapi_offline) / "static"
ASSETS_PATH = "/docs/assets"
#: The pages may load only from this service: ReDoc's bundle would otherwise fetch its logo from a CDN.
#: (Inline script and styles: FastAPI's pages start the UIs inline; ReDoc searches in a blob: worker.)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)


def serve_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc from assets this service serves itself: no CDN, no web fonts,
    and a Content-Security-Policy that keeps the pages from reaching anywhere else.

    Create the app with `docs_url=None, redoc_url=None`, then call this.
    """
    app.mount(ASSETS_PATH, StaticFiles(directory=str(DOCS_ASSETS)), name="docs-assets")

    openapi_url, title = app.openapi_url or "/openapi.json", f"{app.title} — API"
    _page(app, "/docs", get_swagger_ui_html(
        openapi_url=openapi_url, title=title, swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css", swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
        # Swagger UI would otherwise send the document to an online validator for its badge.
        swagger_ui_parameters={"validatorUrl": None},
    ))  # fmt: skip
    _page(app, "/redoc", get_redoc_html(
        openapi_url=openapi_url, title=title, redoc_js_url=f"{ASSETS_PATH}/redoc.standalone.js",
        redoc_favicon_url=f"{ASSETS_PATH}/favicon.png", with_google_fonts=False,
    ))  # fmt: skip


def _page(app: FastAPI, path: str, page: HTMLResponse) -> None:
    """Serve a page made once, under DOCS_CSP."""
    body = bytes(page.body)

    async def serve() -> HTMLResponse:
        return HTMLResponse(body, headers={"Content-Security-Policy": DOCS_CSP})

    app.add_api_route(path, serve, methods=["GET"], include_in_schema=False)
