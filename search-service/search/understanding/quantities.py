"""Quantities in a product query: a live weight ("৩ মণের ষাঁড়", "সাড়ে ৭ মণ", "350 kg") and a price
("১ লাখের গরু", "৮০ হাজার টাকার ছাগল", "1.5 lakh"). Pure.

Units and the words for halves (সাড়ে, দেড়, আড়াই) are data (schemas/query_language.json, `measures`);
a maund (মণ) is 37.32 kg. A number with a unit becomes a wish — animals nearest that weight, products
nearest that price come first — and the answer says what it understood; the words are taken out of the
query like a blood group is, so they are neither matched as text nor reported as ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from portal.bangla.normalize import normalize_text
from portal.contracts import query_language

#: "৳ 80,000", "Tk 5000": the currency before the amount, read as the amount then its unit.
_CURRENCY_FIRST = re.compile(r"(?:৳|\btk\.?|\bbdt)\s*(\d[\d,.]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Quantities:
    live_weight_kg: float | None = None
    price_bdt: float | None = None
    said: tuple[tuple[str, str], ...] = ()  # (measure, the words as typed) of each amount taken out


@dataclass(frozen=True)
class _Measures:
    pattern: re.Pattern[str]
    units: dict[str, tuple[str, float]]  # unit word (lower case) → (what it measures, factor)
    halves: dict[str, float]  # সাড়ে → +0.5, দেড় → 1.5 (a number of its own), পৌনে → -0.25


@cache
def _measures() -> _Measures:
    raw = query_language()["measures"]
    units = {
        normalize_text(word).lower(): (measure, float(factor))
        for measure in ("weight_kg", "price_bdt")
        for word, factor in raw[measure].items()
    }
    halves = {normalize_text(w).lower(): float(v) for w, v in raw["halves"].items()}

    def alternatives(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    # [half-word] [number] unit [case ending]; a unit with neither a number nor a half is no quantity
    pattern = re.compile(
        rf"(?<![\w\u0980-\u09ff])(?:(?P<half>{alternatives(list(halves))})\s*)?"
        rf"(?P<number>\d{{1,3}}(?:,\d{{2}})*,\d{{3}}|\d+(?:\.\d+)?)?\s*(?P<unit>{alternatives(list(units))})"
        rf"(?:{alternatives(raw['endings'])})?(?![\w\u0980-\u09ff])",
        re.IGNORECASE,
    )
    return _Measures(pattern, units, halves)


def extract_quantities(text: str) -> tuple[str, Quantities]:
    """The text without its quantities, and what they say. Consecutive amounts of one measure add up
    ("১ লাখ ২০ হাজার" = 120,000; "২০ হাজার টাকা" = 20,000: টাকা after an amount only names it)."""
    measures = _measures()
    text = _CURRENCY_FIRST.sub(r"\1 tk", text)
    found: dict[str, float] = {}
    said: list[tuple[str, str]] = []
    last: tuple[str, int] | None = None  # the measure of the previous amount and where it ended
    kept: list[str] = []
    cursor = 0
    for match in measures.pattern.finditer(text):
        half = measures.halves.get((match["half"] or "").lower())
        number = float(match["number"].replace(",", "")) if match["number"] else None
        measure, factor = measures.units[match["unit"].lower()]
        adjacent = last is not None and last[0] == measure and not text[last[1] : match.start()].strip()
        if number is None and half is None:
            if not adjacent:
                continue  # a unit word alone ("টাকা", "kg") says no amount
            amount = 0.0  # "২০ হাজার টাকা": টাকা names the amount before it
        elif number is None:
            amount = half or 0.0
        else:
            amount = number + (half if half is not None and half < 1 else 0.0)
        value = amount * factor
        found[measure] = found.get(measure, 0.0) + value if adjacent else value
        said.append((measure, match.group(0).strip()))
        last = (measure, match.end())
        kept.append(text[cursor : match.start()])
        cursor = match.end()
    if not found:
        return text, Quantities()
    kept.append(text[cursor:])
    rest = re.sub(r"\s+", " ", " ".join(kept)).strip()
    return rest, Quantities(
        live_weight_kg=round(found["weight_kg"], 1) if found.get("weight_kg") else None,
        price_bdt=round(found["price_bdt"]) if found.get("price_bdt") else None,
        said=tuple(said),
    )
