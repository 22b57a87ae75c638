"""The one key check of ingest-service: `Authorization: Bearer <key>` → a Caller, or the one 401 body.

Every route that needs a key depends on `need(scope)`: it finds the key (exactly and in constant time),
answers 401 when there is none, 403 when the key lacks the scope, and otherwise returns the Caller — the
key's name and scopes, also left in `request.state.caller` — so what the route changes can record who
did it by name, never by secret.

Exactly means the scheme is `Bearer` as written, one space, then a configured key and nothing else: a
key with a trailing non-breaking space, a tab, extra spaces or `bearer` in lower case is refused, so
what a clerk pasted is either the key or a clear 401, never "close enough". The keys are read from
settings on every request, so a keys file that changes rotates them without a restart.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ingest.api_keys import SCOPES, ApiKey
from ingest.config import IngestSettings
from portal.api_errors import ErrorAnswer
from portal.clerk_messages import bilingual, render

log = logging.getLogger("ingest.auth")

SCHEME = "Bearer "
# Documents the bearer key in OpenAPI; the check itself is `caller_of`, so its message stays ours.
bearer = HTTPBearer(
    auto_error=False,
    description="A key from IMPORT_API_KEYS_FILE (name, scopes) or IMPORT_API_KEYS (every scope)",
)


@dataclass(frozen=True)
class Caller:
    """Who sent a request with a valid key: the key's name (what records show) and what it may do."""

    name: str
    scopes: frozenset[str]

    def may(self, scope: str) -> bool:
        return scope in self.scopes

    def may_read_import(self, started_by: str | None) -> bool:
        """An import's status and error report: its own imports for a key that imports, any import with
        read-imports (an import recorded before keys had names counts as another key's)."""
        return self.may("read-imports") or (started_by == self.name and self.may("import"))


def matching_key(authorization: str | None, keys: Sequence[ApiKey]) -> ApiKey | None:
    """The key the header is `Bearer <key>` of, exactly; every key is compared, match or not."""
    header = authorization or ""
    try:
        presented = header[len(SCHEME) :].encode("latin-1")  # the bytes sent: Starlette decodes Latin-1
    except UnicodeEncodeError:
        presented = b""  # no client could have sent it
    found: ApiKey | None = None
    for key in keys:
        if hmac.compare_digest(presented, key.secret) and found is None:
            found = key
    return found if header.startswith(SCHEME) and presented else None


def authorized(authorization: str | None, keys: Sequence[str]) -> bool:
    """Whether the header is `Bearer <one of keys>`, exactly (the check, on bare secrets)."""
    candidates = [ApiKey(f"k{i}", frozenset(), k.encode("utf-8")) for i, k in enumerate(keys)]
    return matching_key(authorization, candidates) is not None


def unauthorized() -> ErrorAnswer:
    text = bilingual("unauthorized")
    return ErrorAnswer(
        401,
        "unauthorized",
        text["message"],
        message_bn=text["message_bn"],
        headers={"WWW-Authenticate": "Bearer"},
    )


def forbidden(caller: Caller, scope: str) -> ErrorAnswer:
    def say(language: str) -> str:
        action = render(f"scope.{scope}", language, {})
        return render("forbidden", language, {"name": caller.name, "scope": scope, "action": action})

    return ErrorAnswer(
        403,
        "forbidden",
        say("en"),
        message_bn=say("bn"),
        details={"key": caller.name, "scope": scope},
    )


def caller_of(request: Request, *scopes: str) -> Caller:
    """The Caller of this request if its key holds one of `scopes` (any valid key when none are named);
    else raises the 401 or 403 answer."""
    settings: IngestSettings = request.app.state.settings
    keys = settings.api_keys()
    key = matching_key(request.headers.get("authorization"), keys)
    if key is None:
        if not keys:
            log.warning("refused: no keys in IMPORT_API_KEYS or IMPORT_API_KEYS_FILE, so nothing is allowed")
        raise unauthorized()
    caller = Caller(key.name, key.scopes)
    request.state.caller = caller
    if scopes and not any(caller.may(s) for s in scopes):
        log.info("key %s refused: it lacks the scope %s", caller.name, scopes[0])
        raise forbidden(caller, scopes[0])
    return caller


def need(*scopes: str) -> Callable[..., Caller]:
    """The dependency of a route that needs a key with one of `scopes`: `caller: Caller = Depends(need("synonyms"))`.
    It runs before FastAPI reads the body, and documents the bearer key in OpenAPI."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes {sorted(unknown)}; expected some of {SCOPES}")

    def dependency(
        request: Request, _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]
    ) -> Caller:
        return caller_of(request, *scopes)

    dependency.__name__ = f"need_{'_or_'.join(scopes) or 'any_key'}".replace("-", "_")
    return dependency


#: Which scope an import route needs, by method, for routes that check inside their body (`denied`).
IMPORT_ROUTE_SCOPES = {"POST": ("import",), "GET": ("read-imports", "import")}


def denied(request: Request) -> JSONResponse | None:
    """The same check for the import routes, which check inside their body: None when allowed (the
    Caller is then in `request.state.caller`), else the 401 or 403 answer. An upload needs `import`;
    reading an import needs `import` or `read-imports` — and, once the import is loaded,
    `Caller.may_read_import(started_by)`."""
    try:
        caller_of(request, *IMPORT_ROUTE_SCOPES.get(request.method, ("import",)))
    except ErrorAnswer as refusal:
        return refusal.response()
    return None
