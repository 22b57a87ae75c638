"""Is a row's listing believable? Bounds per animal and per product category (schemas/plausibility.json).

A unit slip turns a 280 kg cow into 7.5 kg, a bull of two years into one of two months and ৳1,25,000
into ৳1.25 — each a valid number, each published, and the ৳1.25 bull tops every `price_asc` search.
So after a row has become an event, its weight, age, price, price per kg and weight for age are held
to the bounds, and a value outside them is a row error naming it and, where one fits, the unit the
clerk probably meant, with the clerk's own number. A blood donor's last donation may not be in the
future nor further back than anyone still donating could have given.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from ingest.csv_import.cells import CellError
from ingest.csv_import.units import shown, unit_word
from portal.bangla.normalize import ascii_digits_to_bangla
from portal.contracts import SCHEMAS_DIR, taxonomy


@dataclass(frozen=True)
class Doubt:
    """A value that is not plausible: the column it came from and why."""

    column: str  # the import column (live_weight_kg, age_months, price_bdt, last_donation_date)
    error: CellError


@cache
def bounds() -> dict[str, Any]:
    with open(SCHEMAS_DIR / "plausibility.json", encoding="utf-8") as f:
        loaded: dict[str, Any] = json.load(f)
    return loaded


def _n(value: float) -> str:
    return f"{value:g}" if abs(value) < 1000 else f"{round(value):,}"  # the clerk's own number


def _bn(text: str) -> str:
    return ascii_digits_to_bangla(text)


def product_doubts(data: dict[str, Any]) -> Iterator[Doubt]:
    """What is implausible in a product event's `data` (its livestock facts and its price)."""
    price = data.get("price_bdt")
    livestock = data.get("livestock") or {}
    animal = livestock.get("animal")
    facts = bounds()["livestock"].get(animal) if animal else None
    if facts is None:
        yield from _category_price(data.get("category"), price)
        return
    subject, subject_bn = str(animal), str(facts["bn"])
    weight, age = livestock.get("live_weight_kg"), livestock.get("age_months")
    bad_weight = bad_age = False
    if isinstance(weight, int | float):
        low, high = facts["live_weight_kg"]
        if not low <= weight <= high:
            bad_weight = True
            yield Doubt("live_weight_kg", _outside("weight", weight, low, high, subject, subject_bn, "maund"))
    if isinstance(age, int | float):
        low, high = facts["age_months"]
        if not low <= age <= high:
            bad_age = True
            yield Doubt("age_months", _outside("age", age, low, high, subject, subject_bn, "year"))
    if isinstance(weight, int | float) and isinstance(age, int | float) and not (bad_weight or bad_age):
        heaviest = facts["birth_kg"] + facts["max_gain_kg_per_month"] * age
        if weight > heaviest:
            yield Doubt("age_months", _too_young(age, weight, heaviest, subject, subject_bn, facts))
    if isinstance(price, int | float):
        low, high = facts["price_bdt"]
        if not low <= price <= high:
            yield Doubt("price_bdt", _outside("price", price, low, high, subject, subject_bn, "lakh"))
        elif isinstance(weight, int | float) and weight > 0 and not bad_weight:
            low, high = facts["price_per_kg_bdt"]
            per_kg = price / weight
            if not low <= per_kg <= high:
                yield Doubt("price_bdt", _per_kg(price, weight, per_kg, low, high, subject, subject_bn))


def _category_price(category: Any, price: Any) -> Iterator[Doubt]:
    limits = bounds()["product_price_bdt"].get(category) if isinstance(category, str) else None
    if limits is None or not isinstance(price, int | float):
        return
    low, high = limits
    if not low <= price <= high:
        names = taxonomy().categories("product").get(category)
        subject_bn = names.bn if names is not None else category
        yield Doubt("price_bdt", _outside("price", price, low, high, category, subject_bn, "thousand"))


