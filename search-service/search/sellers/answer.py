"""GET /v1/sellers/nearest and /v1/sellers/{id_or_slug}: storefronts; and what a product result says of
its seller.

A product card (search.products.answer) and a storefront page describe a seller with the same
`SellerCard`. Phone and WhatsApp numbers are null unless the seller made them public.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from search.answers.labels import CategoryCount, Label, LocalizedText, Point


class SellerCard(BaseModel):
    """Who sells a product: enough for a card's byline and its call and WhatsApp buttons."""

    id: str
    slug: str = Field(description="the storefront's URL name: /v1/sellers/{slug}, /app/s/{slug}")
    name: LocalizedText
    upazila: Label
    verified: bool = Field(
        description="checked by the upazila administration, and reachable: never shown true without a public phone or WhatsApp"
    )
    phone: str | None = Field(description="E.164; null unless the seller made it public")
    whatsapp: str | None = Field(description="E.164; null unless given and public")


class Storefront(BaseModel):
    """GET /v1/sellers/{id_or_slug}: one storefront, with what it has on sale per category."""

    id: str
    slug: str
    name: LocalizedText
    owner: LocalizedText | None = None
    phone: str | None
    whatsapp: str | None
    upazila: Label
    location: Point
    address: LocalizedText | None = None
    description: LocalizedText | None = None
    categories: list[CategoryCount] = Field(
        description="the categories it sells (and any other its products are in), with its live products "
        "in each"
    )
    product_count: int = Field(description="live products in all")
    delivery_upazilas: list[Label] = Field(description="empty: pick-up only")
    payment_methods: list[Label]
    verified: bool
    created_at: str
    updated_at: str


class NearbyStorefront(SellerCard):
    location: Point
    distance_m: float = Field(description="from the point asked about, metres")
    categories: list[Label]
    product_count: int = Field(description="live products on sale")


class NearestStorefronts(BaseModel):
    """GET /v1/sellers/nearest: storefronts near a point, nearest first."""

    total: int = Field(description="storefronts matching within the radius")
    results: list[NearbyStorefront]
