"""Who holds a key and what it may do: the keys file (IMPORT_API_KEYS_FILE) and IMPORT_API_KEYS.

A key is a secret with a name and scopes. The name is what the service records and shows — who
uploaded an import, who added or removed a synonym — so the secret itself is never written anywhere.
The file has one key a line, three fields separated by spaces:

    # name          scopes                      key
    rahima-bhairab  import,read-imports         3f9a0c…(openssl rand -hex 32)
    report-screen   reports                     8c1d77…
    ops             *                           51be02…

`*` grants every scope. A line with the key alone (the format before keys had names) and every key in
IMPORT_API_KEYS get every scope and the name `key-` + the first 8 hex digits of the key's SHA-256:
stable, so the trail stays readable across restarts, and useless for guessing a random key. A line that
cannot be read is skipped with a warning naming its line number, never its text.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field

log = logging.getLogger("ingest.keys")

#: What a key can be for; a route names the one it needs.
SCOPES = ("import", "synonyms", "reports", "read-imports")
ALL_SCOPES = frozenset(SCOPES)
NAME = re.compile(r"^[\w.@-]{1,40}$")


@dataclass(frozen=True)
class ApiKey:
    name: str
    scopes: frozenset[str]
    secret: bytes = field(repr=False)


def fingerprint_name(secret: str) -> str:
    """The name of a key that has none: stable, short, and no help in guessing the key."""
    return "key-" + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:8]


def _scopes(text: str) -> frozenset[str] | None:
    if text in ("*", "all"):
        return ALL_SCOPES
    scopes = frozenset(s.strip() for s in text.split(",") if s.strip())
    return scopes if scopes and scopes <= ALL_SCOPES else None


def parse_keys(text: str, *, source: str = "keys file") -> list[ApiKey]:
    """The keys of a keys file's text; bad lines are logged (by number) and skipped."""
    keys: list[ApiKey] = []
    names: set[str] = set()
    secrets: set[bytes] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) == 1:
            key = ApiKey(fingerprint_name(fields[0]), ALL_SCOPES, fields[0].encode("utf-8"))
        elif len(fields) == 3:
            name, scopes = unicodedata.normalize("NFC", fields[0]), _scopes(fields[1])
            if not NAME.match(name):
                log.warning("%s line %d skipped: a name is 1 to 40 letters, digits, . _ @ -", source, number)
                continue
            if scopes is None:
                log.warning(
                    "%s line %d skipped: scopes are * or a comma-separated list of %s",
                    source,
                    number,
                    ", ".join(SCOPES),
                )
                continue
            key = ApiKey(name, scopes, fields[2].encode("utf-8"))
        else:
            log.warning("%s line %d skipped: expected 'name scopes key' or the key alone", source, number)
            continue
        if key.name in names or key.secret in secrets:
            log.warning("%s line %d skipped: its name or key is already on an earlier line", source, number)
            continue
        names.add(key.name)
        secrets.add(key.secret)
        keys.append(key)
    return keys


def keys_from_list(comma_separated: str) -> list[ApiKey]:
    """IMPORT_API_KEYS: bare keys, taken as written (a `#` or a space is part of the key), each with
    every scope."""
    secrets = dict.fromkeys(k.strip() for k in comma_separated.split(",") if k.strip())
    return [ApiKey(fingerprint_name(k), ALL_SCOPES, k.encode("utf-8")) for k in secrets]


_file_cache: dict[str, tuple[tuple[int, int], list[ApiKey]]] = {}


def keys_in_file(path: str) -> list[ApiKey]:
    """The file's keys, read again whenever it changes (rotation without a restart); none if missing."""
    try:
        stat = os.stat(path)
    except OSError:
        return []
    version = (stat.st_mtime_ns, stat.st_size)
    cached = _file_cache.get(path)
    if cached and cached[0] == version:
        return cached[1]
    try:
        with open(path, encoding="utf-8") as f:
            keys = parse_keys(f.read())
    except (OSError, UnicodeDecodeError) as e:
        log.warning("keys file %s not readable (%s); no keys from it", path, type(e).__name__)
        keys = []
    _file_cache[path] = (version, keys)
    return keys
