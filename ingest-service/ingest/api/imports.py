"""/v1/imports: spreadsheet imports for data clerks — upload, progress, error report, template download.

Thin routes: check the key, get the upload onto a file on disk, hand it to `csv_import.importer`, and
shape the answer. The key check comes before the body is read, and reads the keys from settings on
every request so a configuration reload can rotate them. Every error answer carries its message in
English (`message`) and Bangla (`message_bn`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Query, Request, Security
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from ingest.answers import ImportAnswer, ImportProgress
from ingest.api.auth import bearer, denied, forbidden
from ingest.config import IngestSettings
from ingest.csv_import.columns import KINDS, columns_for, template_csv
from ingest.csv_import.importer import ImportOptions, dry_run, parse_on_duplicate, start_import
from ingest.csv_import.publish import PublishFailed
from ingest.csv_import.reader import FileProblem
from ingest.csv_import.resume import import_dir
from ingest.engine import EngineUnavailable
from ingest.imports_store import ImportsStore, progress_view
from ingest.topics import topic_for
from portal.api_docs import error_responses
from portal.api_errors import error_body
from portal.clerk_messages import bilingual
from portal.clock import now_dhaka
from portal.reachability import any_reachable

log = logging.getLogger("ingest.imports")
router = APIRouter(prefix="/v1/imports", tags=["imports"])
IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Dry run: every row validated, nothing published; the whole report",
        "model": ImportAnswer,
    },
    202: {
        "description": "Accepted: the file's shape is fine; rows are validated and published in the "
        "background. Follow status_url",
        "model": ImportAnswer,
    },
    **error_responses(400, 401, 413, 415, 422, 503),
}


def csv_answer(description: str, *errors: int) -> dict[int | str, dict[str, Any]]:
    """The documented answers of a route that answers a CSV file, or one of the error bodies."""
    csv = {"text/csv": {"schema": {"type": "string"}}}
    return {200: {"description": description, "content": csv}, **error_responses(*errors)}


#: Content types a raw (non-multipart) upload may arrive with; browsers on Windows say vnd.ms-excel.
RAW_TYPES = {
    "",
    "text/csv",
    "application/csv",
    "text/plain",
    "text/tab-separated-values",
    "application/vnd.ms-excel",
    "application/msexcel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/zip",
    "application/x-zip-compressed",
    "application/octet-stream",
}
MULTIPART_SLACK = 1 << 20  # form boundaries and part headers around the file
COPY_CHUNK = 1 << 20

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
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            },
        },
    }
}


def problem(
    status: int, code: str, message: str, message_bn: str | None = None, **details: Any
) -> JSONResponse:
    """The one error body (portal.api_errors), with the Bangla message beside the English one."""
    body = error_body(code, message, details or None)
    if message_bn:
        body["message_bn"] = message_bn
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def said(status: int, code: str, **params: Any) -> JSONResponse:
    """An error answer from the message catalog, in both languages."""
    text = bilingual(code, **params)
    return problem(status, code, text["message"], text["message_bn"])


@contextlib.asynccontextmanager
async def _upload(request: Request, max_bytes: int) -> AsyncIterator[tuple[str, str | None]]:
    """The uploaded file saved to disk (its path), and its file name if sent.

    The path belongs to the caller after the block only if it was moved away; otherwise it is deleted.
    """
    too_large = FileProblem(413, "too_large", max_mb=max_bytes // (1 << 20))
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes + (
        MULTIPART_SLACK if media.startswith("multipart/") else 0
    ):
        raise too_large
    fd, path = tempfile.mkstemp(prefix="import-", suffix=".upload")
    try:
        with os.fdopen(fd, "wb") as out:
            if media == "multipart/form-data":
                filename = await _save_multipart(request, out, max_bytes, too_large)
            elif media in RAW_TYPES:
                size = 0
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > max_bytes:
                        raise too_large
                    out.write(chunk)
                filename = request.query_params.get("filename")
            else:
                raise FileProblem(415, "unsupported_type", media=media)
        yield path, filename
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


async def _capped(
    stream: AsyncIterator[bytes], limit: int, too_large: FileProblem
) -> AsyncGenerator[bytes, None]:
    """The body as it arrives, refused as soon as it passes `limit` — before the rest is read."""
    size = 0
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            raise too_large
        yield chunk


async def _save_multipart(request: Request, out: Any, max_bytes: int, too_large: FileProblem) -> str | None:
    """The form's file part, parsed from a capped stream: a chunked body without a Content-Length
    is counted as it arrives, so no more than the limit ever reaches the temporary file."""
    capped = _capped(request.stream(), max_bytes + MULTIPART_SLACK, too_large)
    try:
        form = await MultiPartParser(request.headers, capped, max_files=1, max_fields=20).parse()
    except MultiPartException as e:
        raise FileProblem(400, "bad_upload", detail=e.message) from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise FileProblem(422, "no_file")
        if upload.size is not None and upload.size > max_bytes:
            raise too_large
        upload.file.seek(0)
        shutil.copyfileobj(upload.file, out, COPY_CHUNK)
        return upload.filename
    finally:
        await form.close()


async def _import(request: Request, kind: str, dry: bool, sheet: str | None, on_duplicate: str) -> Response:
    if (refusal := denied(request)) is not None:
        return refusal
    state = request.app.state
    settings: IngestSettings = state.settings
    if not dry and (state.producer is None or not await any_reachable(settings.kafka_bootstrap_servers)):
        return said(503, "kafka_unavailable")
    store = ImportsStore(state.engine.client, settings, started_by=request.state.caller.name)
    try:
        options = ImportOptions(
            kind=kind, dry_run=dry, sheet=sheet or None, on_duplicate=parse_on_duplicate(on_duplicate)
        )
        async with _upload(request, settings.import_max_bytes) as (path, filename):
            if dry:
                result = await dry_run(
                    path,
                    options,
                    filename=filename,
                    max_rows=settings.import_max_rows,
                    store=store,
                    clock=now_dhaka,
                )
                return _answer(ImportAnswer.model_validate(result.public()), 200)
            owned = path + ".import"
            os.replace(path, owned)  # the background task owns (and deletes) it from here
            result = await start_import(
                owned,
                options,
                filename=filename,
                max_rows=settings.import_max_rows,
                store=store,
                producer=state.producer,
                topic=topic_for(settings, KINDS[kind]),
                clock=now_dhaka,
                folder=import_dir(settings),
            )
    except FileProblem as e:
        return problem(e.status, e.code, e.message, e.message_bn, **e.details)
    except PublishFailed:
        return said(503, "kafka_unavailable")
    except EngineUnavailable:
        return said(503, "engine_unavailable")
    return _answer(ImportAnswer.model_validate(result.public()), 202)


def _answer(model: ImportAnswer | ImportProgress, status: int = 200) -> Response:
    """A documented answer: the routes return a Response (errors are several bodies), so the model is
    serialized here, as FastAPI would."""
    return Response(
        model.model_dump_json(exclude_unset=True), status_code=status, media_type="application/json"
    )


_PARAMS_DOC = {
    "dry_run": "Validate every row and answer with the whole report; publish nothing",
}


#: What each import route takes, for its OpenAPI summary.
IMPORT_SUMMARIES = {
    "providers": "Import providers",
    "products": "Import storefront products",
    "sellers": "Import storefronts (sellers)",
}


def _import_route(kind: str) -> Callable[..., Awaitable[Response]]:
    async def import_kind(
        request: Request,
        dry_run: bool = Query(False, description=_PARAMS_DOC["dry_run"]),
        sheet: str | None = Query(None, description="A workbook's sheet by name (default: the first)"),
        on_duplicate: str = Query(
            "refuse", description="refuse: rows sharing an id are errors; last: the last row wins"
        ),
    ) -> Response:
        return await _import(request, kind, dry_run, sheet, on_duplicate)

    import_kind.__name__ = f"import_{kind}"
    return import_kind


for _kind in KINDS:
    router.add_api_route(
        f"/{_kind}",
        _import_route(_kind),
        methods=["POST"],
        summary=f"{IMPORT_SUMMARIES[_kind]} from a spreadsheet: CSV, .xlsx, .xls or .ods (multipart field `file`, or the raw body)",
        openapi_extra=_UPLOAD_DOC,
        responses=IMPORT_RESPONSES,
        dependencies=[Security(bearer)],
    )


@router.get(
    "/templates/{kind}.csv",
    summary="A CSV template: the header row and two example rows",
    response_class=Response,
    responses=csv_answer("The template", 404),
)
async def template(kind: str) -> Response:
    if kind not in KINDS:
        return said(404, "unknown_kind", kind=repr(kind), kinds=", ".join(KINDS))
    return Response(
        template_csv(columns_for(kind)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'},
    )


@router.get(
    "/{import_id}",
    summary="An import's progress: rows checked, published, indexed, failed, searchable, ETA; errors and warnings",
    responses={
        200: {"description": "Progress", "model": ImportProgress},
        **error_responses(401, 404, 422, 503),
    },
    dependencies=[Security(bearer)],
)
async def import_progress(request: Request, import_id: str) -> Response:
    if (refusal := denied(request)) is not None:
        return refusal
    settings: IngestSettings = request.app.state.settings
    store = ImportsStore(request.app.state.engine.client, settings)
    try:
        record = await store.get(import_id)
        if record is None:
            return said(404, "unknown_import", import_id=repr(import_id))
        if not request.state.caller.may_read_import(record.get("started_by")):
            return forbidden(request.state.caller, "read-imports").response()
        if record.get("kind") in KINDS:
            await store.confirm_searchable(record, settings.index_alias(record["kind"]), now_dhaka())
        report = await store.get_report(import_id) if record.get("status") != "accepted" else None
    except EngineUnavailable:
        return said(503, "engine_unavailable")
    view = progress_view(record)
    if report is not None:
        view |= report.get("report", {})
    view["import_id"] = import_id
    view["status_url"] = f"/v1/imports/{import_id}"
    view["error_report_url"] = f"/v1/imports/{import_id}/errors.csv"
    return _answer(ImportProgress.model_validate(view))


@router.get(
    "/{import_id}/errors.csv",
    summary="The failed rows as CSV, with the clerk's header and two reason columns: fix in Excel, upload again",
    response_class=Response,
    responses=csv_answer("The error report", 401, 404, 503),
    dependencies=[Security(bearer)],
)
async def error_report(request: Request, import_id: str) -> Response:
    if (refusal := denied(request)) is not None:
        return refusal
    store = ImportsStore(request.app.state.engine.client, request.app.state.settings)
    try:
        record, report = await store.get(import_id), await store.get_report(import_id)
    except EngineUnavailable:
        return said(503, "engine_unavailable")
    if report is None:
        return said(404, "unknown_import", import_id=repr(import_id))
    if not request.state.caller.may_read_import((record or {}).get("started_by")):
        return forbidden(request.state.caller, "read-imports").response()
    content = ("\ufeff" + (report.get("error_csv") or "")).encode("utf-8")
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{import_id[:12]}-errors.csv"'},
    )
