"""Spreadsheet cells → typed event values, one small parser per column type.

Clerks export from Excel: Bangla digits, "হ্যাঁ" for yes, phone numbers that lost their leading 0,
day-first dates, formulas. Each parser takes the raw cell (never blank: the row decides what a blank
means) and returns the value for the event, or raises CellError with a message that says what is
wrong and what is expected. Limits the event schema already states (lengths, ranges, enums, id
pattern) are read from it, so a cell and a Kafka event are held to one contract.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from portal.bangla.normalize import normalize_text, parse_number
from portal.contracts import SCHEMAS_DIR, event_schema, taxonomy
from portal.hours import parse_hours_text
from portal.phone import normalize_bd_mobile

Parser = Callable[[str], Any]

_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?e\+?\d+$", re.IGNORECASE)
_FORMULA = re.compile(r"^\s*(?:[=@]|[+\-]\S)")


class CellError(ValueError):
    """A cell that cannot be used; str() is the message for the clerk."""


@cache
def cell_rules() -> dict[str, Any]:
    """schemas/csv/cells.json: booleans, separators, date formats, formula rule, report limits."""
    with open(SCHEMAS_DIR / "csv" / "cells.json", encoding="utf-8") as f:
        return json.load(f)


def lookup_key(text: str) -> str:
    """How names are compared: NFC, Bangla digits as ASCII, one space, case-insensitive."""
    return normalize_text(text).casefold()


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet run this cell as a formula (=, @, or +/- directly followed by text)?"""
    return _FORMULA.match(text) is not None


def text(cell: str) -> str:
    """Plain text in NFC; formulas are refused rather than stored, so no export can run them later."""
    if looks_like_formula(cell):
        first = cell.lstrip()[0]
        raise CellError(
            f"the cell starts with {first!r}, so spreadsheet programs would run it as a formula; "
            f"formulas are not accepted in text columns: type the text itself"
            + (f" (or put a space after the {first!r})" if first in "+-" else "")
        )
    return normalize_text(cell)


def text_list(cell: str) -> list[str]:
    """Items separated by ; or | — commas stay inside an item, because Bangla text uses them."""
    pattern = "|".join(map(re.escape, cell_rules()["list_separators"]))
    items = [item for item in re.split(pattern, cell) if item.strip()]
    return [text(item) for item in items]


def number(cell: str) -> int | float:
    """Bangla or ASCII digits, lakh or Western grouping, optional ৳/Tk/BDT; whole numbers stay ints."""
    try:
        value = parse_number(cell)
    except ValueError as e:
        raise CellError(str(e)) from None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def boolean(cell: str) -> bool:
    words = cell_rules()["booleans"]
    key = lookup_key(cell)
    if key in _boolean_words(True):
        return True
    if key in _boolean_words(False):
        return False
    raise CellError(
        f"{cell.strip()!r} is not yes or no; expected one of {', '.join(words['true'])} "
        f"or {', '.join(words['false'])}"
    )


@cache
def _boolean_words(value: bool) -> frozenset[str]:
    return frozenset(lookup_key(w) for w in cell_rules()["booleans"]["true" if value else "false"])


def phone(cell: str) -> str:
    """E.164 Bangladeshi mobile; spots Excel's scientific notation, the usual way a number is lost."""
    compact = normalize_text(cell).replace(" ", "")
    if _SCIENTIFIC.match(compact):
        raise CellError(
            f"{cell.strip()!r} is a phone number Excel turned into scientific notation; format the "
            "column as Text in Excel, retype the number (e.g. 01712-345678) and export again"
        )
    try:
        return normalize_bd_mobile(cell)
    except ValueError as e:
        raise CellError(str(e)) from None


def hours(cell: str) -> list[dict[str, str]] | None:
    """The compact weekly-hours cell; None means always open (24/7)."""
    try:
        return parse_hours_text(cell)
    except ValueError as e:
        raise CellError(str(e)) from None


def date(cell: str) -> str:
    """ISO date from YYYY-MM-DD or a day-first date (15/09/2026), Bangla digits allowed."""
    value = normalize_text(cell)
    rules = cell_rules()["date_formats"]
    for fmt in rules["formats"]:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    raise CellError(
        f"{cell.strip()!r} is not a date; expected YYYY-MM-DD or day first, "
        f"e.g. {' or '.join(rules['examples'])}"
    )


