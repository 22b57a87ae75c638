"""The import key check: `Authorization: Bearer <key>`, matched exactly and in constant time.

Exactly means the scheme is `Bearer` as written, one space, then a configured key and nothing else: a
key with a trailing non-breaking space, a tab, extra spaces or `bearer` in lower case is refused, so
what a clerk pasted is either the key or a clear 401, never "close enough". The keys are read from
settings on every request, so a key file that changes rotates them without a restart.
"""

from __future__ import annotations

import hmac
import logging

from fastapi import Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from starlette.exceptions import HTTPException

from ingest.config import IngestSettings
from portal.api_errors import error_response

log = logging.getLogger("ingest.auth")

SCHEME = "Bearer "
# Documents the bearer key in OpenAPI; the check itself is `denied`, so its message stays ours.
bearer = HTTPBearer(auto_error=False, description="An import key from IMPORT_API_KEYS")


def authorized(authorization: str | None, keys: list[str]) -> bool:
    """Whether the header is `Bearer <one of keys>`, exactly; every key is compared, match or not."""
    header = authorization or ""
    try:
        presented = header[len(SCHEME) :].encode("latin-1")  # the bytes sent: Starlette decodes Latin-1
    except UnicodeEncodeError:
        presented = b""  # no client could have sent it
    ok = False
    for key in keys:
        ok |= hmac.compare_digest(presented, key.encode("utf-8"))
    return ok and header.startswith(SCHEME) and bool(presented)


def denied(request: Request) -> JSONResponse | None:
    """None when the request carries a valid import key, else the 401 to answer."""
    settings: IngestSettings = request.app.state.settings
    keys = settings.api_keys()
    if authorized(request.headers.get("authorization"), keys):
        return None
    if not keys:
        log.warning("import refused: IMPORT_API_KEYS is empty, so imports are disabled")
    return error_response(
        401,
        "unauthorized",
        "A valid import key is required: send the header Authorization: Bearer <key> "
        "(the word Bearer, one space, the key exactly).",
        headers={"WWW-Authenticate": "Bearer"},
    )


def require_key(request: Request) -> None:
    """The same check as a dependency, for routes whose body FastAPI parses: it runs before the body is
    read, and its 401 gets the one error body from portal.api_docs."""
    if denied(request) is not None:
        raise HTTPException(
            401,
            "A valid key is required: send the header Authorization: Bearer <key> "
            "(the word Bearer, one space, the key exactly).",
            headers={"WWW-Authenticate": "Bearer"},
        )
