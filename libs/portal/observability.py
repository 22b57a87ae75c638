"""Request ids, per-route Prometheus metrics and JSON logs, the same way in both services.

A pure ASGI middleware (no BaseHTTPMiddleware: it would buffer streamed CSV uploads and responses).
The request id comes from `X-Request-ID` when a proxy already set a sane one, otherwise it is made
here; it is returned in the response header and carried by every log line of the request.
Headers are never logged (API keys travel in them).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from functools import lru_cache
from typing import Any

import orjson
from prometheus_client import Counter, Histogram

from portal.api_errors import error_json

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests by route, method and status", ["route", "method", "status"]
)
HTTP_SECONDS = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by route and method",
    ["route", "method"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("access")


@lru_cache(maxsize=4096)
def _series(template: str, method: str, status: int) -> tuple[Any, Any]:
    """The request counter's and the latency histogram's series for one route, method and status, looked
    up once: `labels` checks and locks on every call. Bounded as the labels are: routes are templates
    ("unmatched" for the rest), methods those HTTP parsers accept, statuses three digits."""
    return HTTP_REQUESTS.labels(template, method, str(status)), HTTP_SECONDS.labels(template, method)


class RequestObservability:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if SANE_ID.match(incoming) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        started_response = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                started_response = True
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # A bug answers JSON with the request id to quote: never a stack trace or an engine's error.
            logging.getLogger("errors").exception("unhandled error")
            if started_response:
                raise
            body = error_json("internal_error", f"Something went wrong on our side; request id {request_id}.")
            await send_with_id(
                {"type": "http.response.start", "status": 500,
                 "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]}
            )  # fmt: skip
            await send_with_id({"type": "http.response.body", "body": body})
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            requests, seconds = _series(template, scope["method"], status)
            requests.inc()
            seconds.observe(elapsed)
            if template not in ("/metrics", "/healthz", "/readyz") or status >= 400:
                access_log.info(
                    "request",
                    extra={"fields": {"method": scope["method"], "path": scope["path"], "route": template,
                                      "status": status, "duration_ms": round(elapsed * 1000, 2)}},
                )  # fmt: skip
            REQUEST_ID.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: what log shippers and `jq` read without a parser of their own."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": REQUEST_ID.get(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        # orjson: every search writes an access line, and the standard library's encoder was a share of
        # it; what orjson refuses (an integer beyond 64 bits) is written by the standard library
        try:
            return orjson.dumps(entry, default=str, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
        except TypeError:
            return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", *, json_logs: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if json_logs else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    handler.formatter.converter = time.gmtime  # type: ignore[union-attr]
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("opensearch", "kafka", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def uvicorn_log_config() -> dict[str, Any]:
    """Let uvicorn's own loggers go through the root JSON handler instead of their plain-text ones."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }


def metrics_body() -> tuple[bytes, str]:
    """The Prometheus exposition, merged across worker processes when uvicorn runs several."""
    import os

    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


#: What one request may bring before the app sees it (both services): its request line and headers,
#: and its body (chunked or not). A service that takes uploads raises the body cap for itself.
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1 << 20


def bounded_protocol(max_header_bytes: int = MAX_HEADER_BYTES, max_body_bytes: int = MAX_BODY_BYTES) -> type:
    """uvicorn's httptools protocol with the request's head and body capped as they arrive.

    The head is counted as bytes come in, so a header that never ends (or a thousand of them) is
    answered 431 and the connection closed once it passes the cap, instead of growing in the parser;
    a body over the cap — by its Content-Length before the app runs, or counted as a chunked body
    arrives — is answered 413 and the connection closed, so it never reaches a disk or a buffer.
    """
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class BoundedHttpToolsProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._in_head = True
            self._head_bytes = 0
            self._body_bytes = 0

        def data_received(self, data: bytes) -> None:
            if self._in_head:
                self._head_bytes += len(data)
            super().data_received(data)
            if self._in_head and self._head_bytes > max_header_bytes:
                self._refuse(431, "headers_too_large", f"Request headers over {max_header_bytes} bytes.")

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._in_head, self._head_bytes, self._body_bytes = True, 0, 0

        def on_headers_complete(self) -> None:
            self._in_head = False
            size = len(self.url) + sum(len(n) + len(v) + 4 for n, v in self.headers)
            if size > max_header_bytes:
                self._refuse(431, "headers_too_large", f"Request headers over {max_header_bytes} bytes.")
                return
            length = next((v for n, v in self.headers if n == b"content-length"), b"")
            if length.strip().isdigit() and int(length) > max_body_bytes:
                self._refuse(413, "body_too_large", f"Request body over {max_body_bytes} bytes.")
                return
            super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            self._body_bytes += len(body)
            if self._body_bytes > max_body_bytes:
                self._refuse(413, "body_too_large", f"Request body over {max_body_bytes} bytes.")
                return
            super().on_body(body)

        def _refuse(self, status: int, code: str, message: str) -> None:
            if self.transport.is_closing():
                return
            cycle = self.cycle
            if cycle is None or not cycle.response_started:
                body = error_json(code, message)
                reason = {413: b"Content Too Large", 431: b"Request Header Fields Too Large"}[status]
                self.transport.write(
                    b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
                    b"connection: close\r\n\r\n" % (status, reason, len(body)) + body
                )
            if cycle is not None:
                cycle.disconnected = True  # the app's receive() now says the client went away
                cycle.message_event.set()
            self.transport.close()

    return BoundedHttpToolsProtocol


def serve(
    app: Any,
    *,
    host: str,
    port: int,
    log_level: str,
    log_json: bool,
    workers: int = 1,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> None:
    """Run a service under uvicorn (`app`: the app, or its import path when there are several workers)
    with our JSON logs and no access log (RequestObservability logs every request). uvicorn's own
    X-Forwarded-For handling stays off: it would replace the client address before the search rate
    limit sees it; search.http.client_address reads the header, from TRUSTED_PROXIES only. Request heads
    are capped at MAX_HEADER_BYTES and bodies at `max_body_bytes` as they arrive (bounded_protocol)."""
    import uvicorn

    configure_logging(log_level, json_logs=log_json)
    try:
        import httptools  # noqa: F401  (the bounded protocol builds on uvicorn's httptools one)

        http: Any = bounded_protocol(MAX_HEADER_BYTES, max_body_bytes) if workers == 1 else _DefaultBounded
    except ImportError:
        http = "h11"
    uvicorn.run(
        app,
        host=host,
        port=port,
        workers=workers,
        log_config=uvicorn_log_config(),
        access_log=False,
        proxy_headers=False,
        http=http,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )


try:  # importable by name, for worker processes that unpickle uvicorn's configuration
    _DefaultBounded = bounded_protocol()
    _DefaultBounded.__qualname__ = _DefaultBounded.__name__ = "_DefaultBounded"
except ImportError:  # pragma: no cover (uvicorn without httptools)
    _DefaultBounded = None  # type: ignore[assignment]
