"""The import key check: `Bearer`, one space, a configured key, nothing else."""

from __future__ import annotations

import pytest

from ingest.api.auth import authorized

KEYS = ["test-key-1", "test-key-2"]


def test_the_exact_header_is_accepted():
    assert authorized("Bearer test-key-2", KEYS)
    assert authorized("Bearer test-key-1", KEYS)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer test-key-3",
        "test-key-1",
        "Basic test-key-1",
        "Bearer ",
        "Bearer",
        "",
        "bearer test-key-1",  # the scheme as written, not in another case
        "BEARER test-key-1",
        "Bearer test-key-1\u00a0",  # a non-breaking space pasted from a document
        "Bearer\u00a0test-key-1",
        "Bearer test-key-1\t",
        "Bearer\ttest-key-1",
        "Bearer  test-key-1",  # two spaces
        "Bearer test-key-1 ",
        " Bearer test-key-1",
        "Bearer test-key-1 test-key-2",
        "Bearer test-key-1\u2003",  # not even Latin-1: no client sends this
    ],
)
def test_anything_but_the_exact_header_is_refused(header):
    assert not authorized(header, KEYS)


def test_no_keys_or_no_header_refuses():
    assert not authorized(None, KEYS)
    assert not authorized("Bearer test-key-1", [])
    assert not authorized("Bearer ", ["", "x"])
