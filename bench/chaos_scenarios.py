"""Breaking things on purpose: private servers to kill, provider streams to count, and the chaos scenarios.

Shared by `bench/chaos.py` (`make chaos`: measures, prints a table, writes JSON) and
`tests/integration/test_chaos.py` (asserts). Every fault lands on something the caller started for
the purpose — a Kafka or OpenSearch on its own ports and state directory, a service process — and
is delivered by recorded pid. The shared Kafka (9092) and OpenSearch (9200) are only ever healthy
neighbours, used under a prefix of their own.

How a scenario counts:
- an event is *produced* once the broker acknowledged it;
- an id is *lost* if it is missing from the index, or older there than its newest acknowledged version;
- documents are *duplicated* beyond one per produced id: an id twice, or an id nobody produced;
- an event whose acknowledgement never came (the broker died under it) may or may not arrive later:
  neither outcome is counted against the pipe.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import random
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient
from kafka.errors import KafkaError
from opensearchpy import OpenSearch

from harness.service_process import ServiceProcess

if TYPE_CHECKING:
    from portal.settings import PortalSettings

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy" / "local"

NEAREST = "/v1/providers/nearest?lat=24.433&lon=90.78&radius_km=20"
#: What the search API is asked while the engine is away: each must come back as a fast JSON 503.
SEARCH_PATHS = (*(NEAREST,) * 6, "/v1/products/search?q=goat", "/v1/suggest?q=ch")
#: The taxonomy degrades instead: 200 without live counts.
CATEGORIES = "/v1/categories"


# ---------------------------------------------------------------- private servers


def _is_ours(pid: int, main_class: str) -> bool:
    """Alive (not a zombie) and still the java process we started — its main class one of its
    arguments exactly — as lib.sh's pid_alive decides."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z" and main_class.encode() in arguments


class PrivateServer:
    """A Kafka or OpenSearch of our own, run by deploy/local/start.sh under its own LOCAL_STATE_DIR.

    Signals go to the pid start.sh recorded, and only while that pid is still our java process.
    """

    kind = ""
    marker = ""

    def __init__(self, state_dir: Path, env: Mapping[str, str]) -> None:
        self.state_dir = Path(state_dir)
        self.env = {**os.environ, "LOCAL_STATE_DIR": str(self.state_dir), **env}
        self.frozen = False

    @property
    def pidfile(self) -> Path:
        return self.state_dir / self.kind / f"{self.kind}.pid"

    @property
    def log_path(self) -> Path:
        return self.state_dir / self.kind / f"{self.kind}.log"

    def home(self) -> Path:
        """Where the server keeps its files: the state directory, or for OpenSearch the node home it links to."""
        link = self.state_dir / self.kind / "home"
        return link.resolve() if link.is_symlink() else self.state_dir / self.kind

    def pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _is_ours(pid, self.marker) else None

    def start(self, timeout: float = 300) -> float:
        """Start (or restart after a kill, keeping the data) and wait until healthy; returns the seconds taken."""
        started = time.monotonic()
        done = subprocess.run(
            [str(DEPLOY / "start.sh"), self.kind],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"private {self.kind} did not start:\n{done.stdout}{done.stderr}")
        self.frozen = False
        return time.monotonic() - started

    def _signal(self, sig: signal.Signals) -> int:
        pid = self.pid()
        if pid is None:
            raise RuntimeError(f"private {self.kind} is not running (pid file {self.pidfile})")
        os.kill(pid, sig)
        return pid

    def kill(self) -> None:
        """SIGKILL: the server dies without warning. Returns once the process is gone."""
        pid = self._signal(signal.SIGKILL)
        self.frozen = False
        deadline = time.monotonic() + 15
        while _is_ours(pid, self.marker) and time.monotonic() < deadline:
            time.sleep(0.05)

    def freeze(self) -> None:
        """SIGSTOP: the server keeps its sockets (connections are accepted) but answers nothing."""
        self._signal(signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)
        self.frozen = False

    def stop(self) -> None:
        """Stop by recorded pid (stop.sh). Thaws first: a stopped JVM cannot act on SIGTERM."""
        if self.pid() is not None:
            self._signal(signal.SIGCONT)
            self.frozen = False
        subprocess.run(
            [str(DEPLOY / "stop.sh"), self.kind], env=self.env, capture_output=True, timeout=120, check=False
        )

    def remove(self) -> None:
        """Stop, then delete the state directory and the node home outside it (deploy/local/clean.sh)."""
        self.stop()
        subprocess.run(
            [str(DEPLOY / "clean.sh")], env=self.env, capture_output=True, timeout=120, check=False
        )


