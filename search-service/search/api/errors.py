"""Errors as JSON a frontend developer can act on: what was wrong, with which parameter."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from search.engine import EngineUnavailable


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("query", "body", "path")]
    return ".".join(parts) or "request"


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_parameters(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"parameter": _where(e["loc"]), "message": e["msg"]} for e in exc.errors()]
        summary = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
        return JSONResponse(
            {"error": "invalid_parameters", "message": summary, "details": errors}, status_code=422
        )

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, exc: BadParameter) -> JSONResponse:
        details = [{"parameter": exc.parameter, "message": exc.message}]
        return JSONResponse(
            {"error": "invalid_parameters", "message": f"{exc.parameter}: {exc.message}", "details": details},
            status_code=422,
        )

    @app.exception_handler(EngineUnavailable)
    async def engine_unavailable(request: Request, exc: EngineUnavailable) -> JSONResponse:
        return JSONResponse(
            {
                "error": "search_unavailable",
                "message": "Search is temporarily unavailable; please retry shortly.",
            },
            status_code=503,
            headers={"Retry-After": "5"},
        )
