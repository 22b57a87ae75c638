"""A deterministic, realistic district dataset as provider, product and seller change events.

The events are what the ingest-service consumes from Kafka, so the demo, the integration tests and the
benchmarks all exercise the real contract (schemas/events/*.schema.json). Everything comes from one seeded
`random.Random`, including the event ids, so the same seed always gives byte-identical files; no network.
The district is the configured one (DISTRICT, Kishoreganj by default) or the one asked for: its upazilas
and towns come from schemas/geography/<district>.json, the trades and goods are the same everywhere
(demo_taxonomy.District says how another district's ids and events differ from Kishoreganj's).

    python deploy/demo/demo_data.py --providers-per-cell 6 --products-per-item 4 --out DIR [--district netrokona]
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

from demo_bangla import Name, bangla_digits
from demo_cattle import MARKET, facts_for_listing
from demo_events import RecentMoments, envelope
from demo_geo import scatter_within, street_address
from demo_goods import CATEGORY_NOTES, GRAM, TRADE_NOTES, UNITS, Goods, goods_for
from demo_hours import HOURS_PATTERNS
from demo_names import business_name, institution_name, official_post, random_person
from demo_storefronts import cattle_market_events, seller_events
from demo_taxonomy import ProductCategory, ProductItem, ProviderCategory, Taxonomy, Upazila, load_taxonomy
from demo_trades import Trade, trade_for

Event = dict[str, Any]

REFERENCE_DATE = date(2026, 11, 28)
"""The demo's "today": donation dates and timestamps are relative to it, never to the wall clock."""

# Bangladeshi mobile numbers: +8801 then an operator digit 3-9 (013..019) then 8 digits, 7e8 numbers in all.
# Provider i gets number (offset + i * stride) mod 7e8; the stride is coprime with 7e8, so numbers never
# repeat (up to 700 million providers) and no set of used numbers is needed.
_PHONE_SPACE = 7 * 10**8
_PHONE_STRIDE = 3**18

# Bangladesh's distribution, roughly: B+ and O+ most common, Rh-negative rare.
_BLOOD_GROUPS = ("A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-")
_BLOOD_GROUP_WEIGHTS = (24, 1, 31, 1, 8, 0.5, 30, 1.5)
_DONATION_INTERVAL_DAYS = 120

_SELLER_RADIUS_KM = 5.0
_PRODUCTS_PER_SELLER = 3
_RECENT_DAYS = 90
"""Events and updates happened within this many days before the reference date."""
_FULL_ROUNDS = 4
"""Scaled generators build this many rounds of category × upazila in full before re-issuing them."""


