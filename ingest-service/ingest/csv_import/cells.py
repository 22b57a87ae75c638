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
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from portal.bangla import bijoy
from portal.bangla.normalize import normalize_text, parse_number
from portal.bangla.romanize import banglish_key
from portal.clerk_messages import ClerkError
from portal.clock import DHAKA, now_dhaka
from portal.contracts import (
    SCHEMAS_DIR,
    configured_district,
    district_places,
    district_summary,
    event_schema,
    livestock,
    storefront,
    taxonomy,
)
from portal.phone import normalize_bd_mobile

Parser = Callable[[str], Any]

_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?e\+?\d+$", re.IGNORECASE)
#: CSV injection: a text cell a spreadsheet program would run as a formula is refused, never stored — one
#: that, after leading spaces, starts with = or @, or with + or - directly followed by a non-space (a lone
#: "-" and "- text" are plain text). Echoes of such values get an apostrophe first (report.echo).
_FORMULA = re.compile(r"^\s*(?:[=@]|[+\-]\S)")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
#: Format characters (zero-width spaces and joiners, BOM, bidi marks, soft hyphen) and no-break spaces:
#: invisible in a spreadsheet, so they must not hide a formula or count as text.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_NO_BREAK = re.compile("[\u00a0\u2007\u202f]")


class CellError(ClerkError):
    """A cell that cannot be used: a message code with its Bangla and English text (str() is English)."""


@dataclass(frozen=True)
class Read:
    """A value a parser read by converting what the clerk typed (a unit, a date in words or as an Excel
    day number): the row lists it for the clerk to check, as it lists Bijoy conversions."""

    value: Any
    shown: str  # the value as the clerk should check it: "298.6 kg", "2026-11-12"
    kind: str  # "unit" or "date"


def visible(cell: str) -> str:
    """The cell without the characters a spreadsheet does not show (zero-width, BOM, bidi marks)."""
    if cell.isascii():
        return cell
    return _NO_BREAK.sub(" ", _INVISIBLE.sub("", cell))


@cache
def cell_rules() -> dict[str, Any]:
    """schemas/csv/cells.json: booleans, separators, date formats, formula rule, report limits."""
    with open(SCHEMAS_DIR / "csv" / "cells.json", encoding="utf-8") as f:
        return json.load(f)


@cache
def _trailer_pattern() -> re.Pattern[str]:
    words = sorted((lookup_key(w) for w in cell_rules()["trailer_words"]["words"]), key=len, reverse=True)
    return re.compile(rf"^(?:{'|'.join(map(re.escape, words))})(?:$|[\s:ঃ\-–—(.,])")


@cache
def _trailer_starts() -> frozenset[str]:
    return frozenset(lookup_key(w)[0] for w in cell_rules()["trailer_words"]["words"])


def is_trailer_row(cells: list[str]) -> bool:
    """A totals, notes or signature row (schemas/csv/cells.json `trailer_words`): some cell starts with
    one of those words as a word of its own ("মোট", "স্বাক্ষর:", "Prepared by"; not "মোটর মেকানিক")."""
    pattern, starts = _trailer_pattern(), _trailer_starts()
    for cell in cells:
        text = cell.lstrip()
        if not text or (text[0].lower() not in starts and text[0].isascii()):
            continue  # most cells rule themselves out by their first letter, before any normalizing
        if pattern.match(lookup_key(visible(cell)).strip()):
            return True
    return False


def lookup_key(text: str) -> str:
    """How names are compared: NFC, Bangla digits as ASCII, one space, case-insensitive."""
    return normalize_text(text).casefold()


