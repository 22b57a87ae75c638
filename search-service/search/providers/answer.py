"""GET /v1/providers/nearest: who can help, nearest first, and what the query was understood to ask."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from search.answers.from_document import copied, made_from
from search.answers.labels import Honesty, Label, LocalizedText, Name, Place, Point
from search.places.at import AreaLabel, CitizenAt
from search.providers.request import BloodGroup


class Interval(BaseModel):
    """One opening interval of today, Asia/Dhaka time; `close` before `open` runs past midnight."""

    open: str = Field(examples=["09:00"])
    close: str = Field(examples=["18:00"])


Reach = Literal["call", "visit"]


# Each field names the document fields it is made from (answers/from_document.py): the providers' `_source`
# and the fields passed on as stored follow from these declarations. (A docstring would reach the API docs.)
class ProviderResult(BaseModel):
    id: Annotated[str, made_from("id")]
    name: Annotated[Name, made_from("name")]
    category: Annotated[Label, made_from("category")]
    phone: Annotated[str | None, made_from("phone", "phone_public", "category")] = Field(
        description="E.164; null unless the provider made it public (private individuals — blood donors, "
        "domestic workers, day labourers — only when they said so)"
    )
    reach: Annotated[list[Reach], made_from("category", "phone_public", "address")] = Field(
        description="how to reach the listing: `call` its public phone, `visit` its address (places, not "
        "private individuals); empty: nobody can reach it through this directory"
    )
    location: Annotated[Point, made_from("location", "category")] = Field(
        description="private individuals (blood donors, domestic workers, day labourers): the centre of "
        "their ~1 km cell (a 0.01° grid), never their home"
    )
    distance_m: Annotated[float, made_from("location", "category")] = Field(
        description="from the citizen, metres (even when a named place was searched); private individuals: "
        "to their cell's centre, rounded to 500 m"
    )
    open_now: Annotated[bool, made_from()] = Field(
        description="switched on, inside opening hours, (donors) able to give, and (urgent categories) "
        "reachable"
    )
    next_open: Annotated[
        str | None, made_from("open_minutes", "hours", "available", "category", "last_donation_date")
    ] = Field(
        description="when a closed, switched-on provider opens next (ISO, Asia/Dhaka); null when open "
        "or never",
        json_schema_extra={"format": "date-time"},
    )
    hours_today: Annotated[list[Interval] | None, made_from("hours")] = Field(
        description="null: keeps no hours (always open)"
    )
    available: Annotated[bool, made_from("available")] = Field(description="the provider's own on/off toggle")
    upazila: Annotated[Label, made_from("upazila")]
    union: Annotated[AreaLabel | None, made_from("union")] = Field(
        description="the union or paurashava its point lies in, by the district's polygons; null when unknown"
    )
    address: Annotated[LocalizedText, made_from("address")] = Field(description="the parts the provider gave")
    blood_group: Annotated[BloodGroup | None, copied()] = Field(default=None, description="blood donors only")
    last_donation_date: Annotated[str | None, copied()] = Field(
        default=None, json_schema_extra={"format": "date"}
    )
    rating: Annotated[float | None, copied()] = Field(default=None, ge=0, le=5)
    verified: Annotated[bool, copied(when_absent=False)] = Field(
        description="checked by the upazila administration (who the provider is)"
    )
    can_donate_from: Annotated[str | None, made_from("category", "last_donation_date")] = Field(
        default=None,
        description="blood donors only: the first day they may give again, null when they may today",
        json_schema_extra={"format": "date"},
    )


class ProvidersUnderstood(Honesty):
    """What the text was read as; `relaxed` when words had to be dropped to find anyone."""

    categories: list[str]
    place: Place | None
    blood_group: BloodGroup | None
    compatible_blood_groups: list[BloodGroup] = Field(
        description="groups whose donors can give to the asked group, listed after its own donors "
        "(the words named the group); empty for the `blood_group` filter, which lists that group only"
    )
    ignored_words: list[str] = Field(description="words no listed provider had to match")
    relaxed: bool
    exact_matches: int = Field(description="how many leading results match every word")
    at: str = Field(
        description="the moment 'open now' was decided for", json_schema_extra={"format": "date-time"}
    )
    citizen_at: CitizenAt = Field(description="where the position given lies: upazila and union, or outside")


class EmergencyNumber(BaseModel):
    id: str
    phone: str = Field(examples=["999"])
    name: LocalizedText
    note: LocalizedText


class Emergency(BaseModel):
    """What can help now, whatever the hour: the national numbers and the nearest ambulances someone can
    call right now."""

    numbers: list[EmergencyNumber]
    ambulances: list[ProviderResult] = Field(description="open now, with a public phone, nearest first")


class NearestProviders(BaseModel):
    total: int = Field(description="providers matching within the radius (available now, if asked)")
    results: list[ProviderResult]
    closed_nearby: list[ProviderResult] = Field(
        description="with available_now and fewer results than limit: up to five in the radius who are "
        "closed or unavailable now, who opens first first (then nearest); unreachable ones last"
    )
    nearest_open_beyond: ProviderResult | None = Field(
        description="with available_now and no result: the nearest open one within 100 km"
    )
    emergency: Emergency | None = Field(
        default=None,
        description="a medical search (doctor, ambulance, hospital, pharmacy), at any hour; and an emergency "
        "the directory does not list (a fire, the police): its numbers, no ambulances",
    )
    query: ProvidersUnderstood