def _outside(
    dimension: str, value: float, low: float, high: float, subject: str, subject_bn: str, likely: str
) -> CellError:
    """A value outside its bounds, with the unit that would put the clerk's number inside them."""
    unit = unit_word(likely)
    hint = _NO_HINT
    if unit is not None and value < low and low <= value * unit.factor <= high:
        meant = value * unit.factor
        if dimension == "age":
            meant = round(meant)
        hint = _did_you_mean(value, unit.name, unit.bn, meant, dimension)
    return CellError(
        f"implausible_{dimension}",
        **_both(value=(value, dimension), low=(low, dimension), high=(high, dimension)),
        subject=subject,
        subject_bn=subject_bn,
        **hint,
    )


def _too_young(
    age: float, weight: float, heaviest: float, subject: str, subject_bn: str, facts: dict[str, Any]
) -> CellError:
    years = age  # the number the clerk typed, read as years instead of months
    hint = _NO_HINT
    if weight <= facts["birth_kg"] + facts["max_gain_kg_per_month"] * years * 12 and years <= 25:
        hint = _did_you_mean(years, "years", "বছর", round(years * 12), "age")
    return CellError(
        "implausible_age_for_weight",
        **_both(age=(age, "age"), weight=(weight, "weight"), heaviest=(heaviest, "weight")),
        subject=subject,
        subject_bn=subject_bn,
        **hint,
    )


def _per_kg(
    price: float, weight: float, per_kg: float, low: float, high: float, subject: str, subject_bn: str
) -> CellError:
    hint = _NO_HINT
    maund = unit_word("maund")
    if maund is not None and per_kg > high and low <= price / (weight * maund.factor) <= high:
        meant = weight * maund.factor
        hint = {
            "hint": f'; is the weight in maunds ({_n(weight)} মণ = {shown(meant, "weight")})? Then write "{_n(weight)} মণ"',
            "hint_bn": (
                f"; ওজন কি মণে ({_bn(_n(weight))} মণ = {shown(meant, 'weight', bangla=True)})? "
                f'তাহলে ওজনের ঘরে লিখুন "{_bn(_n(weight))} মণ"'
            ),
        }
    return CellError(
        "implausible_price_per_kg",
        **_both(
            price=(price, "price"),
            weight=(weight, "weight"),
            per_kg=(per_kg, "price"),
            low=(low, "price"),
            high=(high, "price"),
        ),
        subject=subject,
        subject_bn=subject_bn,
        **hint,
    )


_NO_HINT = {"hint": "", "hint_bn": ""}


def _both(**values: tuple[float, str]) -> dict[str, str]:
    """Each (value, dimension) as a message parameter in English (`name`) and in Bangla (`name_bn`)."""
    params: dict[str, str] = {}
    for name, (value, dimension) in values.items():
        params[name] = shown(value, dimension)
        params[f"{name}_bn"] = shown(value, dimension, bangla=True)
    return params


def _did_you_mean(number: float, unit: str, unit_bn: str, meant: float, dimension: str) -> dict[str, str]:
    """The hint naming the unit the clerk probably meant, with the clerk's own number and what it comes to."""
    return {
        "hint": f'; did you mean {_n(number)} {unit} ({shown(meant, dimension)})? Then write "{_n(number)} {unit_bn}"',
        "hint_bn": (
            f"; আপনি কি {_bn(_n(number))} {unit_bn} ({shown(meant, dimension, bangla=True)}) বোঝাতে চেয়েছেন? "
            f'তাহলে ঘরে লিখুন "{_bn(_n(number))} {unit_bn}"'
        ),
    }


def donation_doubt(last: str, today: date) -> CellError | None:
    """A last donation in the future, or before anyone still donating could have given blood."""
    try:
        given = date.fromisoformat(last)
    except ValueError:
        return None
    if given > today:
        return CellError(
            "date_future",
            value=given.isoformat(),
            today=today.isoformat(),
            value_bn=_bn(given.strftime("%d/%m/%Y")),
            today_bn=_bn(today.strftime("%d/%m/%Y")),
        )
    years = bounds()["last_donation"]["max_years_ago"]
    earliest = date(today.year - years, today.month, min(today.day, 28))
    if given < earliest:
        return CellError(
            "date_too_old",
            value=given.isoformat(),
            value_bn=_bn(given.strftime("%d/%m/%Y")),
            years=years,
            earliest=earliest.isoformat(),
            earliest_bn=_bn(earliest.strftime("%d/%m/%Y")),
        )
    return None