def formula_like_start(text: str) -> bool:
    """Would a spreadsheet treat this text, shown back to a clerk, as the start of a formula?

    Stricter than `looks_like_formula` (any leading = + - @, or a tab or carriage return, as OWASP
    advises for CSV exports), judged on the same visible text: echoes and the error report use it,
    so an invisible character in front of "=" is never a way past the apostrophe.
    """
    if text.startswith(("\t", "\r")):
        return True
    return visible(text).lstrip().startswith(("=", "+", "-", "@"))


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet run this cell as a formula (=, @, or +/- directly followed by text)?

    Judged on what the spreadsheet would see once invisible characters are gone, so a zero-width
    space in front of "=1+2" does not smuggle a formula past the check.
    """
    return _FORMULA.match(visible(text)) is not None


def refuse_formula(cell: str) -> None:
    """CellError if a spreadsheet would run the cell as a formula."""
    if looks_like_formula(cell):
        first = visible(cell).lstrip()[0]
        raise CellError("formula_sign" if first in "+-" else "formula", first=repr(first))


def text(cell: str) -> str:
    """Plain text in NFC; formulas are refused rather than stored, so no export can run them later."""
    refuse_formula(cell)
    return normalize_text(visible(cell))


def text_list(cell: str) -> list[str]:
    """Items separated by ; or | — commas stay inside an item, because Bangla text uses them."""
    pattern = "|".join(map(re.escape, cell_rules()["list_separators"]))
    items = [item for item in re.split(pattern, cell) if item.strip()]
    return [text(item) for item in items]


def number(cell: str) -> int | float:
    """Bangla or ASCII digits, lakh or Western grouping, optional ৳/Tk/BDT; whole numbers stay ints."""
    try:
        value = parse_number(cell)
    except ValueError:
        compact = normalize_text(cell).replace(" ", "")
        if _DECIMAL_COMMA.match(compact):
            raise decimal_comma(cell, compact) from None
        raise CellError("number_invalid", value=repr(cell.strip())) from None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def decimal_comma(cell: str, written: str) -> CellError:
    """A number `written` with a comma where a point may be meant ("24,5"): the clerk says which it is."""
    whole, _, fraction = written.partition(",")
    return CellError(
        "number_decimal_comma",
        value=repr(cell.strip()),
        as_decimal=f"{whole}.{fraction}",
        as_whole=whole + fraction,
    )


def boolean(cell: str) -> bool:
    words = cell_rules()["booleans"]
    key = lookup_key(cell)
    if key in _boolean_words(True):
        return True
    if key in _boolean_words(False):
        return False
    raise CellError(
        "boolean_invalid",
        value=repr(cell.strip()),
        true_words=", ".join(words["true"]),
        false_words=", ".join(words["false"]),
        true_words_bn=", ".join(w for w in words["true"] if not w.isascii()),
        false_words_bn=", ".join(w for w in words["false"] if not w.isascii()),
    )


@cache
def _boolean_words(value: bool) -> frozenset[str]:
    return frozenset(lookup_key(w) for w in cell_rules()["booleans"]["true" if value else "false"])


def phone(cell: str) -> str:
    """E.164 Bangladeshi mobile; spots Excel's scientific notation, the usual way a number is lost."""
    compact = normalize_text(cell).replace(" ", "")
    if _SCIENTIFIC.match(compact):
        raise CellError("phone_scientific", value=repr(cell.strip()))
    try:
        return normalize_bd_mobile(visible(cell))
    except ClerkError as e:
        raise CellError(e.code, **e.params) from None


def hours(cell: str) -> list[dict[str, str]] | None:
    """The compact weekly-hours cell; None means always open (24/7)."""
    from ingest.csv_import.hours_text import parse_hours_text

    try:
        return parse_hours_text(visible(cell))
    except ClerkError as e:
        raise CellError(e.code, **e.params) from None


_MONTHS = {
    **{m: i for i, m in enumerate(
        ["জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর"], 1)},
    **{m: i for i, m in enumerate(
        ["জানুয়ারী", "ফেব্রুয়ারী", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "অগাস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর"], 1)},
    **{m: i for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)},
    **{m: i for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)},
    "sept": 9,
}  # fmt: skip
_WORD_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|ই|শে|তারিখ)?[\s,.\-/]*([^\d\s,.\-/]+)[\s,.\-/]*(\d{4})$")
_WORD_DATE_US = re.compile(r"^([^\d\s,.\-/]+)[\s.\-/]*(\d{1,2})(?:st|nd|rd|th)?[\s,.\-/]+(\d{4})$")
#: Excel's day numbers for 1990-01-01 .. 2100-01-01: a date cell that lost its date format in a CSV.
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_SERIAL_RANGE = (32874, 73051)


