"""The columns of an import, loaded from `schemas/csv/<kind>.columns.json`, and the header row matched to them.

The JSON files are the documentation clerks and frontend developers read; this module only reads
them, so adding a column or a Bangla alias is a data change. Header matching forgives what people
and spreadsheets do to names (case, punctuation, word order, "Name (English)", "Mobile No.") but not
ambiguity: two headers meaning one column is an error, because silently picking one would drop
data; an unrecognized header that looks like a known column is named with a "did you mean".
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ingest.csv_import.cells import Parser, lookup_key, parser_for
from portal.contracts import SCHEMAS_DIR

#: Columns that together make the hours (opening and closing times, a weekly holiday).
HOURS_PARTS = frozenset({"opens", "closes", "closed_days"})
#: Columns read with units (a header may name the unit).
UNIT_COLUMN_TYPES = frozenset({"weight_kg", "age_months", "price_bdt"})

#: URL name of an import (`/v1/imports/providers`) → the entity its events carry.
KINDS = {"providers": "provider", "products": "product", "sellers": "seller"}


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
    script: str | None = None  # "bn": must have Bangla letters; "en": must not be Bijoy; "any"
    label_bn: str = ""  # how Bangla messages name the column
    parse: Parser = field(default=str, compare=False, repr=False)


@dataclass(frozen=True)
class ColumnSet:
    kind: str  # "providers" | "products"
    entity: str  # "provider" | "product"
    columns: tuple[Column, ...]

    def by_path(self) -> dict[str, Column]:
        found: dict[str, Column] = {}
        for c in self.columns:  # the first column of a path names it (hours, not its opens/closes parts)
            found.setdefault(".".join(c.path), c)
        return found

    def named(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class UnknownColumn:
    index: int
    header: str
    suggestion: Column | None  # the column it most likely means, when it is a near miss


@dataclass(frozen=True)
class HeaderMatch:
    """Which cell index feeds which column, and what the clerk should hear about the header."""

    positions: tuple[tuple[int, Column], ...]
    width: int
    headers: tuple[str, ...] = ()  # the header cells as the clerk typed them
    missing: tuple[Column, ...] = ()
    unknown: tuple[UnknownColumn, ...] = ()  # ignored columns: warnings, or errors in a dry run
    duplicates: tuple[tuple[int, int, Column], ...] = ()  # errors: two columns meaning one
    #: Optional columns with a default that the file lacks: the default applies to every row.
    absent_defaults: tuple[Column, ...] = ()
    column_offset: int = 0  # a workbook whose data starts in column C has offset 2
    #: Units a header gives its column ("ওজন (মণ)"): column name → units.Unit
    units: dict[str, Any] = field(default_factory=dict)

    def letter(self, index: int) -> str:
        return column_letter(index + self.column_offset)

    def header_of(self, column: Column) -> str:
        """The clerk's own header text for `column` (its name when the file lacks it)."""
        for index, c in self.positions:
            if c.name == column.name and index < len(self.headers):
                return self.headers[index].strip()
        return column.name

    def header_bn_of(self, column: Column) -> str:
        """The clerk's own header text for `column`, or its Bangla label when the file lacks it."""
        found = self.header_of(column)
        return column_label(column) if found == column.name and not self.present(column.name) else found

    def index_of(self, column: Column) -> int | None:
        return next((i for i, c in self.positions if c.name == column.name), None)

    def present(self, name: str) -> bool:
        return any(c.name == name for _, c in self.positions)


@cache
def _header_words() -> dict[str, Any]:
    with open(SCHEMAS_DIR / "csv" / "headers.json", encoding="utf-8") as f:
        raw: dict[str, Any] = json.load(f)
    language = {lookup_key(w): lang for lang, words in raw["language"].items() for w in words}
    return {
        "language": language,
        "filler": frozenset(lookup_key(w) for w in raw["filler"]),
        "synonyms": {lookup_key(k): lookup_key(v) for k, v in raw["synonyms"].items()},
    }


_PUNCTUATION = re.compile(r"[()\[\]{}.:#*/\\'\"’‘“”?!,;|]+")


def header_unit(name: str) -> Any:
    """The unit a header names for its column ("ওজন (মণ)" → maund, "দাম (লাখ টাকা)" → lakh), if any;
    a multiplier (হাজার, লাখ) wins over the plain currency word beside it."""
    from ingest.csv_import.units import unit_word

    found = None
    for token in re.split(r"[\s_\-]+", _PUNCTUATION.sub(" ", lookup_key(name))):
        unit = unit_word(token) if token else None
        if unit is not None and (found is None or found.factor == 1.0):
            found = unit
    return found


def header_key(name: str) -> tuple[tuple[str, ...], str | None]:
    """A header reduced to (its words in sorted order, its language or None).

    "Name (English)", "english name", "NAME_EN" and "ইংরেজি নাম" meet; so do "Mobile No." and
    "mobile". Compared in NFC, case-insensitively, without punctuation.
    """
    words = _header_words()
    text = _PUNCTUATION.sub(" ", lookup_key(name))
    tokens = [t for t in re.split(r"[\s_\-]+", text) if t]
    language = None
    kept: list[str] = []
    for token in tokens:
        token = words["synonyms"].get(token, token)
        if _is_unit(token):
            continue  # "ওজন (মণ)" is the weight column; its unit is read by header_unit
        if token in words["language"]:
            language = words["language"][token]
        elif token not in words["filler"]:
            kept.append(token)
    if not kept and language is not None:  # "Bangla" alone is not a language tag on nothing
        kept, language = [next(t for t in tokens)], None
    return tuple(sorted(kept)), language


