"""The search routes answered past the router (search/http/direct_routes.py), without a server: which
routes go direct, and that an app answers every request, success or error, exactly as it does routed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from search.http.direct_routes import DirectRoutes, direct_routes, handler_of, routed_handlers
from search.main import create_app


class Refused(Exception):
    pass


class RefusedHard(Refused):
    pass


def demo_app(direct: bool) -> FastAPI:
    """A small app with the shapes the services have: direct-able routes, a model route, a path
    parameter, handlers by class and by status, and a middleware that notes the route's template."""
    app = FastAPI()
    seen: list[str] = []
    app.state.seen = seen

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> JSONResponse:
        return JSONResponse({"refused": type(exc).__name__}, status_code=422)

    @app.exception_handler(418)
    async def teapot(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"teapot": exc.detail}, status_code=418)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"invalid": exc.errors()}, status_code=422)

    @app.get("/v1/answer")
    async def answer(request: Request) -> Response:
        what = request.query_params.get("what", "ok")
        if what == "refused":
            raise RefusedHard()
        if what == "teapot":
            raise HTTPException(418, "short and stout")
        if what == "missing":
            raise HTTPException(404, "no such thing", headers={"X-Why": "gone"})
        if what == "invalid":
            raise RequestValidationError([{"loc": ("query", "what"), "msg": "bad", "type": "value_error"}])
        if what == "broken":
            raise RuntimeError("a bug")
        return Response(f'{{"what": "{what}"}}', media_type="application/json", headers={"X-A": "1"})

    @app.get("/v1/model")
    async def model(request: Request) -> dict[str, Any]:
        return {"model": True}

    @app.get("/v1/things/{name}")
    async def thing(request: Request, name: str) -> Response:
        return Response(name)

    @app.get("/v1/metrics")
    async def metrics() -> Response:
        return Response("no request")

    @app.get("/docs")
    async def docs(request: Request) -> Response:
        return Response("not the API's")

    @app.get("/v1/query")
    async def query(limit: int = 3) -> Response:
        return Response(str(limit))

    if direct:
        app.add_middleware(DirectRoutes, of=app, under="/v1")

    @app.middleware("http")
    async def note_route(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        route = request.scope.get("route")
        seen.append(getattr(route, "path", "unmatched"))
        return response

    return app


def test_the_search_routes_go_direct_and_the_others_routed():
    direct = direct_routes(create_app(), "/v1")
    for path in ("/v1/providers/nearest", "/v1/products/search", "/v1/sellers/nearest", "/v1/suggest"):
        assert path in direct
    for path in ("/v1/categories", "/v1/places/at", "/v1/sellers/{id_or_slug}"):
        assert path not in direct  # a Response parameter, a model answer, a path parameter
    assert not [path for path in direct if not path.startswith("/v1/")]  # /docs, /metrics: routed


def test_only_routes_that_take_the_request_alone_and_return_a_response_go_direct():
    assert set(direct_routes(demo_app(direct=False), "/v1")) == {"/v1/answer"}


REQUESTS = [
    ("GET", "/v1/answer"),
    ("GET", "/v1/answer?what=%E0%A6%95"),
    ("GET", "/v1/answer?what=refused"),
    ("GET", "/v1/answer?what=teapot"),
    ("GET", "/v1/answer?what=missing"),
    ("GET", "/v1/answer?what=invalid"),
    ("GET", "/v1/answer?what=broken"),
    ("HEAD", "/v1/answer"),
    ("POST", "/v1/answer"),
    ("GET", "/v1/answer/"),
    ("GET", "/v1/model"),
    ("GET", "/v1/things/x"),
    ("GET", "/v1/query?limit=x"),
    ("GET", "/v1/metrics"),
    ("GET", "/docs"),
    ("GET", "/nowhere"),
]


@pytest.mark.parametrize(("method", "url"), REQUESTS)
async def test_an_answer_is_the_same_direct_as_routed(method: str, url: str):
    answers = []
    for direct in (False, True):
        app = demo_app(direct)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            r = await client.request(method, url)
        answers.append((r.status_code, r.content, sorted(r.headers.items()), app.state.seen))
    assert answers[0] == answers[1]


def test_an_exception_is_handled_as_starlette_picks_its_handler():
    async def by_class(request: Any, exc: Exception) -> None: ...
    async def by_status(request: Any, exc: Exception) -> None: ...
    async def server_error(request: Any, exc: Exception) -> None: ...

    app = FastAPI()
    app.add_exception_handler(Refused, by_class)
    app.add_exception_handler(418, by_status)
    app.add_exception_handler(Exception, server_error)
    handlers = routed_handlers(app)
    assert handler_of(handlers, RefusedHard()) is by_class  # through the exception's classes
    assert handler_of(handlers, HTTPException(418)) is by_status  # by status first
    assert handler_of(handlers, RuntimeError()) is None  # Exception's handler is ServerErrorMiddleware's
    assert Exception not in handlers and 500 not in handlers
