"""Dead letters: a whole copy when it fits, a reference (where, how large, how it begins) when not."""

from __future__ import annotations

import json

from ingest.dead_letter import DLQ_MAX_MESSAGE_BYTES, PREFIX_BYTES, copy_of, reference_to
from ingest.events import Rejection, SourcePosition

AT = SourcePosition("providers", 3, 41)


def rejection(raw: bytes, key: bytes | None = b"p-1") -> Rejection:
    return Rejection("too_large", f"the message is {len(raw)} bytes", raw, AT, key)


def test_a_copy_carries_the_original_bytes_key_and_source():
    letter = copy_of(rejection(b'{"id": "p-1"}'))
    assert letter.topic == "providers.dlq"
    assert (letter.key, letter.value) == (b"p-1", b'{"id": "p-1"}')
    headers = dict(letter.headers)
    assert headers["source.offset"] == b"41" and headers["source.partition"] == b"3"
    assert letter.size > len(letter.value)  # headers and framing count too


def test_a_copy_of_a_message_near_the_limit_does_not_fit_but_its_reference_does():
    raw = "ক".encode() * (DLQ_MAX_MESSAGE_BYTES // 3)  # Bangla: three bytes a letter
    assert copy_of(rejection(raw)).size > DLQ_MAX_MESSAGE_BYTES
    letter = reference_to(rejection(raw, key=b"k" * 10_000))
    assert letter.size < 10_000
    assert letter.key == b"k" * 256
    body = json.loads(letter.value)
    assert (body["topic"], body["partition"], body["offset"], body["size"]) == ("providers", 3, 41, len(raw))
    assert body["prefix"] == raw[:PREFIX_BYTES].decode("utf-8", "replace")
    assert body["prefix"].startswith("কককক")  # a letter cut in half at the end becomes one U+FFFD
    assert dict(letter.headers)["dead_letter.by_reference"] == b"true"
    assert dict(letter.headers)["source.size"] == str(len(raw)).encode()
