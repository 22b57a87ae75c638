"""The district taxonomy as the demo generator sees it, read from the one copy in schemas/.

Nothing here restates a category or an upazila: a category added to schemas/taxonomy.json shows up in the
demo data without touching this code (with generic services and titles until someone describes it), and
the upazilas are the district's (DISTRICT, or the one asked for) from schemas/geography/<district>.json:
their names and towns, around which the demo's listings gather. Kishoreganj's demo keeps the ids it has
always had; another district's ids carry its name (`prv-netrokona-…`), so both can share one cluster.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from demo_bangla import nfc
from portal.contracts import configured_district, district_contract, district_upazilas

REPO_ROOT = Path(__file__).resolve().parents[2]
TAXONOMY_PATH = REPO_ROOT / "schemas" / "taxonomy.json"
#: The district whose demo came first: its ids and events carry no district, as they always have.
FIRST_DISTRICT = "kishoreganj"
FIRST_BN, FIRST_EN = nfc("কিশোরগঞ্জ"), "Kishoreganj"


@dataclass(frozen=True, slots=True)
class District:
    slug: str
    bn: str
    en: str

    @property
    def first(self) -> bool:
        return self.slug == FIRST_DISTRICT

    def demo_id(self, kind: str, local: str) -> str:
        """An id of this district's demo: `prv-…`, `prd-…`, `sel-…` for the first district (the ids a
        loaded stack already holds), `prv-netrokona-…` for any other, so two demos never share an id."""
        return f"{kind}-{local}" if self.first else f"{kind}-{self.slug}-{local}"

    def seed(self, seed: int | str) -> int | str:
        """A generator's seed for this district: the first district's as it is; any other's its own, so
        two districts' demos share no event id, phone number or draw."""
        return seed if self.first else f"{self.slug}-{seed}"

    def stamp(self, data: dict[str, Any]) -> dict[str, Any]:
        """An event's data naming its district, for any district but the first (whose demo never did,
        and whose bytes are pinned): whichever ingest of a shared cluster reads it indexes it as this
        district's, and judges its upazilas by this district's geography."""
        if not self.first:
            data["district"] = self.slug
        return data

    def local(self, text: str) -> str:
        """A word of the demo's vocabulary that names the first district ("ঢাকা-কিশোরগঞ্জ রিজার্ভ"),
        naming this one instead."""
        return text if self.first else text.replace(FIRST_BN, self.bn).replace(FIRST_EN, self.en)


@dataclass(frozen=True, slots=True)
class Upazila:
    slug: str
    bn: str
    en: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Category:
    """A category of the taxonomy: its slug, Bangla and English names and aliases."""

    slug: str
    bn: str
    en: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProviderCategory(Category):
    """A kind of service provider (electrician, blood donor)."""


@dataclass(frozen=True, slots=True)
class ProductItem:
    category: str
    bn: str
    en: str

    @property
    def slug(self) -> str:
        """An id-safe form of the English item name ("bottle gourd" -> "bottle-gourd")."""
        return re.sub(r"[^a-z0-9]+", "-", self.en.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class ProductCategory(Category):
    """A kind of goods, with the items sold under it."""

    items: tuple[ProductItem, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    provider_categories: tuple[ProviderCategory, ...]
    product_categories: tuple[ProductCategory, ...]
    upazilas: tuple[Upazila, ...]
    district: District = District(FIRST_DISTRICT, FIRST_BN, FIRST_EN)


def _named(raw: dict[str, Any]) -> dict[str, Any]:
    """A taxonomy entry's Category fields, its Bangla NFC-normalized."""
    aliases = tuple(nfc(a) for a in raw.get("aliases", ()))
    return {"slug": raw["slug"], "bn": nfc(raw["bn"]), "en": raw["en"], "aliases": aliases}


def _product_category(raw: dict[str, Any]) -> ProductCategory:
    items = tuple(ProductItem(raw["slug"], nfc(i["bn"]), i["en"]) for i in raw.get("items", ()))
    return ProductCategory(**_named(raw), items=items)


def load_taxonomy(district: str | None = None, path: Path = TAXONOMY_PATH) -> Taxonomy:
    """The taxonomy with one district's upazilas (default: the configured DISTRICT), parsed once per
    process and district; the generators call this on every run."""
    return _load(district or configured_district(), path)


@cache
def _load(district: str, path: Path) -> Taxonomy:
    raw = json.loads(path.read_text(encoding="utf-8"))
    own = district_contract(district)["district"]
    return Taxonomy(
        provider_categories=tuple(ProviderCategory(**_named(c)) for c in raw["provider_categories"]),
        product_categories=tuple(_product_category(c) for c in raw["product_categories"]),
        upazilas=tuple(
            Upazila(u.slug, nfc(u.bn), u.en, float(u.lat), float(u.lon))
            for u in district_upazilas(district).values()
        ),
        district=District(own["slug"], nfc(own["bn"]), own["en"]),
    )
