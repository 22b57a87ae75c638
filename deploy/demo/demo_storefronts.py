"""Storefronts for the demo: a seller for every demo product, and the farms and traders of the cattle market.

`seller_events(products)` makes one seller event per `seller_id` the products name, from what the products
say about it (upazila, place, categories) — so every demo product has a storefront. `cattle_market_events()`
lists animals from farms (খামার) and haat traders (বেপারী) in every upazila of the district, each with its
own seller. Shop names are the kind Kishoreganj's shops carry ("মায়ের দোয়া ডেইরি", "হাওর ফিশ কর্নার",
"হারুন বেপারী"); about one in four is not verified yet, and about half of those (one shop in seven) keep
their phone private. A verified shop always shows its phone: the badge promises a seller a buyer can reach.
Deterministic: the same seeds give the same events.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from random import Random
from typing import Any

from demo_bangla import Name, nfc_names
from demo_cattle import listings
from demo_events import Event, RecentMoments, envelope
from demo_geo import scatter_within, street_address
from demo_goods import CATEGORY_NOTES
from demo_names import BLESSINGS, random_person
from demo_taxonomy import Taxonomy, Upazila, load_taxonomy

REFERENCE_DATE = date(2026, 11, 28)
#: The district's digital cattle market opened in 2020; storefronts date from then.
FIRST_STOREFRONT = date(2020, 7, 1)
_PHONE_SPACE = 7 * 10**8
_PHONE_STRIDE = 3**18

SHOP_WORDS: dict[str, tuple[Name, ...]] = {
    "rice_grain": nfc_names((("চাল ঘর", "Chal Ghar"), ("রাইস এজেন্সি", "Rice Agency"), ("শস্য ভান্ডার", "Shasya Bhandar"))),
    "vegetables": nfc_names((("সবজি ভান্ডার", "Sabji Bhandar"), ("কৃষি খামার", "Krishi Khamar"), ("তাজা সবজি ঘর", "Taza Sabji Ghar"))),
    "fish": nfc_names((("মৎস্য ভান্ডার", "Matsya Bhandar"), ("ফিশ কর্নার", "Fish Corner"), ("মাছের আড়ত", "Macher Arot"))),
    "livestock": nfc_names((("এগ্রো ফার্ম", "Agro Farm"), ("ডেইরি ফার্ম", "Dairy Farm"), ("ক্যাটল ফার্ম", "Cattle Farm"), ("গরুর খামার", "Gorur Khamar"))),
    "poultry_eggs": nfc_names((("পোল্ট্রি ফার্ম", "Poultry Farm"), ("হাঁস-মুরগির খামার", "Hash-Murgir Khamar"))),
    "dairy": nfc_names((("ডেইরি", "Dairy"), ("দুগ্ধ খামার", "Dugdha Khamar"), ("ঘোষ দধি ভান্ডার", "Ghosh Dadhi Bhandar"))),
    "sweets_snacks": nfc_names((("মিষ্টান্ন ভান্ডার", "Mishtanna Bhandar"), ("সুইটস", "Sweets"), ("পিঠা ঘর", "Pitha Ghar"))),
    "handicrafts": nfc_names((("কুটির শিল্প", "Kutir Shilpa"), ("হস্তশিল্প", "Hastashilpa"), ("কারুপণ্য", "Karupanya"))),
    "clothing": nfc_names((("বস্ত্রালয়", "Bastralay"), ("ক্লথ স্টোর", "Cloth Store"), ("তাঁত ঘর", "Tant Ghar"))),
    "honey_spices": nfc_names((("মধু ঘর", "Modhu Ghar"), ("মসলা ভান্ডার", "Mosla Bhandar"), ("এগ্রো ফুডস", "Agro Foods"))),
}  # fmt: skip
GENERIC_WORDS = nfc_names((("স্টোর", "Store"), ("এন্টারপ্রাইজ", "Enterprise")))
(TRADER_WORD,) = nfc_names((("বেপারী", "Bepari"),))
#: A second category some shops also sell.
ALSO_SELLS = {
    "dairy": "sweets_snacks", "livestock": "dairy", "rice_grain": "vegetables", "vegetables": "rice_grain",
    "poultry_eggs": "dairy", "sweets_snacks": "dairy", "handicrafts": "clothing", "clothing": "handicrafts",
    "honey_spices": "rice_grain",
}  # fmt: skip
ABOUT = nfc_names(
    (
        ("ফোনে বা হোয়াটসঅ্যাপে অর্ডার নেওয়া হয়।", "Orders by phone or WhatsApp."),
        ("সরাসরি উৎপাদকের কাছ থেকে, মাঝে কোনো দালাল নেই।", "Straight from the producer, no middlemen."),
        ("পাইকারি ও খুচরা দুইভাবেই বিক্রি হয়।", "Wholesale and retail."),
    )
)
TRADER_ABOUT = nfc_names(
    (
        (
            "হাটে গরু-ছাগল কেনাবেচা করি বিশ বছর ধরে।",
            "Buying and selling cattle and goats at the haat for twenty years.",
        ),
    )
)


class _SellerFactory:
    def __init__(self, seed: int, today: date, taxonomy: Taxonomy) -> None:
        self.rng = Random(taxonomy.district.seed(seed))
        self.today = today
        self.taxonomy = taxonomy
        self.upazilas = {u.slug: u for u in taxonomy.upazilas}
        self._moments = RecentMoments(today, days=90)
        self._phone_offset = self.rng.randrange(_PHONE_SPACE)
        self._made = 0
        self._slugs: dict[str, int] = {}

    def _phone(self) -> str:
        value = (self._phone_offset + self._made * _PHONE_STRIDE) % _PHONE_SPACE
        self._made += 1
        return f"+8801{3 + value // 10**8}{value % 10**8:08d}"

    def _slug(self, name_en: str, upazila: Upazila) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", f"{name_en} {upazila.slug}".lower()).strip("-")[:52].strip("-")
        n = self._slugs.get(base, 0) + 1
        self._slugs[base] = n
        return base if n == 1 else f"{base}-{n}"

    def _name(self, category: str, upazila: Upazila, owner: Any, trader: bool) -> Name:
        rng = self.rng
        if trader:
            return f"{owner.given[0]} {TRADER_WORD[0]}", f"{owner.given[1]} {TRADER_WORD[1]}"
        word = rng.choice(SHOP_WORDS.get(category, GENERIC_WORDS))
        roll = rng.random()
        if roll < 0.4:
            head = rng.choice(BLESSINGS)
        elif roll < 0.65:
            head = owner.given
        elif roll < 0.8:
            head = owner.family
        else:
            head = (upazila.bn, upazila.en)
        return f"{head[0]} {word[0]}", f"{head[1]} {word[1]}"

    def _delivery(self, upazila: Upazila, trader: bool) -> list[str]:
        """Pick-up only for traders; shops deliver in their upazila and up to three neighbours."""
        if trader or self.rng.random() < 0.15:
            return []
        others = sorted(
            (u for u in self.taxonomy.upazilas if u.slug != upazila.slug),
            key=lambda u: math.dist((u.lat, u.lon), (upazila.lat, upazila.lon)),
        )
        return [upazila.slug, *(u.slug for u in others[: self.rng.randint(0, 3)])]

    def _payments(self, trader: bool) -> list[str]:
        rng = self.rng
        chosen = [
            method
            for method, share in (
                ("bkash", 0.75),
                ("nagad", 0.5),
                ("rocket", 0.15),
                ("cash_on_delivery", 0.7),
            )
            if rng.random() < share and not (trader and method == "cash_on_delivery")
        ]
        return chosen or ["bkash"]

    def event(self, seller_id: str, facts: dict[str, Any]) -> Event:
        rng = self.rng
        upazila = self.upazilas[facts["upazila"]]
        trader = seller_id.startswith(self.taxonomy.district.demo_id("sel", "bepari-"))
        category = facts["categories"][0]
        owner = random_person(rng, female=not trader and rng.random() < 0.2, hindu=rng.random() < 0.1)
        name = self._name(category, upazila, owner, trader)
        categories = list(facts["categories"])
        also = ALSO_SELLS.get(category)
        if also and also not in categories and not trader and rng.random() < 0.25:
            categories.append(also)
        phone = self._phone()
        # A shop the administration has checked is one a buyer can call: only unverified ones go private.
        verified = rng.random() >= 0.25
        note_bn, note_en = rng.choice(TRADER_ABOUT if trader else ABOUT)
        goods_bn, goods_en = rng.choice(CATEGORY_NOTES.get(category, (("", ""),)))
        data: dict[str, Any] = {
            "slug": self._slug(name[1], upazila),
            "name": {"bn": name[0], "en": name[1]},
            "owner": dict(zip(("bn", "en"), owner.full(), strict=True)),
            "phone": phone,
            "phone_public": verified or rng.random() >= 0.55,
            "upazila": upazila.slug,
            "location": dict(facts["location"]),
            "address": {k: v for k, v in street_address(rng, upazila).items() if k != "upazila"},
            "description": {"bn": f"{goods_bn} {note_bn}".strip(), "en": f"{goods_en} {note_en}".strip()},
            "categories": categories,
            "delivery_upazilas": self._delivery(upazila, trader),
            "payment_methods": self._payments(trader),
            "verified": verified,
        }
        if rng.random() < 0.6:
            data["whatsapp"] = phone if rng.random() < 0.7 else self._phone()
        opened = FIRST_STOREFRONT + timedelta(days=rng.randrange((self.today - FIRST_STOREFRONT).days - 30))
        data["created_at"] = f"{opened.isoformat()}T{rng.randint(8, 20):02d}:{rng.randrange(60):02d}:00+06:00"
        occurred_at = data["updated_at"] = self._moments.draw(rng)
        return envelope(rng, "seller", seller_id, occurred_at, self.taxonomy.district.stamp(data))


def seller_events(
    products: Iterable[Event],
    seed: int = 19,
    *,
    today: date = REFERENCE_DATE,
    taxonomy: Taxonomy | None = None,
) -> Iterator[Event]:
    """One seller event for every seller the products name, in the order they first appear."""
    factory = _SellerFactory(seed, today, taxonomy or load_taxonomy())
    seen: dict[str, dict[str, Any]] = {}
    for product in products:
        data = product.get("data")
        if not data:
            continue
        facts = seen.setdefault(
            data["seller_id"], {"upazila": data["upazila"], "location": data["location"], "categories": []}
        )
        if data["category"] not in facts["categories"]:
            facts["categories"].append(data["category"])
    for seller_id, facts in seen.items():
        yield factory.event(seller_id, facts)


def cattle_market_events(
    farms_per_upazila: int = 4,
    traders_per_upazila: int = 2,
    seed: int = 17,
    *,
    today: date = REFERENCE_DATE,
    taxonomy: Taxonomy | None = None,
) -> Iterator[Event]:
    """Animals listed by farms (2–4 each, seen at the farm or the haat) and traders (at the haat)."""
    taxonomy = taxonomy or load_taxonomy()
    district = taxonomy.district
    rng = Random(district.seed(seed))
    moments = RecentMoments(today, days=30)  # the weeks before Eid
    for upazila in taxonomy.upazilas:
        sellers = [(f"farm-{upazila.slug}-{k}", False) for k in range(1, farms_per_upazila + 1)]
        sellers += [(f"bepari-{upazila.slug}-{k}", True) for k in range(1, traders_per_upazila + 1)]
        for local, trader in sellers:
            seller_id = district.demo_id("sel", local)
            location = scatter_within(rng, district, upazila, 2.0 if trader else 7.0)
            count = rng.randint(2, 4)
            for n, (animal, note) in enumerate(
                listings(rng, seller_id, upazila, location, trader=trader, count=count), start=1
            ):
                roll = rng.random()
                status = "sold" if roll < 0.05 else "hidden" if roll < 0.07 else "active"
                occurred_at = moments.draw(rng)
                data = {
                    "seller_id": seller_id,
                    "title": {"bn": animal.title[0], "en": animal.title[1]},
                    "description": {"bn": note[0], "en": note[1]},
                    "category": "livestock",
                    "price_bdt": animal.price_bdt,
                    "in_stock": status != "sold",
                    "location": dict(location),
                    "upazila": upazila.slug,
                    "attributes": {"unit": "head", "quantity": 1},
                    "livestock": animal.facts,
                    "status": status,
                    "updated_at": occurred_at,
                }
                product_id = district.demo_id("prd", f"cattle-{local}-{n}")
                yield envelope(rng, "product", product_id, occurred_at, district.stamp(data))
