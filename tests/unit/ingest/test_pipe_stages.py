"""The pure stages of the ingest pipe: validate, to_document, and how a batch is shaped for _bulk."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime

import orjson
import pytest

from factories import product_event, provider_event
from ingest.bulk_write import BulkItems, BulkOutcome, latest_per_id
from ingest.events import ChangeEvent, Rejection, SourcePosition
from ingest.import_progress import IMPORT_HEADER, import_outcomes
from ingest.to_document import to_document, to_documents
from ingest.validate import validate
from portal.clock import DHAKA

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=DHAKA)


def raw(event: dict) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode()


def test_a_valid_event_is_accepted_and_its_text_normalized():
    decomposed = unicodedata.normalize("NFD", "ময়মনসিংহ রোড")
    event = provider_event("p-1", name={"bn": "রহিম\u200c " + decomposed})
    result = validate(raw(event), "provider", key=b"p-1")
    assert isinstance(result, ChangeEvent)
    assert result.body["data"]["name"]["bn"] == unicodedata.normalize("NFC", "রহিম ময়মনসিংহ রোড")


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "invalid_json"),
        (b"\xff\xfe", "invalid_utf8"),
        (raw(provider_event("p-1")).replace(b'"lat": 24.433', b'"lat": NaN'), "invalid_json"),
        (raw(provider_event("p-1", category="astrologer")), "unknown_category"),
        (raw(provider_event("p-1", address={"upazila": "dhaka"})), "unknown_upazila"),
        (raw(provider_event("p-1", phone="12345")), "schema"),
        (raw(provider_event("p-1", lat=40.0)), "schema"),
        (raw({**provider_event("p-1"), "version": "7"}), "schema"),
        (raw(provider_event("p-1", type="upsert") | {"data": None}), "schema"),
        (b"[]", "schema"),
    ],
)
def test_bad_events_are_rejected_with_a_reason(payload, reason):
    result = validate(payload, "provider", key=b"p-1")
    assert isinstance(result, Rejection)
    assert result.reason == reason
    assert result.message
    assert result.raw == payload


def test_size_depth_and_key_limits():
    big = raw(provider_event("p-1", services=["x" * 400] * 30))
    assert validate(big, "provider", max_bytes=1000).reason == "too_large"
    nested: dict = {}
    for _ in range(20):
        nested = {"x": nested}
    deep = raw(provider_event("p-1") | {"extra": nested})
    assert validate(deep, "provider").reason == "too_deep"
    assert validate(raw(provider_event("p-1")), "provider", key=b"p-2").reason == "key_mismatch"
    assert validate(None, "provider").reason == "empty"


def test_a_delete_needs_no_data_and_becomes_a_versioned_tombstone():
    event = validate(raw(provider_event("p-1", 9, type="delete")), "provider")
    assert isinstance(event, ChangeEvent)
    document = to_document(event, indexed_at=NOW)
    assert document["deleted"] is True and document["version"] == 9 and "name" not in document


def test_provider_document_has_keys_and_opening_ranges():
    hours = [{"day": "thu", "open": "20:00", "close": "02:00"}]
    event = validate(raw(provider_event("p-1", hours=hours, name={"bn": "কসাই", "en": "Kosai"})), "provider")
    document = to_document(event, indexed_at=NOW)
    assert document["name_key"].split()[0] == "kasai"
    # Thursday is day 5 from Saturday: 5*1440 + 20*60 = 8400, until Friday 02:00 = 8760
    assert document["open_minutes"] == [{"gte": 8400, "lt": 8760}]
    always = to_document(validate(raw(provider_event("p-2")), "provider"), indexed_at=NOW)
    assert always["open_minutes"] == [{"gte": 0, "lt": 7 * 1440}]


def test_listings_sharing_a_timetable_get_equal_ranges_that_are_their_own():
    hours = [
        {"day": "sat", "open": "09:00", "close": "18:00"},
        {"day": "fri", "open": "22:00", "close": "01:00"},
    ]
    first, second = (
        to_document(validate(raw(provider_event(id, hours=hours)), "provider"), indexed_at=NOW)
        for id in ("p-1", "p-2")
    )
    wrapped = [{"gte": 0, "lt": 60}, {"gte": 540, "lt": 1080}, {"gte": 9960, "lt": 10080}]
    assert first["open_minutes"] == second["open_minutes"] == wrapped
    first["open_minutes"][0]["lt"] = 1  # one document's ranges are not another's (remembered per timetable)
    assert second["open_minutes"] == wrapped


def test_product_document_carries_suggest_text():
    event = validate(raw(product_event("g-1", title={"bn": "দেশি ছাগল", "en": "Local goat"})), "product")
    document = to_document(event, indexed_at=NOW)
    assert document["suggest"] == ["দেশি ছাগল", "Local goat"]
    assert document["deleted"] is False and document["status"] == "active"


def test_only_the_newest_version_of_an_id_goes_into_one_bulk_request():
    events = [validate(raw(provider_event("p-1", v)), "provider") for v in (2, 5, 3)]
    events.append(validate(raw(product_event("p-1", 1)), "product"))  # same id, other entity: both stay
    latest, stale = latest_per_id(events)
    assert sorted((e.entity, e.version) for e in latest) == [("product", 1), ("provider", 5)]
    assert sorted(e.version for e in stale) == [2, 3]


def test_bulk_lines_use_external_versions_per_entity_index():
    items = BulkItems({"provider": "providers", "product": "products"})
    provider = validate(raw(provider_event("p-1.x:y", 4)), "provider")
    product = validate(raw(product_event("g-1", 7)), "product")
    assert isinstance(provider, ChangeEvent) and isinstance(product, ChangeEvent)
    action, source = items.encode((provider, {"id": "p-1.x:y", "name": {"bn": "রহিম"}})).split(b"\n")
    assert orjson.loads(action) == {
        "index": {"_index": "providers", "_id": "p-1.x:y", "version": 4, "version_type": "external"}
    }
    assert orjson.loads(source) == {"id": "p-1.x:y", "name": {"bn": "রহিম"}}
    action, _ = items.encode((product, {})).split(b"\n")
    assert orjson.loads(action)["index"] == {
        "_index": "products",
        "_id": "g-1",
        "version": 7,
        "version_type": "external",
    }


def test_an_imported_event_without_a_document_counts_as_a_failed_row_of_its_import():
    good = validate(raw(provider_event("p-1")), "provider")
    # Valid by the schema, but its data is gone: no document can be built (a stand-in for a bug).
    broken = ChangeEvent(
        "provider",
        "upsert",
        "p-2",
        1,
        {"data": {}, "occurred_at": "x", "event_id": "e"},
        position=SourcePosition("providers", 0, 7),
        headers={IMPORT_HEADER: "imp-1"},
    )
    documents, untransformable = to_documents([good, broken], indexed_at=NOW)
    assert [event.id for event, _ in documents] == ["p-1"]
    assert [event.id for event, _ in untransformable] == ["p-2"]
    assert "could not build the index document" in untransformable[0][1]
    assert import_outcomes(BulkOutcome(), also_failed=untransformable) == [("imp-1", 0, 7, "failed")]