class _ProviderFactory:
    """Builds provider events; holds the RNG and the phone-number sequence shared by one run."""

    def __init__(self, seed: int, today: date, taxonomy: Taxonomy | None = None) -> None:
        self.taxonomy = taxonomy or load_taxonomy()
        self.rng = Random(self.taxonomy.district.seed(seed))
        self.today = today
        self._moments = RecentMoments(today, days=_RECENT_DAYS)
        self._phone_offset = self.rng.randrange(_PHONE_SPACE)
        self._made = 0
        self._hours: dict[int, tuple[tuple[str, ...], tuple[float, ...]]] = {}

    def _phone(self) -> str:
        value = (self._phone_offset + self._made * _PHONE_STRIDE) % _PHONE_SPACE
        return f"+8801{3 + value // 10**8}{value % 10**8:08d}"

    def _name(self, trade: Trade) -> Name:
        rng = self.rng
        person = random_person(
            rng, female=rng.random() < trade.female_share, hindu=rng.random() < trade.hindu_share
        )
        if trade.institution:
            return institution_name(rng, person, trade.business_words)
        if rng.random() < trade.business_share:
            return business_name(rng, person, trade.business_words)
        honorific = trade.honorific if rng.random() < trade.honorific_share else None
        return person.full(honorific)

    def _opening_hours(self, trade: Trade) -> list[dict[str, str]] | None:
        key = id(trade)
        if key not in self._hours:
            names = tuple(name for name, _ in trade.hours)
            self._hours[key] = (names, tuple(weight for _, weight in trade.hours))
        names, weights = self._hours[key]
        return HOURS_PATTERNS[self.rng.choices(names, weights)[0]](self.rng)

    def _donor_fields(self, data: dict[str, Any]) -> None:
        rng = self.rng
        data["blood_group"] = rng.choices(_BLOOD_GROUPS, _BLOOD_GROUP_WEIGHTS)[0]
        if rng.random() < 0.85:
            if rng.random() < 0.35:
                days_ago = rng.randint(14, _DONATION_INTERVAL_DAYS - 1)
            else:
                days_ago = rng.randint(_DONATION_INTERVAL_DAYS, 900)
            data["last_donation_date"] = (self.today - timedelta(days=days_ago)).isoformat()

    def event(self, category: ProviderCategory, upazila: Upazila, n: int) -> Event:
        rng = self.rng
        umbrella = trade_for(category.slug)
        trade = umbrella.kind_for(rng, n)
        post = official_post(n, upazila) if trade.official else None
        # Callable at any hour: the first providers of an urgent trade in every upazila, a police station.
        reachable = n <= umbrella.reachable_first or (post is not None and post.round_the_clock)
        name_bn, name_en = post.name if post is not None else self._name(trade)
        core, rest = list(trade.services[: trade.core_services]), trade.services[trade.core_services :]
        services = core + rng.sample(rest, rng.randint(2, min(4, len(trade.services))) - len(core))
        services = [self.taxonomy.district.local(service) for service in services]
        if trade.office is not None:
            office_bn, office_en = trade.office
            address = {
                "bn": f"{office_bn}, {upazila.bn}",
                "en": f"{office_en}, {upazila.en}",
                "upazila": upazila.slug,
            }
        else:
            address = street_address(rng, upazila)
        data: dict[str, Any] = {
            "name": {"bn": name_bn, "en": name_en},
            "category": category.slug,
            "services": services,
            "phone": self._phone(),
            "phone_public": reachable or rng.random() >= 0.10,
            "location": scatter_within(rng, self.taxonomy.district, upazila, trade.radius_km),
            "address": address,
            "available": reachable or rng.random() >= 0.15,
        }
        hours = None if reachable else self._opening_hours(trade)
        if hours is not None:
            data["hours"] = hours
        if trade.donates_blood:
            self._donor_fields(data)
        if rng.random() < 0.6:
            data["rating"] = round(rng.uniform(3.0, 5.0), 1)
        occurred_at = self._moments.draw(rng)
        data["updated_at"] = occurred_at
        self._made += 1
        district = self.taxonomy.district
        provider_id = district.demo_id("prv", f"{upazila.slug}-{category.slug}-{n}")
        return envelope(rng, "provider", provider_id, occurred_at, district.stamp(data))

    def reissue(self, template: Event, category: ProviderCategory, upazila: Upazila, n: int) -> Event:
        """A new provider shaped like `template` (name, services, hours) with its own id, phone, place and state.

        About four times cheaper than `event`, which is what lets benchmarks generate millions of events.
        """
        rng = self.rng
        source = template["data"]
        data = dict(source)
        data["name"] = dict(source["name"])
        data["services"] = list(source["services"])
        data["address"] = dict(source["address"])
        if "hours" in source:
            data["hours"] = [dict(interval) for interval in source["hours"]]
        data["phone"] = self._phone()
        data["phone_public"] = rng.random() >= 0.10
        data["location"] = scatter_within(
            rng, self.taxonomy.district, upazila, trade_for(category.slug).radius_km
        )
        data["available"] = rng.random() >= 0.15
        occurred_at = data["updated_at"] = self._moments.draw(rng)
        self._made += 1
        provider_id = self.taxonomy.district.demo_id("prv", f"{upazila.slug}-{category.slug}-{n}")
        return envelope(rng, "provider", provider_id, occurred_at, data)


def _round_price(price: float) -> int:
    """Round the way sellers quote: to 5 taka for small sums, to hundreds for goats, to 500 for cattle."""
    step = 5 if price < 1_000 else 10 if price < 10_000 else 100 if price < 50_000 else 500
    return max(step, round(price / step) * step)