class PrivateOpenSearch(PrivateServer):
    kind = "opensearch"
    marker = "org.opensearch.bootstrap.OpenSearch"  # lib.sh's OPENSEARCH_MAIN

    def __init__(self, state_dir: Path, port: int, heap: str = "512m") -> None:
        super().__init__(state_dir, {"LOCAL_OPENSEARCH_PORT": str(port), "LOCAL_OPENSEARCH_HEAP": heap})
        self.port = port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class PrivateKafka(PrivateServer):
    kind = "kafka"
    marker = "kafka.Kafka"  # lib.sh's KAFKA_MAIN

    def __init__(self, state_dir: Path, port: int, controller_port: int, heap: str = "256m") -> None:
        super().__init__(
            state_dir,
            {
                "LOCAL_KAFKA_PORT": str(port),
                "LOCAL_KAFKA_CONTROLLER_PORT": str(controller_port),
                "LOCAL_KAFKA_HEAP": heap,
            },
        )
        self.port = port

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def settings_for(self, settings: PortalSettings) -> PortalSettings:
        """`settings` pointed at this broker: one plaintext broker on loopback, whatever the shared one is."""
        return settings.model_copy(
            update={
                "kafka_bootstrap_servers": self.bootstrap,
                "topic_replication_factor": 1,
                "kafka_security_protocol": "PLAINTEXT",
                "kafka_sasl_mechanism": None,
                "kafka_sasl_username": None,
                "kafka_sasl_password": None,
                "kafka_ssl_cafile": None,
            }
        )


# ---------------------------------------------------------------- HTTP probes


@dataclass
class Probe:
    """One request and what came back: status None means no answer within the client's timeout."""

    url: str
    status: int | None
    seconds: float
    body: Any = None
    error: str | None = None

    def get(self, name: str) -> Any:
        return self.body.get(name) if isinstance(self.body, dict) else None


@functools.cache
def _http() -> httpx.Client:
    """One pooled client for every probe: a fresh client per request would cost more than the answer."""
    return httpx.Client(limits=httpx.Limits(max_connections=64, max_keepalive_connections=16))


def probe(url: str, *, method: str = "GET", timeout: float = 10.0, **kwargs: Any) -> Probe:
    started = time.perf_counter()
    try:
        response = _http().request(method, url, timeout=timeout, **kwargs)
    except httpx.HTTPError as e:
        return Probe(url, None, round(time.perf_counter() - started, 3), error=f"{type(e).__name__}: {e}")
    seconds = round(time.perf_counter() - started, 3)
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text[:500]
    return Probe(url, response.status_code, seconds, body)


def probe_together(urls: Sequence[str], *, timeout: float) -> list[Probe]:
    """All at once, each on its own connection: a hung worker shows up as a probe with no answer."""
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        return list(pool.map(lambda url: probe(url, timeout=timeout), urls))


def readyz(service: ServiceProcess, timeout: float = 10.0) -> Probe:
    return probe(f"{service.url}/readyz", timeout=timeout)


def wait_until(predicate: Callable[[], Any], *, timeout: float, interval: float = 0.25) -> float | None:
    """Seconds until `predicate()` holds, or None if it never did within `timeout` (an exception is a no)."""
    started = time.monotonic()
    while True:
        try:
            if predicate():
                return round(time.monotonic() - started, 2)
        except Exception:
            pass
        if time.monotonic() - started > timeout:
            return None
        time.sleep(interval)


# ---------------------------------------------------------------- producing and counting


def provider_event(id: str, version: int) -> dict[str, Any]:
    """A valid provider upsert (schemas/events/provider.schema.json); each version carries its own name."""
    return {
        "event_id": str(uuid.uuid4()),
        "type": "upsert",
        "entity": "provider",
        "id": id,
        "version": version,
        "occurred_at": "2026-11-28T10:00:00+06:00",
        "data": {
            "name": {"bn": "মোঃ রফিকুল ইসলাম" if version == 1 else "নতুন নাম", "en": f"Chaos v{version}"},
            "category": "electrician",
            "services": ["হাউস ওয়্যারিং"],
            "phone": "+8801712345678",
            "phone_public": True,
            "location": {"lat": 24.433, "lon": 90.78},
            "address": {"bn": "কিশোরগঞ্জ সদর", "upazila": "kishoreganj-sadar"},
            "available": True,
            "updated_at": "2026-11-28T10:00:00+06:00",
        },
    }


