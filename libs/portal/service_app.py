"""The FastAPI app both services start from: the one error body, and API docs served by the service.

Each service then adds its middleware (in its own order: the last added runs outermost) and routes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from portal.api_docs import serve_docs
from portal.api_errors import install_error_handlers


def service_app(
    *, title: str, description: str, lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]]
) -> FastAPI:
    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by serve_docs, from our own copy of the assets
        redoc_url=None,
    )
    install_error_handlers(app)
    serve_docs(app)
    return app