def _quantity_text(goods: Goods, quantity: float) -> tuple[str, str] | None:
    """("৫০০ গ্রাম", "500 g"), ("১২টি", "12 pcs") ... or None when the title needs no quantity."""
    unit_bn, singular, plural = UNITS[goods.unit]
    if goods.unit == "piece" and quantity == 1:
        return None
    if goods.unit == "kg" and quantity < 1:
        grams = str(round(quantity * 1000))
        return f"{grams} {GRAM}", f"{grams} g"
    number = f"{quantity:g}"
    joiner = "" if goods.unit == "piece" else " "
    return f"{number}{joiner}{unit_bn}", f"{number} {singular if quantity == 1 else plural}"


class _ProductFactory:
    """Builds product events; remembers each seller's location so it is the same on all their products."""

    def __init__(self, seed: int, today: date, taxonomy: Taxonomy | None = None) -> None:
        self.taxonomy = taxonomy or load_taxonomy()
        self.rng = Random(self.taxonomy.district.seed(seed))
        self.today = today
        self._moments = RecentMoments(today, days=_RECENT_DAYS)
        self._seller_locations: dict[str, dict[str, float]] = {}
        self._listed: dict[tuple[str, str], int] = {}
        # Livestock facts draw from their own RNG, so adding them changed no other field of the demo.
        self._facts = Random(self.taxonomy.district.seed(f"{seed}-livestock"))

    def _seller(self, category: ProductCategory, upazila: Upazila) -> tuple[str, dict[str, float]]:
        """Each seller lists a few products of one category in one upazila, from one place."""
        key = (upazila.slug, category.slug)
        listed = self._listed.get(key, 0)
        self._listed[key] = listed + 1
        seller_id = self.taxonomy.district.demo_id(
            "sel", f"{upazila.slug}-{category.slug}-{listed // _PRODUCTS_PER_SELLER + 1}"
        )
        location = self._seller_locations.get(seller_id)
        if location is None:
            location = self._seller_locations[seller_id] = scatter_within(
                self.rng, self.taxonomy.district, upazila, _SELLER_RADIUS_KM
            )
        return seller_id, dict(location)

    def _listing(self, goods: Goods, item: ProductItem) -> tuple[str, str, int, dict[str, Any]]:
        """Title (bn, en), price and attributes: livestock by weight, everything else by quantity."""
        rng = self.rng
        variant = rng.choice(goods.variants)
        bn, en = variant.bn, variant.en
        attributes: dict[str, Any] = {"item": item.slug}
        if goods.styles:
            style_bn, style_en = rng.choice(goods.styles)
            bn, en = f"{bn} ({style_bn})", f"{en} ({style_en})"
        if goods.weight_kg is not None and goods.age_months is not None:
            low, high = goods.weight_kg
            weight = rng.randint(low, high)
            share = (weight - low) / (high - low)
            min_price, max_price = goods.price
            price = (min_price + (max_price - min_price) * share) * rng.uniform(0.9, 1.1)
            price_bdt = min(max(_round_price(price), int(min_price)), int(max_price))
            quantity: tuple[str, str] | None = (f"{weight} {UNITS['head'][0]}", f"{weight} kg")
            attributes |= {
                "unit": "head",
                "quantity": 1,
                "weight_kg": weight,
                "age_months": rng.randint(*goods.age_months),
                "vaccinated": rng.random() < 0.8,
            }
            if variant.breed:
                attributes["breed"] = variant.breed
        else:
            amount = rng.choice(goods.quantities)
            price_bdt = _round_price(rng.uniform(*goods.price) * amount)
            quantity = _quantity_text(goods, amount)
            attributes |= {"unit": goods.unit, "quantity": amount}
        if quantity is not None:
            quantity_bn = bangla_digits(quantity[0]) if rng.random() < 0.7 else quantity[0]
            if rng.random() < 0.5:
                bn, en = f"{bn} — {quantity_bn}", f"{en}, {quantity[1]}"
            else:
                bn, en = f"{bn} {quantity_bn}", f"{en} {quantity[1]}"
        return bn, en, price_bdt, attributes

    def event(self, category: ProductCategory, item: ProductItem, k: int, upazila: Upazila) -> Event:
        rng = self.rng
        seller_id, location = self._seller(category, upazila)
        title_bn, title_en, price_bdt, attributes = self._listing(goods_for(item.en, item.bn), item)
        note_bn, note_en = rng.choice(CATEGORY_NOTES.get(category.slug, (("", ""),)))
        trade_bn, trade_en = rng.choice(TRADE_NOTES)
        description = {
            "bn": f"{note_bn} {trade_bn.format(u=upazila.bn)}".strip(),
            "en": f"{note_en} {trade_en.format(u=upazila.en)}".strip(),
        }
        if rng.random() < 0.05:
            # A seller who typed in English only: search must still find it from a Bangla query,
            # through the taxonomy's item names rather than through the title's own words.
            title_bn = title_en
            del description["bn"]
        status, in_stock = self._stock()
        occurred_at = self._moments.draw(rng)
        data = {
            "seller_id": seller_id,
            "title": {"bn": title_bn, "en": title_en},
            "description": description,
            "category": category.slug,
            "price_bdt": price_bdt,
            "in_stock": in_stock,
            "location": location,
            "upazila": upazila.slug,
            "attributes": attributes,
            "status": status,
            "updated_at": occurred_at,
        }
        if "weight_kg" in attributes and item.en in MARKET:
            data["livestock"] = facts_for_listing(
                self._facts, item.en, attributes.get("breed"), attributes["weight_kg"],
                attributes["age_months"], title_bn, upazila,
            )  # fmt: skip
        district = self.taxonomy.district
        product_id = district.demo_id("prd", f"{category.slug}-{item.slug}-{k}")
        return envelope(rng, "product", product_id, occurred_at, district.stamp(data))

    def _stock(self) -> tuple[str, bool]:
        """Mostly active; ~4% sold (never in stock), ~3% hidden; ~8% out of stock in all."""
        roll = self.rng.random()
        status = "sold" if roll < 0.04 else "hidden" if roll < 0.07 else "active"
        return status, status != "sold" and self.rng.random() >= 0.045

    def reissue(
        self, template: Event, category: ProductCategory, item: ProductItem, k: int, upazila: Upazila
    ) -> Event:
        """A new listing shaped like `template` (title, price, description) from the next seller in line.

        About four times cheaper than `event`, which is what lets benchmarks generate millions of events.
        """
        source = template["data"]
        data = dict(source)
        data["seller_id"], data["location"] = self._seller(category, upazila)
        data["title"] = dict(source["title"])
        data["description"] = dict(source["description"])
        data["attributes"] = dict(source["attributes"])
        if "livestock" in source:
            data["livestock"] = dict(source["livestock"])
        data["status"], data["in_stock"] = self._stock()
        occurred_at = data["updated_at"] = self._moments.draw(self.rng)
        product_id = self.taxonomy.district.demo_id("prd", f"{category.slug}-{item.slug}-{k}")
        return envelope(self.rng, "product", product_id, occurred_at, data)


