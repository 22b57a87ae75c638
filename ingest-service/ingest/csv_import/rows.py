"""One spreadsheet row → a change event (upsert or delete), or the row's errors in the clerk's terms.

Cells are parsed first (every bad cell is reported, so a clerk fixes a row in one go); a row whose
cells all parse becomes the same event a Kafka producer would send and is judged by
`ingest.validate.check_event`, whose schema paths are mapped back to the column the clerk typed.
Errors name the clerk's own header text, the Excel column letter and the row number. A row's
coordinates must lie in its upazila: in its polygon or within the border tolerance of
schemas/geography/<district>.json (portal.geography), never judged by a circle around a centre.

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
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ingest.csv_import.cells import CellError, Read, hours, refuse_formula, unit_parser, visible
from ingest.csv_import.columns import HOURS_PARTS, Column, ColumnSet, HeaderMatch
from ingest.csv_import.legacy_text import judge
from ingest.csv_import.plausible import donation_doubt, product_doubts
from ingest.csv_import.report import Conversion, RowError, echo
from ingest.validate import check_event
from portal.bangla.normalize import ascii_digits_to_bangla
from portal.geography import configured_geography

_SCHEMA_PROBLEM = re.compile(r"^(?P<path>[\w.\[\]]+): (?P<rest>.*)$", re.DOTALL)
_INDEX = re.compile(r"\[(\d+)\]")
_TOO_LONG = re.compile(r"must be shorter than or equal to (\d+) characters")
_TOO_MANY = re.compile(r"must contain less than or equal to (\d+) items")

#: Column types whose cells repeat down a sheet (categories, hours, yes/no, prices): parsed once per
#: distinct cell per import. Names, ids and phones are mostly unique, and not worth keeping around.
CACHED_TYPES = frozenset(
    {"boolean", "category", "upazila", "enum", "hours", "list", "date", "attributes", "number", "action"}
)
TEXT_TYPES = frozenset({"text", "list"})


def epoch_microseconds(at: datetime) -> int:
    return int(at.timestamp()) * 1_000_000 + at.microsecond


def distance_text(metres: float) -> tuple[str, str]:
    """A distance as a clerk reads it, in English and Bangla: "350 m", "4.2 km"."""
    text = f"{round(metres)} m" if metres < 1000 else f"{metres / 1000:.1f} km"
    bn = f"{round(metres)} মিটার" if metres < 1000 else f"{metres / 1000:.1f} কিমি"
    return text, ascii_digits_to_bangla(bn)


@dataclass(frozen=True)
class Converted:
    """What one row became: the event (or None) and what the clerk should hear about it."""

    event: dict[str, Any] | None
    errors: list[RowError]
    conversions: list[Conversion]
    blank_hours: bool = False
    never_donated: bool = False  # a blood donor with an empty last donation date


class RowConverter:
    """Builds events for one import: one clock reading and version base shared by all its rows."""

    def __init__(
        self, columns: ColumnSet, header: HeaderMatch, *, started: datetime, strict_width: bool = True
    ) -> None:
        self.columns = columns
        self.entity = columns.entity
        self.header = header
        self.strict_width = strict_width  # CSV: a row must have as many cells as the header
        self.base_version = epoch_microseconds(started)
        self.timestamp = started.isoformat()
        self.by_path = columns.by_path()
        self.defaults = [(c, c.parse(c.default)) for c in header.absent_defaults if c.default is not None]
        self.blank_defaults = {c.name: c.parse(c.default) for c in columns.columns if c.default is not None}
        self.parsers = [
            (index, column, self._parser_of(column), header.letter(index), header.header_of(column))
            for index, column in header.positions
        ]
        self.today: date = started.date()
        #: Opening and closing time columns (and a weekly holiday) that make the hours together.
        self.hours_parts = {c.type: (i, c) for i, c in header.positions if c.type in HOURS_PARTS}
        self.hours_column = columns.named("hours")
        self.hours_index = next((i for i, c in header.positions if c.name == "hours"), None)
        self.action_index = next((i for i, c in header.positions if c.type == "action"), None)
        self.action_parse = next((_parser(c) for _, c in header.positions if c.type == "action"), None)
        #: Columns whose header cell is blank: a value under one would be lost, so the row says so.
        self.unnamed = [i for i, h in enumerate(header.headers) if not h.strip()]
        #: Required columns a file of mostly deletes may lack: its upsert rows are refused for them.
        self.absent_required = [c for c in columns.columns if c.required and not header.present(c.name)]
        self.place = self._place_paths()
        #: The configured district's upazila polygons (DISTRICT): what a row's coordinates are judged by.
        self.geography = configured_geography() if self.place is not None else None
        # event_id only has to be unique: a securely seeded PRNG is much cheaper per row than uuid4's
        # os.urandom call. Values from the per-import caches are shared between events; nothing
        # mutates an event after it is built.
        self.random = random.Random(os.urandom(32))

    def _parser_of(self, column: Column) -> Callable[[str], Any]:
        unit = self.header.units.get(column.name)
        if unit is not None:
            return functools.lru_cache(maxsize=1024)(unit_parser(unit.dimension, unit))
        return _parser(column)

    def _place_paths(self) -> tuple[Column, Column, Column] | None:
        found = {c.type: c for c in self.columns.columns if c.type in ("latitude", "longitude", "upazila")}
        if len(found) < 3:
            return None
        return found["latitude"], found["longitude"], found["upazila"]

    def error(self, row: int, index: int | None, column: Column | None, value: str, e: CellError) -> RowError:
        letter = self.header.letter(index) if index is not None else None
        header = self.header.header_of(column) if column is not None else None
        return RowError(
            row=row,
            column=column.name if column else None,
            header=header,
            letter=letter,
            value=value,
            code=e.code,
            message=e.en,
            message_bn=e.bn,
        )

    def _event(self, row: int, kind: str) -> dict[str, Any]:
        return {
            "event_id": str(uuid.UUID(int=self.random.getrandbits(128), version=4)),
            "type": kind,
            "entity": self.entity,
            "id": "",
            "version": self.base_version + row,
            "occurred_at": self.timestamp,
        }

    def shape_problem(self, row: int, cells: list[str]) -> RowError | None:
        """A row whose cell count differs from the header's (a lost quote or a missing cell), or with
        a value in a column that has no header, which would otherwise be dropped without a word."""
        count, width = len(cells), self.header.width
        for index in self.unnamed if count == width or not self.strict_width else ():
            if index < count and cells[index].strip() and visible(cells[index]).strip():
                return self._unnamed_value(row, index, cells[index])
        if not self.strict_width:
            for index in range(width, count):
                if cells[index].strip() and visible(cells[index]).strip():
                    return self._unnamed_value(row, index, cells[index])
            return None
        if count == width:
            return None
        if count > width:
            value = ",".join(cells[width:])
            return self.error(row, None, None, value, CellError("more_cells", count=count, width=width))
        return self.error(row, None, None, "", CellError("fewer_cells", count=count, width=width))

    def _unnamed_value(self, row: int, index: int, value: str) -> RowError:
        letter = self.header.letter(index)
        e = CellError("value_without_header", letter=letter, value=repr(echo(value.strip())))
        return RowError(row, None, value, e.en, letter=letter, code=e.code, message_bn=e.bn)

    def convert(self, row: int, cells: list[str]) -> Converted:
        """The event for a usable row, else its errors. `row` is Excel's row number."""
        problem = self.shape_problem(row, cells)
        if problem is not None:
            return Converted(None, [problem], [])
        if self.action_parse is not None and self.action_index is not None:
            cell = cells[self.action_index] if self.action_index < len(cells) else ""
            if cell.strip():
                try:
                    if self.action_parse(cell) == "delete":
                        return self._delete(row, cells)
                except CellError:
                    pass  # reported with the other cells below
        return self._upsert(row, cells)

    def _delete(self, row: int, cells: list[str]) -> Converted:
        event = self._event(row, "delete")
        for index, column, parse, _, _ in self.parsers:
            if column.name != "id":
                continue
            cell = cells[index] if index < len(cells) else ""
            if not cell.strip():
                message = CellError(
                    "required_empty",
                    header=self.header.header_of(column),
                    header_bn=self.header.header_bn_of(column),
                    description="",
                    example="",
                )
                return Converted(None, [self.error(row, index, column, "", message)], [])
            try:
                event["id"] = parse(cell)
            except CellError as e:
                return Converted(None, [self.error(row, index, column, cell, e)], [])
        verdict = check_event(event, self.entity, check_depth=False)
        if verdict is not None:
            return Converted(None, [self._schema_error(row, event, *verdict)], [])
        return Converted(event, [], [])

    def _upsert(self, row: int, cells: list[str]) -> Converted:
        problems: list[RowError] = []
        conversions: list[Conversion] = []
        data: dict[str, Any] = {"updated_at": self.timestamp}
        event = self._event(row, "upsert")
        event["data"] = data
        count = len(cells)
        blank_hours = False
        parts: dict[str, str] = {}
        for index, column, parse, letter, header in self.parsers:
            cell = cells[index] if index < count else ""
            if not cell or cell.isspace() or (not cell.isascii() and not visible(cell).strip()):
                if column.type == "hours":
                    blank_hours = True
                if column.name in self.blank_defaults:
                    _put(event, column.path, self.blank_defaults[column.name])
                elif column.required:
                    problems.append(self._required(row, index, column))
                continue
            try:
                if column.type in TEXT_TYPES:
                    refuse_formula(cell)
                    text, converted = judge(cell, column.script, header)
                    if converted:
                        conversions.append(Conversion(row, column.name, header, letter, cell, text))
                    value = parse(text)
                else:
                    value = parse(cell)
            except CellError as e:
                problems.append(self.error(row, index, column, cell, e))
                continue
            if column.type in HOURS_PARTS:
                parts[column.type] = value
                continue
            if isinstance(value, Read):
                conversions.append(
                    Conversion(row, column.name, header, letter, cell, value.shown, value.kind)
                )
                value = value.value
            if value is not None:  # None is a parsed "not stated", e.g. hours 24/7 = always open
                _put(event, column.path, value)
        if self.hours_parts:
            problem = self._combine_hours(row, cells, event, parts)
            if problem is not None:
                problems.append(problem)
            elif "opens" not in parts and self.hours_index is None:
                blank_hours = True
        for column in self.absent_required:
            problems.append(self._required(row, None, column))
        for column, value in self.defaults:
            _put(event, column.path, value)
        if not problems and self.place is not None:
            far = self._far_from_upazila(row, event)
            if far is not None:
                problems.append(far)
        if not problems:
            problems += self._doubts(row, cells, data)
        if problems:
            return Converted(None, problems, conversions)
        verdict = check_event(event, self.entity, check_depth=False)  # a shape we built
        if verdict is not None:
            return Converted(None, [self._schema_error(row, event, *verdict)], conversions)
        never = data.get("category") == "blood_donor" and "last_donation_date" not in data
        return Converted(event, [], conversions, blank_hours=blank_hours, never_donated=never)

    def _combine_hours(
        self, row: int, cells: list[str], event: dict[str, Any], parts: dict[str, str]
    ) -> RowError | None:
        """Opening and closing time columns (and a weekly holiday) read as one hours cell."""
        opens, closes, closed = parts.get("opens"), parts.get("closes"), parts.get("closed_days")
        if opens is None and closes is None and closed is None:
            return None
        if (opens is None) != (closes is None) and "closes" in self.hours_parts:
            empty, other = ("opens", "closes") if opens is None else ("closes", "opens")
            index, column = self.hours_parts[empty]
            _, filled = self.hours_parts[other]
            e = CellError(
                "time_part_empty",
                header=self.header.header_of(column),
                other=self.header.header_of(filled),
            )
            return self.error(row, index, column, "", e)
        pieces = []
        if opens is not None and closes is not None:
            pieces.append(f"{opens} - {closes}")
        elif (
            self.hours_index is not None and self.hours_index < len(cells) and cells[self.hours_index].strip()
        ):
            pieces.append(visible(cells[self.hours_index]))
        if closed is not None:
            pieces.append(f"{closed} বন্ধ")
        text = "; ".join(pieces)
        index, column = self.hours_parts.get("opens") or next(iter(self.hours_parts.values()))
        try:
            value = hours(text)
        except CellError as e:
            return self.error(row, index, column, text, e)
        if self.hours_column is not None:
            if value is None:
                event["data"].pop("hours", None)
            else:
                _put(event, self.hours_column.path, value)
        return None

    def _doubts(self, row: int, cells: list[str], data: dict[str, Any]) -> list[RowError]:
        """What is implausible in a row that is otherwise fine (schemas/plausibility.json)."""
        found: list[RowError] = []
        if self.entity == "product":
            for doubt in product_doubts(data):
                column = self.columns.named(doubt.column)
                index = self.header.index_of(column) if column is not None else None
                value = cells[index] if index is not None and index < len(cells) else ""
                found.append(self.error(row, index, column, value, doubt.error))
        elif self.entity == "provider" and isinstance(data.get("last_donation_date"), str):
            error = donation_doubt(data["last_donation_date"], self.today)
            if error is not None:
                column = self.columns.named("last_donation_date")
                index = self.header.index_of(column) if column is not None else None
                value = cells[index] if index is not None and index < len(cells) else ""
                found.append(self.error(row, index, column, value, error))
        return found

    def _required(self, row: int, index: int | None, column: Column) -> RowError:
        example = next((e for e in column.example if e), "")
        e = CellError(
            "required_empty",
            header=self.header.header_of(column),
            header_bn=self.header.header_bn_of(column),
            description=column.description,
            example=f" (e.g. {example})" if example else "",
            example_bn=f" (যেমন {example})" if example else "",
        )
        return self.error(row, index, column, "", e)

    def _far_from_upazila(self, row: int, event: dict[str, Any]) -> RowError | None:
        """Coordinates outside their upazila's polygon (past the border tolerance): one of the two is
        wrong. Upazilas are judged by their boundaries (portal.geography), not by a circle."""
        assert self.place is not None and self.geography is not None
        lat_column, lon_column, upazila_column = self.place
        lat, lon = _get(event, lat_column.path), _get(event, lon_column.path)
        slug = _get(event, upazila_column.path)
        geo = self.geography
        place = geo.upazilas.get(slug) if isinstance(slug, str) else None
        if place is None or not isinstance(lat, int | float) or not isinstance(lon, int | float):
            return None
        outside_m = geo.distance_outside_m(place.slug, lat, lon)
        if outside_m <= geo.border_tolerance_m:
            return None
        distance, distance_bn = distance_text(outside_m)
        where = geo.locate(lat, lon)
        common = {
            "lat": lat,
            "lon": lon,
            "distance": distance,
            "distance_bn": distance_bn,
            "upazila": place.slug,
            "upazila_bn": place.bn,
            "tolerance_m": round(geo.border_tolerance_m),
        }
        if where.upazila is None:
            e = CellError(
                "coordinate_outside_district", district=geo.district.en, district_bn=geo.district.bn, **common
            )
        else:
            found, found_bn = f"{where.upazila.en} ({where.upazila.slug})", where.upazila.bn
            if where.union is not None:
                found, found_bn = f"{where.union.en}, {found}", f"{where.upazila.bn}, {where.union.bn}"
            e = CellError("coordinate_outside_upazila", found=found, found_bn=found_bn, **common)
        index = self.header.index_of(lat_column)
        return self.error(row, index, lat_column, f"{lat}, {lon}", e)

    def _schema_error(self, row: int, event: dict[str, Any], reason: str, message: str) -> RowError:
        """Name the column behind a schema or taxonomy complaint, in the clerk's words."""
        if reason in ("unknown_category", "unknown_upazila"):
            column = self._column_ending(reason.removeprefix("unknown_"))
            return self._generic(row, column, "", message)
        match = _SCHEMA_PROBLEM.match(message)
        if not match:
            return self._generic(row, None, "", message)
        path = match["path"]
        column = self._column_at(path)
        if column is None:
            return self._generic(row, None, "", message)
        label = self.header.header_of(column)
        indexes = _INDEX.findall(path)
        if indexes:
            label += f" (item {int(indexes[0]) + 1})"
        rest = match["rest"].replace(path, label)
        value = _value_text(event, column.path)
        index = self.header.index_of(column)
        if too_long := _TOO_LONG.search(rest):
            return self.error(
                row, index, column, value, CellError("schema_too_long", header=label, limit=int(too_long[1]))
            )
        if too_many := _TOO_MANY.search(rest):
            return self.error(
                row, index, column, value, CellError("schema_too_many", header=label, limit=int(too_many[1]))
            )
        label_bn = self.header.header_bn_of(column)
        detail_bn = f"{label_bn}: {_schema_rule_bn(match['rest'])}"
        return self.error(
            row, index, column, value, CellError("schema_other", detail=rest, detail_bn=detail_bn)
        )

    def _generic(self, row: int, column: Column | None, value: str, message: str) -> RowError:
        index = self.header.index_of(column) if column is not None else None
        label_bn = self.header.header_bn_of(column) if column is not None else "তথ্যটি"
        detail_bn = f"{label_bn}: {_schema_rule_bn(message)}"
        return self.error(
            row, index, column, value, CellError("schema_other", detail=message, detail_bn=detail_bn)
        )

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


