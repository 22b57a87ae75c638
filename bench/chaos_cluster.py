"""Cluster chaos: lose a Kafka broker, then an OpenSearch node, under steady ingest and search load.

    make chaos CLUSTER=1        # or: python bench/chaos_cluster.py [--rate 200] [--keep-cluster]

Runs against the three-broker, three-node cluster of `make cluster-up` (started here if it is not up,
and then stopped again at the end). Both services are configured with every node. While a provider
stream (acks=all, idempotent) and a search load run:
  1. SIGKILL the broker leading partition 0 of the providers topic; bring it back after FAULT_S.
  2. SIGKILL the OpenSearch node holding the providers index's primary; bring it back after FAULT_S.
Counts: events produced (acknowledged) / indexed / lost / duplicated, searches sent / failed / p99
during each fault, and the time until Kafka's partitions are fully replicated and the engine green
again. Target: 0 lost, 0 duplicated, 0 failed searches. Prints a table, writes
bench/results/chaos-cluster-<UTC>.json; exit 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from kafka.admin import KafkaAdminClient
from opensearchpy import OpenSearch

import benchkit
from benchkit import format_table, latency_summary, log
from chaos_scenarios import ProviderStream, audit_index, delete_indices, delete_topics, wait_until
from harness.service_process import ServiceProcess, service_env
from portal.settings import PortalSettings

CLUSTER = benchkit.REPO / "deploy" / "local" / "cluster" / "cluster.sh"
#: What cluster.sh env leaves unset means plaintext, whatever this process's environment says.
PLAINTEXT: dict[str, Any] = {
    "kafka_security_protocol": "PLAINTEXT",
    "kafka_sasl_mechanism": None,
    "kafka_sasl_username": None,
    "kafka_sasl_password": None,
    "kafka_ssl_cafile": None,
}
FAULT_S = 20.0
SEARCH_CONCURRENCY = 2


def cluster(*args: str, check: bool = True) -> str:
    done = subprocess.run([str(CLUSTER), *args], capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"cluster.sh {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def cluster_env() -> dict[str, str]:
    return dict(line.split("=", 1) for line in cluster("env").split())


def cluster_running() -> bool:
    status = cluster("status", check=False)
    return status.count("running") == 6


@dataclass
class SearchLoad:
    """Nearest-provider searches from SEARCH_CONCURRENCY threads, each result stamped with its time."""

    url: str
    samples: list[tuple[float, float, int | None]] = field(default_factory=list)  # (at, ms, status)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> SearchLoad:
        for i in range(SEARCH_CONCURRENCY):
            thread = threading.Thread(target=self._run, args=(i,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _run(self, i: int) -> None:
        queries = ["electrician", "ইলেকট্রিশিয়ান", "bidyut mistri", "wiring"]
        with httpx.Client(timeout=10) as client:
            n = 0
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    status: int | None = client.get(
                        f"{self.url}/v1/providers/nearest",
                        params={
                            "lat": 24.433,
                            "lon": 90.78,
                            "q": queries[(n + i) % 4],
                            "available_now": "false",
                        },
                    ).status_code
                except httpx.HTTPError:
                    status = None
                self.samples.append((started, (time.monotonic() - started) * 1000, status))
                n += 1
                time.sleep(0.02)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(15)

    def between(self, start: float, end: float) -> dict[str, Any]:
        window = [(ms, status) for at, ms, status in self.samples if start <= at <= end]
        failed = sum(1 for _, status in window if status != 200)
        summary = latency_summary([ms for ms, _ in window])
        return {"sent": len(window), "failed": failed, "p99_ms": summary["p99"], "p50_ms": summary["p50"]}


def cluster_kafka(env: dict[str, str]) -> dict[str, Any]:
    """How to reach the cluster's brokers, from `cluster.sh env`: plaintext, or SASL/SCRAM over TLS
    (`make cluster-up CLUSTER_SECURE=1`)."""
    kafka = {name.lower(): value for name, value in env.items() if name.startswith("KAFKA_")}
    return PortalSettings.model_validate({**PLAINTEXT, **kafka}).kafka_client_options()


def partition_leader(kafka: dict[str, Any], topic: str) -> int:
    admin = KafkaAdminClient(**kafka)
    try:
        (described,) = admin.describe_topics([topic])
        return next(p["leader"] for p in described["partitions"] if p["partition"] == 0)
    finally:
        admin.close()


def fully_replicated(kafka: dict[str, Any], prefix: str) -> bool:
    admin = KafkaAdminClient(**kafka)
    try:
        topics = [t for t in admin.list_topics() if t.startswith(prefix)]
        return all(
            len(p["isr"]) == len(p["replicas"])
            for t in admin.describe_topics(topics)
            for p in t["partitions"]
        )
    except Exception:
        return False
    finally:
        admin.close()


def primary_node(client: OpenSearch, index: str) -> int:
    shards = client.cat.shards(index=index, format="json", h="prirep,node")
    name = next(s["node"] for s in shards if s["prirep"] == "p")
    return int(name.removeprefix("os-"))


def green(urls: str) -> bool:
    for url in urls.split(","):
        try:
            answer = httpx.get(f"{url}/_cluster/health", timeout=2).json()
            return answer["status"] == "green" and answer["number_of_nodes"] == 3
        except (httpx.HTTPError, ValueError, KeyError):
            continue
    return False


def run(args: argparse.Namespace) -> dict[str, Any]:
    env = cluster_env()
    bootstrap, urls = env["KAFKA_BOOTSTRAP_SERVERS"], env["OPENSEARCH_URL"]
    kafka = cluster_kafka(env)
    security = {name: value for name, value in kafka.items() if name != "bootstrap_servers"}
    prefix = f"chaosc_{uuid.uuid4().hex[:6]}_"
    client = OpenSearch(hosts=urls.split(","), timeout=30, max_retries=3, retry_on_timeout=True)
    environment = service_env(
        None,
        INDEX_PREFIX=prefix, TOPIC_PREFIX=prefix, CONSUMER_GROUP=f"{prefix}ingest", BATCH_SIZE="200",
        LINGER_MS="50", RATE_LIMIT_PER_MINUTE="0", ADMISSION_SLOTS="0", SEARCH_LOG_ENABLED="false", **env,
    )  # fmt: skip
    services = [
        ServiceProcess(
            name=f"chaosc-{prefix}{name}", module=f"{name}.main", env=environment,
            log_path=benchkit.service_log(f"chaosc-{prefix}{name}"),
        )
        for name in ("ingest", "search")
    ]  # fmt: skip
    rows: list[dict[str, Any]] = []
    try:
        for service in services:
            service.start(timeout=180)
        ingest, search = services
        topic = f"{prefix}providers"
        stream = ProviderStream(
            bootstrap, topic, id_prefix=f"{prefix}p-", ids=args.ids, rate=args.rate, security=security
        ).start()
        load = SearchLoad(search.url).start()
        stream.wait_acked(min(500, args.ids // 4), timeout=60)

        def fault(kind: str, node: str, why: str, healed: Callable[[], Any], timeout: float) -> None:
            """SIGKILL one node of the cluster, start it again after FAULT_S, wait until it has healed."""
            produced_before = stream.acked_events
            log(f"SIGKILL {kind}-{node} ({why})")
            killed_at = time.monotonic()
            cluster("stop-node", kind, node, "--kill")
            time.sleep(FAULT_S)
            cluster("start-node", kind, node)
            back = wait_until(healed, timeout=timeout)
            rows.append({"fault": f"{kind}-{node} SIGKILL ({why})", "killed_at": killed_at,
                         "healed_at": time.monotonic(), "recover_s": round(FAULT_S + (back or 0), 1),
                         "produced_during": stream.acked_events - produced_before})  # fmt: skip

        broker = partition_leader(kafka, topic)
        fault("kafka", str(broker), "partition leader", lambda: fully_replicated(kafka, prefix), 180)
        node = primary_node(client, f"{prefix}providers")
        fault("opensearch", str(node), "primary", lambda: green(urls), 240)

        stream.join(timeout=args.ids / args.rate + 120)
        alias = f"{prefix}providers"
        indexed_in = wait_until(lambda: audit_index(client, alias, [stream]).lost == 0, timeout=180)
        load.stop()
        audit = audit_index(client, alias, [stream])
        for row in rows:
            row |= load.between(row["killed_at"], row["healed_at"])
        total = load.between(0, time.monotonic())
        return {
            "prefix": prefix,
            "faults": rows,
            "events": {
                "produced": audit.produced,
                "ids": audit.ids,
                "indexed": audit.indexed,
                "lost": audit.lost,
                "duplicated": audit.duplicated,
                "failed_sends": stream.failed_events,
                "settled_s": indexed_in,
            },
            "searches": total,
            "ingest_readyz_after": httpx.get(f"{ingest.url}/readyz", timeout=5).status_code,
        }
    finally:
        for service in services:
            service.stop(timeout=40)
        try:
            delete_indices(client, prefix)
            delete_topics(bootstrap, prefix, security)
        except Exception as e:
            log(f"could not remove {prefix}*: {e}")
        client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200, help="provider events/s")
    parser.add_argument("--ids", type=int, default=24_000, help="provider ids in the stream")
    parser.add_argument("--keep-cluster", action="store_true", help="leave a cluster this run started up")
    args = parser.parse_args(argv)
    started_here = not cluster_running()
    if started_here:
        log("starting the local cluster (make cluster-up)")
        subprocess.run(["make", "-s", "cluster-up"], cwd=benchkit.REPO, check=True)
    try:
        report = run(args)
    finally:
        if started_here and not args.keep_cluster:
            cluster("down", check=False)
    events = report["events"]
    print(format_table(
        ["fault", "events during", "searches", "failed", "p50 ms", "p99 ms", "recover s"],
        [[r["fault"], r["produced_during"], r["sent"], r["failed"], r["p50_ms"], r["p99_ms"], r["recover_s"]]
         for r in report["faults"]],
        title="cluster chaos: 3 Kafka brokers, 3 OpenSearch nodes",
    ))  # fmt: skip
    print(format_table(
        ["events produced", "indexed", "lost", "duplicated", "searches sent", "searches failed"],
        [[events["produced"], events["indexed"], events["lost"], events["duplicated"],
          report["searches"]["sent"], report["searches"]["failed"]]],
    ))  # fmt: skip
    path = benchkit.write_json("chaos-cluster", {"machine": benchkit.machine(), **report})
    print(f"wrote {path}")
    ok = events["lost"] == 0 and events["duplicated"] == 0 and report["searches"]["failed"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