def provider_events(
    per_category_per_upazila: int = 6,
    seed: int = 7,
    *,
    today: date = REFERENCE_DATE,
    taxonomy: Taxonomy | None = None,
) -> Iterator[Event]:
    """Every provider category in every upazila, `per_category_per_upazila` providers each.

    `taxonomy` defaults to schemas/taxonomy.json with the configured district's upazilas; tests pass an
    extended one, the demo of another district its own.
    """
    factory = _ProviderFactory(seed, today, taxonomy)
    for category in factory.taxonomy.provider_categories:
        for upazila in factory.taxonomy.upazilas:
            for n in range(1, per_category_per_upazila + 1):
                yield factory.event(category, upazila, n)


def product_events(
    per_item: int = 4, seed: int = 11, *, today: date = REFERENCE_DATE, taxonomy: Taxonomy | None = None
) -> Iterator[Event]:
    """`per_item` products for every item of every product category, dealt round the district's upazilas."""
    factory = _ProductFactory(seed, today, taxonomy)
    upazilas = factory.taxonomy.upazilas
    listed = 0
    for category in factory.taxonomy.product_categories:
        for item in category.items:
            for k in range(1, per_item + 1):
                yield factory.event(category, item, k, upazilas[listed % len(upazilas)])
                listed += 1


