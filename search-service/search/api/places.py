"""GET /v1/places/at — where a position lies, named by the district's polygons: what a frontend shows
when the phone's GPS answers ("আপনি আছেন: কটিয়াদী, মসূয়া ইউনিয়ন") and how it knows the position is
outside the district. Every answer given a position says the same in `query.citizen_at`."""

from __future__ import annotations

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from search.api.query_model import read_query
from search.api.route import query_route, search_router
from search.places.at import CitizenAt, citizen_at

router = search_router("places", errors=(422, 429))  # answered without the engine: never 503
SUMMARY = "The upazila and union of a position, or that it is outside the district"


class PositionQuery(BaseModel):
    model_config = ConfigDict(frozen=True)

    lat: float = Field(ge=-90, le=90, description="Latitude (WGS84); Bangla digits are read too")
    lon: float = Field(ge=-180, le=180, description="Longitude (WGS84)")


@query_route(router, "/places/at", reads=PositionQuery, answers=CitizenAt, summary=SUMMARY)
async def place_at(request: Request) -> CitizenAt:
    position = read_query(PositionQuery, request)
    return citizen_at(position.lat, position.lon)
