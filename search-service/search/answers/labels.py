"""The small shapes every answer reuses: a slug with its Bangla and English words, text in two scripts,
a point."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Label(BaseModel):
    """A slug with the words a frontend shows for it (a category, an upazila). Frozen: one instance per
    slug is shared by every answer."""

    model_config = ConfigDict(frozen=True)

    slug: str
    bn: str
    en: str


class CategoryCount(Label):
    """A category, and how many live documents of the answer's scope are in it."""

    count: int


class Name(BaseModel):
    """A name as its owner wrote it: always in Bangla, in English too when given."""

    bn: str
    en: str | None


class LocalizedText(BaseModel):
    """Text that may be given in either script, or in neither."""

    bn: str | None = None
    en: str | None = None


class Point(BaseModel):
    lat: float = Field(description="WGS84 latitude")
    lon: float = Field(description="WGS84 longitude")


class Place(BaseModel):
    """A place the query named: the search moved there."""

    slug: str
    kind: str = Field(description="upazila, or place: anything smaller (a union, a paurashava, a market)")
    level: Literal["upazila", "paurashava", "union", "market"] = Field(
        description="what it is: an upazila, paurashava or union (its area filters until nothing is "
        "found there, then the search looks around it) or a market (searched around its point)"
    )
    upazila: str = Field(description="the upazila slug it lies in")
    bn: str
    en: str


class NotListed(BaseModel):
    """Something the query asks for that the directory does not list (schemas/not_listed.json)."""

    slug: str
    bn: str = Field(examples=["দর্জি"])
    en: str = Field(examples=["tailor"])


class SuggestedCategory(Label):
    """A listed category, and which search lists it: providers (`/v1/providers/nearest`) or products."""

    kind: Literal["provider", "product"]


class Honesty(BaseModel):
    """What every answer says when the search does not know: the need it recognised but does not list,
    and the listed categories genuinely related to it — offered by name, never searched in its place."""

    not_listed: NotListed | None = Field(
        default=None,
        description="set when the query asks for something the directory does not list; then no category "
        "is claimed and the results are empty",
    )
    suggested_categories: list[SuggestedCategory] = Field(
        default_factory=list,
        description="listed categories related to what is not listed, for the client to offer; or, when "
        "the words name nothing this search lists but name categories the other search lists (sweets on "
        "the providers page, an electrician on the products page), those — `kind` says which search",
    )