def date(cell: str) -> str | Read:
    """ISO date from YYYY-MM-DD, a day-first date (15/09/2026, 15.09.26), a date in Bangla or English
    words ("১২ নভেম্বর ২০২৬", "12 Nov 2026"), or an Excel day number (45973) — the last two listed."""
    value = normalize_text(cell).strip()
    rules = cell_rules()["date_formats"]
    for fmt in rules["formats"]:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    key = value.casefold().replace("‌", "")
    match = _WORD_DATE.match(key)
    if match:
        day, month, year = match[1], _MONTHS.get(match[2].strip(".")), match[3]
    elif (match := _WORD_DATE_US.match(key)) is not None:
        month, day, year = _MONTHS.get(match[1].strip(".")), match[2], match[3]
    else:
        month = None
    if match and month is not None:
        try:
            found = datetime(int(year), month, int(day)).date().isoformat()
        except ValueError:
            raise CellError(
                "date_invalid", value=repr(cell.strip()), examples=" / ".join(rules["examples"])
            ) from None
        return Read(found, found, "date")
    if _SERIAL.match(value) and _SERIAL_RANGE[0] <= float(value) <= _SERIAL_RANGE[1]:
        found = (datetime(1899, 12, 30) + timedelta(days=int(float(value)))).date().isoformat()
        return Read(found, found, "date")
    raise CellError("date_invalid", value=repr(cell.strip()), examples=" / ".join(rules["examples"]))


def unit_parser(dimension: str, header_unit: Any = None) -> Parser:
    """A weight, age or price with its units (ingest.csv_import.units): the canonical value, and a
    Read (to be listed) when the cell was converted."""
    from ingest.csv_import import units

    def parse(cell: str) -> int | float | Read:
        reading = units.read(visible(cell), dimension, header_unit)
        value: int | float = reading.value
        if dimension == "age":
            value = round(value)
        elif dimension == "weight":
            value = round(value, 1)
        else:
            value = round(value, 2)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if reading.converted or value != reading.value:
            return Read(value, units.shown(value, dimension), "unit")
        return value

    return parse


def attributes(cell: str) -> dict[str, str | int | float]:
    """`name=value` pairs; names are English snake_case (the schema's propertyNames), numbers become numbers."""
    names = re.compile(_product_schema_part("attributes")["propertyNames"]["pattern"])
    pattern = "|".join(map(re.escape, cell_rules()["attribute_separators"]))
    result: dict[str, str | int | float] = {}
    for pair in filter(str.strip, re.split(pattern, cell)):
        name, equals, raw_value = pair.partition("=")
        name = re.sub(r"[\s\-]+", "_", normalize_text(name).lower())
        if not equals or not raw_value.strip():
            raise CellError("attribute_pair", value=repr(pair.strip()))
        if not names.match(name):
            raise CellError("attribute_name", name=repr(name))
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
            raise CellError("id_invalid", value=repr(cell.strip()))
        return value

    return parse


_AXIS_WORDS = {"lat": ("latitude", "অক্ষাংশ"), "lon": ("longitude", "দ্রাঘিমাংশ")}


def coordinate(entity: str, axis: str) -> Parser:
    """Latitude or longitude inside the schema's Bangladesh box; notices lat and lon swapped."""
    box = event_schema(entity)["definitions"]["location"]["properties"]
    other = "lon" if axis == "lat" else "lat"
    low, high = box[axis]["minimum"], box[axis]["maximum"]
    other_low, other_high = box[other]["minimum"], box[other]["maximum"]
    (word, word_bn), (other_word, other_bn) = _AXIS_WORDS[axis], _AXIS_WORDS[other]
    words = {"axis": word, "axis_bn": word_bn, "other": other_word, "other_bn": other_bn}

    def parse(cell: str) -> float:
        compact = normalize_text(cell).replace(" ", "")
        if _DECIMAL_COMMA.match(compact):  # "24,4449": degrees never need a thousands separator
            compact = compact.replace(",", ".")
        value = float(number(compact))
        if low <= value <= high:
            return value
        swapped = other_low <= value <= other_high
        raise CellError(
            "coordinate_swapped" if swapped else "coordinate_outside",
            value=value,
            low=low,
            high=high,
            **words,
        )

    return parse


