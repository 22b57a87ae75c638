"""/v1/synonyms: words people use for a category or a place, added by clerks without a deploy.

A set is published to the compacted `synonyms` topic (key = its id; a delete is a tombstone), and
every search-service process rebuilds its lexicon from the topic within seconds. The taxonomy's own
names stay the base; a synonym only adds ways to reach a category. Same keys as CSV imports.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request, Security
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ingest.api.imports import bearer, problem, require_key
from portal.api_docs import error_responses
from portal.clock import now_dhaka
from portal.synonyms import SYNONYMS_TOPIC, InvalidSynonym, synonym_set

router = APIRouter(
    prefix="/v1/synonyms", tags=["synonyms"], dependencies=[Security(bearer), Depends(require_key)]
)
VISIBLE_WITHIN_S = 10.0


class SynonymRequest(BaseModel):
    """Words (Bangla, Banglish, English, phrases too) that name one category or one upazila."""

    words: list[str] = Field(min_length=1, max_length=20, examples=[["ঝাড়ুদার", "jharudar"]])
    kind: str = Field(default="provider", description="provider or product")
    category: str | None = Field(default=None, examples=["cleaner"])
    upazila: str | None = Field(default=None, description="instead of category: a place name")
    note: str | None = Field(default=None, max_length=200, description="why it was added")


class SynonymOut(BaseModel):
    id: str
    kind: str
    words: list[str]
    category: str | None
    upazila: str | None
    created_at: str | None
    note: str | None


class SynonymList(BaseModel):
    synonyms: list[SynonymOut]


async def _publish(request: Request, id: str, value: bytes | None) -> None:
    state = request.app.state
    future = state.producer.send(state.settings.topic(SYNONYMS_TOPIC), key=id.encode(), value=value)
    await asyncio.get_running_loop().run_in_executor(None, lambda: future.get(timeout=10))


async def _until(condition: Any) -> bool:
    """Wait until this process's own synonym book shows the change (so a GET right after agrees)."""
    for _ in range(int(VISIBLE_WITHIN_S / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return False


def _unavailable() -> JSONResponse:
    return problem(503, "kafka_unavailable", "Kafka is not reachable; the synonym was not saved. Try again.")


@router.get(
    "", summary="Every synonym set in force", response_model=SynonymList, responses=error_responses(401)
)
async def list_synonyms(request: Request) -> Response:
    return JSONResponse({"synonyms": [s.to_json() for s in request.app.state.synonyms.sets()]})


@router.post(
    "",
    status_code=201,
    summary="Add a synonym set: these words name this category (or upazila)",
    response_model=SynonymOut,
    responses=error_responses(401, 422, 503),
)
async def add_synonyms(request: Request, body: SynonymRequest) -> Response:
    id = uuid.uuid4().hex[:12]
    try:
        synonym = synonym_set(body.model_dump(), id=id, created_at=now_dhaka().isoformat())
    except InvalidSynonym as e:
        return problem(422, "invalid_synonym", f"{e.field}: {e.message}", field=e.field)
    if request.app.state.producer is None:
        return _unavailable()
    try:
        await _publish(request, id, json.dumps(synonym.to_json(), ensure_ascii=False).encode("utf-8"))
    except Exception:
        return _unavailable()
    book = request.app.state.synonyms
    await _until(lambda: any(s.id == id for s in book.sets()))
    return JSONResponse(synonym.to_json(), status_code=201, headers={"Location": f"/v1/synonyms/{id}"})


@router.delete(
    "/{synonym_id}",
    status_code=204,
    summary="Remove a synonym set",
    response_class=Response,
    responses=error_responses(401, 404, 503),
)
async def remove_synonyms(request: Request, synonym_id: str) -> Response:
    book = request.app.state.synonyms
    if not any(s.id == synonym_id for s in book.sets()):
        return problem(404, "unknown_synonym", f"No synonym set {synonym_id!r}; GET /v1/synonyms lists them.")
    if request.app.state.producer is None:
        return _unavailable()
    try:
        await _publish(request, synonym_id, None)
    except Exception:
        return _unavailable()
    await _until(lambda: all(s.id != synonym_id for s in book.sets()))
    return Response(status_code=204)
