"""gzip for clients that accept it, at a fraction of Starlette's cost for the API's answers.

A search answer is written whole, in one body message (answers/json_answer.py). Starlette's
GZipMiddleware wraps every request's `send`, parses the response headers into objects and compresses
through a `GzipFile` at the level asked: on a products page that was as much CPU as the rest of the
HTTP layer. Here a whole body is compressed by one call (gzip framing, by the deflate its kind
deserves: ANSWER, FILE), and a request whose client does not accept gzip is not wrapped at all. A
response that streams (a web client file larger than a read, 64 KB) is handed to Starlette's
responder, which compresses chunk by chunk.
"""

from __future__ import annotations

import zlib
from types import ModuleType

from isal import isal_zlib
from starlette.middleware.gzip import GZipResponder

from portal.observability import ASGIApp, Message, Receive, Scope, Send

#: A deflate library and its level. An answer is written for one request, so it is compressed by ISA-L's
#: deflate (the isal package, zlib's interface): at its level 2 a search answer comes out as small as
#: zlib's at 3 (a nearest answer 1,371 bytes against 1,368, a products page 3,344 against 3,181) in a
#: third of the CPU (45 → 16 µs, 97 → 28 µs), the gzip of an answer having been ~6 % of a search's CPU.
#: The web client's files are the same for every phone that opens the page on a slow link (and cached
#: after): zlib at 6 makes them ~10 % smaller than ISA-L's best (the map library 53 KB against 60).
Deflate = tuple[ModuleType, int]
ANSWER: Deflate = (isal_zlib, 2)
FILE: Deflate = (zlib, 6)
MINIMUM_SIZE = 1000  # bytes: below this a response goes as it is (gzip's own framing is ~20 bytes)
#: Content already compressed, or streamed to be read as it comes: sent as it is.
AS_IT_IS = ("image/", "font/", "audio/", "video/", "application/zip", "application/gzip", "text/event-stream")


def accepts_gzip(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            return b"gzip" in value
    return False


def compressible(start: Message) -> bool:
    """Whether a response may be compressed, from its start message: not already encoded, not a
    range, not of a kind that is compressed already."""
    if start["status"] == 206:
        return False
    for name, value in start.get("headers", ()):
        if name == b"content-encoding":
            return False
        if name == b"content-type" and value.decode("latin-1").startswith(AS_IT_IS):
            return False
    return True


def deflate(start: Message) -> Deflate:
    """ANSWER for JSON, FILE for the rest (the web client's page, scripts and styles)."""
    for name, value in start.get("headers", ()):
        if name == b"content-type":
            return ANSWER if value.startswith(b"application/json") else FILE
    return FILE


def gzipped(body: bytes, how: Deflate) -> bytes:
    library, level = how
    compressor = library.compressobj(level, library.DEFLATED, 31)  # 31: gzip's header and trailer
    packed: bytes = compressor.compress(body) + compressor.flush()
    return packed


class Compression:
    def __init__(self, app: ASGIApp, minimum_size: int = MINIMUM_SIZE) -> None:
        self.app = app
        self.minimum_size = minimum_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not accepts_gzip(scope):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        streaming: GZipResponder | None = None

        async def send_compressed(message: Message) -> None:
            nonlocal start, streaming
            if streaming is not None:
                await streaming.send_with_compression(message)
            elif message["type"] == "http.response.start":
                start = message  # held until the body says how to send it
            elif start is None:
                await send(message)
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                await self._send_whole(start, message, send)
            else:  # a streamed body: Starlette's responder compresses it chunk by chunk
                streaming = GZipResponder(
                    self.app, self.minimum_size, compresslevel=FILE[1]
                )  # zlib's, as FILE
                streaming.send = send
                await streaming.send_with_compression(start)
                await streaming.send_with_compression(message)

        await self.app(scope, receive, send_compressed)

    async def _send_whole(self, start: Message, message: Message, send: Send) -> None:
        body: bytes = message.get("body", b"")
        if len(body) < self.minimum_size or not compressible(start):
            await send(start)
            await send(message)
            return
        body = gzipped(body, deflate(start))
        headers = [(n, v) for n, v in start.get("headers", ()) if n != b"content-length"]
        headers += [
            (b"content-encoding", b"gzip"),
            (b"content-length", str(len(body)).encode("latin-1")),
            (b"vary", b"Accept-Encoding"),
        ]
        await send({**start, "headers": headers})
        await send({**message, "body": body})
