"""The bodies ingest-service answers with, as pydantic models: the contract clerks' tools and ops
dashboards generate clients from. Routes declare them (`response_model`); a field with a default is
left out of the JSON when it does not apply (the routes answer with `exclude_unset`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ingest.csv_import.report import Conversion, RowError


class SynonymSet(BaseModel):
    """Words that name one category (of providers or of products) or one upazila."""

    id: str
    kind: str = Field(description="provider or product")
    words: list[str]
    category: str | None
    upazila: str | None
    created_at: str | None = Field(json_schema_extra={"format": "date-time"})
    note: str | None
    created_by: str | None = Field(
        description="the name of the key that added it (null: added before keys had names)"
    )
    override: bool = Field(description="added knowing that a word already named another category or place")
    removed_at: str | None = Field(json_schema_extra={"format": "date-time"})
    removed_by: str | None = Field(description="the name of the key that removed it")


class SynonymList(BaseModel):
    synonyms: list[SynonymSet] = Field(description="the sets in force")
    removed: list[SynonymSet] = Field(description="the latest removed sets, newest first (at most 100)")


class QueryRow(BaseModel):
    """One query as citizens typed it (normalized), how often, and what it found on average."""

    q: str
    count: int
    clients: int = Field(
        description="distinct clients that searched it in the window (approximate above 3,000)"
    )
    avg_results: float
    last: str | None = Field(description="the latest time it was searched")
    zero: int | None = Field(default=None, description="top queries: how many of them found nothing")
    ignored_words: list[str] | None = Field(
        default=None, description="relaxed queries: the words most often dropped"
    )


class WordCount(BaseModel):
    word: str
    count: int


class SearchReport(BaseModel):
    """GET /v1/reports/searches: searches over a window, their zero-result and relaxed shares, latency."""

    since: str = Field(json_schema_extra={"format": "date-time"})
    until: str = Field(json_schema_extra={"format": "date-time"})
    min_clients: int = Field(
        description="queries are listed only when at least this many distinct clients searched them (SEARCH_REPORT_MIN_CLIENTS)"
    )
    searches: int
    by_endpoint: dict[str, int]
    zero_results: int
    relaxed: int
    latency_ms: dict[str, float] = Field(description="percentiles: p50, p95, p99")
    top_queries: list[QueryRow]
    zero_result_queries: list[QueryRow]
    relaxed_queries: list[QueryRow]
    ignored_words: list[WordCount]


# ---------------------------------------------------------------- imports


class ClerkMessage(BaseModel):
    """A message for a data clerk, in English and in Bangla, with its stable code."""

    code: str
    message: str
    message_bn: str


class ImportWarning(ClerkMessage):
    """Something a clerk should check though no row failed; an unknown column says which."""

    letter: str | None = Field(default=None, description="an unknown column's letter")
    header: str | None = Field(default=None, description="an unknown column's header as typed")


class ImportProblem(ClerkMessage):
    """Why an import stopped."""

    detail: str | None = Field(default=None, description="the error behind an interrupted import")


class ImportAnswer(BaseModel):
    """POST /v1/imports/{kind}: 200 for a dry run (every row checked), 202 once the file's shape is fine
    and its rows go on being checked and published in the background (follow status_url)."""

    import_id: str
    kind: str = Field(description="providers, products or sellers")
    dry_run: bool
    status: str
    file_kind: str = Field(description="csv, xlsx, xls or ods")
    sheet: str | None
    encoding: str | None = Field(description="CSV only")
    rows_total: int
    rows: int
    accepted: int
    rejected: int
    published: int
    deleted: int
    replaced: int
    converted: int
    errors: list[RowError]
    errors_omitted: int = Field(description="errors counted but not listed, past the limit")
    warnings: list[ImportWarning]
    conversions: list[Conversion]
    status_url: str
    error_report_url: str


class ImportOptions(BaseModel):
    sheet: str | None
    on_duplicate: str


class ImportProgress(BaseModel):
    """GET /v1/imports/{id}: where an import is. Counts are there from the start; what only a later
    stage knows (finished_at, searchable_at, the report's errors) appears once it is known."""

    import_id: str
    id: str
    entity: str
    kind: str
    filename: str | None
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    status: str = Field(description="accepted (running), published, failed, validated (dry run), stalled")
    started_by: str | None = Field(
        default=None, description="the name of the key that started it (never the key)"
    )
    dry_run: bool
    file_kind: str | None = None
    sheet: str | None = None
    rows_total: int | None = None
    options: ImportOptions | None = None
    started_s: float | None = None
    finished_at: str | None = Field(default=None, json_schema_extra={"format": "date-time"})
    searchable_at: str | None = Field(default=None, json_schema_extra={"format": "date-time"})
    rows: int
    accepted: int
    rejected: int
    published: int
    indexed: int
    stale: int
    failed: int
    deleted: int | None = None
    replaced: int | None = None
    converted: int | None = None
    errors_count: int | None = None
    resumed: int | None = Field(
        default=None, description="how often a restart of ingest-service resumed the import where it stopped"
    )
    warnings: list[ImportWarning] = Field(default_factory=list)
    problem: ImportProblem | None = None
    errors: list[RowError] | None = None
    errors_omitted: int | None = None
    conversions: list[Conversion] | None = None
    searchable: bool = Field(description="every accepted row can be found")
    outcomes: int = Field(description="rows indexed, stale or failed so far")
    eta_s: float | None = Field(description="seconds until searchable, from the rates so far; null: unknown")
    status_url: str
    error_report_url: str