def attributes(cell: str) -> dict[str, str | int | float]:
    """`name=value` pairs; names are English snake_case (the schema's propertyNames), numbers become numbers."""
    names = re.compile(_product_schema_part("attributes")["propertyNames"]["pattern"])
    pattern = "|".join(map(re.escape, cell_rules()["attribute_separators"]))
    result: dict[str, str | int | float] = {}
    for pair in filter(str.strip, re.split(pattern, cell)):
        name, equals, raw_value = pair.partition("=")
        name = re.sub(r"[\s\-]+", "_", normalize_text(name).lower())
        if not equals or not raw_value.strip():
            raise CellError(f"{pair.strip()!r} is not name=value; write e.g. weight_kg=250; color=লাল")
        if not names.match(name):
            raise CellError(
                f"attribute name {name!r} must be English lower-case letters, digits and _, "
                "starting with a letter (e.g. weight_kg)"
            )
        try:
            result[name] = number(raw_value)
        except CellError:
            result[name] = text(raw_value)
    return result


def _product_schema_part(name: str) -> dict[str, Any]:
    return event_schema("product")["definitions"]["product"]["properties"][name]


def identifier(entity: str) -> Parser:
    """The event id: the schema's id pattern, explained in words."""
    pattern = re.compile(event_schema(entity)["properties"]["id"]["pattern"])

    def parse(cell: str) -> str:
        value = normalize_text(cell)
        if not pattern.match(value):
            raise CellError(
                f"{cell.strip()!r} is not a usable id: use only English letters, digits and . _ : - "
                "with no spaces (e.g. prov-0001)"
            )
        return value

    return parse


def coordinate(entity: str, axis: str) -> Parser:
    """Latitude or longitude inside the schema's Bangladesh box; notices lat and lon swapped."""
    box = event_schema(entity)["definitions"]["location"]["properties"]
    other = "lon" if axis == "lat" else "lat"
    low, high = box[axis]["minimum"], box[axis]["maximum"]
    other_low, other_high = box[other]["minimum"], box[other]["maximum"]
    word = "latitude" if axis == "lat" else "longitude"

    def parse(cell: str) -> float:
        value = float(number(cell))
        if low <= value <= high:
            return value
        hint = ""
        if other_low <= value <= other_high:
            hint = f"; {value} looks like a {'longitude' if axis == 'lat' else 'latitude'}: are lat and lon swapped?"
        raise CellError(
            f"{word} {value} is outside Bangladesh: expected {low} to {high} "
            f"(Kishoreganj is about lat 24.4, lon 90.8){hint}"
        )

    return parse


def choice(allowed: dict[str, str], expected: str, what: str) -> Parser:
    """One of a fixed set of values, matched case-insensitively by any of its names."""
    lookup = {lookup_key(name): value for name, value in allowed.items()}

    def parse(cell: str) -> str:
        value = lookup.get(lookup_key(cell))
        if value is None:
            value = lookup.get(lookup_key(cell).replace(" ", ""))
        if value is None:
            raise CellError(f"{cell.strip()!r} is not {what}; expected {expected}")
        return value

    return parse


def category(entity: str) -> Parser:
    """A category slug from the taxonomy, by slug or any name people use (only unambiguous names)."""
    names: dict[str, str] = {}
    ambiguous: set[str] = set()
    for slug, cat in taxonomy().categories(entity).items():
        for name in (slug, *cat.names()):
            key = lookup_key(name)
            if names.get(key, slug) != slug:
                ambiguous.add(key)
            names[key] = slug
    for key in ambiguous:
        del names[key]
    slugs = sorted(taxonomy().categories(entity))
    return choice(
        names, f"a category such as {', '.join(slugs)} (or its Bangla name)", f"a {entity} category"
    )


def upazila() -> Parser:
    names = {}
    for slug, place in taxonomy().upazilas.items():
        names |= {slug: slug, place.bn: slug, place.en: slug}
    slugs = ", ".join(taxonomy().upazilas)
    return choice(
        names, f"one of Kishoreganj's upazilas: {slugs} (or the Bangla name)", "a Kishoreganj upazila"
    )


def enum(entity: str, path: tuple[str, ...], value_aliases: dict[str, str]) -> Parser:
    """A schema enum (blood group, product status), plus the column's Bangla spellings."""
    prop = event_schema(entity)["definitions"][entity]["properties"][path[-1]]
    values = prop["enum"]
    allowed = {v: v for v in values} | value_aliases
    return choice(allowed, f"one of {', '.join(values)}", "an allowed value")


def parser_for(kind: str, entity: str, path: tuple[str, ...], value_aliases: dict[str, str]) -> Parser:
    """The parser for a column type named in schemas/csv/*.columns.json."""
    simple: dict[str, Parser] = {
        "text": text,
        "list": text_list,
        "number": number,
        "boolean": boolean,
        "phone": phone,
        "hours": hours,
        "date": date,
        "attributes": attributes,
    }
    if kind in simple:
        return simple[kind]
    if kind == "id":
        return identifier(entity)
    if kind in ("latitude", "longitude"):
        return coordinate(entity, kind[:3])
    if kind == "category":
        return category(entity)
    if kind == "upazila":
        return upazila()
    if kind == "enum":
        return enum(entity, path, value_aliases)
    raise ValueError(f"unknown column type {kind!r} in schemas/csv")
