"""What the search log keeps of a search: no digits that could be a number, the hour, a token. Pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ingest.search_report import _ignored_words, report_body
from portal.clock import DHAKA
from portal.search_log import client_token, logged_hour, redact, search_log_event, token_period

NOW = datetime(2026, 12, 1, 10, 37, 12, 345000, tzinfo=DHAKA)  # a Tuesday


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("01712345678", "#"),
        ("free blood call 01700000000 bkash", "free blood call # bkash"),
        ("017-1234-5678", "#"),
        ("(017) 1234 5678", "(#"),
        ("+8801712345678", "#"),
        ("০১৭১২৩৪৫৬৭৮ নম্বরে কল", "# নম্বরে কল"),  # Bangla digits
        ("০১৭১২ ৩৪৫ ৬৭৮", "#"),
        ("NID 1990123456789", "NID #"),
        ("1 2 3 4", "#"),
        ("a+ blood lagbe 2 bag", "a+ blood lagbe 2 bag"),  # a quantity and a blood group stay
        ("২৪/৭ ফার্মেসি ৫ কেজি", "২৪/৭ ফার্মেসি ৫ কেজি"),
        ("10:30 e daktar", "10:30 e daktar"),
        ("ward 5 house 12", "ward 5 house 12"),
    ],
)
def test_runs_of_four_or_more_digits_are_redacted_in_any_script(typed, kept):
    assert redact(typed) == kept


def test_the_event_keeps_no_number_typed_and_only_the_hour():
    event = search_log_event(
        endpoint="providers", q="রক্ত লাগবে ০১৭১২৩৪৫৬৭৮", category=None,
        understood={"categories": ["blood_donor"], "ignored_words": ["০১৭১২৩৪৫৬৭৮", "01812345678", "লাগবে"]},
        results=3, returned=3, latency_ms=4.2, at=NOW, client_token="abcdefabcdefabcd",
    )  # fmt: skip
    text = repr(event)
    assert not any(run in text for run in ("০১৭১২", "01812", "345678"))
    assert event["q"] == "রক্ত লাগবে #" and event["understood"]["ignored_words"] == ["#", "লাগবে"]
    assert event["at"] == "2026-12-01T10:00:00+06:00" and logged_hour(NOW).minute == 0
    assert event["client_token"] == "abcdefabcdefabcd" and "area" not in event


def test_the_token_key_changes_each_local_week_from_saturday():
    assert token_period(NOW) == datetime(2026, 11, 28, tzinfo=DHAKA)  # the Saturday before
    assert token_period(datetime(2026, 11, 28, 0, 0, tzinfo=DHAKA)) == datetime(2026, 11, 28, tzinfo=DHAKA)
    assert token_period(datetime(2026, 11, 27, 23, 59, tzinfo=DHAKA)) == datetime(2026, 11, 21, tzinfo=DHAKA)
    # Friday 18:30 UTC is already Saturday 00:30 in Dhaka
    assert token_period(datetime(2026, 11, 27, 18, 30, tzinfo=UTC)) == datetime(2026, 11, 28, tzinfo=DHAKA)


def test_a_token_is_one_client_and_one_query_and_links_nothing_else():
    key = b"k" * 32
    same = client_token(key, "203.0.113.7", "Doctor  lagbe")
    assert same == client_token(key, "203.0.113.7", "doctor lagbe"), "the query as the report groups it"
    assert same != client_token(key, "203.0.113.8", "doctor lagbe")
    assert same != client_token(key, "203.0.113.7", "ambulance")
    assert same != client_token(b"j" * 32, "203.0.113.7", "doctor lagbe"), "next week nothing links"
    assert "203" not in same and len(same) == 16


def test_the_report_lists_only_queries_enough_clients_searched():
    body = report_body(NOW - timedelta(days=7), NOW, limit=10, min_clients=3)
    top = body["aggs"]["worded"]["aggs"]["top"]
    assert top["terms"]["order"][0] == {"clients": "desc"}, "a flood of one client's queries ranks last"
    assert top["aggs"]["clients"] == {"cardinality": {"field": "client_token"}}
    selector = top["aggs"]["seen_by_enough"]["bucket_selector"]
    assert selector["script"]["params"] == {"min_clients": 3}
    relaxed = body["aggs"]["worded"]["aggs"]["relaxed"]["aggs"]["queries"]
    assert (
        "seen_by_enough" in relaxed["aggs"]
        and "seen_by_enough" in body["aggs"]["worded"]["aggs"]["ignored_words"]["aggs"]
    )


def test_ignored_words_are_counted_over_the_queries_that_may_be_shown():
    buckets = [
        {"ignored": {"buckets": [{"key": "lagbe", "doc_count": 4}, {"key": "ekhon", "doc_count": 1}]}},
        {"ignored": {"buckets": [{"key": "lagbe", "doc_count": 2}, {"key": "bhai", "doc_count": 3}]}},
    ]
    assert _ignored_words(buckets, 2) == [{"word": "lagbe", "count": 6}, {"word": "bhai", "count": 3}]