def scaled_provider_events(n: int, seed: int, *, today: date = REFERENCE_DATE) -> Iterator[Event]:
    """Exactly `n` provider events for benchmarks, round-robin over category × upazila so any n is balanced.

    The first rounds are generated in full; later ones re-issue them with fresh ids, phones, places and
    state, so throughput stays well above 50,000 events/s however large `n` is.
    """
    factory = _ProviderFactory(seed, today)
    cells = [(c, u) for c in factory.taxonomy.provider_categories for u in factory.taxonomy.upazilas]
    templates: list[Event] = []
    period = len(cells) * _FULL_ROUNDS
    for i in range(n):
        category, upazila = cells[i % len(cells)]
        if i < period:
            templates.append(factory.event(category, upazila, i // len(cells) + 1))
            yield templates[-1]
        else:
            yield factory.reissue(templates[i % period], category, upazila, i // len(cells) + 1)


def scaled_product_events(n: int, seed: int, *, today: date = REFERENCE_DATE) -> Iterator[Event]:
    """Exactly `n` product events for benchmarks, round-robin over items and upazilas.

    As for providers, the first rounds are generated in full and later ones re-issued from them.
    """
    factory = _ProductFactory(seed, today)
    items = [(c, item) for c in factory.taxonomy.product_categories for item in c.items]
    upazilas = factory.taxonomy.upazilas
    templates: list[Event] = []
    # A multiple of both cycles, so a template has the same item and upazila as the event it seeds.
    period = len(items) * len(upazilas) // math.gcd(len(items), len(upazilas))
    for i in range(n):
        category, item = items[i % len(items)]
        upazila, k = upazilas[i % len(upazilas)], i // len(items) + 1
        if i < period:
            templates.append(factory.event(category, item, k, upazila))
            yield templates[-1]
        else:
            yield factory.reissue(templates[i % period], category, item, k, upazila)


def write_jsonl(events: Iterable[Event], path: str | Path) -> int:
    """Write one event per line, UTF-8 with Bangla kept readable; returns how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            written += 1
    return written


def demo_events(today: date = REFERENCE_DATE, district: str | None = None) -> dict[str, list[Event]]:
    """The whole demo of a district (default: the configured DISTRICT) as `make run` loads it, by entity:
    providers; products (the storefronts' goods and the cattle market's animals); and a seller for every
    product."""
    taxonomy = load_taxonomy(district)
    products = list(product_events(today=today, taxonomy=taxonomy))
    products += cattle_market_events(today=today, taxonomy=taxonomy)
    return {
        "provider": list(provider_events(today=today, taxonomy=taxonomy)),
        "product": products,
        "seller": list(seller_events(products, today=today, taxonomy=taxonomy)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a district's demo dataset as JSONL change events.")
    parser.add_argument(
        "--district", help="a district of schemas/geography/ (default: DISTRICT, kishoreganj)"
    )
    parser.add_argument(
        "--providers-per-cell", type=int, default=6, help="providers per category and upazila"
    )
    parser.add_argument("--products-per-item", type=int, default=4, help="products per taxonomy item")
    parser.add_argument("--provider-seed", type=int, default=7)
    parser.add_argument("--product-seed", type=int, default=11)
    parser.add_argument("--today", type=date.fromisoformat, default=REFERENCE_DATE, help="YYYY-MM-DD")
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="directory for providers.jsonl, products.jsonl, cattle_market.jsonl and sellers.jsonl",
    )
    args = parser.parse_args(argv)

    taxonomy = load_taxonomy(args.district)
    products_list = list(
        product_events(args.products_per_item, args.product_seed, today=args.today, taxonomy=taxonomy)
    )
    cattle_list = list(cattle_market_events(today=args.today, taxonomy=taxonomy))
    files = {
        "providers": provider_events(
            args.providers_per_cell, args.provider_seed, today=args.today, taxonomy=taxonomy
        ),
        "products": products_list,
        "cattle_market": cattle_list,
        "sellers": seller_events(products_list + cattle_list, today=args.today, taxonomy=taxonomy),
    }
    for name, events in files.items():
        written = write_jsonl(events, args.out / f"{name}.jsonl")
        print(f"{name + ':':<15}{written:>6}  {args.out / f'{name}.jsonl'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