def choice(allowed: dict[str, str], code: str, **params: str) -> Parser:
    """One of a fixed set of values, matched case-insensitively by any of its names.

    A value typed with Bijoy ("Bf‡jKwUªwkqvb") is looked up again as the Bangla it stands for.
    """
    lookup = {lookup_key(name): value for name, value in allowed.items()}

    def find(cell: str) -> str | None:
        key = lookup_key(visible(cell))
        return lookup.get(key) or lookup.get(key.replace(" ", ""))

    def parse(cell: str) -> str:
        value = find(cell)
        if value is None and bijoy.looks_like_bijoy(cell):
            try:
                value = find(bijoy.convert(cell))
            except bijoy.NotBijoy:
                value = None
        if value is None:
            raise CellError(code, value=repr(cell.strip()), **params)
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
    bangla = ", ".join(cat.bn for cat in taxonomy().categories(entity).values())
    return choice(names, "category_unknown", entity=entity, slugs=", ".join(slugs), slugs_bn=bangla)


def upazila() -> Parser:
    """An upazila of the district this ingest serves (DISTRICT), by slug or by any name its places carry
    (schemas/geography/<district>.gazetteer.json: Bangla, English and the spellings people type), and,
    failing those, by sound: "Bhoirob" is ভৈরব on Banglish keys (only keys one upazila owns)."""
    district = district_summary(configured_district())
    names: dict[str, str] = {}
    for slug, place in district.upazilas.items():
        names |= {slug: slug, place.bn: slug, place.en: slug}
    for place in district_places(district.slug)["places"]:
        if place["level"] == "upazila":
            for name in place["names"]:
                names.setdefault(name, place["upazila"])
    owners: dict[str, set[str]] = {}
    for name, slug in names.items():
        owners.setdefault(banglish_key(name), set()).add(slug)
    by_sound = {key: next(iter(slugs)) for key, slugs in owners.items() if key and len(slugs) == 1}
    exact = choice(
        names,
        "upazila_unknown",
        district=district.en,
        district_bn=district.bn,
        slugs=", ".join(district.upazilas),
        names=", ".join(place.bn for place in district.upazilas.values()),
    )

    def parse(cell: str) -> str:
        try:
            return str(exact(cell))
        except CellError:
            sounded = by_sound.get(banglish_key(visible(cell)))
            if sounded is None:
                raise
            return sounded

    return parse


def enum(entity: str, path: tuple[str, ...], value_aliases: dict[str, str]) -> Parser:
    """A schema enum (blood group, product status), plus the column's Bangla spellings."""
    prop = event_schema(entity)["definitions"][entity]["properties"][path[-1]]
    values = prop["enum"]
    allowed = {v: v for v in values} | value_aliases
    said: dict[str, list[str]] = {}
    for name, value in value_aliases.items():
        said.setdefault(value, []).append(name)
    # Blood groups are written the same in both; statuses have their Bangla words
    values_bn = ", ".join(
        (said[v][0] if v.isalpha() and v in said else f"{v} ({said[v][0]})" if v in said else v)
        for v in values
    )
    return choice(allowed, "enum_unknown", values=", ".join(values), values_bn=values_bn)


def action(value_aliases: dict[str, str]) -> Parser:
    """The `action` column: upsert (add or update) or delete, in English or Bangla."""
    allowed = {"upsert": "upsert", "delete": "delete"} | value_aliases
    return choice(allowed, "action_unknown")


