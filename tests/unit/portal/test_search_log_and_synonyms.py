"""The search log event, the report's window and shaping, retention, and synonym sets. Pure."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from ingest.search_log_sink import expired_days, read_event, read_events, search_log_document
from ingest.search_report import InvalidWindow, report_body, shape_report, window
from portal.clock import DHAKA
from portal.search_log import q_norm, search_log_event
from portal.synonyms import InvalidSynonym, decode, synonym_set

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=DHAKA)
UNDERSTOOD = {
    "categories": ["doctor"],
    "place": {"slug": "tarail"},
    "ignored_words": ["লাগবে"],
    "relaxed": True,
}


def test_the_event_carries_no_point_no_area_and_only_the_hour():
    event = search_log_event(
        endpoint="providers", q="ডাক্তার  লাগবে", category=None, understood=UNDERSTOOD, results=0,
        returned=0, closed_nearby=1, latency_ms=12.345, at=NOW.replace(minute=37, second=5), available_now=True,
    )  # fmt: skip
    assert "area" not in event and "client_token" not in event
    assert event["at"] == "2026-12-01T10:00:00+06:00"
    assert event["understood"] == {
        "categories": ["doctor"], "place": "tarail", "blood_group": None, "ignored_words": ["লাগবে"], "relaxed": True,
    }  # fmt: skip
    assert (event["results"], event["returned"], event["closed_nearby"]) == (0, 0, 1)
    assert read_event(json.dumps(event).encode()) == {**event, "q": "ডাক্তার লাগবে"}


def test_the_stored_document_groups_queries_and_flags_zero_results():
    event = search_log_event(
        endpoint="products",
        q="  Ilish ",
        category=None,
        understood=UNDERSTOOD,
        results=0,
        returned=0,
        latency_ms=1,
        at=NOW,
    )
    doc = search_log_document(event, indexed_at=NOW)
    assert doc["q_norm"] == q_norm(" Ilish ") == "ilish" and doc["zero"] is True


@pytest.mark.parametrize(
    "raw",
    [b"not json", json.dumps({"event_id": "x"}).encode(), None, b"\xff\xfe"],
)
def test_a_bad_search_log_record_is_named_not_stored(raw):
    assert isinstance(read_event(raw), str)


def test_a_gathering_of_searches_is_one_record_and_a_bad_one_in_it_is_named_alone():
    good = [
        search_log_event(
            endpoint="providers", q=q, category=None, understood=UNDERSTOOD, results=1, returned=1,
            latency_ms=1, at=NOW,
        )
        for q in ("ডাক্তার", "ilish")
    ]  # fmt: skip
    bad = {**good[0], "endpoint": "sellers"}
    read = read_events(json.dumps([good[0], bad, good[1]]).encode())
    assert not isinstance(read, str)
    assert [r[1] for r in read[::2]] == good
    assert isinstance(read[1][1], str) and read[1][1].startswith("event 2 of 3: endpoint")
    assert read[1][0] == bad  # what is dead-lettered: the bad event alone
    assert isinstance(read_events(b"[]"), str)
    assert read_event(json.dumps(good).encode()) == "the message holds several events"


def test_retention_deletes_whole_days_older_than_kept():
    names = [
        "p_search_log-2026.08.01",
        "p_search_log-2026.09.02",
        "p_search_log-2026.12.01",
        "p_search_log-bad",
    ]
    assert expired_days(names, "p_search_log-", now=NOW, keep_days=90) == ["p_search_log-2026.08.01"]


def test_the_report_window_reads_hours_days_and_iso_times():
    start, end = window("24h", None, now=NOW)
    assert end - start == timedelta(hours=24)
    start, end = window("2026-11-01T00:00+06:00", "2026-11-08T00:00+06:00", now=NOW)
    assert (end - start).days == 7
    for bad in ("yesterday", "2026-11-01T00:00"):
        with pytest.raises(InvalidWindow):
            window(bad, None, now=NOW)


def test_the_report_body_counts_zero_and_relaxed_queries_apart_from_browsing():
    body = report_body(NOW - timedelta(days=1), NOW, endpoint="providers", limit=5)
    assert {"term": {"endpoint": "providers"}} in body["query"]["bool"]["filter"]
    worded = body["aggs"]["worded"]
    assert worded["filter"] == {"bool": {"must_not": [{"term": {"q_norm": ""}}]}}
    assert worded["aggs"]["zero"]["filter"] == {"term": {"zero": True}}
    assert worded["aggs"]["top"]["aggs"]["page"]["bucket_sort"]["size"] == 5


def test_an_empty_log_reports_nothing_rather_than_failing():
    report = shape_report({"hits": {"total": {"value": 0}}}, NOW - timedelta(days=1), NOW)
    assert report["searches"] == 0 and report["zero_result_queries"] == []


def test_a_synonym_set_names_exactly_one_real_category_or_upazila():
    ok = synonym_set({"words": [" ঝাড়ুদার ", "jharudar", "jharudar"], "category": "cleaner"}, id="s1")
    assert ok.words == ("ঝাড়ুদার", "jharudar") and ok.kind == "provider"
    assert synonym_set({"words": ["bhoirob bazar"], "upazila": "bhairab"}, id="s2").upazila == "bhairab"
    for bad, field in [
        ({"words": ["x"], "category": "wizard"}, "category"),
        ({"words": ["x"]}, "category"),
        ({"words": ["x"], "category": "cleaner", "upazila": "itna"}, "category"),
        ({"words": [], "category": "cleaner"}, "words"),
        ({"words": ["x" * 120], "category": "cleaner"}, "words"),  # beyond every limit
        ({"words": ["x"], "category": "fish", "kind": "provider"}, "category"),
        ({"words": ["x"], "category": "cleaner", "kind": "seller"}, "kind"),
    ]:
        with pytest.raises(InvalidSynonym) as e:
            synonym_set(bad, id="bad")
        assert e.value.field == field


def test_a_tombstone_or_a_broken_record_removes_nothing_else():
    assert decode(None, "s1") is None
    assert decode(b"{broken", "s1") is None
    assert decode(json.dumps({"words": ["x"], "category": "cleaner"}).encode(), "s1").category == "cleaner"
