"""The columns of an import, loaded from `schemas/csv/<kind>.columns.json`, and the header row matched to them.

The JSON files are the documentation clerks and frontend developers read; this module only reads
them, so adding a column or a Bangla alias is a data change. Header matching forgives what
spreadsheets do to names (case, spaces, reordering) but not ambiguity: two headers meaning one
column is an error, because silently picking one would drop data.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ingest.csv_import.cells import Parser, lookup_key, parser_for
from portal.contracts import SCHEMAS_DIR

#: URL name of an import (`/v1/imports/providers`) → the entity its events carry.
KINDS = {"providers": "provider", "products": "product"}


@dataclass(frozen=True)
class Column:
    name: str
    path: tuple[str, ...]  # where the value goes in the event: ("data", "name", "bn")
    type: str
    required: bool
    description: str
    aliases: tuple[str, ...] = ()
    default: str | None = None  # cell text used when the cell is blank or the column absent
    example: tuple[str, ...] = ()
    parse: Parser = field(default=str, compare=False, repr=False)


@dataclass(frozen=True)
class ColumnSet:
    kind: str  # "providers" | "products"
    entity: str  # "provider" | "product"
    columns: tuple[Column, ...]

    def by_path(self) -> dict[str, Column]:
        return {".".join(c.path): c for c in self.columns}


@dataclass(frozen=True)
class HeaderMatch:
    """Which cell index feeds which column, and what the clerk should hear about the header."""

    positions: tuple[tuple[int, Column], ...]
    width: int
    missing: tuple[Column, ...] = ()
    unknown: tuple[str, ...] = ()  # warnings, one per ignored column
    duplicates: tuple[str, ...] = ()  # errors, one per column named twice
    #: Optional columns with a default that the file lacks: the default applies to every row.
    absent_defaults: tuple[Column, ...] = ()


def header_key(name: str) -> str:
    """`" Name BN "`, `name-bn` and `NAME_BN` are one column; Bangla aliases compare in NFC."""
    return re.sub(r"[\s\-]+", "_", lookup_key(name))


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index (0 → A, 26 → AA), so warnings point at the sheet."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@cache
def columns_for(kind: str) -> ColumnSet:
    """The column set of `providers` or `products`, with a parser bound to each column."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    with open(SCHEMAS_DIR / "csv" / f"{kind}.columns.json", encoding="utf-8") as f:
        spec: dict[str, Any] = json.load(f)
    entity = spec["entity"]
    columns = []
    for raw in spec["columns"]:
        path = tuple(raw["path"].split("."))
        columns.append(
            Column(
                name=raw["name"],
                path=path,
                type=raw["type"],
                required=raw["required"],
                description=raw["description"],
                aliases=tuple(raw.get("aliases", ())),
                default=raw.get("default"),
                example=tuple(raw.get("example", ())),
                parse=parser_for(raw["type"], entity, path, raw.get("value_aliases", {})),
            )
        )
    return ColumnSet(kind=kind, entity=entity, columns=tuple(columns))


def match_header(columns: ColumnSet, header: list[str]) -> HeaderMatch:
    """Map header cells to columns by name or alias; report missing, unknown and doubled columns."""
    known: dict[str, Column] = {}
    for column in columns.columns:
        for name in (column.name, *column.aliases):
            known[header_key(name)] = column
    positions: list[tuple[int, Column]] = []
    seen: dict[str, int] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, cell in enumerate(header):
        if not cell.strip():
            continue  # Excel often writes trailing empty header cells
        column = known.get(header_key(cell))
        if column is None:
            unknown.append(
                f"column {column_letter(index)} {cell.strip()!r} is not a {columns.kind} column and was ignored"
            )
        elif column.name in seen:
            duplicates.append(
                f"columns {column_letter(seen[column.name])} and {column_letter(index)} both mean "
                f"{column.name!r}; keep one of them"
            )
        else:
            seen[column.name] = index
            positions.append((index, column))
    missing = tuple(c for c in columns.columns if c.required and c.name not in seen)
    return HeaderMatch(
        positions=tuple(positions),
        width=len(header),
        missing=missing,
        unknown=tuple(unknown),
        duplicates=tuple(duplicates),
        absent_defaults=tuple(c for c in columns.columns if c.default is not None and c.name not in seen),
    )


def template_csv(columns: ColumnSet) -> bytes:
    """Header plus the example rows, UTF-8 with a BOM: without it Excel shows Bangla as mojibake."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in columns.columns])
    rows = max((len(c.example) for c in columns.columns), default=0)
    for i in range(rows):
        writer.writerow([c.example[i] if i < len(c.example) else "" for c in columns.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
