"""GET /v1/products/search: a page of products, the facets of the whole answer, the next page's cursor."""

from __future__ import annotations

from pydantic import BaseModel, Field

from search.answers.labels import Label, LocalizedText, Name, Place, Point
from search.queries.products import Sort

AttributeValue = str | int | float | bool


class Highlight(BaseModel):
    """HTML-escaped snippets with <mark> around what matched; only the fields that matched."""

    title: str | None = None
    description: str | None = None


class ProductResult(BaseModel):
    id: str
    title: Name
    description: LocalizedText
    category: Label
    price_bdt: float
    in_stock: bool
    upazila: Label
    seller_id: str
    location: Point
    attributes: dict[str, AttributeValue] = Field(description="the seller's own facts: weight, breed, …")
    updated_at: str | None = Field(json_schema_extra={"format": "date-time"})
    distance_m: float | None = Field(default=None, description="metres from lat/lon; only when given")
    highlight: Highlight | None = Field(default=None, description="only when the query has words")


class CategoryCount(Label):
    count: int


class PriceBand(BaseModel):
    label: str
    from_: float = Field(serialization_alias="from", description="BDT, inclusive")
    to: float | None = Field(description="BDT, exclusive; null: no upper bound")
    count: int


class Facets(BaseModel):
    """Counts over every match, not only this page, so they stay put while paging."""

    category: list[CategoryCount]
    price: list[PriceBand] = Field(description="every band, empty ones too")


class ProductsUnderstood(BaseModel):
    categories: list[str]
    place: Place | None
    sort: Sort = Field(description="the sort applied: relevance without words is newest")
    ignored_words: list[str]
    relaxed: bool
    exact_matches: int | None = Field(description="products matching every word; null on later pages")


class ProductsPage(BaseModel):
    total: int
    results: list[ProductResult]
    facets: Facets
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")
    query: ProductsUnderstood
