"""Engine documents about sellers and animals → the storefront models frontends get.

Phones leave only where the seller made them public; `phone_public: false` hides the WhatsApp number
too (it is the same person's phone). Slugs of the contracts become labels here, once.
"""

from __future__ import annotations

from typing import Any

from portal.contracts import payment_methods
from portal.geo import haversine_m
from search.answers.labels import CategoryCount, LocalizedText, Point
from search.answers.slugs import category_json, category_label, label, upazila_json, upazila_label
from search.sellers.answer import SellerCard, Storefront


def _text(value: dict[str, str] | None) -> LocalizedText | None:
    return LocalizedText(bn=value.get("bn"), en=value.get("en")) if value else None


def _verified(source: dict[str, Any], phone: str | None, whatsapp: str | None) -> bool:
    """A seller shown as verified can be reached: the administration's check says who they are, and a
    buyer must be able to act on it (a verified badge with no number is a promise nobody keeps)."""
    return bool(source["verified"]) and bool(phone or whatsapp)


def _contacts(source: dict[str, Any]) -> tuple[str | None, str | None]:
    if not source.get("phone_public", True):
        return None, None
    return source.get("phone"), source.get("whatsapp")


def seller_card_json(source: dict[str, Any]) -> dict[str, Any]:
    """A seller's card as the JSON of its `SellerCard` (answers/json_answer.py): what product cards carry."""
    phone, whatsapp = _contacts(source)
    return {
        "id": source["id"],
        "slug": source["slug"],
        "name": {"bn": source["name"]["bn"], "en": source["name"].get("en")},
        "upazila": upazila_json(source["upazila"]),
        "verified": _verified(source, phone, whatsapp),
        "phone": phone,
        "whatsapp": whatsapp,
    }


def seller_card(source: dict[str, Any]) -> SellerCard:
    return SellerCard.model_validate(seller_card_json(source))


def storefront(source: dict[str, Any], counts: dict[str, int], total: int) -> Storefront:
    """`counts`: live products per category; the seller's own categories come first, in their order."""
    phone, whatsapp = _contacts(source)
    declared = list(source.get("categories", []))
    shown = declared + sorted(c for c in counts if c not in declared)
    return Storefront(
        id=source["id"],
        slug=source["slug"],
        name=LocalizedText(bn=source["name"]["bn"], en=source["name"].get("en")),
        owner=_text(source.get("owner")),
        phone=phone,
        whatsapp=whatsapp,
        upazila=upazila_label(source["upazila"]),
        location=Point(**source["location"]),
        address=_text(source.get("address")),
        description=_text(source.get("description")),
        categories=[
            CategoryCount(**category_label("product", slug).model_dump(), count=counts.get(slug, 0))
            for slug in shown
        ],
        product_count=total,
        delivery_upazilas=[upazila_label(u) for u in source.get("delivery_upazilas", [])],
        payment_methods=[label(m, payment_methods()) for m in source.get("payment_methods", [])],
        verified=_verified(source, phone, whatsapp),
        created_at=source["created_at"],
        updated_at=source["updated_at"],
    )


def nearby_storefront(
    source: dict[str, Any], point: tuple[float, float], product_count: int
) -> dict[str, Any]:
    """A storefront near the point asked about, as the JSON of its `NearbyStorefront`
    (answers/json_answer.py)."""
    location = source["location"]
    return {
        **seller_card_json(source),
        "location": {"lat": float(location["lat"]), "lon": float(location["lon"])},
        "distance_m": round(haversine_m(*point, location["lat"], location["lon"]), 1),
        "categories": [category_json("product", c) for c in source.get("categories", [])],
        "product_count": product_count,
    }


def index_state(answer: dict[str, Any]) -> tuple[tuple[Any, ...], ...]:
    """The state of an index in the answer to `index_state_body` (bodies.py): equal states, equal
    documents."""
    buckets = answer["aggregations"]["indices"]["buckets"]
    return tuple(
        sorted((b["key"], b["doc_count"], b["seq_sum"]["value"], b["seq_max"]["value"]) for b in buckets)
    )
