"""Errors as JSON a frontend developer can act on: what was wrong, with which parameter.

The body is the one both services answer with (portal.api_docs): FastAPI's own errors (404, 405, bad
parameters) are shaped there; the ones only search has — parameters that contradict each other, a
cursor of another search, a parameter the engine refused, an engine that is away — here.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from portal.api_errors import error_response
from search.engine import EngineRefusedInput, EngineUnavailable
from search.products.cursor import InvalidCursor
from search.products.request import InvalidProductQuery


def invalid_parameter(parameter: str, message: str) -> JSONResponse:
    details = [{"parameter": parameter, "message": message}]
    return error_response(422, "invalid_parameters", f"{parameter}: {message}", details)


def install(app: FastAPI) -> None:
    """The errors only search answers, beside the ones every service answers (portal.service_app)."""

    @app.exception_handler(InvalidProductQuery)
    async def contradictory_parameters(request: Request, exc: InvalidProductQuery) -> JSONResponse:
        return invalid_parameter(exc.parameter, exc.message)

    @app.exception_handler(InvalidCursor)
    async def foreign_cursor(request: Request, exc: InvalidCursor) -> JSONResponse:
        return invalid_parameter("cursor", str(exc))

    @app.exception_handler(EngineRefusedInput)
    async def refused_input(request: Request, exc: EngineRefusedInput) -> JSONResponse:
        return invalid_parameter(exc.parameter, exc.message)

    @app.exception_handler(EngineUnavailable)
    async def engine_unavailable(request: Request, exc: EngineUnavailable) -> JSONResponse:
        return error_response(
            503,
            "search_unavailable",
            "Search is temporarily unavailable; please retry shortly.",
            headers={"Retry-After": "5"},
        )
