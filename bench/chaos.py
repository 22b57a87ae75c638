"""Chaos: break Kafka, OpenSearch and ingest-service on purpose, with real processes, and count the damage.

    make chaos
    python bench/chaos.py --only a,d        # some scenarios only: a b c d

Scenarios (see chaos_scenarios.py for what each one does and how it counts):
  a. OpenSearch SIGKILLed mid-ingest, restarted: nothing lost, /readyz 503 on both services meanwhile,
     recovery without a human (restart → ingest /readyz 200 and everything indexed).
  b. Kafka SIGKILLed mid-stream, restarted: ingest-service waits and resumes, the CSV import answers 503
     while the broker is gone, everything acknowledged before the kill is indexed.
  c. ingest-service SIGKILLed 3 times at random points mid-batch: nothing lost, nothing duplicated.
  d. search-service with the engine killed (the outage of a) and frozen (SIGSTOP, then SIGCONT): fast
     JSON 503s within ENGINE_TIMEOUT_S, no hung worker, 200 again afterwards.

Faults only ever hit what this command started: a private OpenSearch and a private Kafka (own ports,
own state directory under a temporary directory, heaps of 512 MiB and 256 MiB) and its own service
processes, all stopped by recorded pid at the end, also on failure. The shared Kafka (9092) and
OpenSearch (9200) carry the healthy side of a, c and d under a `chaos_<run>_` prefix, removed
afterwards. Prints a table, writes bench/results/chaos-<UTC>.json; exits 1 if any scenario failed.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from opensearchpy import OpenSearch

import benchkit
import chaos_scenarios as chaos
from benchkit import format_table, log
from chaos_scenarios import PrivateKafka, PrivateOpenSearch, ProviderStream, ScenarioResult
from harness.service_process import ServiceProcess, service_env
from portal.settings import PortalSettings

SHARED_KAFKA = "127.0.0.1:9092"
SHARED_OPENSEARCH = "http://127.0.0.1:9200"
IMPORT_KEY = "chaos-import-key"
ENGINE_TIMEOUT_S = 2.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = benchkit.command_line(__doc__)
    parser.add_argument("--only", default="a,b,c,d", help="comma-separated scenarios to run (a,b,c,d)")
    parser.add_argument("--opensearch-port", type=int, default=9252, help="the private OpenSearch")
    parser.add_argument("--kafka-port", type=int, default=9194, help="the private Kafka broker")
    parser.add_argument("--kafka-controller-port", type=int, default=9195)
    parser.add_argument("--rate", type=float, default=300, help="events/s of the provider streams")
    parser.add_argument("--seed", type=int, default=None, help="seed of the random kill points of c")
    parser.add_argument(
        "--keep", action="store_true", help="keep logs and private state (printed at the end)"
    )
    return parser.parse_args(argv)


class Run:
    """One chaos run: its names, the processes it started, and how to start more."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.id = uuid.uuid4().hex[:6]
        self.prefix = f"chaos_{self.id}_"
        self.state = Path(tempfile.mkdtemp(prefix=f"chaos-{self.id}-"))
        self.opensearch = PrivateOpenSearch(self.state / "opensearch", port=args.opensearch_port)
        self.kafka = PrivateKafka(
            self.state / "kafka", port=args.kafka_port, controller_port=args.kafka_controller_port
        )
        self.services: list[ServiceProcess] = []
        self.shared = OpenSearch(hosts=[SHARED_OPENSEARCH], timeout=30)

    def settings(
        self, scenario: str, *, opensearch: str = SHARED_OPENSEARCH, kafka: str = SHARED_KAFKA
    ) -> PortalSettings:
        name = f"{self.prefix}{scenario}_"
        return PortalSettings(
            index_prefix=name, topic_prefix=name, opensearch_url=opensearch, kafka_bootstrap_servers=kafka
        )

    def service(self, module: str, settings: PortalSettings, **env: str) -> ServiceProcess:
        """Start a service process on these settings and wait until its /readyz is 200."""
        label = settings.index_prefix.removeprefix(self.prefix).rstrip("_")
        name = f"chaos-{self.id}-{label}-{module.split('.')[0]}-{len(self.services)}"
        proc = ServiceProcess(
            name=name,
            module=module,
            log_path=benchkit.service_log(name),
            env=service_env(
                settings,
                CONSUMER_GROUP=f"{settings.topic_prefix}ingest",
                IMPORT_API_KEYS=IMPORT_KEY,
                BATCH_SIZE="200",
                LINGER_MS="50",
                ENGINE_TIMEOUT_S=str(ENGINE_TIMEOUT_S),
                **env,
            ),
        )
        self.services.append(proc)
        return proc.start(timeout=120)

    def stop_services(self) -> None:
        for proc in self.services:
            proc.stop(timeout=40)
        self.services.clear()

    def clean_up(self) -> None:
        """Stop everything this run started (by recorded pid) and remove its names from the shared servers."""
        self.stop_services()
        for server in (self.opensearch, self.kafka):
            try:
                server.stop() if self.args.keep else server.remove()
            except Exception as e:
                log(f"could not stop the private {server.kind}: {e}")
        try:
            chaos.delete_indices(self.shared, self.prefix)
            chaos.delete_topics(SHARED_KAFKA, self.prefix)
        except Exception as e:
            log(f"could not remove {self.prefix}* from the shared servers: {e}")
        self.shared.close()
        if self.args.keep:
            log(f"private server state kept in {self.state}, the engine's home in {self.opensearch.home()}")
        else:
            shutil.rmtree(self.state, ignore_errors=True)


