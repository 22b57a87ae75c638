"""HTTP/1.1 to the engine on kept-alive sockets, parsed by httptools: opensearch-py's connection class
for search, whose every request is a round trip or two to an engine that answers in a millisecond.

Measured on a nearest-provider search (`bench/bench_engine_client.py`, CPU of the client process per
round trip, the answer's JSON included): opensearch-py on its aiohttp connection ~0.43 ms, aiohttp
alone ~0.40 ms, httpx ~1.15 ms, opensearch-py on this connection ~0.25 ms (orjson reading the answer
is ~0.09 ms of each). aiohttp's cost is its request and response objects, yarl URLs and a text decode
of every answer; this connection writes the request head and body in one call on a socket it keeps
open and feeds the answer to httptools (the C parser uvicorn serves with). It plugs in below
opensearch-py's transport (`connection_class`), so the client API, the serializer, retries and the
mapping of engine errors to opensearch-py's exceptions stay opensearch-py's.

- A pool per host: up to `maxsize` requests in flight, each on a socket of its own; idle sockets are
  reused, newest first. One the engine closed while idle fails before any answer byte arrives and is
  replaced by a fresh one, once, transparently.
- `timeout` bounds the whole round trip; a timed-out socket is closed (its answer may still come).
- https (with the CA bundle, or unverified when asked), basic auth, and a url prefix, as the aiohttp
  connection takes them from OPENSEARCH_URL and the settings.
- Answers come back as bytes: orjson reads them without a decode to str first.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import ssl
from collections import deque
from collections.abc import Collection, Mapping
from typing import Any, cast
from urllib.parse import urlencode

import httptools
from opensearchpy._async.http_aiohttp import AsyncConnection
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import ConnectionTimeout, ImproperlyConfigured

log = logging.getLogger("opensearch")


class _Answer:
    """What httptools reads of one response."""

    __slots__ = ("body", "headers", "status")

    def __init__(self) -> None:
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []


class _Socket(asyncio.Protocol):
    """One kept-alive connection: one request at a time, its answer read as it arrives."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[_Answer] | None = None
        self.answer = _Answer()
        self.parser: httptools.HttpResponseParser | None = None
        self.head_only = False
        self.received = False  # any byte of the current answer
        self.closed = False

    # -- asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is one without subclassing it

    def data_received(self, data: bytes) -> None:
        self.received = True
        if self.parser is None:  # bytes nobody asked for: this socket cannot be trusted any more
            self.close()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as e:
            self._fail(EngineConnectionError("N/A", f"unreadable answer from the engine: {e}", e))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(EngineConnectionError("N/A", f"the engine closed the connection ({exc or 'eof'})", exc))

    # -- httptools callbacks

    def on_header(self, name: bytes, value: bytes) -> None:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers = self.answer.headers
        headers[key] = f"{headers[key]}, {text}" if key in headers else text

    def on_headers_complete(self) -> None:
        assert self.parser is not None
        self.answer.status = self.parser.get_status_code()
        if self.head_only:  # a HEAD answer has a length but no body: it is complete now
            self._done()

    def on_body(self, body: bytes) -> None:
        self.answer.body.append(body)

    def on_message_complete(self) -> None:
        if not self.head_only:
            self._done()

    # -- one request

    def send(self, request: bytes, head_only: bool) -> asyncio.Future[_Answer]:
        assert self.transport is not None
        self.answer = _Answer()
        self.parser = httptools.HttpResponseParser(self)
        self.head_only = head_only
        self.received = False
        self.waiter = self.loop.create_future()
        self.transport.write(request)
        return self.waiter

    def _done(self) -> None:
        assert self.parser is not None
        if not self.parser.should_keep_alive():
            self.close()
        self.parser = None
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(self.answer)

    def _fail(self, error: Exception) -> None:
        self.parser = None
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)
        self.close()

    def reusable(self, loop: asyncio.AbstractEventLoop) -> bool:
        return (
            not self.closed
            and self.loop is loop
            and self.transport is not None
            and not self.transport.is_closing()
        )

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class KeptAliveConnection(AsyncConnection):
    """opensearch-py's connection to one engine host, on a pool of kept-alive httptools sockets."""

    def __init__(
        self,
        host: str = "localhost",
        port: int | None = None,
        http_auth: Any = None,
        use_ssl: bool = False,
        verify_certs: bool = True,
        ca_certs: str | None = None,
        maxsize: int = 10,
        **kwargs: Any,
    ) -> None:
        for unsupported in ("client_cert", "client_key", "ssl_assert_fingerprint", "ssl_context"):
            if kwargs.pop(unsupported, None) is not None:
                raise ImproperlyConfigured(f"{unsupported} is not supported by KeptAliveConnection")
        for ignored in ("ssl_show_warn", "ssl_version", "ssl_assert_hostname", "loop", "trust_env"):
            kwargs.pop(ignored, None)
        super().__init__(host=host, port=port, use_ssl=use_ssl, **kwargs)
        if kwargs.get("http_compress"):
            raise ImproperlyConfigured("http_compress is not supported by KeptAliveConnection")
        if isinstance(http_auth, tuple | list):
            http_auth = ":".join(http_auth)
        if http_auth:
            token = base64.b64encode(str(http_auth).encode("utf-8")).decode("ascii")
            self.headers["authorization"] = f"Basic {token}"
        self.ssl_context: ssl.SSLContext | None = None
        if self.use_ssl:
            if verify_certs:
                self.ssl_context = ssl.create_default_context(cafile=ca_certs)
            else:
                self.ssl_context = ssl.create_default_context()
                self.ssl_context.check_hostname = False
                self.ssl_context.verify_mode = ssl.CERT_NONE
        self.address = (host, self.port)
        self.host_header = f"{host}:{self.port}"
        self.fixed_head = "".join(f"{name}: {value}\r\n" for name, value in self.headers.items())
        self._idle: deque[_Socket] = deque()
        self._slots = asyncio.Semaphore(maxsize)

    async def _open(self, loop: asyncio.AbstractEventLoop) -> _Socket:
        try:
            _, protocol = await loop.create_connection(
                lambda: _Socket(loop),
                *self.address,
                ssl=self.ssl_context,
                server_hostname=self.address[0] if self.ssl_context else None,
            )
        except OSError as e:
            raise EngineConnectionError("N/A", f"cannot connect to the engine at {self.host}: {e}", e) from e
        return protocol

    def _idle_socket(self, loop: asyncio.AbstractEventLoop) -> _Socket | None:
        while self._idle:
            sock = self._idle.pop()
            if sock.reusable(loop):
                return sock
            sock.close()
        return None

    async def _round_trip(self, request: bytes, head_only: bool) -> _Answer:
        loop = asyncio.get_running_loop()
        sock = self._idle_socket(loop)
        if sock is not None:
            try:
                answer = await sock.send(request, head_only)
            except EngineConnectionError:
                if sock.received:  # it failed while answering: not a stale socket, so not safe to repeat
                    raise
                # closed by the engine while idle: once more, on a new socket
            except BaseException:  # timed out or cancelled: its answer may still come, so not reused
                sock.close()
                raise
            else:
                self._keep(sock)
                return answer
        sock = await self._open(loop)
        try:
            answer = await sock.send(request, head_only)
        except BaseException:
            sock.close()
            raise
        self._keep(sock)
        return answer

    def _keep(self, sock: _Socket) -> None:
        if not sock.closed:
            self._idle.append(sock)

    async def perform_request(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None = None,
        body: bytes | None = None,
        timeout: float | None = None,
        ignore: Collection[int] = (),
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        path = self.url_prefix + url
        if params:
            path = f"{path}?{urlencode(params)}"
        extra = "".join(f"{name.lower()}: {value}\r\n" for name, value in headers.items()) if headers else ""
        payload = body or b""
        head = (
            f"{method} {path} HTTP/1.1\r\nhost: {self.host_header}\r\n{self.fixed_head}{extra}"
            f"content-length: {len(payload)}\r\n\r\n"
        )
        request = head.encode("utf-8") + payload
        started = asyncio.get_running_loop().time()
        try:
            async with self._slots, asyncio.timeout(timeout if timeout is not None else self.timeout):
                answer = await self._round_trip(request, method == "HEAD")
        except TimeoutError as e:
            self.log_request_fail(method, path, path, body, self._since(started), exception=e)
            raise ConnectionTimeout("TIMEOUT", "the engine did not answer in time", e) from e
        except EngineConnectionError as e:
            self.log_request_fail(method, path, path, body, self._since(started), exception=e)
            raise
        data = b"".join(answer.body)
        if warning := answer.headers.get("warning"):
            self._raise_warnings([warning])
        if not 200 <= answer.status < 300 and answer.status not in ignore:
            text = data.decode("utf-8", "replace")
            self.log_request_fail(
                method, path, path, body, self._since(started), status_code=answer.status, response=text
            )
            self._raise_error(answer.status, text, answer.headers.get("content-type"))
        if log.isEnabledFor(logging.INFO):
            self.log_request_success(
                method, path, path, body, answer.status, data.decode(), self._since(started)
            )
        return answer.status, answer.headers, data

    @staticmethod
    def _since(started: float) -> float:
        return asyncio.get_running_loop().time() - started

    async def close(self) -> None:
        while self._idle:
            self._idle.pop().close()
