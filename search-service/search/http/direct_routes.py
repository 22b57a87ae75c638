"""The search routes' GETs handed straight to their endpoint, past Starlette's and FastAPI's routing.

A search's own Python work is about a millisecond; on its way in, Starlette's ExceptionMiddleware,
FastAPI's AsyncExitStackMiddleware, the router (every route's pattern tried in turn, through each
included router) and FastAPI's request handler (dependencies solved for a lone `request` parameter)
each wrap the call and its `send` again. A search route needs none of them: it reads its own query
string (api/query_model.py) and returns a finished Response. So a GET whose path is one of those routes
is answered here, inside every middleware of ours (request id, rate limit, admission, gzip): the route
is looked up in a dict, set in the scope as the router would (the metrics label it by its template), and
its endpoint awaited; an exception it raises goes to the app's handler for it, found as Starlette's
ExceptionMiddleware finds it (an HTTPException's status first, then the exception's classes), so every
error answer is the one the routed path gives. What is not handled goes on to ServerErrorMiddleware.

Which routes: the API's GET routes (under /v1) with no path parameter whose endpoint takes only the
request and is declared to return a Response (`direct_routes`). The docs and ops routes (/docs, /metrics)
ask the router things (its root path, its routes) and are left to it. Any other request, and HEAD, goes
the routed way.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from portal.observability import ASGIApp, Receive, Scope, Send

Handler = Any  # Starlette's ExceptionHandler: (request, exc) -> Response, async here
Endpoint = Callable[[Request], Awaitable[Response]]


def direct_routes(app: FastAPI, under: str) -> dict[str, tuple[RouteContext, Endpoint]]:
    """The routes this layer answers, by path: under `under` (the API's, not the docs' or the ops'),
    GET, no path parameter, `(request) -> Response`."""
    direct: dict[str, tuple[RouteContext, Endpoint]] = {}
    for route in iter_route_contexts(app.routes):  # every route, with its included routers' prefixes
        declared, path = route.original_route, route.path or "{}"
        routed = not path.startswith(f"{under}/") or "{" in path or "GET" not in (route.methods or ())
        if routed or not isinstance(declared, APIRoute):
            continue
        hints = typing.get_type_hints(declared.endpoint)
        returns = hints.pop("return", None)
        takes = list(inspect.signature(declared.endpoint).parameters)  # every one annotated, one Request
        if takes == list(hints) and list(hints.values()) == [Request] and _a_response(returns):
            direct[path] = (route, declared.endpoint)
    return direct


def _a_response(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Response)


def routed_handlers(app: FastAPI) -> dict[Any, Handler]:
    """The app's exception handlers that ExceptionMiddleware holds: all but 500's and Exception's,
    which ServerErrorMiddleware (outside every middleware) holds."""
    return {key: h for key, h in app.exception_handlers.items() if key not in (500, Exception)}


def handler_of(handlers: Mapping[Any, Handler], exc: Exception) -> Handler | None:
    """The handler of `exc` among `handlers`, as Starlette's ExceptionMiddleware picks it."""
    if isinstance(exc, HTTPException) and exc.status_code in handlers:
        return handlers[exc.status_code]
    for cls in type(exc).__mro__:
        if cls in handlers:
            return handlers[cls]
    return None


class DirectRoutes:
    """Innermost of the app's middleware: the search routes' GETs answered without the router."""

    def __init__(self, app: ASGIApp, of: FastAPI, under: str) -> None:
        self.app = app
        self.routes = direct_routes(of, under)  # built with the middleware stack: after every route is added
        self.handlers = routed_handlers(of)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        direct = (
            self.routes.get(scope["path"]) if scope["type"] == "http" and scope["method"] == "GET" else None
        )
        if direct is None or scope.get("root_path"):  # under a root path, the router strips it first
            await self.app(scope, receive, send)
            return
        route, endpoint = direct
        scope["route"], scope["endpoint"], scope["path_params"] = route, endpoint, {}
        request = Request(scope, receive, send)
        try:
            response = await endpoint(request)
        except Exception as exc:
            handler = handler_of(self.handlers, exc)
            if handler is None:
                raise
            if inspect.iscoroutinefunction(handler):
                response = await handler(request, exc)
            else:
                response = await run_in_threadpool(handler, request, exc)
            exc.__traceback__ = None
        await response(scope, receive, send)
