"""Where demo providers and sellers sit: points scattered around an upazila centre, and street addresses.

Points are uniform over a disc (radius × √u), not clustered at the centre, so "nearest" queries see a
realistic spread of distances instead of a pile of ties at the upazila headquarters. Any district but the
first keeps its points inside their upazila's polygon (`scatter_within`); Kishoreganj's demo is pinned
as it was drawn, a disc around each town, some of whose points lie past the upazila's border.
"""

from __future__ import annotations

import math
from random import Random

from demo_bangla import Name, bangla_digits, nfc_names
from demo_taxonomy import District, Upazila
from portal.geography import geography

#: How often a point outside its upazila is drawn again before the town itself is taken.
_DRAWS = 20

KM_PER_DEGREE_LAT = 111.32

# Generic neighbourhoods found in almost every upazila town; none is a category word.
LOCALITIES: tuple[Name, ...] = nfc_names(
    (
        ("বাজার রোড", "Bazar Road"),
        ("কলেজ রোড", "College Road"),
        ("থানা রোড", "Thana Road"),
        ("হাসপাতাল রোড", "Hospital Road"),
        ("স্কুল রোড", "School Road"),
        ("পুরান বাজার", "Puran Bazar"),
        ("নতুন বাজার", "Notun Bazar"),
        ("বাসস্ট্যান্ড", "Bus Stand"),
        ("মসজিদ রোড", "Mosque Road"),
        ("উত্তর পাড়া", "Uttar Para"),
        ("দক্ষিণ পাড়া", "Dakshin Para"),
        ("পূর্ব পাড়া", "Purba Para"),
        ("পশ্চিম পাড়া", "Paschim Para"),
        ("লঞ্চঘাট", "Launch Ghat"),
        ("কলেজ মোড়", "College Mor"),
        ("চৌরাস্তা", "Chourasta"),
    )
)


def scatter_around(rng: Random, upazila: Upazila, radius_km: float) -> dict[str, float]:
    """A point uniform in a disc of `radius_km` around the upazila centre, rounded to 6 decimals (~0.1 m)."""
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.random() * math.tau
    dlat = distance * math.cos(bearing) / KM_PER_DEGREE_LAT
    dlon = distance * math.sin(bearing) / (KM_PER_DEGREE_LAT * math.cos(math.radians(upazila.lat)))
    return {"lat": round(upazila.lat + dlat, 6), "lon": round(upazila.lon + dlon, 6)}


def scatter_within(rng: Random, district: District, upazila: Upazila, radius_km: float) -> dict[str, float]:
    """`scatter_around`, drawn again while the point lies outside the upazila's polygon — for any district
    but the first, whose demo is pinned as drawn (the same seed draws the same points)."""
    point = scatter_around(rng, upazila, radius_km)
    if district.first:
        return point
    shapes = geography(district.slug)
    for _ in range(_DRAWS):
        if shapes.contains(upazila.slug, point["lat"], point["lon"], tolerance_m=0):
            return point
        point = scatter_around(rng, upazila, radius_km)
    return {"lat": upazila.lat, "lon": upazila.lon}


def street_address(rng: Random, upazila: Upazila) -> dict[str, str]:
    """An address as people write it: an optional holding number, a neighbourhood, the upazila."""
    locality_bn, locality_en = rng.choice(LOCALITIES)
    bn, en = f"{locality_bn}, {upazila.bn}", f"{locality_en}, {upazila.en}"
    if rng.random() < 0.3:
        holding = str(rng.randint(1, 250))
        bn, en = f"হোল্ডিং নং {bangla_digits(holding)}, {bn}", f"Holding No. {holding}, {en}"
    return {"bn": bn, "en": en, "upazila": upazila.slug}
