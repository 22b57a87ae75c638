"""One error body for every status of both services: `{"error", "message", "details"}`.

Whatever raised it — a bad parameter, an unknown path, a wrong method, the rate limit, a bug, an engine
away — a client gets the same shape: `error` a stable code to branch on, `message` a sentence to show
or log, `details` the specifics. FastAPI's and Starlette's own `{"detail": …}` bodies are replaced here,
and the OpenAPI documents declare ErrorBody (portal.api_docs) for every error they can answer.
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from portal.api_docs import DESCRIPTIONS


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": code, "message": message, "details": details}


def error_json(code: str, message: str, details: Any = None) -> bytes:
    """The body as bytes, for the ASGI middlewares that answer before FastAPI (rate limit, 500)."""
    return json.dumps(error_body(code, message, details), ensure_ascii=False).encode("utf-8")


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


class ErrorAnswer(StarletteHTTPException):
    """An error answer raised where none can be returned (a dependency, deep in a route): answered with the
    one body, its Bangla message beside the English one when it has one (clerks read either)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        message_bn: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, message, headers)
        self.code = code
        self.message = message
        self.message_bn = message_bn
        self.details = details

    def response(self) -> JSONResponse:
        body = error_body(self.code, self.message, self.details)
        if self.message_bn:
            body["message_bn"] = self.message_bn
        return JSONResponse(body, status_code=self.status_code, headers=self.headers)


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
    """The methods this API path takes, for a 405's Allow header ("" when it is not an API path).

    Starlette's own names only the first matching route's methods (a path with a GET and a POST route
    says `Allow: GET`). For the API the OpenAPI document is the contract: its path item for this path,
    a concrete path before a template (`/v1/imports/products` before `/v1/imports/{import_id}`), as
    OpenAPI matches them. Elsewhere (static files, the docs pages) the 405 already names its methods.
    """
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    matching = [template for template in paths if _template(template).fullmatch(request.url.path)]
    if not matching:
        return ""
    item = paths[min(matching, key=lambda template: template.count("{"))]
    return ", ".join(method for method in HTTP_METHODS if method.lower() in item)


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
        if isinstance(exc, ErrorAnswer):
            return exc.response()
        if exc.status_code == 405:
            own = (exc.headers or {}).get("Allow", "GET")
            exc.headers = {**(exc.headers or {}), "Allow": allowed_methods(request) or own}
        return error_response(
            exc.status_code,
            _code(exc.status_code),
            _http_message(request, exc),
            headers=dict(exc.headers) if exc.headers else None,
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
