"""GET /v1/suggest: completions, each with the search it opens."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class OpenSearch(BaseModel):
    """The request a tap on the suggestion makes."""

    endpoint: str = Field(examples=["/v1/providers/nearest"])
    params: dict[str, str]


class Suggestion(BaseModel):
    type: Literal["provider_category", "product_category", "product"]
    text: str = Field(description="in the script that was typed, where the name has it")
    bn: str
    en: str | None
    open: OpenSearch


class Suggestions(BaseModel):
    q: str
    suggestions: list[Suggestion]
