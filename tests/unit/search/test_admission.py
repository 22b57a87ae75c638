"""Admission, without a server: a slot count, a cap per client, and who waits first when all are taken."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from search.http.admission import Admission, length_class


class SlowSearch:
    """An ASGI app whose searches end when the test says so."""

    def __init__(self) -> None:
        self.running: list[asyncio.Event] = []
        self.served: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        done = asyncio.Event()
        self.running.append(done)
        await done.wait()
        self.served.append(scope["client"][0])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


def scope(client: str, path: str = "/v1/providers/nearest", q: str = "") -> dict[str, Any]:
    query = ("q=" + "+".join(q.split())).encode() if q else b""
    return {"type": "http", "path": path, "client": (client, 1234), "headers": [], "query_string": query}


async def request(
    admission: Admission, client: str, path: str = "/v1/providers/nearest", q: str = ""
) -> tuple[int, dict]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await admission(scope(client, path, q), None, send)
    body = json.loads(sent[1]["body"]) if len(sent) > 1 and sent[1]["body"] else {}
    return sent[0]["status"], body


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_one_client_may_not_hold_more_than_its_share():
    app = SlowSearch()
    admission = Admission(app, slots=10, per_client=2, max_wait_s=1)
    first = [asyncio.create_task(request(admission, "10.0.0.1")) for _ in range(2)]
    await settle()
    status, body = await request(admission, "10.0.0.1")  # answered at once, no work done
    assert status == 429 and body["error"] == "too_many_at_once"
    assert len(app.running) == 2
    for done in app.running:
        done.set()
    assert [s for s, _ in await asyncio.gather(*first)] == [200, 200]


async def test_when_every_slot_is_taken_the_quiet_client_goes_before_the_flooder():
    app = SlowSearch()
    clock = [0.0]
    admission = Admission(app, slots=1, per_client=10, max_wait_s=5, clock=lambda: clock[0])
    # the flooder has used the service for a while
    warm = asyncio.create_task(request(admission, "10.0.0.9"))
    await settle()
    clock[0] = 3.0
    app.running[0].set()
    await warm
    holding = asyncio.create_task(request(admission, "10.0.0.9"))
    await settle()
    flood = asyncio.create_task(request(admission, "10.0.0.9"))  # queued first
    await settle()
    citizen = asyncio.create_task(request(admission, "10.0.0.5"))  # queued later, used nothing
    await settle()
    app.running[1].set()  # the slot frees
    await settle()
    app.running[2].set()
    await settle()
    app.running[3].set()
    await asyncio.gather(holding, flood, citizen)
    assert app.served[-2:] == ["10.0.0.5", "10.0.0.9"]


async def test_a_search_that_cannot_start_in_time_is_told_to_come_back_and_operations_never_wait():
    app = SlowSearch()
    admission = Admission(app, slots=1, per_client=10, max_wait_s=0.05)
    busy = asyncio.create_task(request(admission, "10.0.0.1"))
    await settle()
    status, body = await request(admission, "10.0.0.2")
    assert status == 503 and body["error"] == "busy"
    health = asyncio.create_task(request(admission, "10.0.0.2", "/healthz"))
    await settle()
    assert len(app.running) == 2  # /healthz went straight through
    for done in app.running:
        done.set()
    await asyncio.gather(busy, health)
    assert admission.running == 0 and not admission.queue


TWENTY_WORDS = " ".join(f"w{i}" for i in range(20))


def test_a_search_is_as_long_as_its_words():
    assert length_class(b"lat=24.4&lon=90.7") == 0  # no words: a category tapped
    assert length_class("q=ইলেকট্রিশিয়ান&lat=1".encode()) == 0
    assert length_class(b"lat=1&q=fan+thik+korbo+ekhon+lagbe") == 1
    assert length_class(("q=" + "%20".join(TWENTY_WORDS.split())).encode()) == 2


async def test_long_searches_never_hold_every_slot_and_a_short_one_goes_first():
    app = SlowSearch()
    admission = Admission(app, slots=2, per_client=10, max_wait_s=5)
    first_long = asyncio.create_task(request(admission, "10.0.0.1", q=TWENTY_WORDS))
    await settle()
    second_long = asyncio.create_task(request(admission, "10.0.0.2", q=TWENTY_WORDS))  # waits: half the slots
    await settle()
    assert len(app.running) == 1 and admission.running_long == 1
    short = asyncio.create_task(request(admission, "10.0.0.3", q="ডাক্তার"))  # the free slot is its
    await settle()
    assert len(app.running) == 2
    third_long = asyncio.create_task(request(admission, "10.0.0.4", q=TWENTY_WORDS))
    await settle()
    late_short = asyncio.create_task(request(admission, "10.0.0.5", q="plumber"))  # queued last
    await settle()
    app.running[1].set()  # the short search ends: the short one waiting goes before both long ones
    await settle()
    assert len(app.running) == 3
    tasks = (first_long, second_long, short, third_long, late_short)
    while not all(t.done() for t in tasks):  # each search ends as soon as it runs
        for done in app.running:
            done.set()
        await settle()
    assert app.served.index("10.0.0.5") < app.served.index("10.0.0.2")
    assert admission.running == 0 and admission.running_long == 0 and not admission.queue


async def test_a_client_that_goes_away_while_waiting_gives_its_place_back():
    app = SlowSearch()
    admission = Admission(app, slots=1, per_client=10, max_wait_s=5)
    busy = asyncio.create_task(request(admission, "10.0.0.1"))
    await settle()
    gone = asyncio.create_task(request(admission, "10.0.0.2"))
    await settle()
    gone.cancel()  # the connection closed
    await settle()
    assert not admission.queue
    app.running[0].set()
    await busy
    assert admission.running == 0  # the slot was not handed to nobody
    after = asyncio.create_task(request(admission, "10.0.0.3"))
    await settle()
    assert len(app.running) == 2  # it starts at once
    app.running[-1].set()
    assert (await after)[0] == 200
