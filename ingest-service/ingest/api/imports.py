"""/v1/imports: CSV bulk imports for data clerks — upload, template download, progress.

Thin routes: check the key, get the upload onto a spooled file, hand it to `csv_import.importer`, and
shape the answer. The key check comes before the body is read, and reads the keys from settings on
every request so a configuration reload can rotate them.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import AsyncIterator
from typing import IO, Any

from fastapi import APIRouter, Query, Request, Security
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from ingest.api.auth import bearer, denied, require_key  # noqa: F401 (require_key: reports, synonyms)
from ingest.config import IngestSettings
from ingest.csv_import.columns import KINDS, columns_for, template_csv
from ingest.csv_import.importer import ImportInterrupted, run_import
from ingest.csv_import.publish import PublishFailed
from ingest.csv_import.reader import SAVE_AS, FileProblem
from ingest.engine import EngineUnavailable
from ingest.imports_store import ImportsStore, progress_view
from ingest.topics import topic_for
from portal.api_docs import error_responses
from portal.clock import now_dhaka
from portal.reachability import any_reachable

log = logging.getLogger("ingest.imports")
router = APIRouter(prefix="/v1/imports", tags=["imports"])
JSON_OBJECT = {"application/json": {"schema": {"type": "object"}}}
IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Dry run: validated, nothing published", "content": JSON_OBJECT},
    202: {"description": "Accepted: valid rows published; follow status_url", "content": JSON_OBJECT},
    **error_responses(400, 401, 413, 415, 422, 503),
}

#: Content types a raw (non-multipart) CSV body may arrive with; browsers on Windows say vnd.ms-excel.
RAW_TYPES = {
    "",
    "text/csv",
    "application/csv",
    "text/plain",
    "application/vnd.ms-excel",
    "application/octet-stream",
}
MULTIPART_SLACK = 1 << 20  # form boundaries and part headers around the file

_UPLOAD_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


def problem(status: int, code: str, message: str, **details: Any) -> JSONResponse:
    body: dict[str, Any] = {"error": code, "message": message}
    if details:
        body["details"] = details
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


@contextlib.asynccontextmanager
async def _upload(request: Request, max_bytes: int) -> AsyncIterator[tuple[IO[bytes], str | None]]:
    """The uploaded CSV as a seekable binary file on disk past 1 MB, and its file name if sent."""
    too_large = FileProblem(
        413,
        "too_large",
        f"The file is larger than {max_bytes // (1 << 20)} MB, the most one import takes; split it.",
    )
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes + (
        MULTIPART_SLACK if media.startswith("multipart/") else 0
    ):
        raise too_large
    if media == "multipart/form-data":
        try:
            form = await request.form(max_files=1, max_fields=20)
        except HTTPException as e:
            raise FileProblem(400, "bad_upload", f"The upload could not be read: {e.detail}") from None
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise FileProblem(422, "no_file", 'Send the CSV file in a form field named "file".')
            if upload.size is not None and upload.size > max_bytes:
                raise too_large
            yield upload.file, upload.filename
        finally:
            await form.close()
        return
    if media not in RAW_TYPES:
        raise FileProblem(
            415,
            "unsupported_type",
            f"Send a CSV file (text/csv or a multipart upload), not {media}. {SAVE_AS}",
        )
    with tempfile.SpooledTemporaryFile(max_size=1 << 20) as spool:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            spool.write(chunk)
        spool.seek(0)
        yield spool, request.query_params.get("filename")  # type: ignore[misc]


async def _import(request: Request, kind: str, dry_run: bool) -> Response:
    if (refusal := denied(request)) is not None:
        return refusal
    state = request.app.state
    settings: IngestSettings = state.settings
    kafka_down = problem(
        503,
        "kafka_unavailable",
        "Kafka is not reachable, so rows cannot be published; nothing was imported. Try again later "
        "(a dry run still works).",
    )
    if not dry_run and (state.producer is None or not await any_reachable(settings.kafka_bootstrap_servers)):
        return kafka_down
    entity = KINDS[kind]
    try:
        async with _upload(request, settings.import_max_bytes) as (binary, filename):
            result = await run_import(
                binary,
                kind=kind,
                filename=filename,
                dry_run=dry_run,
                max_rows=settings.import_max_rows,
                store=ImportsStore(state.engine.client, settings),
                producer=state.producer,
                topic=topic_for(settings, entity),
                clock=now_dhaka,
            )
    except FileProblem as e:
        return problem(e.status, e.code, e.message, **e.details)
    except ImportInterrupted as e:
        body = e.result.public()
        published = e.cause.published
        message = (
            f"Kafka stopped accepting rows after confirming {published} of them; those will become "
            "searchable, the rest of the file may not be. Upload the whole file again once Kafka is "
            "back: re-importing is safe, the newer import wins."
        )
        return JSONResponse({"error": "kafka_unavailable", "message": message, **body}, status_code=503)
    except PublishFailed:
        return kafka_down
    except EngineUnavailable:
        return problem(
            503,
            "engine_unavailable",
            "The search engine is not reachable, so the import cannot be recorded; nothing was imported. "
            "Try again later.",
        )
    return JSONResponse(result.public(), status_code=200 if dry_run else 202)


@router.post(
    "/providers",
    summary="Import providers from a CSV file (multipart field `file`, or a text/csv body)",
    openapi_extra=_UPLOAD_DOC,
    responses=IMPORT_RESPONSES,
    dependencies=[Security(bearer)],
)
async def import_providers(
    request: Request, dry_run: bool = Query(False, description="Validate only; publish nothing")
) -> Response:
    return await _import(request, "providers", dry_run)


@router.post(
    "/products",
    summary="Import storefront products from a CSV file (multipart field `file`, or a text/csv body)",
    openapi_extra=_UPLOAD_DOC,
    responses=IMPORT_RESPONSES,
    dependencies=[Security(bearer)],
)
async def import_products(
    request: Request, dry_run: bool = Query(False, description="Validate only; publish nothing")
) -> Response:
    return await _import(request, "products", dry_run)


@router.get(
    "/templates/{kind}.csv",
    summary="A CSV template: the header row and two example rows",
    response_class=Response,
    responses={
        200: {"description": "The template", "content": {"text/csv": {"schema": {"type": "string"}}}},
        **error_responses(404),
    },
)
async def template(kind: str) -> Response:
    if kind not in KINDS:
        return problem(404, "unknown_kind", f"No template {kind!r}; expected one of {', '.join(KINDS)}.")
    return Response(
        template_csv(columns_for(kind)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'},
    )


@router.get(
    "/{import_id}",
    summary="An import's progress: accepted, indexed, stale, failed, searchable",
    responses={
        200: {"description": "Progress", "content": JSON_OBJECT},
        **error_responses(401, 404, 422, 503),
    },
    dependencies=[Security(bearer)],
)
async def import_progress(request: Request, import_id: str) -> Response:
    if (refusal := denied(request)) is not None:
        return refusal
    store = ImportsStore(request.app.state.engine.client, request.app.state.settings)
    try:
        record = await store.get(import_id)
    except EngineUnavailable:
        return problem(503, "engine_unavailable", "The search engine is not reachable; try again later.")
    if record is None:
        return problem(404, "unknown_import", f"No import with id {import_id!r}.")
    return JSONResponse(progress_view(record))
