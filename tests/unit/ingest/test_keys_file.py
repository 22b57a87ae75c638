"""Keys with names and scopes: the keys file, IMPORT_API_KEYS, and what a Caller may do. Pure."""

from __future__ import annotations

import logging
import os

import pytest

from ingest.api.auth import Caller, matching_key
from ingest.api_keys import ALL_SCOPES, fingerprint_name, keys_from_list, parse_keys
from ingest.config import IngestSettings

FILE = """
# name          scopes                 key
rahima-bhairab  import,read-imports    secret-import-1
report-screen   reports                secret-report-1
ops             *                      secret-ops-1
secret-bare-1
"""


def test_a_keys_file_names_each_key_and_its_scopes():
    keys = {k.name: k for k in parse_keys(FILE)}
    assert keys["rahima-bhairab"].scopes == {"import", "read-imports"}
    assert keys["report-screen"].scopes == {"reports"}
    assert keys["ops"].scopes == ALL_SCOPES
    bare = keys[fingerprint_name("secret-bare-1")]
    assert bare.scopes == ALL_SCOPES, "a key alone on its line (the old format) keeps every scope"
    assert keys["rahima-bhairab"].secret == b"secret-import-1"


def test_a_key_without_a_name_is_named_by_a_fingerprint_that_is_not_the_key():
    name = fingerprint_name("demo-clerk-key")
    assert name == fingerprint_name("demo-clerk-key") and name.startswith("key-") and len(name) == 12
    assert "demo" not in name
    assert [k.name for k in keys_from_list("a-key, b-key,,")] == [
        fingerprint_name("a-key"),
        fingerprint_name("b-key"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "someone import,fly secret-x",  # an unknown scope: refused rather than guessed
        "someone import",  # two fields: a name without a key, or a key with a space
        "some one import secret-x",
        "bad/name import secret-x",
        "someone , secret-x",
    ],
)
def test_a_line_that_cannot_be_read_is_skipped_and_named_by_its_number_never_its_text(line, caplog):
    with caplog.at_level(logging.WARNING, logger="ingest.keys"):
        keys = parse_keys(f"ops * secret-ops\n{line}\n")
    assert [k.name for k in keys] == ["ops"]
    assert "line 2" in caplog.text and "secret-x" not in caplog.text and "secret-ops" not in caplog.text


def test_a_repeated_name_or_key_keeps_the_first():
    keys = parse_keys("a import k1\na reports k2\nb reports k1\n")
    assert [(k.name, k.secret) for k in keys] == [("a", b"k1")]


def test_the_header_finds_its_key_exactly():
    keys = parse_keys(FILE)
    assert matching_key("Bearer secret-report-1", keys).name == "report-screen"
    assert matching_key("Bearer secret-report-1 ", keys) is None
    assert matching_key("Bearer secret-report", keys) is None
    assert matching_key("bearer secret-report-1", keys) is None
    assert matching_key(None, keys) is None


def test_a_caller_reads_its_own_imports_and_with_read_imports_everyone_s():
    clerk = Caller("rahima", frozenset({"import"}))
    auditor = Caller("audit", frozenset({"read-imports"}))
    assert clerk.may_read_import("rahima") and not clerk.may_read_import("karim")
    assert not clerk.may_read_import(None), "an import from before names is another key's"
    assert auditor.may_read_import("karim") and auditor.may_read_import(None)
    assert not Caller("rahima", frozenset({"reports"})).may_read_import("rahima")


def test_settings_merge_import_api_keys_and_the_file_which_rotates(tmp_path):
    path = tmp_path / "keys"
    path.write_text("clerk import old-secret\n")
    settings = IngestSettings(import_api_keys="env-key", import_api_keys_file=str(path))
    assert [k.name for k in settings.api_keys()] == [fingerprint_name("env-key"), "clerk"]
    path.write_text("clerk import new-secret\nenv-key\n")
    os.utime(path, ns=(1, 1))  # a new version even within the file system's time resolution
    keys = settings.api_keys()
    assert [(k.name, k.secret) for k in keys] == [
        (fingerprint_name("env-key"), b"env-key"),
        ("clerk", b"new-secret"),
    ]
    path.unlink()
    assert [k.name for k in settings.api_keys()] == [fingerprint_name("env-key")]
