"""One search as the routes that log it handle it (nearest providers, products): the moment it is
answered for — Asia/Dhaka, from the app's clock, which tests fix — when it arrived, what it runs on,
and the search log it goes to once answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from time import perf_counter
from typing import Any, TypeVar

from fastapi import Request

from portal.observability import Scope
from search.api.query_model import read_query
from search.config import SearchSettings
from search.engine import SearchEngine
from search.products.request import ProductQuery
from search.providers.request import NearestQuery
from search.query_log import QueryLog
from search.understanding.query_reader import QueryReader

Params = TypeVar("Params", NearestQuery, ProductQuery)


@dataclass(frozen=True)
class SearchRequest:
    engine: SearchEngine
    reader: QueryReader
    settings: SearchSettings
    at: datetime
    started: float  # perf_counter at arrival: the logged latency
    log: QueryLog
    scope: Scope

    @classmethod
    def read(cls, model: type[Params], request: Request) -> tuple[SearchRequest, Params]:
        """The search, and its parameters read into the endpoint's request model (query_model.py)."""
        state = request.app.state
        started, at = perf_counter(), state.clock()
        search = cls(
            state.engine, state.query_reader, state.settings, at, started, state.query_log, request.scope
        )
        return search, read_query(model, request)

    def logged(self, endpoint: str, params: NearestQuery | ProductQuery, answer: dict[str, Any]) -> None:
        """Put the answer (the JSON of its NearestProviders or ProductsPage) on its way to the search log."""
        self.log.searched(endpoint, params, answer, at=self.at, started=self.started, scope=self.scope)
