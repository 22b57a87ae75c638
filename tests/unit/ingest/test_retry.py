"""The one backoff and retry loop, and what the engine's answers mean for it: wait, give up, or refuse."""

from __future__ import annotations

import asyncio
from itertools import islice

import pytest
from opensearchpy.exceptions import ConnectionError as EngineConnectionError
from opensearchpy.exceptions import NotFoundError, RequestError, TransportError

from ingest.bulk_write import FAILED_DOCUMENT_ATTEMPTS, FailedAttempts, item_outcome, item_reason
from ingest.engine import EngineRefused, EngineUnavailable, engine_call
from ingest.retry import Backoff, Exhausted, until_done

QUICK = Backoff(0.001, 0.002)


def test_the_backoff_doubles_up_to_its_cap_for_ever_without_a_ceiling():
    assert list(islice(Backoff(0.2, 1.0).delays(), 6)) == [0.2, 0.4, 0.8, 1.0, 1.0, 1.0]


def test_a_ceiling_of_n_attempts_has_n_minus_one_waits_between_them():
    assert list(Backoff(0.2, 5.0, attempts=4).delays()) == [0.2, 0.4, 0.8]
    assert list(Backoff(attempts=1).delays()) == []


async def test_the_loop_tries_again_after_an_engine_that_is_away_until_done():
    answers = iter([EngineUnavailable("connection refused"), False, True])
    heard: list[str | None] = []

    async def attempt() -> bool:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    done = await until_done(
        attempt,
        QUICK,
        asyncio.Event(),
        retry_on=(EngineUnavailable,),
        on_failure=lambda e: heard.append(str(e) if e else None),
    )
    assert done is True
    assert heard == ["connection refused", None]  # away, then answered with work left


async def test_at_the_ceiling_the_loop_gives_up_and_says_so():
    calls = 0

    async def attempt() -> bool:
        nonlocal calls
        calls += 1
        raise EngineUnavailable("still away")

    with pytest.raises(Exhausted, match="still away"):
        await until_done(
            attempt, Backoff(0.001, 0.001, attempts=3), asyncio.Event(), retry_on=(EngineUnavailable,)
        )
    assert calls == 3


async def test_a_stop_ends_the_wait_without_another_attempt():
    stop = asyncio.Event()
    calls = 0

    async def attempt() -> bool:
        nonlocal calls
        calls += 1
        stop.set()
        return False

    assert await until_done(attempt, Backoff(60, 60), stop) is False
    assert calls == 1


async def test_what_is_not_retried_passes_at_once():
    async def attempt() -> bool:
        raise EngineRefused("the bulk request", 400, "failed to parse")

    with pytest.raises(EngineRefused):
        await until_done(attempt, QUICK, asyncio.Event(), retry_on=(EngineUnavailable,))


@pytest.mark.parametrize(
    ("error", "becomes"),
    [
        (EngineConnectionError("N/A", "refused", None), EngineUnavailable),
        (TransportError(503, "unavailable_shards_exception", {}), EngineUnavailable),
        (TransportError(429, "es_rejected_execution_exception", {}), EngineUnavailable),
        (RequestError(400, "script_exception", {"error": {"reason": "runtime error"}}), EngineRefused),
        (TransportError(413, "request_entity_too_large", {}), EngineRefused),
        (NotFoundError(404, "index_not_found_exception", {}), NotFoundError),
    ],
)
def test_the_engines_answers_are_away_refused_or_left_to_the_caller(error, becomes):
    with pytest.raises(becomes), engine_call("updating ~hidden"):
        raise error


def test_a_refusal_carries_the_engines_own_reason():
    with pytest.raises(EngineRefused) as refused, engine_call("updating ~hidden in sellers"):
        raise RequestError(
            400, "script_exception", {"error": {"type": "script_exception", "reason": "runtime error"}}
        )
    assert refused.value.status == 400
    assert str(refused.value) == "updating ~hidden in sellers was refused (400): runtime error"


@pytest.mark.parametrize(
    ("result", "outcome"),
    [
        ({"status": 201}, "indexed"),
        ({"status": 409, "error": {"type": "version_conflict_engine_exception"}}, "stale"),
        ({"status": 429, "error": {"type": "es_rejected_execution_exception"}}, "retry"),
        ({"status": 503, "error": {"type": "unavailable_shards_exception"}}, "retry"),
        ({"status": 403, "error": {"type": "cluster_block_exception"}}, "retry"),
        ({"status": 500, "error": {"type": "illegal_state_exception"}}, "failed"),
        ({"status": 400, "error": {"type": "mapper_parsing_exception"}}, "rejected"),
    ],
)
def test_each_bulk_item_is_written_stale_retried_failed_or_rejected(result, outcome):
    assert item_outcome(result) == outcome


def test_a_document_the_engine_keeps_failing_on_is_given_up_at_the_ceiling_with_its_reason():
    failed = FailedAttempts(ceiling=3)
    reason = item_reason({"status": 500, "error": {"reason": "boom"}})
    rounds = [failed.settle([("doc-1", reason), ("doc-2", reason)], key=str) for _ in range(2)]
    assert rounds == [(["doc-1", "doc-2"], []), (["doc-1", "doc-2"], [])]
    again, given_up = failed.settle([("doc-1", reason)], key=str)
    assert again == []
    assert given_up == [
        ("doc-1", "the engine refused the document (500): boom (failed 3 times; not sent again)")
    ]
    assert failed.settle([("doc-2", reason)], key=str)[1]  # its third failure too
    assert FAILED_DOCUMENT_ATTEMPTS >= 10  # longer than a replica promotion: transient failures pass
