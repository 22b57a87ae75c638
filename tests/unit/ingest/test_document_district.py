"""Every document carries its district: the event's own, else the district ingest-service serves
(the DISTRICT setting, kishoreganj by default), and its union when its point lies in one of its
upazila's. Upazilas are judged within the event's district. The event schemas, the index mappings and
to_document agree on the fields."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from factories import product_event, provider_event, seller_event
from ingest.events import ChangeEvent, Rejection
from ingest.to_document import served_district, to_document
from ingest.validate import validate
from portal.clock import DHAKA
from portal.contracts import event_schema, index_definition

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=DHAKA)
EVENTS = {"provider": provider_event, "product": product_event, "seller": seller_event}
#: In Paikura union (পাইকুড়া) of Kendua, Netrokona; Masua union (মসূয়া) of Katiadi, Kishoreganj.
PAIKURA = {"lat": 24.60305, "lon": 90.82505}
MASUA = {"lat": 24.26083, "lon": 90.74985}


def placed(entity: str, id: str, upazila: str, point: dict, **data) -> dict:
    """An event of `entity` in `upazila` at `point` (a seller delivering in its own upazila only)."""
    event = EVENTS[entity](id, **data)
    event["data"]["location"] = dict(point)
    if entity == "provider":
        event["data"]["address"] = {"bn": "কেন্দুয়া", "upazila": upazila}
    else:
        event["data"]["upazila"] = upazila
    if entity == "seller":
        event["data"]["delivery_upazilas"] = [upazila]
    return event


def accepted(event: dict, entity: str) -> ChangeEvent:
    result = validate(json.dumps(event, ensure_ascii=False).encode(), entity)
    assert isinstance(result, ChangeEvent), result
    return result


@pytest.mark.parametrize("entity", sorted(EVENTS))
def test_a_document_without_a_district_gets_the_served_one(entity: str) -> None:
    assert served_district() == "kishoreganj"
    document = to_document(accepted(EVENTS[entity]("x-1"), entity), indexed_at=NOW)
    assert document["district"] == "kishoreganj"


@pytest.mark.parametrize("entity", sorted(EVENTS))
def test_an_events_own_district_wins(entity: str) -> None:
    event = accepted(placed(entity, "x-1", "kendua", PAIKURA, district="netrokona"), entity)
    assert to_document(event, indexed_at=NOW)["district"] == "netrokona"
    assert to_document(event, indexed_at=NOW, district="kishoreganj")["district"] == "netrokona"
    plain = accepted(EVENTS[entity]("x-2"), entity)
    assert to_document(plain, indexed_at=NOW, district="netrokona")["district"] == "netrokona"


@pytest.mark.parametrize("entity", sorted(EVENTS))
def test_a_document_carries_the_union_its_point_lies_in(entity: str) -> None:
    kishoreganj = accepted(placed(entity, "x-1", "katiadi", MASUA), entity)
    assert to_document(kishoreganj, indexed_at=NOW)["union"] == "masua"
    netrokona = accepted(placed(entity, "x-2", "kendua", PAIKURA, district="netrokona"), entity)
    assert to_document(netrokona, indexed_at=NOW)["union"] == "paikura"
    town = accepted(EVENTS[entity]("x-3"), entity)  # the Sadar's centre: in the town's paurashava
    assert to_document(town, indexed_at=NOW)["union"] == "kishoreganj-paurashava"


@pytest.mark.parametrize("entity", sorted(EVENTS))
def test_no_union_where_the_point_lies_in_none_of_its_upazilas(entity: str) -> None:
    # a Masua point stated in Kishoreganj Sadar (a Kafka event's coordinates are not judged): no union
    # rather than one a search by upazila would contradict
    elsewhere = accepted(placed(entity, "x-1", "kishoreganj-sadar", MASUA), entity)
    assert "union" not in to_document(elsewhere, indexed_at=NOW)
    dhaka = accepted(placed(entity, "x-2", "kishoreganj-sadar", {"lat": 23.8103, "lon": 90.4125}), entity)
    assert "union" not in to_document(dhaka, indexed_at=NOW)
    gone = accepted(EVENTS[entity]("x-3", 2, type="delete"), entity)
    assert "union" not in to_document(gone, indexed_at=NOW)


@pytest.mark.parametrize("entity", sorted(EVENTS))
def test_an_upazila_is_judged_within_the_events_district(entity: str) -> None:
    """A Kishoreganj ingest accepts a Netrokona event that says so, and refuses one that does not,
    naming where the upazila is; an event naming a district without a geography is refused."""
    accepted(placed(entity, "x-1", "kendua", PAIKURA, district="netrokona"), entity)
    unsaid = validate(json.dumps(placed(entity, "x-2", "kendua", PAIKURA)).encode(), entity)
    assert isinstance(unsaid, Rejection) and unsaid.reason == "unknown_upazila"
    assert "'kendua' is not in Kishoreganj" in unsaid.message
    assert "kendua is in netrokona: set data.district to 'netrokona'" in unsaid.message
    crossed = validate(
        json.dumps(placed(entity, "x-3", "katiadi", MASUA, district="netrokona")).encode(), entity
    )
    assert isinstance(crossed, Rejection) and crossed.reason == "unknown_upazila"
    assert "not in Netrokona" in crossed.message and "the event names netrokona" in crossed.message
    unbuilt = validate(json.dumps(EVENTS[entity]("x-4", district="dhaka")).encode(), entity)
    assert isinstance(unbuilt, Rejection) and unbuilt.reason == "unknown_district"
    assert "kishoreganj, netrokona" in unbuilt.message


@pytest.mark.parametrize("entity", sorted(EVENTS))
def test_a_district_that_is_no_slug_is_refused(entity: str) -> None:
    payload = json.dumps(EVENTS[entity]("x-1", district="Kishoreganj District")).encode()
    result = validate(payload, entity)
    assert isinstance(result, Rejection) and result.reason == "schema"


@pytest.mark.parametrize(
    ("entity", "index"), [("provider", "providers"), ("product", "products"), ("seller", "sellers")]
)
def test_schema_mapping_and_document_agree_on_the_district(entity: str, index: str) -> None:
    data = event_schema(entity)["definitions"][entity]["properties"]
    assert "district" in data and "district" not in event_schema(entity)["definitions"][entity]["required"]
    assert index_definition(index)["mappings"]["properties"]["district"] == {"type": "keyword"}
    assert index_definition(index)["mappings"]["properties"]["union"] == {"type": "keyword"}
    assert "union" not in event_schema(entity)["definitions"][entity]["properties"]  # made by ingest
