"""One CSV row → an upsert change event, or the row's errors named by CSV column.

Cells are parsed first (every bad cell is reported, so a clerk fixes a row in one go); a row whose
cells all parse becomes the same event a Kafka producer would send and is judged by
`ingest.validate.check_event`, whose schema paths are mapped back to the column the clerk typed.

Versions: a row's version is the import's start time in epoch microseconds plus its row number, so a
newer file beats an older one, and a later row beats an earlier row with the same id in one file.
The sum stays far below 2^53 (the schema's maximum) until the year 2255.
"""

from __future__ import annotations

import functools
import os
import random
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ingest.csv_import.cells import CellError
from ingest.csv_import.columns import Column, ColumnSet, HeaderMatch
from ingest.csv_import.report import RowError
from ingest.validate import check_event

_SCHEMA_PROBLEM = re.compile(r"^(?P<path>[\w.\[\]]+): (?P<rest>.*)$", re.DOTALL)
_INDEX = re.compile(r"\[(\d+)\]")

#: Column types whose cells repeat down a sheet (categories, hours, yes/no, prices): parsed once per
#: distinct cell per import. Names, ids and phones are mostly unique, and not worth keeping around.
CACHED_TYPES = frozenset(
    {"boolean", "category", "upazila", "enum", "hours", "list", "date", "attributes", "number"}
)


def epoch_microseconds(at: datetime) -> int:
    return int(at.timestamp()) * 1_000_000 + at.microsecond


class RowConverter:
    """Builds events for one import: one clock reading and version base shared by all its rows."""

    def __init__(self, columns: ColumnSet, header: HeaderMatch, *, started: datetime) -> None:
        self.columns = columns
        self.entity = columns.entity
        self.header = header
        self.base_version = epoch_microseconds(started)
        self.timestamp = started.isoformat()
        self.by_path = columns.by_path()
        self.defaults = [(c, c.parse(c.default)) for c in header.absent_defaults if c.default is not None]
        self.blank_defaults = {c.name: c.parse(c.default) for c in columns.columns if c.default is not None}
        self.parsers = [(index, column, _parser(column)) for index, column in header.positions]
        # event_id only has to be unique: a securely seeded PRNG is much cheaper per row than uuid4's
        # os.urandom call. Values from the per-import caches are shared between events; nothing
        # mutates an event after it is built.
        self.random = random.Random(os.urandom(32))

    def convert(self, row: int, cells: list[str]) -> tuple[dict[str, Any] | None, list[RowError]]:
        """(event, []) for a usable row, else (None, one error per problem). `row` is Excel's number."""
        problems: list[RowError] = []
        data: dict[str, Any] = {"updated_at": self.timestamp}
        event: dict[str, Any] = {
            "event_id": str(uuid.UUID(int=self.random.getrandbits(128), version=4)),
            "type": "upsert",
            "entity": self.entity,
            "id": "",
            "version": self.base_version + row,
            "occurred_at": self.timestamp,
            "data": data,
        }
        count = len(cells)
        if count > self.header.width and any(c.strip() for c in cells[self.header.width :]):
            problems.append(
                RowError(
                    row,
                    None,
                    ",".join(cells[self.header.width :]),
                    f"this row has {count} cells but the header has {self.header.width} columns; "
                    "a cell containing a comma probably lost its quotes",
                )
            )
        for index, column, parse in self.parsers:
            cell = cells[index] if index < count else ""
            if not cell or cell.isspace():
                if column.name in self.blank_defaults:
                    _put(event, column.path, self.blank_defaults[column.name])
                elif column.required:
                    problems.append(RowError(row, column.name, "", _required_message(column)))
                continue
            try:
                value = parse(cell)
            except CellError as e:
                problems.append(RowError(row, column.name, cell, str(e)))
                continue
            if value is not None:  # None is a parsed "not stated", e.g. hours 24/7 = always open
                _put(event, column.path, value)
        for column, value in self.defaults:
            _put(event, column.path, value)
        if problems:
            return None, problems
        verdict = check_event(event, self.entity, check_depth=False)  # a shape we built
        if verdict is not None:
            return None, [self._schema_error(row, event, *verdict)]
        return event, []

    def _schema_error(self, row: int, event: dict[str, Any], reason: str, message: str) -> RowError:
        """Name the column behind a schema or taxonomy complaint, in the clerk's words."""
        if reason in ("unknown_category", "unknown_upazila"):
            column = self._column_ending(reason.removeprefix("unknown_"))
            return RowError(row, column.name if column else None, "", message)
        match = _SCHEMA_PROBLEM.match(message)
        if not match:
            return RowError(row, None, "", message)
        path = match["path"]
        column = self._column_at(path)
        if column is None:
            return RowError(row, None, "", message)
        label = column.name
        indexes = _INDEX.findall(path)
        if indexes:
            label += f" (item {int(indexes[0]) + 1})"
        return RowError(row, column.name, _value_text(event, column.path), match["rest"].replace(path, label))

    def _column_at(self, path: str) -> Column | None:
        """The column whose event path is `path` or its nearest ancestor (`data.hours[2].open` → hours)."""
        parts = _INDEX.sub("", path).split(".")
        while parts:
            column = self.by_path.get(".".join(parts))
            if column is not None:
                return column
            parts.pop()
        return None

    def _column_ending(self, name: str) -> Column | None:
        return next((c for c in self.columns.columns if c.path[-1] == name), None)


def _parser(column: Column) -> Callable[[str], Any]:
    if column.type in CACHED_TYPES:
        return functools.lru_cache(maxsize=1024)(column.parse)
    return column.parse


def _put(event: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = event
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _value_text(event: dict[str, Any], path: tuple[str, ...]) -> str:
    value: Any = event
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def _required_message(column: Column) -> str:
    example = next((e for e in column.example if e), "")
    hint = f" (e.g. {example})" if example else ""
    return f"{column.name} is required and this cell is empty: {column.description}{hint}"
