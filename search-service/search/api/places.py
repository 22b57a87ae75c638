"""GET /v1/places/at — where a position lies, named by the district's polygons: what a frontend shows
when the phone's GPS answers ("আপনি আছেন: কটিয়াদী, মসূয়া ইউনিয়ন") and how it knows the position is
outside the district. Every answer given a position says the same in `query.citizen_at`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from portal.api_docs import error_responses
from search.api.query_model import query_parameters, read_query
from search.places.at import CitizenAt, citizen_at

router = APIRouter(prefix="/v1", tags=["places"], responses=error_responses(422, 429))


class PositionQuery(BaseModel):
    model_config = ConfigDict(frozen=True)

    lat: float = Field(ge=-90, le=90, description="Latitude (WGS84); Bangla digits are read too")
    lon: float = Field(ge=-180, le=180, description="Longitude (WGS84)")


@router.get(
    "/places/at",
    openapi_extra=query_parameters(PositionQuery),
    summary="The upazila and union of a position, or that it is outside the district",
)
async def place_at(request: Request) -> CitizenAt:
    position = read_query(PositionQuery, request)
    return citizen_at(position.lat, position.lon)