@cache
def _unit_tokens() -> frozenset[str]:
    from ingest.csv_import.units import _vocabulary

    return frozenset(w for w in _vocabulary()["words"] if len(w) > 1 and w[0].isalpha() and " " not in w)


def _is_unit(token: str) -> bool:
    return token in _unit_tokens()


def column_label(column: Column) -> str:
    """A column's name for Bangla text: its Bangla label (schemas/csv/*.columns.json `label_bn`)."""
    return column.label_bn or column.name


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
                script=raw.get("script"),
                label_bn=raw.get("label_bn", ""),
                parse=parser_for(raw["type"], entity, path, raw.get("value_aliases", {})),
            )
        )
    return ColumnSet(kind=kind, entity=entity, columns=tuple(columns))


@cache
def _known_keys(kind: str) -> dict[tuple[tuple[str, ...], str | None], Column]:
    known: dict[tuple[tuple[str, ...], str | None], Column] = {}
    for column in columns_for(kind).columns:
        for name in (column.name, *column.aliases):
            known.setdefault(header_key(name), column)
    return known


#: Headers of the downloadable error report, so a fixed report can be uploaded again as it is.
REPORT_COLUMNS = ("row", "error", "ত্রুটি", "সারি")


def _lookup(kind: str, cell: str) -> Column | None:
    known = _known_keys(kind)
    words, language = header_key(cell)
    column = known.get((words, language))
    if column is None and language is not None:
        column = known.get((words, None))
    if column is None and language is None:
        # "Hours" where only "hours" exists is fine; "name" alone means the Bangla name column.
        column = known.get((words, "bn"))
    return column


def header_score(kind: str, cells: list[str]) -> int:
    """How many cells of a row name a distinct column of `kind`: how much the row reads as its header."""
    named = {column.name for cell in cells if cell.strip() and (column := _lookup(kind, cell)) is not None}
    return len(named)


def is_list_header(kind: str, score: int) -> bool:
    """Whether a header naming `score` columns is a list of `kind`: at least half its required columns."""
    required = sum(1 for c in columns_for(kind).columns if c.required)
    return score >= max(2, required // 2)


def _near_miss(kind: str, cell: str, taken: set[str]) -> Column | None:
    """The column an unrecognized header most likely means: a typo or a word we do not know."""
    words, language = header_key(cell)
    if not words:
        return None
    text = " ".join(words)
    candidates: dict[str, Column] = {}
    for (known_words, known_language), column in _known_keys(kind).items():
        if column.name in taken or (language and known_language and language != known_language):
            continue
        candidates.setdefault(" ".join(known_words), column)
    close = difflib.get_close_matches(text, list(candidates), n=1, cutoff=0.75)
    if close:
        return candidates[close[0]]
    for word in words:  # one known word inside a longer header: "Shop opening hours"
        shared = [c for key, c in candidates.items() if len(word) > 3 and key == word]
        if len(shared) == 1:
            return shared[0]
    return None


def match_header(columns: ColumnSet, header: list[str], *, column_offset: int = 0) -> HeaderMatch:
    """Map header cells to columns by name or alias; report missing, unknown and doubled columns."""
    positions: list[tuple[int, Column]] = []
    seen: dict[str, int] = {}
    unknown_cells: list[tuple[int, str]] = []
    duplicates: list[tuple[int, int, Column]] = []
    for index, cell in enumerate(header):
        if not cell.strip():
            continue  # Excel often writes trailing empty header cells
        column = _lookup(columns.kind, cell)
        if column is None:
            if lookup_key(cell) not in REPORT_COLUMNS:
                unknown_cells.append((index, cell))
        elif column.name in seen:
            duplicates.append((seen[column.name], index, column))
        else:
            seen[column.name] = index
            positions.append((index, column))
    taken = set(seen)
    unknown = []
    for index, cell in unknown_cells:
        suggestion = _near_miss(columns.kind, cell, taken)
        if suggestion is not None:
            taken.add(suggestion.name)
        unknown.append(UnknownColumn(index, cell.strip(), suggestion))
    names = {c.name: c for _, c in positions}
    if "opens" in names and "closes" not in names and "hours" not in names:
        hours = columns.named("hours")  # one "opening time" column with whole ranges is the hours
        if hours is not None:
            positions = [(i, hours if c.name == "opens" else c) for i, c in positions]
            seen["hours"] = seen.pop("opens")
    units = {}
    for index, column in positions:
        if column.type in UNIT_COLUMN_TYPES:
            unit = header_unit(header[index])
            if unit is not None:
                units[column.name] = unit
    missing = tuple(c for c in columns.columns if c.required and c.name not in seen)
    return HeaderMatch(
        positions=tuple(positions),
        width=len(header),
        headers=tuple(header),
        missing=missing,
        unknown=tuple(unknown),
        duplicates=tuple(duplicates),
        absent_defaults=tuple(c for c in columns.columns if c.default is not None and c.name not in seen),
        column_offset=column_offset,
        units=units,
    )


def template_csv(columns: ColumnSet) -> bytes:
    """Header plus the example rows, UTF-8 with a BOM: without it Excel shows Bangla as mojibake."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    shown = [c for c in columns.columns if c.type not in HOURS_PARTS]
    writer.writerow([c.name for c in shown])
    rows = max((len(c.example) for c in shown), default=0)
    for i in range(rows):
        writer.writerow([c.example[i] if i < len(c.example) else "" for c in shown])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
