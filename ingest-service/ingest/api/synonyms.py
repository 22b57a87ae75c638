"""/v1/synonyms: words people use for a category or a place, added by clerks without a deploy.

A set is published to the compacted `synonyms` topic (key = its id), and every search-service process
rebuilds its lexicon from the topic within seconds. The taxonomy's own names stay the base; a synonym
only adds ways to reach a category. A key with the `synonyms` scope may list, add and remove sets; each
change records the key's name and the time, and the list shows both (removals too).

What a set may not do without saying so (`override: true`): make a category's name, alias or item, or a
place's name, name something else — and an emergency category's words not even then (portal.synonyms).
How many sets exist and how big one is are bounded (SYNONYM_MAX_SETS, _WORDS, _WORD_CHARS): every search
process rebuilds its lexicon from all of them.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ingest.answers import SynonymList, SynonymSet
from ingest.api.auth import Caller, need
from ingest.config import IngestSettings
from portal.api_docs import error_responses
from portal.api_errors import ErrorAnswer
from portal.clerk_messages import bilingual
from portal.clock import now_dhaka
from portal.synonyms import (
    MAX_NOTE_CHARS,
    SYNONYMS_TOPIC,
    InvalidSynonym,
    Limits,
    synonym_set,
    target_of,
)
from portal.synonyms import SynonymSet as Synonym
from portal.synonyms import conflicts as conflicts_of

SYNONYM_KEY = need("synonyms")
router = APIRouter(prefix="/v1/synonyms", tags=["synonyms"], dependencies=[Depends(SYNONYM_KEY)])
VISIBLE_WITHIN_S = 10.0


class SynonymRequest(BaseModel):
    """Words (Bangla, Banglish, English, phrases too) that name one category or one upazila."""

    words: list[str] = Field(
        min_length=1, examples=[["ঝাড়ুদার", "jharudar"]], description="at most SYNONYM_MAX_WORDS (20)"
    )
    kind: str = Field(default="provider", description="provider or product")
    category: str | None = Field(default=None, examples=["cleaner"])
    upazila: str | None = Field(default=None, description="instead of category: a place name")
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS, description="why it was added")
    override: bool = Field(
        default=False,
        strict=True,  # true or false, never 1 or "yes": it changes what a word means
        description="add it even though a word already names another category or place (never for an "
        "emergency category's words); recorded with the set",
    )


def _refusal(status: int, code: str, details: Any = None, **params: Any) -> JSONResponse:
    text = bilingual(code, **params)
    return ErrorAnswer(
        status, code, text["message"], message_bn=text["message_bn"], details=details
    ).response()


def _answer(synonym: Synonym) -> SynonymSet:
    return SynonymSet(**synonym.to_json())


async def _published(request: Request, id: str, value: bytes | None, visible: Callable[[], bool]) -> bool:
    """Publish a record (None: a tombstone), then wait until this process's own synonym book shows the
    change (so a GET right after agrees); False when Kafka did not take it."""
    state = request.app.state
    if state.producer is None:
        return False
    try:
        future = state.producer.send(state.settings.topic(SYNONYMS_TOPIC), key=id.encode(), value=value)
        await asyncio.get_running_loop().run_in_executor(None, lambda: future.get(timeout=10))
    except Exception:
        return False
    for _ in range(int(VISIBLE_WITHIN_S / 0.05)):
        if visible():
            break
        await asyncio.sleep(0.05)
    return True


def _record(synonym: Synonym) -> bytes:
    return json.dumps(synonym.to_json(), ensure_ascii=False).encode("utf-8")


@router.get(
    "",
    summary="Every synonym set in force, who added it and when; and the latest removed, who removed them",
    response_model=SynonymList,
    responses=error_responses(401, 403),
)
async def list_synonyms(request: Request) -> SynonymList:
    book = request.app.state.synonyms
    return SynonymList(
        synonyms=[_answer(s) for s in book.sets()], removed=[_answer(s) for s in book.removed()]
    )


@router.post(
    "",
    status_code=201,
    summary="Add a synonym set: these words name this category (or upazila)",
    response_model=SynonymSet,
    responses=error_responses(401, 403, 409, 422, 503),
)
async def add_synonyms(
    request: Request,
    body: SynonymRequest,
    response: Response,
    caller: Annotated[Caller, Depends(SYNONYM_KEY)],
) -> SynonymSet | Response:
    settings: IngestSettings = request.app.state.settings
    book = request.app.state.synonyms
    in_force = book.sets()
    if len(in_force) >= settings.synonym_max_sets:
        return _refusal(
            409,
            "too_many_synonyms",
            {"max": settings.synonym_max_sets},
            count=len(in_force),
            max=settings.synonym_max_sets,
        )
    id = uuid.uuid4().hex[:12]
    limits = Limits(words=settings.synonym_max_words, word_chars=settings.synonym_max_word_chars)
    try:
        synonym = synonym_set(
            body.model_dump(),
            id=id,
            created_at=now_dhaka().isoformat(),
            created_by=caller.name,
            limits=limits,
        )
    except InvalidSynonym as e:
        return ErrorAnswer(
            422, "invalid_synonym", f"{e.field}: {e.message}", message_bn=f"{e.field}: {e.bn}",
            details={"field": e.field},
        ).response()  # fmt: skip
    found = conflicts_of(synonym, in_force)
    refused = [c for c in found if c.emergency] or ([] if synonym.override else found)
    if refused:
        code = "emergency_word" if refused[0].emergency else "synonym_conflict"
        target = target_of(synonym)
        return ErrorAnswer(
            409,
            code,
            refused[0].message(code, "en", target),
            message_bn=refused[0].message(code, "bn", target),
            details={"conflicts": [c.details() for c in refused]},
        ).response()
    if not await _published(request, id, _record(synonym), lambda: any(s.id == id for s in book.sets())):
        return _refusal(503, "synonym_not_saved")
    response.headers["Location"] = f"/v1/synonyms/{id}"
    return _answer(synonym)


@router.delete(
    "/{synonym_id}",
    status_code=204,
    summary="Remove a synonym set (the list keeps showing who removed it, and when)",
    response_class=Response,
    responses=error_responses(401, 403, 404, 503),
)
async def remove_synonyms(
    request: Request, synonym_id: str, caller: Annotated[Caller, Depends(SYNONYM_KEY)]
) -> Response:
    book = request.app.state.synonyms
    synonym = next((s for s in book.sets() if s.id == synonym_id), None)
    if synonym is None:
        return _refusal(404, "unknown_synonym", id=repr(synonym_id[:40]))
    removed = synonym.removed_record(at=now_dhaka().isoformat(), by=caller.name)
    gone = lambda: all(s.id != synonym_id for s in book.sets())  # noqa: E731
    if not await _published(request, synonym_id, _record(removed), gone):
        return _refusal(503, "synonym_not_saved")
    return Response(status_code=204)
