"""A citizen's position, named: "আপনি আছেন: কটিয়াদী, মসূয়া ইউনিয়ন". Pure but for the polygons,
which portal.geography loads once per process.

The district polygon decides "outside the district", with the contract's border tolerance (a GPS fix
a few hundred metres over a simplified border is still the district's). Where the union polygons leave a
sliver inside an upazila, the nearest union is named and the text says "near" it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, Field

from portal.geography import Area, Geography, configured_geography

#: How each level is said after its name; a paurashava's name already says so ("ভৈরব পৌরসভা").
LEVEL_WORDS = {"union": ("ইউনিয়ন", "union")}


class AreaLabel(BaseModel):
    slug: str
    level: str = Field(description="district, upazila, union or paurashava")
    bn: str
    en: str


class CitizenAt(BaseModel):
    """Where the position given lies, by the district's polygons."""

    inside_district: bool = Field(description="whether the point is in the district this service serves")
    district: AreaLabel | None = None
    upazila: AreaLabel | None = None
    union: AreaLabel | None = Field(default=None, description="the union or paurashava, where known")
    union_inside: bool = Field(
        default=True, description="false: the point lies between union polygons and `union` is the nearest"
    )
    bn: str = Field(examples=["কটিয়াদী, মসূয়া ইউনিয়ন"], description="the place in words, for a frontend")
    en: str = Field(examples=["Katiadi, Masua union"])


#: Where a point is, as the key its words are made once for: (district, upazila, union, union_inside).
Place = tuple[Area, Area | None, Area | None, bool]


def _place(lat: float, lon: float, geography: Geography) -> Place:
    """The district's polygons, with its border tolerance, place the point."""
    where = geography.locate(lat, lon, tolerance_m=geography.border_tolerance_m)
    return geography.district, where.upazila, where.union, where.union_inside


def citizen_at(lat: float, lon: float, geography: Geography | None = None) -> CitizenAt:
    return _named(*_place(lat, lon, geography or configured_geography()))


@cache
def _named(district: Area, upazila: Area | None, union: Area | None, union_inside: bool) -> CitizenAt:
    """The place a located point is in, in words: one answer per upazila and union (a few hundred),
    made once — every search given a position names it. Shared: read only."""
    if upazila is None:
        return CitizenAt(
            inside_district=False,
            union_inside=False,
            bn=f"{district.bn} জেলার বাইরে",
            en=f"outside {district.en} district",
        )
    bn, en = _words(upazila, union, union_inside)
    return CitizenAt(
        inside_district=True,
        district=_label(district),
        upazila=_label(upazila),
        union=_label(union) if union else None,
        union_inside=union_inside,
        bn=bn,
        en=en,
    )


def citizen_at_json(lat: float, lon: float) -> dict[str, Any]:
    """`citizen_at` as the JSON its model writes in an answer (exclude_unset: outside the district, the
    areas are left out). Shared, like the model it is written from: read only."""
    return _named_json(*_place(lat, lon, configured_geography()))


@cache
def _named_json(
    district: Area, upazila: Area | None, union: Area | None, union_inside: bool
) -> dict[str, Any]:
    return _named(district, upazila, union, union_inside).model_dump(mode="json", exclude_unset=True)


@cache
def union_json(slug: str | None) -> dict[str, Any] | None:
    """The union or paurashava a document lies in (ingest put its slug there from the polygons), as the
    JSON of its `AreaLabel`: one shared dict per slug, which nothing may change. None when the document
    has none (a point between the polygons, or indexed before documents carried one)."""
    area = configured_geography().unions.get(slug) if slug else None
    return None if area is None else _label(area).model_dump(mode="json")


def _label(area: Area) -> AreaLabel:
    return AreaLabel(slug=area.slug, level=area.level, bn=area.bn, en=area.en)


def _words(upazila: Area, union: Area | None, union_inside: bool) -> tuple[str, str]:
    if union is None:
        return upazila.bn, upazila.en
    said_bn, said_en = LEVEL_WORDS.get(union.level, ("", ""))
    union_bn = f"{union.bn} {said_bn}".strip()
    union_en = f"{union.en} {said_en}".strip()
    if not union_inside:
        union_bn, union_en = f"{_genitive(union_bn)} কাছে", f"near {union_en}"
    return f"{upazila.bn}, {union_bn}", f"{upazila.en}, {union_en}"


def _genitive(name: str) -> str:
    """ "ইউনিয়ন" → "ইউনিয়নের", "পৌরসভা" → "পৌরসভার": -র after a vowel sign, -ের after a consonant."""
    return f"{name}র" if "\u09be" <= name[-1] <= "\u09cc" else f"{name}ের"