def listed(item: Parser) -> Parser:
    """Several values of one kind in a cell, separated by ; or | (the seller's categories, upazilas)."""

    def parse(cell: str) -> list[Any]:
        pattern = "|".join(map(re.escape, cell_rules()["list_separators"]))
        values = [item(part) for part in re.split(pattern, cell) if part.strip()]
        if not values:
            raise CellError("list_empty")
        return list(dict.fromkeys(values))

    return parse


def payment_method(value_aliases: dict[str, str] | None = None) -> Parser:
    """A payment method slug of schemas/storefront.json, by slug, label or alias (বিকাশ, COD), or the
    column's own Bangla words (ক্যাশ)."""
    names: dict[str, str] = dict(value_aliases or {})
    for method in storefront()["payment_methods"]:
        for name in (method["slug"], method["bn"], method["en"], *method.get("aliases", ())):
            names[name] = method["slug"]
    methods = ", ".join(m["slug"] for m in storefront()["payment_methods"])
    methods_bn = ", ".join(m["bn"] for m in storefront()["payment_methods"])
    return choice(names, "payment_method_unknown", methods=methods, methods_bn=methods_bn)


def date_time(cell: str) -> str:
    """An RFC 3339 time in Asia/Dhaka: a date (at midnight), a date and time, or "now" (the import's time)."""
    value = normalize_text(cell)
    if value.casefold() == "now":
        return now_dhaka().isoformat(timespec="seconds")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            found = date(cell)
            parsed = datetime.fromisoformat(found.value if isinstance(found, Read) else found)
        except CellError:
            examples = " / ".join(cell_rules()["date_formats"]["examples"])
            raise CellError("datetime_invalid", value=repr(cell.strip()), examples=examples) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=DHAKA)
    return parsed.isoformat(timespec="seconds")


#: Column types read with units, and the dimension each reads (schemas/csv/units.json).
UNIT_DIMENSIONS = {"weight_kg": "weight", "age_months": "age", "price_bdt": "price"}

#: Column types of the cattle market's facts → their list in schemas/livestock.json.
LIVESTOCK_LISTS = {
    "livestock_animal": "animals",
    "livestock_breed": "breeds",
    "livestock_sex": "sexes",
    "livestock_seen_at": "seen_at_kinds",
}


def livestock_choice(list_name: str, value_aliases: dict[str, str]) -> Parser:
    """An animal, breed, sex or haat/farm kind by slug, Bangla or English name, a breed's spellings,
    or the column's own aliases (এঁড়ে, পাঁঠা for male)."""
    vocabulary = livestock()
    entries: dict[str, Any] = getattr(vocabulary, list_name)
    names: dict[str, str] = {}
    for slug, entry in entries.items():
        for name in (slug, entry.bn, entry.en, *getattr(entry, "spellings", ())):
            names[name] = slug
    values_bn = ", ".join(entry.bn for entry in entries.values())
    return choice(names | value_aliases, "enum_unknown", values=", ".join(entries), values_bn=values_bn)


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
        "datetime": date_time,
    }
    if kind in simple:
        return simple[kind]
    if kind in ("opens", "closes", "closed_days"):
        return visible  # parts of the hours, read together once the row is complete
    if kind in UNIT_DIMENSIONS:
        return unit_parser(UNIT_DIMENSIONS[kind])
    if kind == "id":
        return identifier(entity)
    if kind in ("latitude", "longitude"):
        return coordinate(entity, kind[:3])
    if kind == "category":
        return category(entity)
    if kind == "upazila":
        return upazila()
    if kind in LIVESTOCK_LISTS:
        return livestock_choice(LIVESTOCK_LISTS[kind], value_aliases)
    if kind == "categories":
        return listed(category("product"))
    if kind == "upazilas":
        return listed(upazila())
    if kind == "payment_methods":
        return listed(payment_method(value_aliases))
    if kind == "enum":
        return enum(entity, path, value_aliases)
    if kind == "action":
        return action(value_aliases)
    raise ValueError(f"unknown column type {kind!r} in schemas/csv")
