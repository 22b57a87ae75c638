"""What GET /v1/sellers/nearest is asked: its parameters, as the route reads them and the builder takes
them. (A storefront by id or slug takes only its path.)"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from search.queries.live import known_category


class NearestSellersQuery(BaseModel):
    """The parameters of GET /v1/sellers/nearest, as the route reads them and the builder takes them."""

    model_config = ConfigDict(frozen=True)

    lat: float = Field(ge=-90, le=90, description="Latitude of the buyer (WGS84)")
    lon: float = Field(ge=-180, le=180, description="Longitude of the buyer (WGS84)")
    category: str | None = Field(
        default=None, max_length=40, description="Product category slug, see /v1/categories"
    )
    radius_km: float = Field(default=10.0, gt=0, le=100, description="Search radius in km")
    verified: bool | None = Field(
        default=None, description="true: only storefronts the administration has checked"
    )
    limit: int = Field(default=10, ge=1, le=100)

    @field_validator("category")
    @classmethod
    def _known(cls, category: str | None) -> str | None:
        return known_category(category, "product")
