"""The demo dataset honours the event contract and stays precise enough to test search against.

These tests read the schemas and the taxonomy straight from schemas/, independently of the generator,
so a generator that drifts from the contract fails here rather than in the ingest-service.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest

import demo_taxonomy
from demo_data import (
    demo_events,
    main,
    product_events,
    provider_events,
    scaled_product_events,
    scaled_provider_events,
    write_jsonl,
)
from demo_events import EDITIONS

REPO_ROOT = Path(__file__).resolve().parents[3]
SCHEMAS = REPO_ROOT / "schemas"
TODAY = date(2026, 11, 28)
MAX_KM_FROM_CENTRE = 8.0
BANGLA = re.compile(r"[\u0980-\u09ff]")

Event = dict[str, Any]


@cache
def _validator(name: str) -> Callable[[Any], Any]:
    return fastjsonschema.compile(json.loads((SCHEMAS / "events" / name).read_text(encoding="utf-8")))


@cache
def schema_json(name: str) -> Any:
    """A file of schemas/, read as JSON (shared with the other demo tests)."""
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def demo_upazilas() -> list[dict[str, Any]]:
    """Kishoreganj's upazilas as the demo places them: slug, labels and town (schemas/geography/)."""
    return [
        {"slug": u["slug"], "bn": u["bn"], "en": u["en"], "lat": u["town"]["lat"], "lon": u["town"]["lon"]}
        for u in schema_json("geography/kishoreganj.json")["upazilas"]
    ]


@cache
def _taxonomy() -> dict[str, Any]:
    """taxonomy.json, and Kishoreganj's upazilas as the demo places them."""
    return {**schema_json("taxonomy.json"), "upazilas": demo_upazilas()}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture(scope="module")
def providers() -> list[Event]:
    return list(provider_events())


@pytest.fixture(scope="module")
def products() -> list[Event]:
    return list(product_events())


@pytest.fixture(scope="module")
def upazilas() -> dict[str, dict[str, Any]]:
    return {u["slug"]: u for u in _taxonomy()["upazilas"]}


# --- how a search engine would see a word inside a text -------------------------------------------------


@cache
def _tokens(text: str) -> tuple[str, ...]:
    """Bangla letters with their vowel signs, or ASCII letters and digits; everything else separates."""
    return tuple(re.findall(r"[0-9a-z\u0980-\u09ff]+", _nfc(text).casefold()))


def mentions(text: str, term: str) -> bool:
    """Whether `term` occurs in `text` as a search engine could match it.

    Bangla terms match inside words too (a stemmer turns "কসাইয়ের" into "কসাই", and "রাজমিস্ত্রি" is
    written with or without its space); Latin terms match whole words, singular or plural.
    """
    term_tokens = _tokens(term)
    if not term_tokens:
        return False
    text_tokens = _tokens(text)
    if BANGLA.search(term):
        joined = " ".join(text_tokens)
        return " ".join(term_tokens) in joined or any("".join(term_tokens) in t for t in text_tokens)
    width, head, last = len(term_tokens), term_tokens[:-1], term_tokens[-1]
    forms = {last, last + "s", last + "es"}
    for start in range(len(text_tokens) - width + 1):
        if text_tokens[start : start + width - 1] == head and text_tokens[start + width - 1] in forms:
            return True
    return False


def test_mentions_matches_like_a_search_engine() -> None:
    assert mentions("রহিম কসাইয়ের দোকান", "কসাই")
    assert mentions("রাজমিস্ত্রি রহিম", "রাজ মিস্ত্রি")
    assert mentions("Fresh Eggs", "egg")
    assert not mentions("Fresh eggplant", "egg")
    assert not mentions("ডাক ইলিশ", "কই")
    assert not mentions("Hamida Begum", "maid")


def _provider_terms() -> dict[str, list[str]]:
    return {c["slug"]: [c["bn"], c["en"], *c["aliases"]] for c in _taxonomy()["provider_categories"]}


def _product_terms() -> dict[str, list[str]]:
    terms: dict[str, list[str]] = {}
    for c in _taxonomy()["product_categories"]:
        items = [name for item in c["items"] for name in (item["bn"], item["en"])]
        terms[c["slug"]] = [c["bn"], c["en"], *c["aliases"], *items]
    return terms


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