class ProviderStream:
    """Provider upserts onto a topic at a steady rate from a background thread, counted as the broker acks.

    Every `updates_every`-th id gets a second, newer version right after its first, so "the newest
    version wins" is checked too. One request in flight at a time keeps each key's versions in order.
    """

    def __init__(
        self,
        bootstrap: str,
        topic: str,
        *,
        id_prefix: str,
        ids: int,
        rate: float,
        updates_every: int = 7,
        security: Mapping[str, Any] | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.security = dict(security or {})  # TLS / SASL options of the broker (kafka_security)
        self.topic = topic
        self.id_prefix = id_prefix
        self.ids = ids
        self.rate = rate
        self.updates_every = updates_every
        self.acked: dict[str, int] = {}  # id → newest version the broker acknowledged
        self.attempted: dict[str, int] = {}  # id → newest version ever handed to the producer
        self.acked_events = 0
        self.failed_events = 0
        self.error: str | None = None
        self.finished_at: float | None = None  # time.monotonic() when the last send was settled
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"stream-{id_prefix}", daemon=True)

    def start(self) -> ProviderStream:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the stream to stop sending; `join` waits for it."""
        self._stop.set()

    def join(self, timeout: float) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def wait_acked(self, events: int, timeout: float) -> bool:
        return wait_until(lambda: self.acked_events >= events, timeout=timeout, interval=0.05) is not None

    def _acked(self, id: str, version: int, _metadata: Any) -> None:
        with self._lock:
            self.acked[id] = max(self.acked.get(id, 0), version)
            self.acked_events += 1

    def _failed(self, _error: Any) -> None:
        with self._lock:
            self.failed_events += 1

    def _send(self, producer: KafkaProducer, id: str, version: int) -> None:
        with self._lock:
            self.attempted[id] = max(self.attempted.get(id, 0), version)
        value = json.dumps(provider_event(id, version), ensure_ascii=False).encode()
        future = producer.send(self.topic, key=id.encode(), value=value)
        future.add_callback(self._acked, id, version)
        future.add_errback(self._failed)

    def _run(self) -> None:
        producer = KafkaProducer(
            bootstrap_servers=self.bootstrap.split(","),
            **self.security,
            acks="all",
            linger_ms=5,
            max_in_flight_requests_per_connection=1,
            max_block_ms=2000,
            request_timeout_ms=4000,
            delivery_timeout_ms=10_000,
            reconnect_backoff_max_ms=1000,
        )
        tick = 0.05
        per_tick = max(1, round(self.rate * tick * self.updates_every / (self.updates_every + 1)))
        next_tick = time.monotonic()
        try:
            sent = 0
            while sent < self.ids and not self._stop.is_set():
                upto = min(sent + per_tick, self.ids)
                for i in range(sent, upto):
                    id = f"{self.id_prefix}{i}"
                    self._send(producer, id, 1)
                    if i % self.updates_every == 0:
                        self._send(producer, id, 2)
                sent = upto
                next_tick += tick
                time.sleep(max(0.0, next_tick - time.monotonic()))
            producer.flush(timeout=15)
        except KafkaError as e:  # the broker went away: what was acknowledged so far is what counts
            self.error = f"{type(e).__name__}: {e}"
        finally:
            producer.close(timeout=5)
            self.finished_at = time.monotonic()


@dataclass
class Audit:
    """The index against what was produced."""

    produced: int  # events the broker acknowledged
    ids: int  # distinct ids among them
    indexed: int  # documents in the index
    lost: int  # produced ids missing, or older than their newest acknowledged version
    duplicated: int  # documents beyond one per produced id
    stale: int  # of the lost: present but at an older version
    missing_sample: list[str] = field(default_factory=list)
    stale_sample: list[str] = field(default_factory=list)
    unexpected_sample: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.lost == 0 and self.duplicated == 0


def indexed_versions(client: OpenSearch, alias: str) -> list[tuple[str, int]]:
    """(id, external version) of every document behind the alias."""
    client.indices.refresh(index=alias)
    body = {"size": 5000, "_source": False, "version": True, "sort": ["_doc"], "query": {"match_all": {}}}
    page = client.search(index=alias, body=body, scroll="1m")
    found: list[tuple[str, int]] = []
    try:
        while page["hits"]["hits"]:
            found += [(hit["_id"], hit["_version"]) for hit in page["hits"]["hits"]]
            page = client.scroll(scroll_id=page["_scroll_id"], scroll="1m")
    finally:
        client.clear_scroll(scroll_id=page["_scroll_id"], ignore=(404,))
    return found


def audit_index(
    client: OpenSearch,
    alias: str,
    streams: Sequence[ProviderStream],
    *,
    required: Iterable[str] = (),
    allowed: Iterable[str] = (),
) -> Audit:
    """Count lost and duplicated documents. `required` ids must be there at any version (CSV rows);
    `allowed` ids may be there or not (rows whose fate is checked elsewhere)."""
    acked: dict[str, int] = {}
    attempted: dict[str, int] = {}
    for stream in streams:
        acked |= stream.acked
        attempted |= stream.attempted
    acked |= dict.fromkeys(required, 0)
    known = attempted.keys() | acked.keys() | set(allowed)
    found = indexed_versions(client, alias)
    counts = Counter(id for id, _ in found)
    versions = {id: version for id, version in found}
    missing = [id for id in acked if id not in versions]
    stale = [id for id, version in acked.items() if id in versions and versions[id] < version]
    unexpected = [id for id in counts if id not in known]
    return Audit(
        produced=sum(s.acked_events for s in streams),
        ids=len(acked),
        indexed=len(found),
        lost=len(missing) + len(stale),
        duplicated=sum(n - 1 for n in counts.values()) + len(unexpected),
        stale=len(stale),
        missing_sample=sorted(missing)[:10],
        stale_sample=sorted(stale)[:10],
        unexpected_sample=sorted(unexpected)[:10],
    )


def all_indexed(client: OpenSearch, alias: str, streams: Sequence[ProviderStream], **kwargs: Any) -> bool:
    return audit_index(client, alias, streams, **kwargs).lost == 0


def seed_providers(
    settings: PortalSettings, client: OpenSearch, *, ids: int = 200, timeout: float = 90
) -> tuple[ProviderStream, bool, float | None]:
    """A small set of providers the search scenarios can find: (stream, all acked, seconds until indexed)."""
    seed = ProviderStream(
        settings.kafka_bootstrap_servers,
        settings.topic("providers"),
        id_prefix=f"{settings.topic_prefix}seed-",
        ids=ids,
        rate=2000,
        security=kafka_security(settings),
    ).start()
    sent = bool(seed.join(60)) and seed.acked_events > 0
    alias = settings.index_alias("providers")
    indexed = wait_until(lambda: all_indexed(client, alias, [seed]), timeout=timeout)
    return seed, sent, indexed


def group_offsets(settings: PortalSettings, group: str) -> tuple[int, int] | None:
    """(committed by the consumer group, log end) summed over the providers topic; None if Kafka would not say."""
    topic = settings.topic("providers")
    admin = KafkaAdminClient(**settings.kafka_client_options())
    consumer = KafkaConsumer(**settings.kafka_client_options())
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        ends = consumer.end_offsets(partitions)
        offsets = admin.list_consumer_group_offsets(group)
        committed = sum(max(offsets[tp].offset, 0) for tp in partitions if tp in offsets)
        return committed, sum(ends.values())
    except KafkaError:
        return None
    finally:
        consumer.close()
        admin.close()


def kafka_security(settings: PortalSettings) -> dict[str, Any]:
    """The settings' Kafka connection options beyond the address: TLS and SASL, when the broker wants them."""
    options = settings.kafka_client_options()
    options.pop("bootstrap_servers")
    return options


