"""Check the generated places (schemas/geography/<district>.gazetteer.json) against what the search reads.

    .venv/bin/python deploy/geography/check_places.py [--district NAME ...] [--json-out PATH]

A union or market name that a search already reads as something else must not be a place: "the
nearest electrician" would become a place search. Names are compared on Banglish keys
(portal.bangla.romanize.banglish_key) with every word of schemas/taxonomy.json, needs.json,
query_language.json, not_listed.json, livestock.json and storefront.json (geo_names.py says how).

Errors (exit 1): a name in `places` that geo_names.judge refuses; one key for two places; a place
without names or outside its district's upazilas; for a district the portal has always served
(portal_upazilas.json), an upazila whose slug, labels or town is not the portal's.
Printed for reading: every name the build left out and why (`excluded`), and warnings: names one typo
from a listed name, or a word inside a listed phrase.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo_build import portal_upazilas
from geo_names import judge
from portal.bangla.romanize import banglish_key
from portal.geography import GEOGRAPHY_DIR, built_districts, contract

REQUIRED = ("slug", "kind", "level", "district", "upazila", "lat", "lon", "radius_km", "bn", "en", "names")


@dataclass
class Findings:
    district: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    excluded: list[dict[str, str]] = field(default_factory=list)
    places: int = 0
    names: int = 0

    def lines(self) -> Iterator[str]:
        """The district as printed for reading: every name the build left out and why, then the findings."""
        yield f"== {self.district}"
        for e in self.excluded:
            yield f"  excluded  {e['place']:<28} {e['name'] or '(the place)':<28} {e['why']}"
        yield from (f"  ERROR     {line}" for line in self.errors)
        yield from (f"  warning   {line}" for line in self.warnings)


def places_file(district: str) -> dict[str, Any]:
    with open(GEOGRAPHY_DIR / f"{district}.gazetteer.json", encoding="utf-8") as f:
        loaded: dict[str, Any] = json.load(f)
    return loaded


def check(district: str) -> Findings:
    found = Findings(district)
    data = places_file(district)
    built = {u["slug"]: u for u in contract(district)["upazilas"]}
    upazilas = set(built)
    for own in portal_upazilas(district):
        mine = built.get(own.slug)
        if mine is None:
            found.errors.append(f"{own.slug}: an upazila of portal_upazilas.json is not built")
        elif (mine["bn"], mine["en"], mine["town"]) != (own.bn, own.en, {"lat": own.lat, "lon": own.lon}):
            found.errors.append(f"{own.slug}: its labels or town differ from portal_upazilas.json's")
    owner: dict[str, str] = {}
    slugs: set[str] = set()
    for place in data["places"]:
        found.places += 1
        slug = place.get("slug", "?")
        if missing := [k for k in REQUIRED if k not in place]:
            found.errors.append(f"{slug}: missing {missing}")
            continue
        if slug in slugs:
            found.errors.append(f"{slug}: slug used twice")
        slugs.add(slug)
        if place["upazila"] not in upazilas:
            found.errors.append(f"{slug}: upazila {place['upazila']!r} is not one of {district}'s")
        if not place["names"]:
            found.errors.append(f"{slug}: no names")
        for name in place["names"]:
            found.names += 1
            key = banglish_key(name)
            if owner.get(key, slug) != slug:
                found.errors.append(f"{slug}: {name!r} [{key}] is also a name of {owner[key]}")
            owner[key] = slug
            verdict = judge(name)
            if verdict.refusal and place["level"] != "upazila":
                found.errors.append(f"{slug}: {name!r} may not be a place: {verdict.refusal}")
            found.warnings.extend(f"{slug}: {name!r}: {w}" for w in verdict.warnings)
    found.excluded = data.get("excluded", [])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--district", action="append", help="district slug (repeatable); default: every built one"
    )
    parser.add_argument("--json-out", type=Path, help="also write the findings as JSON here")
    args = parser.parse_args(argv)
    results = [check(d) for d in args.district or built_districts()]
    for f in results:
        print("\n".join(f.lines()))
    print()
    print(f"{'district':<13} {'places':>6} {'names':>6} {'excluded':>8} {'errors':>6} {'warnings':>8}")
    for f in results:
        print(
            f"{f.district:<13} {f.places:>6} {f.names:>6} {len(f.excluded):>8} {len(f.errors):>6} {len(f.warnings):>8}"
        )
    if args.json_out:
        args.json_out.write_text(
            json.dumps([vars(f) for f in results], ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 1 if any(f.errors for f in results) else 0


if __name__ == "__main__":
    sys.exit(main())
