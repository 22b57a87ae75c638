"""The bodies ingest-service answers with, as pydantic models: the contract clerks' tools and ops
dashboards generate clients from. Routes declare them (`response_model`); a field with a default is
left out of the JSON when it does not apply (the routes answer with `exclude_unset`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class SynonymSet(BaseModel):
    """Words that name one category (of providers or of products) or one upazila."""

    id: str
    kind: str = Field(description="provider or product")
    words: list[str]
    category: str | None
    upazila: str | None
    created_at: str | None = Field(json_schema_extra={"format": "date-time"})
    note: str | None


class SynonymList(BaseModel):
    synonyms: list[SynonymSet]


class QueryRow(BaseModel):
    """One query as citizens typed it (normalized), how often, and what it found on average."""

    q: str
    count: int
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
    searches: int
    by_endpoint: dict[str, int]
    zero_results: int
    relaxed: int
    latency_ms: dict[str, float] = Field(description="percentiles: p50, p95, p99")
    top_queries: list[QueryRow]
    zero_result_queries: list[QueryRow]
    relaxed_queries: list[QueryRow]
    ignored_words: list[WordCount]
