"""The client tokens' weekly key: shared by a deployment's processes through a secret, else per process."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from portal.clock import DHAKA
from portal.search_log import search_log_event
from search.config import SearchSettings
from search.providers.request import NearestQuery
from search.query_log import GATHERED, ClientTokens, QueryLog, Searched

TUESDAY = datetime(2026, 12, 1, 10, 0, tzinfo=DHAKA)


def test_processes_sharing_the_secret_count_a_client_once():
    one, two = ClientTokens("s3cret"), ClientTokens("s3cret")
    assert one.token("203.0.113.7", "doctor", TUESDAY) == two.token(
        "203.0.113.7", "doctor", TUESDAY + timedelta(days=3)
    )
    assert one.key(TUESDAY) != ClientTokens("other").key(TUESDAY)


def test_the_key_changes_with_the_week():
    tokens = ClientTokens("s3cret")
    assert tokens.key(TUESDAY) != tokens.key(TUESDAY + timedelta(days=7))
    assert tokens.key(TUESDAY) == tokens.key(TUESDAY - timedelta(days=3)), "Saturday starts the week"


def test_the_week_turns_at_saturday_midnight_in_dhaka_whatever_was_asked_before():
    tokens, fresh = ClientTokens("s3cret"), ClientTokens("s3cret")
    saturday = datetime(2026, 12, 5, 0, 0, tzinfo=DHAKA)
    just_before = saturday - timedelta(microseconds=1)
    for at in (saturday, just_before, saturday + timedelta(days=7) - timedelta(microseconds=1), saturday):
        assert tokens.key(at) == fresh.key(at) == ClientTokens("s3cret").key(at), at
    assert tokens.key(saturday) != tokens.key(just_before)
    assert tokens.key(saturday) == tokens.key(saturday.astimezone(UTC))  # the same moment, told in UTC


def test_without_a_secret_each_process_draws_its_own_key_and_forgets_it_next_week():
    tokens = ClientTokens(None)
    this_week = tokens.key(TUESDAY)
    assert this_week == tokens.key(TUESDAY + timedelta(hours=1))
    assert this_week != ClientTokens(None).key(TUESDAY)
    next_week = tokens.key(TUESDAY + timedelta(days=7))
    assert next_week != this_week and tokens.key(TUESDAY) != this_week, "last week's key is gone"


def test_tokens_remembered_for_a_week_leave_with_its_key():
    tokens = ClientTokens(None)
    first = tokens.token("203.0.113.7", "doctor", TUESDAY)
    assert tokens.token("203.0.113.7", "doctor", TUESDAY + timedelta(hours=2)) == first
    assert tokens.token("203.0.113.8", "doctor", TUESDAY) != first
    next_week = tokens.token("203.0.113.7", "doctor", TUESDAY + timedelta(days=7))
    assert next_week != first
    assert tokens.token("203.0.113.7", "doctor", TUESDAY) != first, (
        "last week's key, and its tokens, are gone"
    )


def test_searches_gather_into_records_of_bounded_size():
    log = QueryLog(SearchSettings(search_log_enabled=True))
    for i in range(GATHERED + 50):
        log.record({"event_id": str(i)})
    gatherings = log._gatherings()
    first, second = next(gatherings), next(gatherings)
    assert [len(first), len(second)] == [GATHERED, 50]
    assert [e["event_id"] for e in first + second] == [str(i) for i in range(GATHERED + 50)]


def test_a_search_is_queued_as_it_was_answered_and_its_event_made_by_the_sending_thread():
    log = QueryLog(SearchSettings(search_log_enabled=True, search_log_client_secret="s3cret"))
    params = NearestQuery(lat=24.44, lon=90.78, q="ডাক্তার ০১৭১২৩৪৫৬৭৮", available_now=False)
    understood = {"categories": ["doctor"], "place": None, "ignored_words": [], "relaxed": False}
    answer = {"query": understood, "total": 12, "results": [{}] * 10, "closed_nearby": [{}] * 3}
    scope = {"type": "http", "client": ("203.0.113.7", 50_000), "headers": []}
    log.searched("providers", params, answer, at=TUESDAY, started=time.perf_counter(), scope=scope)
    queued = log._queue.get_nowait()
    assert isinstance(queued, Searched) and not hasattr(queued, "scope")  # the request's scope stays behind
    event = log._event(queued)
    assert event is not None
    expected = search_log_event(
        endpoint="providers",
        q=params.q,
        category=None,
        understood=understood,
        results=12,
        returned=10,
        closed_nearby=3,
        at=TUESDAY,
        latency_ms=event["latency_ms"],
        available_now=False,
        client_token=ClientTokens("s3cret").token("203.0.113.7", params.q or "", TUESDAY),
    )
    assert {k: v for k, v in event.items() if k != "event_id"} == {
        k: v for k, v in expected.items() if k != "event_id"
    }
    assert "০১৭১২৩৪৫৬৭৮" not in event["q"] and "203.0.113.7" not in str(event)


def test_an_event_that_cannot_be_made_is_dropped_alone():
    log = QueryLog(SearchSettings(search_log_enabled=True))
    broken = Searched("providers", None, {}, 0, 0, 0, TUESDAY, 1.0, None)  # type: ignore[arg-type]
    assert log._event(broken) is None
    assert log._event({"event_id": "e"}) == {"event_id": "e"}