# --- the contract ---------------------------------------------------------------------------------------


def test_every_provider_event_validates(providers: list[Event]) -> None:
    validate = _validator("provider.schema.json")
    for event in providers:
        validate(event)


def test_every_product_event_validates(products: list[Event]) -> None:
    validate = _validator("product.schema.json")
    for event in products:
        validate(event)


def test_envelopes_are_versioned_upserts_in_dhaka_time(providers: list[Event], products: list[Event]) -> None:
    for event in providers + products:
        assert event["type"] == "upsert"
        assert event["version"] == EDITIONS[event["entity"]] >= 1
        assert event["occurred_at"].endswith("+06:00")
        assert event["data"]["updated_at"].endswith("+06:00")
        assert uuid.UUID(event["event_id"]).version == 4


PRODUCT_DEMO_SHA256 = "0a0bfb7342f37373da470589ccd8c22b21b11a85e7597f8f7217902108afff9e"
"""The product demo (storefront goods and the cattle market) that search quality is measured on."""


def test_the_product_demo_is_pinned() -> None:
    """Changing a product, its stock or its id changes what `make eval` measures: do it on purpose, with
    EDITIONS["product"] raised (so a loaded stack takes it) and the new digest here."""
    products = demo_events()["product"]
    digest = hashlib.sha256(json.dumps(products, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    assert (len(products), digest) == (397, PRODUCT_DEMO_SHA256)


def test_every_entity_has_an_edition() -> None:
    assert set(EDITIONS) == {"provider", "product", "seller"}
    assert all(isinstance(v, int) and v >= 1 for v in EDITIONS.values())


def test_scaled_events_validate_including_reissued_ones() -> None:
    validate_provider = _validator("provider.schema.json")
    validate_product = _validator("product.schema.json")
    for event in scaled_provider_events(2500, seed=3):
        validate_provider(event)
    for event in scaled_product_events(1500, seed=3):
        validate_product(event)


def test_extending_the_taxonomy_needs_no_code() -> None:
    """A category or item someone adds to schemas/taxonomy.json still gets valid demo events."""
    taxonomy = demo_taxonomy.load_taxonomy()
    tailor = demo_taxonomy.ProviderCategory("tailor", "দর্জি", "Tailor", ("কাপড় সেলাই",))
    mango = demo_taxonomy.ProductItem("fruits", "আম", "mango")
    fruits = demo_taxonomy.ProductCategory("fruits", "ফল", "Fruits", (), (mango,))
    extended = dataclasses.replace(
        taxonomy,
        provider_categories=(*taxonomy.provider_categories, tailor),
        product_categories=(*taxonomy.product_categories, fruits),
    )
    providers = [e for e in provider_events(1, taxonomy=extended) if e["data"]["category"] == "tailor"]
    products = [e for e in product_events(2, taxonomy=extended) if e["data"]["category"] == "fruits"]
    assert len(providers) == len(taxonomy.upazilas) and len(products) == 2
    for event in providers:
        _validator("provider.schema.json")(event)
    for event in products:
        _validator("product.schema.json")(event)
        assert mentions(event["data"]["title"]["en"], "mango")


# --- coverage -------------------------------------------------------------------------------------------


def test_default_counts(providers: list[Event], products: list[Event]) -> None:
    taxonomy = _taxonomy()
    cells = len(taxonomy["provider_categories"]) * len(taxonomy["upazilas"])
    items = sum(len(c["items"]) for c in taxonomy["product_categories"])
    assert len(providers) == cells * 6
    assert len(products) == items * 4


def test_every_category_and_upazila_has_at_least_five_providers(providers: list[Event]) -> None:
    cells = Counter((e["data"]["category"], e["data"]["address"]["upazila"]) for e in providers)
    taxonomy = _taxonomy()
    for category in taxonomy["provider_categories"]:
        for upazila in taxonomy["upazilas"]:
            assert cells[category["slug"], upazila["slug"]] >= 5, (category["slug"], upazila["slug"])


def test_every_listed_product_item_is_covered_and_named_in_its_titles(products: list[Event]) -> None:
    by_item: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in products:
        by_item[event["data"]["category"], event["data"]["attributes"]["item"]].append(event)
    for category in _taxonomy()["product_categories"]:
        for item in category["items"]:
            slug = re.sub(r"[^a-z0-9]+", "-", item["en"].lower()).strip("-")
            listed = by_item[category["slug"], slug]
            assert len(listed) == 4, (category["slug"], item["en"])
            for event in listed:
                title = event["data"]["title"]
                assert mentions(title["en"], item["en"]), title
                assert mentions(title["bn"], item["bn"]) or title["bn"] == title["en"], title


def test_products_are_spread_over_all_upazilas(products: list[Event]) -> None:
    per_upazila = Counter(e["data"]["upazila"] for e in products)
    assert set(per_upazila) == {u["slug"] for u in _taxonomy()["upazilas"]}
    assert min(per_upazila.values()) >= len(products) // 13 - 1


def test_categories_and_upazilas_are_taxonomy_slugs(providers: list[Event], products: list[Event]) -> None:
    taxonomy = _taxonomy()
    upazila_slugs = {u["slug"] for u in taxonomy["upazilas"]}
    assert {e["data"]["category"] for e in providers} == {c["slug"] for c in taxonomy["provider_categories"]}
    assert {e["data"]["category"] for e in products} == {c["slug"] for c in taxonomy["product_categories"]}
    assert {e["data"]["address"]["upazila"] for e in providers} == upazila_slugs
    assert {e["data"]["upazila"] for e in products} <= upazila_slugs


# --- identity -------------------------------------------------------------------------------------------


def test_ids_event_ids_and_phones_are_unique(providers: list[Event], products: list[Event]) -> None:
    events = providers + products
    assert len({e["id"] for e in events}) == len(events)
    assert len({e["event_id"] for e in events}) == len(events)
    assert len({e["data"]["phone"] for e in providers}) == len(providers)
    assert all(e["id"].startswith("prv-") for e in providers)
    assert all(e["id"].startswith("prd-") and e["data"]["seller_id"].startswith("sel-") for e in products)


def test_phones_use_every_operator_prefix(providers: list[Event]) -> None:
    operators = Counter(e["data"]["phone"][:6] for e in providers)
    assert set(operators) == {f"+8801{d}" for d in "3456789"}


def test_same_seed_gives_the_same_events() -> None:
    assert list(scaled_provider_events(1500, seed=5)) == list(scaled_provider_events(1500, seed=5))
    assert list(scaled_product_events(700, seed=5)) == list(scaled_product_events(700, seed=5))
    assert list(provider_events(2, seed=5)) == list(provider_events(2, seed=5))
    assert list(product_events(2, seed=5)) == list(product_events(2, seed=5))
    assert list(provider_events(2, seed=5)) != list(provider_events(2, seed=6))
    assert list(product_events(2, seed=5)) != list(product_events(2, seed=6))


@pytest.mark.parametrize("n", [0, 1, 259, 1000, 3000])
def test_scaled_generators_give_exactly_n_unique_ids(n: int) -> None:
    for generate in (scaled_provider_events, scaled_product_events):
        events = list(generate(n, seed=1))
        assert len(events) == n
        assert len({e["id"] for e in events}) == n
    phones = [e["data"]["phone"] for e in scaled_provider_events(n, seed=1)]
    assert len(set(phones)) == n


# --- geography ------------------------------------------------------------------------------------------


def test_locations_are_near_their_upazila_centre(
    providers: list[Event], products: list[Event], upazilas: dict[str, dict[str, Any]]
) -> None:
    located = [(e["data"]["address"]["upazila"], e["data"]["location"]) for e in providers]
    located += [(e["data"]["upazila"], e["data"]["location"]) for e in products]
    for slug, location in located:
        centre = upazilas[slug]
        assert _km(centre["lat"], centre["lon"], location["lat"], location["lon"]) <= MAX_KM_FROM_CENTRE
        assert location["lat"] == round(location["lat"], 6)


def test_a_seller_sells_from_one_place_in_one_upazila(products: list[Event]) -> None:
    seen: dict[str, tuple[str, dict[str, float]]] = {}
    for event in products:
        data = event["data"]
        first = seen.setdefault(data["seller_id"], (data["upazila"], data["location"]))
        assert first == (data["upazila"], data["location"])
    assert len(seen) < len(products)


# --- providers ------------------------------------------------------------------------------------------


def test_blood_donors_have_blood_groups_and_nobody_else_does(providers: list[Event]) -> None:
    donors = [e["data"] for e in providers if e["data"]["category"] == "blood_donor"]
    assert donors and all("blood_group" in d for d in donors)
    assert not any("blood_group" in e["data"] for e in providers if e["data"]["category"] != "blood_donor")
    groups = Counter(d["blood_group"] for d in donors)
    assert {g for g, _ in groups.most_common(2)} == {"B+", "O+"}
    ages = [
        (TODAY - date.fromisoformat(d["last_donation_date"])).days
        for d in donors
        if "last_donation_date" in d
    ]
    assert len(ages) > len(donors) / 2
    assert any(days < 120 for days in ages) and any(days >= 120 for days in ages)


def _assert_no_foreign_terms(texts: set[tuple[str, str]], terms: dict[str, list[str]]) -> None:
    for category, text in texts:
        for other, other_terms in terms.items():
            if other != category:
                hits = [t for t in other_terms if mentions(text, t)]
                assert not hits, (category, text, other, hits)


def test_no_provider_name_or_service_mentions_another_category() -> None:
    texts = {
        (e["data"]["category"], text)
        for e in provider_events(per_category_per_upazila=12, seed=99)
        for text in (e["data"]["name"]["bn"], e["data"]["name"]["en"], *e["data"]["services"])
    }
    _assert_no_foreign_terms(texts, _provider_terms())


def test_providers_offer_two_to_four_services(providers: list[Event]) -> None:
    for event in providers:
        services = event["data"]["services"]
        assert 2 <= len(services) <= 4 and len(set(services)) == len(services)
        assert all(BANGLA.search(s) for s in services)


def test_provider_mix_is_realistic(providers: list[Event]) -> None:
    total = len(providers)
    unavailable = sum(not e["data"]["available"] for e in providers) / total
    private = sum(not e["data"]["phone_public"] for e in providers) / total
    assert 0.10 <= unavailable <= 0.20
    assert 0.06 <= private <= 0.14
    hours = [e["data"].get("hours") for e in providers]
    assert any(h is None for h in hours)
    assert any(h and any(i["close"] < i["open"] for i in h) for h in hours), "some nights cross midnight"
    assert any(h and any(i["day"] == "fri" and i["close"] < i["open"] for i in h) for h in hours)
    assert any(h and not any(i["day"] == "fri" for i in h) for h in hours), "some close on Friday"
    ambulances = [e["data"] for e in providers if e["data"]["category"] == "ambulance"]
    assert sum("hours" not in a for a in ambulances) > len(ambulances) / 2
    assert any("rating" in e["data"] for e in providers) and any("rating" not in e["data"] for e in providers)
    assert all(3.0 <= e["data"]["rating"] <= 5.0 for e in providers if "rating" in e["data"])


def test_female_trades_are_mostly_women(providers: list[Event]) -> None:
    female_words = {"আক্তার", "বেগম", "খাতুন", "সুলতানা", "রানী", "মোছাঃ", "জাহান", "নাহার", "পারভীন"}
    for slug in ("beautician", "domestic_worker"):
        names = [e["data"]["name"]["bn"] for e in providers if e["data"]["category"] == slug]
        women = sum(any(w in name for w in female_words) for name in names)
        assert women > len(names) / 3, slug


def test_officials_are_listed_by_post_and_upazila(providers: list[Event], upazilas: dict[str, Any]) -> None:
    for event in providers:
        data = event["data"]
        if data["category"] == "official":
            assert upazilas[data["address"]["upazila"]]["bn"] in data["name"]["bn"]
            assert upazilas[data["address"]["upazila"]]["en"] in data["name"]["en"]


# --- products -------------------------------------------------------------------------------------------


def test_no_product_title_or_description_mentions_another_categorys_items() -> None:
    texts = {
        (e["data"]["category"], text)
        for e in product_events(per_item=15, seed=99)
        for text in (*e["data"]["title"].values(), *e["data"]["description"].values())
    }
    _assert_no_foreign_terms(texts, _product_terms())


PRICE_RANGES = {  # BDT per head, per kg or per piece
    "goat": (8_000, 30_000),
    "cow": (60_000, 250_000),
    "bull": (60_000, 250_000),
    "hilsa": (1_200, 2_500),
    "rice": (60, 90),
    "honey": (600, 1_200),
    "saree": (1_500, 12_000),
    "nakshi-kantha": (2_500, 15_000),
}


def test_prices_are_realistic() -> None:
    for event in product_events(per_item=10, seed=5):
        attributes = event["data"]["attributes"]
        if attributes["item"] in PRICE_RANGES:
            low, high = PRICE_RANGES[attributes["item"]]
            per_unit = event["data"]["price_bdt"] / attributes["quantity"]
            assert low * 0.97 <= per_unit <= high * 1.03, (event["id"], per_unit)


def test_livestock_carries_weight_breed_and_age(products: list[Event]) -> None:
    livestock = [e["data"] for e in products if e["data"]["category"] == "livestock"]
    assert livestock
    for data in livestock:
        assert {"weight_kg", "breed", "age_months"} <= data["attributes"].keys()
        assert str(data["attributes"]["weight_kg"]) in data["title"]["en"]


def test_product_mix_is_realistic(products: list[Event]) -> None:
    statuses = Counter(e["data"]["status"] for e in products)
    assert statuses["active"] > 0.85 * len(products)
    assert statuses["sold"] > 0 and statuses["hidden"] > 0
    out_of_stock = sum(not e["data"]["in_stock"] for e in products)
    assert 0 < out_of_stock < 0.2 * len(products)
    assert all(not e["data"]["in_stock"] for e in products if e["data"]["status"] == "sold")
    bangla_digit_titles = [e for e in products if re.search(r"[০-৯]", e["data"]["title"]["bn"])]
    assert bangla_digit_titles


def test_some_titles_are_english_only(products: list[Event]) -> None:
    english_only = [e["data"] for e in products if e["data"]["title"]["bn"] == e["data"]["title"]["en"]]
    assert 1 <= len(english_only) <= 0.12 * len(products)
    assert all(not BANGLA.search(d["title"]["bn"]) for d in english_only)


# --- text hygiene and files -----------------------------------------------------------------------------


def test_all_strings_are_nfc(providers: list[Event], products: list[Event]) -> None:
    for event in providers + products:
        for text in _strings(event):
            assert unicodedata.normalize("NFC", text) == text, text


def test_write_jsonl_round_trips(tmp_path: Path) -> None:
    events = list(provider_events(1, seed=2))
    path = tmp_path / "nested" / "providers.jsonl"
    assert write_jsonl(events, path) == len(events)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == events
    assert "\\u09" not in lines[0], "Bangla is written as text, not as \\u escapes"


def test_cli_writes_both_files_and_prints_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--providers-per-cell", "1", "--products-per-item", "1", "--out", str(tmp_path)]) == 0
    taxonomy = _taxonomy()
    providers = (tmp_path / "providers.jsonl").read_text(encoding="utf-8").splitlines()
    products = (tmp_path / "products.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(providers) == len(taxonomy["provider_categories"]) * len(taxonomy["upazilas"])
    assert len(products) == sum(len(c["items"]) for c in taxonomy["product_categories"])
    out = capsys.readouterr().out
    assert str(len(providers)) in out and str(len(products)) in out


def test_dates_follow_the_reference_date_not_the_clock() -> None:
    later = TODAY + timedelta(days=365)
    events = list(provider_events(2, seed=7, today=later))
    donations = [
        date.fromisoformat(e["data"]["last_donation_date"])
        for e in events
        if "last_donation_date" in e["data"]
    ]
    assert donations and all(d < later for d in donations)
    assert any(d > TODAY for d in donations)
    assert all(e["occurred_at"] < later.isoformat() and e["occurred_at"] > TODAY.isoformat() for e in events)
