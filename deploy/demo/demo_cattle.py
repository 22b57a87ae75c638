"""The digital cattle market: typed livestock facts, and the animals farms and traders list before Eid.

Facts follow schemas/livestock.json (animals, breeds, sexes, haat or farm). Prices are per head, made
from live weight × a per-kg rate that depends on the animal and the breed, as Kishoreganj's haats
quote them in late 2026 (cattle ৳480–650/kg live, goats ৳700–1,100/kg). Everything is drawn from the
generator's seeded RNG: the same seed gives the same animals.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from random import Random
from typing import Any

from demo_bangla import Name, bangla_digits, nfc, nfc_names
from demo_taxonomy import REPO_ROOT, Upazila

LIVESTOCK_PATH = REPO_ROOT / "schemas" / "livestock.json"

#: The demo's livestock variants (demo_goods) name breeds in words; these are their contract slugs.
VARIANT_BREEDS = {
    "deshi": "deshi",
    "sahiwal cross": "sahiwal_cross",
    "friesian cross": "friesian_cross",
    "red chittagong": "red_chittagong",
    "pabna": "pabna",
    "black bengal": "black_bengal",
    "jamunapari": "jamunapari",
    "murrah cross": "murrah_cross",
    "garol": "garole",
}


@dataclass(frozen=True, slots=True)
class AnimalMarket:
    """How one kind of animal is listed: breeds (weights), sexes (weights), live weight, age, ৳/kg."""

    noun: Name
    breeds: tuple[tuple[str, float], ...]
    sexes: tuple[tuple[str, float], ...]
    weight_kg: tuple[int, int]
    age_months: tuple[int, int]
    per_kg: tuple[int, int]
    share: float  # of the listings


MARKET: dict[str, AnimalMarket] = {
    "bull": AnimalMarket(
        (nfc("ষাঁড়"), "bull"),
        (("deshi", 35), ("sahiwal_cross", 20), ("sahiwal", 8), ("friesian_cross", 10), ("red_chittagong", 6),
         ("pabna", 6), ("brahman", 5), ("bhutti", 5), ("sindhi", 5)),
        (("male", 1),),
        (180, 650), (20, 48), (500, 620), 0.35,
    ),
    "cow": AnimalMarket(
        (nfc("গাভী গরু"), "cow"),
        (("deshi", 30), ("friesian_cross", 25), ("sahiwal_cross", 15), ("friesian", 8), ("red_chittagong", 8),
         ("jersey", 4), ("north_bengal_grey", 5), ("munshiganj", 5)),
        (("female", 1),),
        (150, 450), (30, 96), (480, 580), 0.20,
    ),
    "goat": AnimalMarket(
        (nfc("ছাগল"), "goat"),
        (("black_bengal", 60), ("jamunapari", 20), ("beetal", 8), ("boer", 6), ("totapuri", 6)),
        (("castrated", 45), ("male", 25), ("female", 30)),
        (12, 45), (6, 30), (700, 950), 0.30,
    ),
    "buffalo": AnimalMarket(
        (nfc("মহিষ"), "buffalo"),
        (("deshi", 60), ("murrah_cross", 25), ("murrah", 10), ("nili_ravi", 5)),
        (("female", 50), ("male", 50)),
        (300, 700), (30, 96), (450, 560), 0.08,
    ),
    "sheep": AnimalMarket(
        (nfc("ভেড়া"), "sheep"),
        (("deshi", 60), ("garole", 40)),
        (("male", 50), ("female", 50)),
        (15, 40), (8, 30), (550, 700), 0.07,
    ),
}  # fmt: skip
#: Breeds buyers pay more for, per kg.
PREMIUM = {"sahiwal": 1.15, "friesian": 1.1, "brahman": 1.2, "bhutti": 1.1, "black_bengal": 1.15, "boer": 1.1}


@cache
def breed_names() -> dict[str, Name]:
    """Short breed names for titles (the contract's label without its parenthesis)."""
    raw = json.loads(LIVESTOCK_PATH.read_text(encoding="utf-8"))
    return {
        b["slug"]: (nfc(re.sub(r"\s*\(.*\)", "", b["bn"])), re.sub(r"\s*\(.*\)", "", b["en"]))
        for b in raw["breeds"]
    }


def haat(upazila: Upazila) -> dict[str, Any]:
    """The upazila's weekly cattle market (haat)."""
    return {"kind": "haat", "name": {"bn": f"{upazila.bn} পশুর হাট", "en": f"{upazila.en} cattle market"}}


def own_farm(upazila: Upazila) -> dict[str, Any]:
    return {"kind": "farm", "name": {"bn": f"নিজস্ব খামার, {upazila.bn}", "en": f"Own farm, {upazila.en}"}}


def facts_for_listing(
    rng: Random, animal: str, breed_words: str | None, weight: int, age: int, title_bn: str, upazila: Upazila
) -> dict[str, Any]:
    """Typed facts for one of demo_data's livestock listings (weight and age already drawn there)."""
    market = MARKET[animal]
    if animal == "goat" and "খাসি" in title_bn:
        sex = "castrated"
    else:
        sex = rng.choices([s for s, _ in market.sexes], [w for _, w in market.sexes])[0]
    return {
        "animal": animal,
        "breed": VARIANT_BREEDS.get(breed_words or "deshi", "deshi"),
        "live_weight_kg": weight,
        "age_months": age,
        "sex": sex,
        "seen_at": haat(upazila) if rng.random() < 0.5 else own_farm(upazila),
    }


def round_to_market(price: float) -> int:
    """To 100 taka for goats and sheep, to 500 for cattle and buffalo."""
    step = 100 if price < 50_000 else 500
    return max(step, round(price / step) * step)


@dataclass(frozen=True, slots=True)
class Animal:
    animal: str
    title: Name
    price_bdt: int
    facts: dict[str, Any]


def draw_animal(rng: Random, upazila: Upazila, seen_at: dict[str, Any]) -> Animal:
    animal = rng.choices(list(MARKET), [m.share for m in MARKET.values()])[0]
    market = MARKET[animal]
    breed = rng.choices([b for b, _ in market.breeds], [w for _, w in market.breeds])[0]
    sex = rng.choices([s for s, _ in market.sexes], [w for _, w in market.sexes])[0]
    weight = rng.randint(*market.weight_kg)
    per_kg = rng.uniform(*market.per_kg) * PREMIUM.get(breed, 1.0)
    breed_bn, breed_en = breed_names()[breed]
    noun_bn, noun_en = market.noun
    if animal == "goat" and sex == "castrated":
        noun_bn, noun_en = nfc("খাসি ছাগল"), "castrated goat (khashi)"
    qurbani = animal == "bull" and rng.random() < 0.4
    bn = f"{'কোরবানির ' if qurbani else ''}{breed_bn} {noun_bn}"
    en = f"{breed_en} {'qurbani ' if qurbani else ''}{noun_en}"
    weight_bn = bangla_digits(str(weight)) if rng.random() < 0.7 else str(weight)
    return Animal(
        animal=animal,
        title=(f"{bn} — {weight_bn} কেজি", f"{en}, {weight} kg"),
        price_bdt=round_to_market(weight * per_kg),
        facts={
            "animal": animal,
            "breed": breed,
            "live_weight_kg": weight,
            "age_months": rng.randint(*market.age_months),
            "sex": sex,
            "seen_at": seen_at,
        },
    )


NOTES = nfc_names(
    (
        ("সুস্থ-সবল, নিয়মিত টিকা ও কৃমিনাশক দেওয়া।", "Healthy, vaccinated and dewormed regularly."),
        ("কাঁচা ঘাস, খড় ও ভুসি খাইয়ে লালন-পালন, কোনো ইনজেকশন নয়।", "Raised on grass, straw and bran, no injections."),
        ("হাটে বা খামারে এসে দেখে কিনুন; দাম সামান্য আলোচনা সাপেক্ষ।", "See it at the haat or farm; price slightly negotiable."),
        ("ঈদের আগে বাড়িতে পৌঁছে দেওয়া হয়।", "Delivered home before Eid."),
    )
)  # fmt: skip


def listings(
    rng: Random, seller_id: str, upazila: Upazila, location: dict[str, float], *, trader: bool, count: int
) -> Iterator[tuple[Animal, Name]]:
    """`count` animals of one farm (seen at the farm, sometimes at the haat) or one trader (at the haat)."""
    for _ in range(count):
        at_haat = trader or rng.random() < 0.3
        yield draw_animal(rng, upazila, haat(upazila) if at_haat else own_farm(upazila)), rng.choice(NOTES)