def delete_topics(bootstrap: str, prefix: str, security: Mapping[str, Any] | None = None) -> None:
    """Remove a run's topics and consumer groups from a broker (the shared one keeps nothing of ours)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap.split(","), **(security or {}))
    try:
        topics = [t for t in admin.list_topics() if t.startswith(prefix)]
        if topics:
            admin.delete_topics(topics, timeout_ms=30_000)
        groups = [g for g, _ in admin.list_consumer_groups() if g.startswith(prefix)]
        if groups:
            # A group whose members have not timed out yet refuses; Kafka forgets it once it is empty.
            with contextlib.suppress(KafkaError):
                admin.delete_consumer_groups(groups)
    finally:
        admin.close()


def delete_indices(client: OpenSearch, prefix: str) -> None:
    """A run's indices, and the index templates its ingest-service made (the daily search log's)."""
    client.indices.delete(index=f"{prefix}*", ignore_unavailable=True, expand_wildcards="all")
    for template in client.indices.get_index_template(name=f"{prefix}*", ignore=404).get(
        "index_templates", []
    ):
        client.indices.delete_index_template(name=template["name"], ignore=404)


# ---------------------------------------------------------------- CSV imports


def provider_csv(ids: Sequence[str]) -> bytes:
    header = "id,name_bn,category,phone,lat,lon,upazila\r\n"
    return (header + "".join(f"{id},রহিম,barber,01712345678,24.53,91.08,itna\r\n" for id in ids)).encode()


def has_import_route(ingest: ServiceProcess) -> bool:
    """Whether this ingest-service build has the CSV import endpoint at all."""
    found = probe(f"{ingest.url}/openapi.json", timeout=10)
    paths = found.get("paths") or {}
    return "/v1/imports/providers" in paths


def import_csv(ingest: ServiceProcess, key: str, ids: Sequence[str]) -> Probe:
    return probe(
        f"{ingest.url}/v1/imports/providers",
        method="POST",
        timeout=60,
        content=provider_csv(ids),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "text/csv; charset=utf-8"},
    )


def ids_present(client: OpenSearch, alias: str, ids: Sequence[str]) -> int:
    docs = client.mget(index=alias, body={"ids": list(ids)})["docs"]
    return sum(1 for doc in docs if doc.get("found"))


# ---------------------------------------------------------------- results


@dataclass
class Check:
    name: str
    passed: bool
    detail: str = ""


@dataclass
class ScenarioResult:
    """What a scenario saw: the audit, the recovery time, named probes and facts, and the checks passed."""

    name: str
    audit: Audit | None = None
    recover_s: float | None = None
    checks: list[Check] = field(default_factory=list)
    probes: dict[str, Probe | list[Probe]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def check(self, name: str, passed: object, detail: str = "") -> bool:
        """Record a check; `passed` is taken for its truth (a wait's seconds count as done, None not)."""
        self.checks.append(Check(name, bool(passed), detail))
        return bool(passed)

    @property
    def passed(self) -> bool:
        audit_clean = self.audit is None or self.audit.clean
        return self.error is None and audit_clean and all(c.passed for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        def probes(value: Probe | list[Probe]) -> Any:
            return [asdict(p) for p in value] if isinstance(value, list) else asdict(value)

        return {
            "name": self.name,
            "passed": self.passed,
            "audit": asdict(self.audit) if self.audit else None,
            "recover_s": self.recover_s,
            "checks": [asdict(c) for c in self.checks],
            "facts": self.facts,
            "probes": {name: probes(value) for name, value in self.probes.items()},
            "error": self.error,
        }


def _fast_json_503s(result: ScenarioResult, probes: list[Probe], *, bound_s: float, when: str) -> None:
    """The search API's promise while the engine is away: every request answered, JSON 503, in time."""
    slowest = max(p.seconds for p in probes)
    unanswered = [p.url for p in probes if p.status is None]
    wrong = [
        (p.url, p.status, p.get("error"))
        for p in probes
        if p.status is not None and (p.status != 503 or p.get("error") != "search_unavailable")
    ]
    result.facts["search_503_max_s"] = slowest
    result.check(
        f"{len(probes)} concurrent search requests all answered while {when} (no hung worker)",
        not unanswered,
        f"unanswered: {unanswered}" if unanswered else "",
    )
    result.check(
        f'JSON 503 error="search_unavailable" while {when}',
        not wrong and not unanswered,
        f"wrong answers: {wrong}" if wrong else "",
    )
    result.check(f"503 within {bound_s:g} s while {when}", slowest < bound_s, f"slowest {slowest:.3f} s")


# ---------------------------------------------------------------- the scenarios


def ingest_killed_repeatedly(
    start_ingest: Callable[[], ServiceProcess],
    settings: PortalSettings,
    group: str,
    client: OpenSearch,
    *,
    kills: int = 3,
    # Faster than one ingest process indexes, so a backlog is always in flight when a kill lands,
    # and long enough that the last kill still comes mid-stream (each restart waits up to a session
    # timeout for its partitions before the next kill is armed).
    rate: float = 2500,
    seconds: float = 30,
    seed: int = 7,
) -> ScenarioResult:
    """c. SIGKILL ingest-service `kills` times at random points while a stream flows, restarting it each time."""
    result = ScenarioResult(f"c. ingest-service SIGKILL x{kills} mid-batch")
    rng = random.Random(seed)
    alias = settings.index_alias("providers")
    ingest = start_ingest()
    stream = ProviderStream(
        settings.kafka_bootstrap_servers,
        settings.topic("providers"),
        id_prefix=f"{settings.topic_prefix}c-",
        ids=int(rate * seconds * 7 / 8),
        rate=rate,
        security=kafka_security(settings),
    ).start()
    kill_log: list[dict[str, Any]] = []
    restarted_at = time.monotonic()
    try:
        for _ in range(kills):
            # Kill only once this process is really consuming (it committed a batch), then at a random moment.
            before = group_offsets(settings, group) or (0, 0)

            def advanced(before: tuple[int, int] = before) -> bool:
                return (group_offsets(settings, group) or (0, 0))[0] > before[0]

            consuming = wait_until(advanced, timeout=90)
            delay = rng.uniform(0.2, 1.5)
            time.sleep(delay)
            committed, end = group_offsets(settings, group) or (0, 0)
            ingest.kill()
            kill_log.append(
                {
                    "first_commit_after_s": consuming,
                    "then_waited_s": round(delay, 2),
                    "uncommitted_events_at_kill": end - committed,
                }
            )
            restarted_at = time.monotonic()
            ingest = start_ingest()
        stream.join(timeout=seconds + 60)
        since = max(restarted_at, stream.finished_at or time.monotonic())
        caught_up = wait_until(
            lambda: readyz(ingest).status == 200 and all_indexed(client, alias, [stream]), timeout=180
        )
        result.recover_s = None if caught_up is None else round(time.monotonic() - since, 2)
        result.facts |= {"kills": kill_log, "seed": seed, "stream_error": stream.error}
        # A fast consumer often has committed everything at the instant of a kill; what matters is
        # that each kill hit a consuming process and that kills did land with events in flight.
        result.check(
            "every kill hit a consuming process; kills landed with uncommitted events in flight",
            all(k["first_commit_after_s"] is not None for k in kill_log)
            and any(k["uncommitted_events_at_kill"] > 0 for k in kill_log),
            f"uncommitted at each kill: {[k['uncommitted_events_at_kill'] for k in kill_log]}",
        )
        result.check("restarted ingest-service caught up by itself", caught_up is not None)
        result.audit = audit_index(client, alias, [stream])
    finally:
        stream.stop()
        stream.join(30)
    return result


@dataclass
class BrokerUnderIngest:
    """What the broker scenario (b) works on: a private broker, and the ingest-service consuming from it
    (settings.kafka_bootstrap_servers) into a healthy engine."""

    node: PrivateKafka
    ingest: ServiceProcess
    settings: PortalSettings
    client: OpenSearch


def kafka_killed(
    stage: BrokerUnderIngest,
    *,
    import_key: str,
    rate: float = 300,
    produced_before_kill: int = 800,
    outage_s: float = 5,
) -> ScenarioResult:
    """b. SIGKILL the (private) broker mid-stream, look at ingest-service while it is gone, restart it."""
    result = ScenarioResult("b. kafka broker SIGKILL mid-stream")
    alias = stage.settings.index_alias("providers")
    prefix = f"{stage.settings.topic_prefix}b-"
    route = has_import_route(stage.ingest)
    result.facts["import_route"] = route
    before = ProviderStream(
        stage.node.bootstrap,
        stage.settings.topic("providers"),
        id_prefix=f"{prefix}k",
        ids=100_000,
        rate=rate,
    ).start()
    refused_ids = [f"{prefix}csv-refused-{i}" for i in range(3)]
    try:
        before.wait_acked(produced_before_kill, timeout=60)
        stage.node.kill()
        killed_at = time.monotonic()
        before.stop()
        result.facts["acked_before_kill"] = before.acked_events

        noticed = wait_until(lambda: readyz(stage.ingest).status == 503, timeout=30)
        down = result.probes["ingest /readyz while kafka is down"] = readyz(stage.ingest)
        result.facts["ingest_readyz_503_after_s"] = noticed
        result.check(
            "ingest /readyz 503 naming kafka while it is down",
            down.status == 503 and "kafka" in json.dumps(down.body),
            f"{down.status} {down.body}",
        )
        if route:
            refused = result.probes["csv import while kafka is down"] = import_csv(
                stage.ingest, import_key, refused_ids
            )
            result.check(
                "CSV import answers 503 kafka_unavailable while kafka is down",
                refused.status == 503 and refused.get("error") == "kafka_unavailable",
                f"{refused.status} in {refused.seconds} s: {refused.body}",
            )
        time.sleep(max(0.0, killed_at + outage_s - time.monotonic()))
        result.facts["ingest_running_during_outage"] = stage.ingest.running
        result.check("ingest-service kept running while kafka was down", stage.ingest.running)
        before.join(timeout=30)

        result.facts["kafka_restart_s"] = round(stage.node.start(), 1)
        back = wait_until(
            lambda: (
                readyz(stage.ingest).status == 200
                and all_indexed(stage.client, alias, [before], allowed=refused_ids)
            ),
            timeout=180,
        )
        result.recover_s = back
        result.facts["recovered_s"] = back
        result.check("after the restart: ingest ready and everything produced before the kill indexed", back)

        after = ProviderStream(
            stage.node.bootstrap,
            stage.settings.topic("providers"),
            id_prefix=f"{prefix}r",
            ids=300,
            rate=1000,
        ).start()
        accepted_ids = [f"{prefix}csv-after-{i}" for i in range(3)]
        if route:
            accepted = result.probes["csv import after kafka is back"] = import_csv(
                stage.ingest, import_key, accepted_ids
            )
            result.check(
                "CSV import accepted again after kafka is back",
                accepted.status == 202,
                f"{accepted.status}: {accepted.body}",
            )
        after.join(timeout=60)
        required = accepted_ids if route else []
        resumed = wait_until(
            lambda: all_indexed(stage.client, alias, [before, after], required=required, allowed=refused_ids),
            timeout=120,
        )
        result.facts["resumed_events_indexed"] = resumed is not None
        result.check(
            "events produced after the restart indexed too (consumption resumed)", resumed is not None
        )
        if route:
            late = ids_present(stage.client, alias, refused_ids)
            result.facts["refused_csv_rows_indexed"] = late
            result.check("no row of the refused import was published", late == 0, f"{late} indexed")
        result.audit = audit_index(
            stage.client, alias, [before, after], required=required, allowed=refused_ids
        )
    finally:
        before.stop()
        before.join(30)
    return result


@dataclass
class EngineUnderServices:
    """What the engine scenarios (a, d) work on: a private engine with both services on it, the streams
    sent into it (audited afterwards) and the ENGINE_TIMEOUT_S the search-service was started with."""

    node: PrivateOpenSearch
    ingest: ServiceProcess
    search: ServiceProcess
    settings: PortalSettings
    client: OpenSearch
    streams: Sequence[ProviderStream]
    engine_timeout_s: float = 2.0


def opensearch_killed(
    stage: EngineUnderServices, *, outage_s: float = 5
) -> tuple[ScenarioResult, ScenarioResult]:
    """a + d. SIGKILL the (private) engine under both services, look at them while it is gone, restart it.

    The first of `stage.streams` may still be running: the kill then lands mid-ingest. Returns the ingest
    view (a) and the search view (d) of the same outage.
    """
    ingest_view = ScenarioResult("a. opensearch SIGKILL mid-ingest")
    search_view = ScenarioResult("d. search-service, engine killed")
    alias = stage.settings.index_alias("providers")
    live = stage.streams[0] if stage.streams and stage.streams[0].finished_at is None else None
    if live is not None:
        live.wait_acked(int(live.rate * 2), timeout=60)
    stage.node.kill()
    killed_at = time.monotonic()
    ingest_view.facts["acked_before_kill"] = sum(s.acked_events for s in stage.streams)

    for view, service in (("ingest", stage.ingest), ("search", stage.search)):

        def refuses(service: ServiceProcess = service) -> bool:
            return readyz(service).status == 503

        noticed = wait_until(refuses, timeout=30)
        down = readyz(service)
        ingest_view.probes[f"{view} /readyz while opensearch is down"] = down
        ingest_view.facts[f"{view}_readyz_503_after_s"] = noticed
        ingest_view.check(
            f"{view} /readyz 503 naming opensearch while it is down",
            down.status == 503 and "opensearch" in json.dumps(down.body),
            f"{down.status} {down.body}",
        )

    answers = probe_together([stage.search.url + p for p in SEARCH_PATHS], timeout=stage.engine_timeout_s + 8)
    search_view.probes["search while the engine is down"] = answers
    _fast_json_503s(search_view, answers, bound_s=stage.engine_timeout_s + 1, when="the engine is down")
    alive = search_view.probes["search /healthz while the engine is down"] = probe(
        f"{stage.search.url}/healthz", timeout=5
    )
    search_view.check("search /healthz still 200 while the engine is down", alive.status == 200)

    time.sleep(max(0.0, killed_at + outage_s - time.monotonic()))
    ingest_view.check("ingest-service kept running while the engine was down", stage.ingest.running)
    ingest_view.facts["opensearch_restart_s"] = round(stage.node.start(), 1)
    back_at = time.monotonic()
    if live is not None:
        live.join(timeout=120)

    search_back = wait_until(lambda: probe(stage.search.url + NEAREST).status == 200, timeout=120)
    search_view.recover_s = search_back
    search_view.check("search answers 200 again after the restart, by itself", search_back is not None)
    both_ready = wait_until(
        lambda: readyz(stage.ingest).status == 200 and readyz(stage.search).status == 200, timeout=120
    )
    ingest_view.facts["readyz_200_on_both_after_s"] = (
        None if both_ready is None else round(time.monotonic() - back_at, 2)
    )
    ingest_view.check("/readyz 200 again on both services after the restart", both_ready is not None)
    caught_up = wait_until(lambda: all_indexed(stage.client, alias, stage.streams), timeout=180)
    ingest_view.recover_s = None if caught_up is None else round(time.monotonic() - back_at, 2)
    ingest_view.check("everything produced indexed after the restart, without a human", caught_up is not None)
    ingest_view.audit = audit_index(stage.client, alias, stage.streams)
    return ingest_view, search_view


def engine_frozen(stage: EngineUnderServices) -> ScenarioResult:
    """d. SIGSTOP the (private) engine: a node that accepts connections and never answers. Then SIGCONT."""
    result = ScenarioResult("d. search-service, engine frozen (SIGSTOP)")
    alias = stage.settings.index_alias("providers")
    before = result.probes["search before the freeze"] = probe(stage.search.url + NEAREST, timeout=10)
    result.check("search 200 with results before the freeze", before.status == 200 and before.get("total"))
    stage.node.freeze()
    try:
        urls = [stage.search.url + p for p in SEARCH_PATHS] + [stage.search.url + CATEGORIES] * 4
        answers = probe_together(urls, timeout=stage.engine_timeout_s + 8)
        searches, listings = answers[: len(SEARCH_PATHS)], answers[len(SEARCH_PATHS) :]
        result.probes["search while the engine is frozen"] = searches
        _fast_json_503s(result, searches, bound_s=stage.engine_timeout_s + 1, when="the engine is frozen")
        result.probes["categories while the engine is frozen"] = listings
        slowest = max(p.seconds for p in listings)
        result.facts["categories_max_s_while_frozen"] = slowest
        result.check(
            f"{len(listings)} concurrent /v1/categories degrade to 200 within {stage.engine_timeout_s + 1:g} s",
            all(p.status == 200 for p in listings) and slowest < stage.engine_timeout_s + 1,
            f"statuses {[p.status for p in listings]}, seconds {[p.seconds for p in listings]}",
        )
        alive = result.probes["search /healthz while the engine is frozen"] = probe(
            f"{stage.search.url}/healthz", timeout=5
        )
        result.check("search /healthz still 200 while the engine is frozen", alive.status == 200)
        for view, service in (("search", stage.search), ("ingest", stage.ingest)):
            frozen = result.probes[f"{view} /readyz while the engine is frozen"] = readyz(service, timeout=15)
            result.facts[f"{view}_readyz_seconds_while_frozen"] = frozen.seconds
            result.check(
                f"{view} /readyz 503 while the engine is frozen",
                frozen.status == 503,
                f"{frozen.status} after {frozen.seconds} s: {frozen.body or frozen.error}",
            )
    finally:
        stage.node.thaw()
    back = wait_until(
        lambda: (
            probe(stage.search.url + NEAREST).status == 200
            and readyz(stage.search).status == 200
            and readyz(stage.ingest).status == 200
        ),
        timeout=60,
    )
    result.recover_s = back
    result.facts["search_200_after_thaw_s"] = back
    result.check("search 200 and both /readyz 200 again after SIGCONT", back is not None)
    result.audit = audit_index(stage.client, alias, stage.streams)
    return result
