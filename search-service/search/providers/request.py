"""What GET /v1/providers/nearest is asked: its parameters (the route reads them, the builders take them,
the API documents them), and what they ask for once the words are read."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from search.providers.blood import compatible_donors
from search.queries.live import known_category
from search.understanding.understanding import Understanding

BloodGroup = Literal["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"]


class NearestQuery(BaseModel):
    """The parameters of GET /v1/providers/nearest, as the route reads them and the builders take them:
    a new parameter is a new field here, and the API documents it from this."""

    model_config = ConfigDict(frozen=True)

    lat: float = Field(ge=-90, le=90, description="Latitude of the citizen (WGS84)")
    lon: float = Field(ge=-180, le=180, description="Longitude of the citizen (WGS84)")
    category: str | None = Field(
        default=None, max_length=40, description="Provider category slug, see /v1/categories"
    )
    q: str | None = Field(
        default=None,
        max_length=200,
        description="Free text: Bangla, Banglish or English — a trade, a need, a place, a blood group",
    )
    radius_km: float = Field(default=10.0, gt=0, le=100, description="Search radius in km")
    available_now: bool = Field(default=True, description="Only providers who can be reached right now")
    blood_group: BloodGroup | None = Field(default=None, description="Blood group (blood donors)")
    verified: bool | None = Field(
        default=None,
        description="true: only providers the upazila administration has checked; false: only those not checked",
    )
    limit: int = Field(default=10, ge=1, le=100)
    sort: Literal["distance", "relevance"] = Field(default="distance", description="relevance needs q")

    @field_validator("category")
    @classmethod
    def _known(cls, category: str | None) -> str | None:
        return known_category(category, "provider")


def asked_blood_group(params: NearestQuery, understanding: Understanding | None) -> str | None:
    """The blood group searched for: the parameter's, else one the words name ("বি পজিটিভ")."""
    return params.blood_group or (understanding.blood_group if understanding else None)


def compatible_blood_groups(params: NearestQuery, understanding: Understanding | None) -> tuple[str, ...]:
    """The other groups listed after the asked group's own donors: those who can give to it, when the
    words name the group ("বি নেগেটিভ রক্ত লাগবে" — a need); none when the `blood_group` parameter
    asks for it (a filter: that group only)."""
    if params.blood_group or understanding is None or understanding.blood_group is None:
        return ()
    return compatible_donors(understanding.blood_group)
