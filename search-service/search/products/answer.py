"""GET /v1/products/search: a page of products, the facets of the whole answer, the next page's cursor."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from search.answers.from_document import made_from
from search.answers.labels import CategoryCount, Honesty, Label, LocalizedText, Name, Place, Point
from search.places.at import AreaLabel, CitizenAt
from search.products.request import Sort
from search.sellers.answer import SellerCard

AttributeValue = str | int | float | bool


class SeenAt(BaseModel):
    kind: Label = Field(description="haat (cattle market) or farm")
    name: LocalizedText


class LivestockFacts(BaseModel):
    """A livestock product's typed facts, labelled for display."""

    animal: Label
    breed: Label | None = None
    live_weight_kg: float | None = None
    age_months: int | None = None
    sex: Label | None = None
    seen_at: SeenAt | None = None
    price_per_kg: float | None = Field(default=None, description="price_bdt / live_weight_kg")


class Highlight(BaseModel):
    """HTML-escaped snippets with <mark> around what matched; only the fields that matched."""

    title: str | None = None
    description: str | None = None


# Each field names the document fields it is made from (answers/from_document.py): the products' `_source`
# follows from these declarations.
class ProductResult(BaseModel):
    id: Annotated[str, made_from("id")]
    title: Annotated[Name, made_from("title")]
    description: Annotated[LocalizedText, made_from("description")]
    category: Annotated[Label, made_from("category")]
    price_bdt: Annotated[float, made_from("price_bdt")]
    in_stock: Annotated[bool, made_from("in_stock")]
    status: Annotated[Literal["active", "sold"], made_from("status")] = Field(
        default="active",
        description="sold, or out of stock (in_stock false): listed only after the available ones, when "
        "the query names an item and few available listings have it",
    )
    upazila: Annotated[Label, made_from("upazila")]
    union: Annotated[AreaLabel | None, made_from("union")] = Field(
        description="the union or paurashava its point lies in, by the district's polygons; null when unknown"
    )
    seller_id: Annotated[str, made_from("seller_id")]
    location: Annotated[Point, made_from("location")]
    attributes: Annotated[dict[str, AttributeValue], made_from("attributes")] = Field(
        description="the seller's own facts, as they typed them"
    )
    livestock: Annotated[LivestockFacts | None, made_from("livestock", "price_per_kg")] = Field(
        description="an animal's typed facts; null for other products"
    )
    seller: Annotated[SellerCard | None, made_from("seller_id")] = Field(
        description="who sells it; null when the seller is unknown"
    )
    updated_at: Annotated[str | None, made_from("updated_at")] = Field(
        json_schema_extra={"format": "date-time"}
    )
    distance_m: Annotated[float | None, made_from("location")] = Field(
        default=None, description="metres from lat/lon; only when given"
    )
    highlight: Annotated[Highlight | None, made_from()] = Field(
        default=None, description="only when the query has words"
    )


class Band(BaseModel):
    """A range of a number (a price in BDT, a live weight in kg) and how many matches fall in it."""

    label: str
    from_: float = Field(serialization_alias="from", description="inclusive")
    to: float | None = Field(description="exclusive; null: no upper bound")
    count: int


class LivestockFacets(BaseModel):
    """The cattle market's facets, when the answer is about animals."""

    animal: list[CategoryCount]
    breed: list[CategoryCount]
    sex: list[CategoryCount]
    seen_at: list[CategoryCount]
    live_weight: list[Band] = Field(description="every band, empty ones too; kg")


class Facets(BaseModel):
    """Counts over every match, not only this page, so they stay put while paging."""

    category: list[CategoryCount]
    price: list[Band] = Field(description="every band, empty ones too; BDT")
    livestock: LivestockFacets | None = Field(
        default=None, description="only when the answer is about animals"
    )


class ProductsUnderstood(Honesty):
    categories: list[str]
    place: Place | None
    breed: Label | None = Field(description="a livestock breed the words name: it and its crosses are listed")
    sort: Sort = Field(description="the sort applied: relevance without words is newest")
    ignored_words: list[str]
    relaxed: bool
    exact_matches: int | None = Field(description="products matching every word; null on later pages")
    live_weight_kg: float | None = Field(
        default=None, description="an animal's weight the words give (৩ মণ = 112 kg): nearest weights first"
    )
    price_bdt: float | None = Field(
        default=None, description="a price the words give (১ লাখ = 100,000): nearest prices first"
    )
    citizen_at: CitizenAt | None = Field(
        default=None, description="where the position given (lat, lon) lies; left out without one"
    )


class ProductsPage(BaseModel):
    total: int
    results: list[ProductResult]
    facets: Facets
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")
    query: ProductsUnderstood