# What a schema message says (English, from jsonschema) and the same rule in Bangla; first match wins.
_RULES_BN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(english), bangla)
    for english, bangla in {
        r"must be integer": "দশমিক ছাড়া পূর্ণ সংখ্যা লিখুন",
        r"must be number": "সংখ্যা লিখুন",
        r"must be boolean": "হ্যাঁ বা না লিখুন",
        r"must be string": "লেখা দিন",
        r"must be bigger than or equal to ([\d.]+)": "অন্তত {0} হতে হবে",
        r"must be bigger than ([\d.]+)": "{0}-এর বেশি হতে হবে",
        r"must be smaller than or equal to ([\d.]+)": "সর্বোচ্চ {0} হতে পারে",
        r"must be smaller than ([\d.]+)": "{0}-এর কম হতে হবে",
        r"must be longer than or equal to (\d+) characters": "অন্তত {0} অক্ষরের হতে হবে",
        r"must be one of": "তালিকার বাইরের মান; অনুমোদিত একটি মান লিখুন",
        r"must match pattern": "লেখার ধরন ঠিক নয়",
        r"unknown category": "অজানা ক্যাটাগরি",
        r"unknown upazila": "অজানা উপজেলা",
    }.items()
)


def _schema_rule_bn(english: str) -> str:
    """The rule a schema message states, said in Bangla (numbers in Bangla digits); never the English."""
    from portal.bangla.normalize import ascii_digits_to_bangla

    for pattern, bangla in _RULES_BN:
        match = pattern.search(english)
        if match:
            return bangla.format(*(ascii_digits_to_bangla(g) for g in match.groups()))
    return "তথ্যটি নিয়ম মানে না; ঘরটি দেখে ঠিক করুন"


def _parser(column: Column) -> Callable[[str], Any]:
    if column.type in CACHED_TYPES:
        return functools.lru_cache(maxsize=1024)(column.parse)
    return column.parse


def _put(event: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = event
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _get(event: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = event
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _value_text(event: dict[str, Any], path: tuple[str, ...]) -> str:
    value = _get(event, path)
    return "" if value is None else str(value)