def guarded(name: str, scenario: Callable[[], list[ScenarioResult]]) -> list[ScenarioResult]:
    """Run one scenario; a crash of the scenario itself is a failed row, and the next scenario still runs."""
    log(f"scenario {name}")
    try:
        return scenario()
    except Exception as e:
        log(traceback.format_exc())
        return [ScenarioResult(name, error=f"{type(e).__name__}: {e}")]


def scenario_c(run: Run, booting: bool) -> list[ScenarioResult]:
    s = run.settings("c")
    seed = run.args.seed if run.args.seed is not None else int(time.time())
    try:
        result = chaos.ingest_killed_repeatedly(
            lambda: run.service("ingest.main", s),
            s,
            f"{s.topic_prefix}ingest",
            run.shared,
            rate=run.args.rate,
            seed=seed,
        )
    finally:
        run.stop_services()
    # The private JVMs boot meanwhile, so the machine is busier than usual: recovery takes longer.
    result.facts["ran_while_private_servers_booted"] = booting
    return [result]


def scenarios_a_d(run: Run, booted: Future[float], only: set[str]) -> list[ScenarioResult]:
    """The private engine under both services: frozen first (d), then killed mid-ingest (a, and d's view)."""
    log(f"private opensearch ready ({booted.result():.0f} s to boot)")
    s = run.settings("a", opensearch=run.opensearch.url)
    client = OpenSearch(hosts=[run.opensearch.url], timeout=30)
    results: list[ScenarioResult] = []
    try:
        ingest = run.service("ingest.main", s)
        search = run.service("search.main", s, ADMISSION_SLOTS="0")  # one client probes every path at once
        seed, _, indexed = chaos.seed_providers(s, client)
        if indexed is None:
            raise RuntimeError("the seed providers were never indexed")
        stage = chaos.EngineUnderServices(
            run.opensearch, ingest, search, s, client, streams=[seed], engine_timeout_s=ENGINE_TIMEOUT_S
        )
        if "d" in only:
            log("scenario d: engine frozen (SIGSTOP)")
            results.append(chaos.engine_frozen(stage))
        log("scenario a (and d's view of it): engine killed mid-ingest")
        streams = [seed]
        if "a" in only:
            streams.insert(
                0,
                ProviderStream(
                    s.kafka_bootstrap_servers,
                    s.topic("providers"),
                    id_prefix=f"{s.topic_prefix}a-",
                    ids=int(run.args.rate * 12 * 7 / 8),
                    rate=run.args.rate,
                ).start(),
            )
        try:
            ingest_view, search_view = chaos.opensearch_killed(replace(stage, streams=streams))
        finally:
            streams[0].stop()
            streams[0].join(30)
        results += [view for view, wanted in ((ingest_view, "a"), (search_view, "d")) if wanted in only]
    finally:
        run.stop_services()
        client.close()
    return results


