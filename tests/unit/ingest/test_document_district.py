"""Every document carries its district: the event's own, else the district ingest-service serves
(the DISTRICT setting, kishoreganj by default). The event schemas, the index mappings and
to_document agree on the field."""

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
    event = accepted(EVENTS[entity]("x-1", district="netrokona"), entity)
    assert to_document(event, indexed_at=NOW)["district"] == "netrokona"
    assert to_document(event, indexed_at=NOW, district="kishoreganj")["district"] == "netrokona"
    plain = accepted(EVENTS[entity]("x-2"), entity)
    assert to_document(plain, indexed_at=NOW, district="netrokona")["district"] == "netrokona"


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
