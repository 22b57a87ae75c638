"""The error and readiness bodies both services answer with, declared once for their OpenAPI documents.

Frontends generate clients from /openapi.json, so every status a route can answer is documented with
the body it really has. Every error of both services, whatever raised it (a bad parameter, an unknown
path, a wrong method, the rate limit, a bug, an engine away), answers one body,
`{"error", "message", "details"}`: FastAPI's and Starlette's own `{"detail": …}` bodies are replaced
here, and the OpenAPI documents say so. The docs pages load their scripts from this service, never
from a CDN, so they work on a network without the internet.
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from importlib.resources import files
from typing import Any

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match


class ErrorDetail(BaseModel):
    parameter: str
    message: str


class ErrorBody(BaseModel):
    """Every error of both services: a stable code to branch on, a sentence for people, the specifics."""

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
    405: "Method not allowed; the Allow header lists the methods this path takes",
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


# ---------------------------------------------------------------- the one error body


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": code, "message": message, "details": details}


def error_json(code: str, message: str, details: Any = None) -> bytes:
    """The body as bytes, for the ASGI middlewares that answer before FastAPI (rate limit, 500)."""
    return json.dumps(error_body(code, message, details), ensure_ascii=False).encode("utf-8")


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "header")]
    return ".".join(parts) or "request"


def _code(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _template(path: str) -> re.Pattern[str]:
    """An OpenAPI path template as a pattern: `/v1/imports/{import_id}` matches `/v1/imports/abc`."""
    parts = re.split(r"\{[^}/]+\}", path)
    return re.compile("[^/]+".join(re.escape(part) for part in parts))


def allowed_methods(request: Request) -> str:
    """The methods this path takes, for a 405's Allow header.

    Starlette's own names only the first matching route's methods (a path with a GET and a POST route
    says `Allow: GET`). For the API the OpenAPI document is the contract: its path item for this path,
    a concrete path before a template (`/v1/imports/products` before `/v1/imports/{import_id}`), as
    OpenAPI matches them. Elsewhere (static files) the router is asked method by method.
    """
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    matching = [template for template in paths if _template(template).fullmatch(request.url.path)]
    if matching:
        item = paths[min(matching, key=lambda template: template.count("{"))]
        return ", ".join(method for method in HTTP_METHODS if method.lower() in item)
    allowed = []
    for method in HTTP_METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


def _http_message(request: Request, exc: StarletteHTTPException) -> str:
    if exc.status_code == 404:
        return f"Nothing at {request.url.path}; the API is described at /docs."
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow") or "another method"
        return f"{request.method} is not allowed on {request.url.path}; use {allowed}."
    default = HTTPStatus(exc.status_code).phrase if exc.status_code in HTTPStatus._value2member_map_ else ""
    return str(exc.detail) if exc.detail and exc.detail != default else default or "The request failed."


def install_error_handlers(app: FastAPI) -> None:
    """Answer FastAPI's and Starlette's own errors with the one body, and document it in OpenAPI."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 405:
            exc.headers = {**(exc.headers or {}), "Allow": allowed_methods(request) or "GET"}
        return error_response(
            exc.status_code, _code(exc.status_code), _http_message(request, exc), headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_parameters(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"parameter": _where(e["loc"]), "message": e["msg"]} for e in exc.errors()]
        summary = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
        return error_response(422, "invalid_parameters", summary, errors)

    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
ONE_ERROR_BODY = (
    "\n\nEvery error, whatever its status (404 unknown path, 405 wrong method, 422, 429, 500, 503 …), "
    'answers JSON `{"error", "message", "details"}` (the `ErrorBody` schema): `error` is a stable code, '
    "`message` a sentence to show or log, `details` the specifics (per parameter, or about a file)."
)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Every operation may answer 500 with ErrorBody (400 too if it takes a body); FastAPI's own 422
    body is nowhere left.

    404 and 405 can answer on any path, documented or not, so they are declared once under
    `components.responses` and in the description rather than on each operation.
    """
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                content = response.get("content", {}).get("application/json", {})
                if content.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                    response["content"]["application/json"]["schema"] = ERROR_REF
                    response["description"] = DESCRIPTIONS[int(status)]
            if "requestBody" in operation:  # a body that cannot even be parsed
                responses.setdefault(
                    "400",
                    {
                        "description": DESCRIPTIONS[400],
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
            responses.setdefault(
                "500",
                {"description": DESCRIPTIONS[500], "content": {"application/json": {"schema": ERROR_REF}}},
            )
    components = schema.setdefault("components", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.get("schemas", {}).pop(name, None)
    components.setdefault("responses", {}).update(
        {
            name: {
                "description": DESCRIPTIONS[status],
                "content": {"application/json": {"schema": ERROR_REF}},
            }
            for name, status in (("NotFound", 404), ("MethodNotAllowed", 405))
        }
    )
    schema["info"]["description"] = schema["info"].get("description", "") + ONE_ERROR_BODY
    return schema


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

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
            # Swagger UI would otherwise send the document to an online validator for its badge.
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            redoc_js_url=f"{ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_PATH}/favicon.png",
            with_google_fonts=False,
        )
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page