def scenario_b(run: Run, booted: Future[float]) -> list[ScenarioResult]:
    log(f"private kafka ready ({booted.result():.0f} s to boot)")
    s = run.kafka.settings_for(run.settings("b"))
    try:
        ingest = run.service("ingest.main", s)
        stage = chaos.BrokerUnderIngest(run.kafka, ingest, s, run.shared)
        result = chaos.kafka_killed(stage, import_key=IMPORT_KEY, rate=run.args.rate)
    finally:
        run.stop_services()
    return [result]


def table(results: list[ScenarioResult]) -> str:
    rows = []
    for r in results:
        a = r.audit
        rows.append(
            [
                r.name,
                a.produced if a else None,
                a.indexed if a else None,
                a.lost if a else None,
                a.duplicated if a else None,
                r.recover_s,
                "pass" if r.passed else "FAIL",
            ]
        )
    headers = ["scenario", "events produced", "indexed", "lost", "duplicated", "recover s", "result"]
    lines = [format_table(headers, rows, title="chaos: faults on purpose, real processes"), ""]
    for r in results:
        lines.append(f"{r.name}:")
        if r.error:
            lines.append(f"  FAIL  the scenario itself failed: {r.error}")
        for c in r.checks:
            lines.append(
                f"  {'ok  ' if c.passed else 'FAIL'}  {c.name}" + (f"  ({c.detail})" if c.detail else "")
            )
        if r.audit and not r.audit.clean:
            a = r.audit
            lines.append(
                f"  FAIL  missing {a.missing_sample}, stale {a.stale_sample}, unexpected {a.unexpected_sample}"
            )
    return "\n".join(lines)


def _terminate(signum: int, _frame: Any) -> NoReturn:
    raise SystemExit(128 + signum)  # so the finally blocks stop what we started


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    signal.signal(signal.SIGTERM, _terminate)
    run = Run(args)
    started = datetime.now(UTC)
    clock = time.monotonic()
    results: list[ScenarioResult] = []
    log(f"chaos run {run.id}: private state in {run.state}")
    boots = ThreadPoolExecutor(max_workers=2, thread_name_prefix="boot")
    try:
        # The JVMs boot while c runs on the shared servers: the whole run stays within a few minutes.
        opensearch_boot = boots.submit(run.opensearch.start) if only & {"a", "d"} else None
        kafka_boot = boots.submit(run.kafka.start) if "b" in only else None
        if "c" in only:
            results += guarded(
                "c. ingest-service SIGKILL mid-batch",
                lambda: scenario_c(run, booting=bool(only & {"a", "b", "d"})),
            )
        if opensearch_boot is not None:
            results += guarded("a/d. private opensearch", lambda: scenarios_a_d(run, opensearch_boot, only))
        if kafka_boot is not None:
            results += guarded("b. kafka broker SIGKILL mid-stream", lambda: scenario_b(run, kafka_boot))
    finally:
        boots.shutdown(wait=True)
        run.clean_up()
    results.sort(key=lambda r: r.name)
    print(table(results))
    payload = {
        "benchmark": "chaos",
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - clock, 1),
        "machine": benchkit.machine(),
        "run": run.id,
        "args": vars(args),
        "private_servers": {
            "opensearch": {"url": run.opensearch.url, "heap": "512m"},
            "kafka": {"bootstrap": run.kafka.bootstrap, "heap": "256m"},
        },
        "definitions": {
            "produced": "events the broker acknowledged",
            "lost": "produced ids missing from the index or older than their newest acknowledged version",
            "duplicated": "documents beyond one per produced id (an id twice, or an id nobody produced)",
            "recover_s": "a, b: dependency healthy again → ingest /readyz 200 and everything produced indexed; "
            "c: last restart (or the stream's end, if later) → all indexed; "
            "d: engine back (restart / SIGCONT) → search 200 again",
        },
        "passed": all(r.passed for r in results),
        "scenarios": [r.to_json() for r in results],
    }
    path = benchkit.write_json("chaos", payload)
    print(f"\nwrote {path.relative_to(benchkit.REPO)} ({payload['seconds']:.0f} s)")
    return 0 if payload["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
