"""gzip for clients that accept it, without a server: whole answers in one zlib call, streamed ones
through Starlette's responder, and everything else as it is."""

from __future__ import annotations

import gzip
import json
from typing import Any

from search.http.compression import ANSWER as ANSWER_DEFLATE
from search.http.compression import FILE, Compression, deflate

ANSWER = json.dumps({"results": [{"name": "রহিম ইলেকট্রিক", "distance_m": i} for i in range(100)]}).encode()


def answering(
    *bodies: bytes,
    content_type: bytes = b"application/json",
    headers: list[tuple[bytes, bytes]] | None = None,
) -> Any:
    """An ASGI app that answers these body chunks (more than one: a streamed response)."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        head = [(b"content-type", content_type), *(headers or [])]
        if len(bodies) == 1:
            head.append((b"content-length", str(len(bodies[0])).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": head})
        for i, body in enumerate(bodies):
            await send({"type": "http.response.body", "body": body, "more_body": i < len(bodies) - 1})

    return app


async def through(app: Any, accept: bytes | None = b"gzip, deflate") -> tuple[dict[bytes, bytes], bytes]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"accept-encoding", accept)] if accept is not None else []
    await Compression(app)({"type": "http", "path": "/v1/products/search", "headers": headers}, None, send)
    head = {name: value for name, value in sent[0]["headers"]}
    return head, b"".join(m.get("body", b"") for m in sent[1:])


async def test_a_whole_answer_is_gzipped_for_a_client_that_accepts_it():
    head, body = await through(answering(ANSWER))
    assert head[b"content-encoding"] == b"gzip"
    assert head[b"vary"] == b"Accept-Encoding"
    assert int(head[b"content-length"]) == len(body) < len(ANSWER) / 3
    assert gzip.decompress(body) == ANSWER


async def test_a_client_that_does_not_accept_gzip_gets_the_answer_as_it_is():
    for accept in (None, b"identity", b"br"):
        head, body = await through(answering(ANSWER), accept)
        assert b"content-encoding" not in head
        assert body == ANSWER


async def test_small_already_encoded_and_image_answers_go_as_they_are():
    small = b'{"total": 0}'
    assert (await through(answering(small)))[1] == small
    encoded = gzip.compress(ANSWER)
    head, body = await through(answering(encoded, headers=[(b"content-encoding", b"gzip")]))
    assert body == encoded and head[b"content-encoding"] == b"gzip"
    png = b"\x89PNG" + bytes(5000)
    head, body = await through(answering(png, content_type=b"image/png"))
    assert body == png and b"content-encoding" not in head


async def test_a_streamed_response_is_compressed_chunk_by_chunk():
    chunks = [ANSWER[:3000], ANSWER[3000:]]
    head, body = await through(answering(*chunks, content_type=b"text/javascript"))
    assert head[b"content-encoding"] == b"gzip"
    assert gzip.decompress(body) == ANSWER


async def test_the_web_clients_files_are_compressed_harder_than_answers():
    script = b"function nearest(providers) { return providers.filter(p => p.open_now); }\n" * 400
    _, as_file = await through(answering(script, content_type=b"text/javascript"))
    _, as_answer = await through(answering(script))
    assert gzip.decompress(as_file) == gzip.decompress(as_answer) == script
    assert len(as_file) <= len(as_answer)


async def test_an_answer_is_compressed_by_isa_l_and_any_gzip_reader_reads_it():
    head, body = await through(answering(ANSWER))
    assert head[b"content-encoding"] == b"gzip"
    assert gzip.decompress(body) == ANSWER  # the standard library's reader: what phones' browsers do
    assert deflate({"headers": [(b"content-type", b"application/json")]}) == ANSWER_DEFLATE
    assert deflate({"headers": [(b"content-type", b"text/html")]}) == FILE
