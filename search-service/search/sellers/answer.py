"""GET /v1/sellers/nearest and /v1/sellers/{id_or_slug}: storefronts; and what a product result says of
its seller.

A product card (search.products.answer) and a storefront page describe a seller with the same
`SellerCard`. Phone and WhatsApp numbers are null unless the seller made them public.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from search.answers.from_document import made_from
from search.answers.labels import CategoryCount, Label, LocalizedText, Point


# Each field of the storefront models names the document fields it is made from (answers/from_document.py):
# the sellers' `_source` follows from these declarations.
class SellerCard(BaseModel):
    """Who sells a product: enough for a card's byline and its call and WhatsApp buttons."""

    id: Annotated[str, made_from("id")]
    slug: Annotated[str, made_from("slug")] = Field(
        description="the storefront's URL name: /v1/sellers/{slug}, /app/s/{slug}"
    )
    name: Annotated[LocalizedText, made_from("name")]
    upazila: Annotated[Label, made_from("upazila")]
    verified: Annotated[bool, made_from("verified", "phone", "whatsapp", "phone_public")] = Field(
        description="checked by the upazila administration, and reachable: never shown true without a public phone or WhatsApp"
    )
    phone: Annotated[str | None, made_from("phone", "phone_public")] = Field(
        description="E.164; null unless the seller made it public"
    )
    whatsapp: Annotated[str | None, made_from("whatsapp", "phone_public")] = Field(
        description="E.164; null unless given and public"
    )


class Storefront(BaseModel):
    """GET /v1/sellers/{id_or_slug}: one storefront, with what it has on sale per category."""

    id: Annotated[str, made_from("id")]
    slug: Annotated[str, made_from("slug")]
    name: Annotated[LocalizedText, made_from("name")]
    owner: Annotated[LocalizedText | None, made_from("owner")] = None
    phone: Annotated[str | None, made_from("phone", "phone_public")]
    whatsapp: Annotated[str | None, made_from("whatsapp", "phone_public")]
    upazila: Annotated[Label, made_from("upazila")]
    location: Annotated[Point, made_from("location")]
    address: Annotated[LocalizedText | None, made_from("address")] = None
    description: Annotated[LocalizedText | None, made_from("description")] = None
    categories: Annotated[list[CategoryCount], made_from("categories")] = Field(
        description="the categories it sells (and any other its products are in), with its live products "
        "in each"
    )
    product_count: Annotated[int, made_from()] = Field(description="live products in all")
    delivery_upazilas: Annotated[list[Label], made_from("delivery_upazilas")] = Field(
        description="empty: pick-up only"
    )
    payment_methods: Annotated[list[Label], made_from("payment_methods")]
    verified: Annotated[bool, made_from("verified", "phone", "whatsapp", "phone_public")]
    created_at: Annotated[str, made_from("created_at")]
    updated_at: Annotated[str, made_from("updated_at")]


class NearbyStorefront(SellerCard):
    location: Annotated[Point, made_from("location")]
    distance_m: Annotated[float, made_from("location")] = Field(
        description="from the point asked about, metres"
    )
    categories: Annotated[list[Label], made_from("categories")]
    product_count: Annotated[int, made_from()] = Field(description="live products on sale")


class NearestStorefronts(BaseModel):
    """GET /v1/sellers/nearest: storefronts near a point, nearest first."""

    total: int = Field(description="storefronts matching within the radius")
    results: list[NearbyStorefront]
