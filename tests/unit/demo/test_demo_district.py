"""A second district's demo (`make run DISTRICT=netrokona`): the same trades and goods over its own
upazilas and towns, from its generated geography; ids, seeds and events its own, so both demos share one
cluster; Kishoreganj's demo byte for byte as it was."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest

from demo_data import demo_events
from demo_taxonomy import load_taxonomy
from ingest.events import ChangeEvent
from ingest.validate import validate
from portal.geography import geography

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"
Event = dict[str, Any]

#: The whole Kishoreganj demo (its products are also pinned in test_demo_data.py): what `make run` loads.
KISHOREGANJ_DEMO_SHA256 = {
    "provider": (1716, "6a664df72d38c9d791d48dda8e0bfc158b4b9ac45f087e677ac8f615b1af0b5e"),
    "product": (397, "0a0bfb7342f37373da470589ccd8c22b21b11a85e7597f8f7217902108afff9e"),
    "seller": (207, "8f72da21343935a791b7a3884ceabd40a701b33ee0e51966cb6085293b6c34ec"),
}


@cache
def demo(district: str) -> dict[str, list[Event]]:
    return demo_events(district=district)


def upazila_of(entity: str, data: dict[str, Any]) -> str:
    return str(data["address"]["upazila"] if entity == "provider" else data["upazila"])


def every(district: str) -> list[tuple[str, Event]]:
    return [(entity, e) for entity, events in demo(district).items() for e in events]


def test_kishoreganjs_demo_is_what_it_was() -> None:
    for entity, (count, digest) in KISHOREGANJ_DEMO_SHA256.items():
        events = demo("kishoreganj")[entity]
        made = hashlib.sha256(json.dumps(events, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        assert (len(events), made) == (count, digest), entity
    assert demo_events() == demo("kishoreganj")  # the default DISTRICT's


def test_netrokonas_demo_covers_its_upazilas_with_the_same_trades_and_goods() -> None:
    netrokona, kishoreganj = demo("netrokona"), demo("kishoreganj")
    upazilas = [u.slug for u in load_taxonomy("netrokona").upazilas]
    assert len(upazilas) == 10 and upazilas[0] == "netrokona-sadar"
    cells = Counter((e["data"]["category"], e["data"]["address"]["upazila"]) for e in netrokona["provider"])
    trades = {e["data"]["category"] for e in kishoreganj["provider"]}
    assert set(cells) == {(c, u) for c in trades for u in upazilas}
    assert set(cells.values()) == {6}
    items = {(e["data"]["category"], e["data"]["attributes"].get("item")) for e in kishoreganj["product"]}
    assert {
        (e["data"]["category"], e["data"]["attributes"].get("item")) for e in netrokona["product"]
    } == items
    for entity in ("product", "seller"):
        assert {upazila_of(entity, e["data"]) for e in netrokona[entity]} == set(upazilas)
    sellers = {e["id"] for e in netrokona["seller"]}
    assert {e["data"]["seller_id"] for e in netrokona["product"]} == sellers


def test_netrokonas_ids_events_and_phones_are_its_own() -> None:
    kishoreganj, netrokona = every("kishoreganj"), every("netrokona")
    for entity, event in netrokona:
        kind = {"provider": "prv", "product": "prd", "seller": "sel"}[entity]
        assert event["id"].startswith(f"{kind}-netrokona-"), event["id"]
        assert event["data"]["district"] == "netrokona"
        if entity == "product":
            assert event["data"]["seller_id"].startswith("sel-netrokona-")
    for _, event in kishoreganj:
        assert "district" not in event["data"] and not event["id"].startswith(
            ("prv-netrokona", "prd-netrokona")
        )
    assert not {e["id"] for _, e in kishoreganj} & {e["id"] for _, e in netrokona}
    assert not {e["event_id"] for _, e in kishoreganj} & {e["event_id"] for _, e in netrokona}
    phones = [
        {e["data"]["phone"] for _, e in events if "phone" in e["data"]} for events in (kishoreganj, netrokona)
    ]
    assert not phones[0] & phones[1]
    slugs = [{e["data"]["slug"] for e in demo(d)["seller"]} for d in ("kishoreganj", "netrokona")]
    assert not slugs[0] & slugs[1]  # storefront URLs


def test_netrokonas_listings_lie_in_their_upazila_and_mostly_in_a_union() -> None:
    shapes = geography("netrokona")
    in_union = 0
    for entity, event in every("netrokona"):
        data = event["data"]
        point, upazila = (data["location"]["lat"], data["location"]["lon"]), upazila_of(entity, data)
        assert shapes.contains(upazila, *point, tolerance_m=0), (event["id"], upazila)
        in_union += shapes.union_at(*point, upazila) is not None
    assert in_union / len(every("netrokona")) > 0.95  # the rest in slivers between the two surveys


def test_netrokonas_events_keep_the_contract_and_any_ingest_takes_them() -> None:
    """They validate against the event schemas, and the ingest of this process (DISTRICT unset:
    Kishoreganj's) accepts them, because they name their district: one cluster, one topic, two demos."""
    compiled = {
        entity: fastjsonschema.compile(
            json.loads((SCHEMAS / "events" / f"{entity}.schema.json").read_text(encoding="utf-8"))
        )
        for entity in ("provider", "product", "seller")
    }
    for entity, event in every("netrokona"):
        compiled[entity](event)
        checked = validate(json.dumps(event, ensure_ascii=False).encode(), entity)
        assert isinstance(checked, ChangeEvent), checked


def test_netrokonas_words_name_netrokona() -> None:
    services = {s for e in demo("netrokona")["provider"] for s in e["data"]["services"]}
    assert "ঢাকা-নেত্রকোণা রিজার্ভ" in services
    texts = json.dumps([e["data"] for _, e in every("netrokona")], ensure_ascii=False)
    haats = [e for e in demo("netrokona")["product"] if e["id"].startswith("prd-netrokona-cattle-bepari-")]
    assert haats and all(e["data"]["livestock"]["seen_at"]["kind"] == "haat" for e in haats)
    assert "কিশোরগঞ্জ সদর" not in texts and "Kishoreganj Sadar" not in texts
    traders = [e for e in demo("netrokona")["seller"] if e["id"].startswith("sel-netrokona-bepari-")]
    assert len(traders) == 20 and all(e["data"]["delivery_upazilas"] == [] for e in traders)


def test_the_same_district_draws_the_same_demo() -> None:
    assert demo_events(district="netrokona") == demo("netrokona")


def test_a_district_without_a_geography_says_what_to_run() -> None:
    with pytest.raises(ValueError, match="make geography DISTRICT=sylhet"):
        demo_events(district="sylhet")
