"""Weights, ages and prices with the units clerks type them in → the canonical unit the events store.

A cattle seller's sheet says "৮ মণ", "সাড়ে ৭ মণ", "৩৫০ কেজি", "৩ বছর", "দেড় বছর", "১.২৫ লাখ" or
"১,২৫,০০০/-"; a header may carry the unit for the whole column ("ওজন (মণ)", "বয়স (বছর)",
"দাম (লাখ টাকা)"). Reading the number and dropping the word would store 8 kg for a cow of 300 kg, or
2 months for a bull of 2 years, so the unit is read, converted (kg, months, taka: schemas/csv/units.json),
and every converted cell is listed for the clerk to check. A word that is no unit of the column's kind
is a row error that names it, never ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ingest.csv_import.cells import CellError, decimal_comma, lookup_key
from portal.bangla.normalize import ascii_digits_to_bangla
from portal.contracts import SCHEMAS_DIR

#: Column types whose cells are read with units, and the dimension of each.
UNIT_TYPES = {"weight_kg": "weight", "age_months": "age", "price_bdt": "price"}

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")
_GROUPED = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})*,\d{3})(?:\.\d+)?$")


@dataclass(frozen=True)
class Unit:
    dimension: str
    name: str
    factor: float
    bn: str


@dataclass(frozen=True)
class Reading:
    """A cell read with its units: the value in the canonical unit, and whether it was converted."""

    value: float
    converted: bool  # not a plain number in the canonical unit: the clerk should see what it became


@cache
def _vocabulary() -> dict[str, Any]:
    with open(SCHEMAS_DIR / "csv" / "units.json", encoding="utf-8") as f:
        raw: dict[str, Any] = json.load(f)
    words: dict[str, Unit] = {}
    canonical: dict[str, Unit] = {}
    for dimension, spec in raw["dimensions"].items():
        for name, unit in spec["units"].items():
            found = Unit(dimension, name, float(unit["factor"]), unit["bn"])
            for word in unit["words"]:
                words[lookup_key(word)] = found
            if float(unit["factor"]) == 1.0:
                canonical[dimension] = found
    fractions = raw["fraction_words"]
    return {
        "words": words,
        "canonical": canonical,
        "labels": {d: spec["label_bn"] for d, spec in raw["dimensions"].items()},
        "modifiers": {lookup_key(w): float(v) for w, v in fractions["modifiers"].items()},
        "numbers": {lookup_key(w): float(v) for w, v in fractions["numbers"].items()},
    }


def unit_word(word: str) -> Unit | None:
    """The unit a header word or cell word names ("মণ", "বছর", "লাখ"), if any."""
    found: Unit | None = _vocabulary()["words"].get(lookup_key(word).strip(".:()"))
    return found


def canonical(dimension: str) -> Unit:
    unit: Unit = _vocabulary()["canonical"][dimension]
    return unit


def read(cell: str, dimension: str, header_unit: Unit | None = None) -> Reading:
    """The cell's value in the canonical unit of `dimension`; CellError for what cannot be read.

    Terms add up ("২ বছর ৬ মাস" = 30 months, "১ লাখ ২০ হাজার" = 120,000); a number without a unit
    takes the header's unit, or else the canonical one.
    """
    vocabulary = _vocabulary()
    text = lookup_key(cell).strip()
    for symbol in sorted((w for w in vocabulary["words"] if not w[0].isalnum()), key=len, reverse=True):
        text = text.replace(symbol, f" {symbol} ")
    tokens = re.findall(r"\d[\d,]*(?:\.\d+)?|\.\d+|[^\s\d]+", text)
    total = 0.0
    plain = True  # a single plain number: nothing to list
    pending: float | None = None
    modifier = 0.0
    terms = 0
    for token in tokens:
        if _NUMBER.fullmatch(token):
            if pending is not None:
                total += pending * _factor(header_unit, dimension)
                terms += 1
                plain = plain and header_unit is None
            if _DECIMAL_COMMA.match(token):
                raise decimal_comma(cell, token)
            if not _GROUPED.match(token) and not token.startswith("."):
                raise CellError("number_invalid", value=repr(cell.strip()))
            pending = float(token.replace(",", "")) + modifier
            modifier = 0.0
            continue
        key = token.strip(".:()")
        if not key:
            continue
        if key in vocabulary["modifiers"]:
            modifier = vocabulary["modifiers"][key]
            plain = False
            continue
        if key in vocabulary["numbers"]:
            if pending is not None:
                total += pending * _factor(header_unit, dimension)
                terms += 1
            pending = vocabulary["numbers"][key]
            plain = False
            continue
        unit = vocabulary["words"].get(key)
        if unit is None:
            raise _unknown_word(cell, token, dimension)
        if unit.dimension != dimension:
            raise _unknown_word(cell, token, dimension)
        if pending is None:
            if unit.factor == 1.0 and unit.dimension == "price":
                continue  # "৳ 1,200", "Tk 500": the mark before the number
            raise _unknown_word(cell, token, dimension)
        total += pending * unit.factor
        terms += 1
        plain = plain and unit.factor == 1.0 and terms == 1
        pending = None
    if pending is not None:
        total += pending * _factor(header_unit, dimension)
        terms += 1
        plain = plain and (header_unit is None or header_unit.factor == 1.0) and terms == 1
    if not terms:
        raise CellError("number_invalid", value=repr(cell.strip()))
    return Reading(total, converted=not plain)


def _factor(header_unit: Unit | None, dimension: str) -> float:
    if header_unit is not None and header_unit.dimension == dimension:
        return header_unit.factor
    return 1.0


def _unknown_word(cell: str, word: str, dimension: str) -> CellError:
    units = [u for u in _vocabulary()["words"].values() if u.dimension == dimension]
    seen: dict[str, Unit] = {}
    for unit in units:
        seen.setdefault(unit.name, unit)
    return CellError(
        f"{dimension}_unit_unknown",
        value=repr(cell.strip()),
        word=repr(word),
        units=", ".join(seen),
        units_bn=", ".join(u.bn for u in seen.values()),
    )


def shown(value: float, dimension: str, *, bangla: bool = False) -> str:
    """A canonical value as a clerk reads it: "298.6 kg", "৩০ মাস", "1,25,000 taka"."""
    if dimension == "price":
        number = _lakh_grouping(value)
    elif dimension == "age":
        number = f"{value:g}"
    else:
        number = f"{round(value, 1):g}"
    if bangla:
        return f"{ascii_digits_to_bangla(number)} {_vocabulary()['labels'][dimension]}"
    return f"{number} {canonical(dimension).name}"


def _lakh_grouping(value: float) -> str:
    whole = int(value)
    text = str(abs(whole))
    if len(text) > 3:
        head, tail = text[:-3], text[-3:]
        groups: list[str] = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        text = ",".join([*groups, tail])
    fraction = round(value - whole, 2)
    return ("-" if whole < 0 else "") + text + (f"{fraction:.2f}"[1:] if fraction else "")
