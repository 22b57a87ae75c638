"""GET /v1/categories: the taxonomy, with how many live providers or products each category has."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Item(BaseModel):
    bn: str
    en: str


class CategoryEntry(BaseModel):
    slug: str
    bn: str
    en: str
    icon: str
    aliases: list[str]
    items: list[Item] = Field(description="the goods a product category covers")
    count: int | None = Field(description="live documents; null while the engine cannot say")


class Categories(BaseModel):
    provider_categories: list[CategoryEntry]
    product_categories: list[CategoryEntry]
